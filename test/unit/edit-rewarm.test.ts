/**
 * The edit worker warmed again by activity after a pause (WorkerWarmth, Workspace.rewarmEditWorker):
 * the clock's rules with a fake clock, then the real server, where a hover on the open article after
 * the worker sat idle makes it analyse the article once more, and an edit after it is answered.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { LspClient } from '../../bench/lsp-client';
import { EDIT_REWARM_IDLE_MS, rewarmIdleFromEnv, WorkerWarmth } from '../../server/src/handlers/workerWarmth';
import { offsetOf, positionAt } from '../helpers/caret';
import { indexedAll, logMessages, serverWorkspace } from '../helpers/serverWorkspace';

test('WorkerWarmth: cold only when idle for the whole pause, never while a job runs or before the first ends', () => {
  let now = 1000;
  const w = new WorkerWarmth(500, () => now);
  assert.equal(w.cold, false, 'no job has ended yet (the first warm-up is still to come or running)');
  w.begin();
  now += 10_000;
  assert.equal(w.cold, false, 'busy: a job is in flight');
  assert.equal(w.idleFor(), 0);
  w.end();
  assert.equal(w.cold, false, 'idle for 0 ms');
  now += 499;
  assert.equal(w.cold, false, 'idle for 499 ms of 500');
  assert.equal(w.idleFor(), 499);
  now += 1;
  assert.equal(w.cold, true, 'idle for the whole pause');
  // Two jobs overlapping: idle again only when both have ended, and the pause counts from then.
  w.begin();
  w.begin();
  w.end();
  assert.equal(w.busy, true);
  now += 1000;
  assert.equal(w.cold, false, 'one job still in flight');
  w.end();
  assert.equal(w.busy, false);
  now += 499;
  assert.equal(w.cold, false, 'the pause counts from the last job’s end');
  now += 1;
  assert.equal(w.cold, true);
  w.end(); // an extra end changes nothing but the time the worker went idle
  assert.equal(w.busy, false);
  assert.equal(w.cold, false);
});

test('rewarmIdleFromEnv: the variable when it is a number of ms, else the default', () => {
  assert.equal(rewarmIdleFromEnv({}), EDIT_REWARM_IDLE_MS);
  assert.equal(rewarmIdleFromEnv({ SOURCELENS_EDIT_REWARM_MS: '250' }), 250);
  assert.equal(rewarmIdleFromEnv({ SOURCELENS_EDIT_REWARM_MS: '0' }), 0);
  assert.equal(rewarmIdleFromEnv({ SOURCELENS_EDIT_REWARM_MS: '' }), EDIT_REWARM_IDLE_MS);
  assert.equal(rewarmIdleFromEnv({ SOURCELENS_EDIT_REWARM_MS: 'soon' }), EDIT_REWARM_IDLE_MS);
  assert.equal(rewarmIdleFromEnv({ SOURCELENS_EDIT_REWARM_MS: '-5' }), EDIT_REWARM_IDLE_MS);
});

test('edit worker: a hover on the open article after a pause warms the worker again; the next edit is answered', async () => {
  const ws = serverWorkspace('sl-edit-rewarm-', 1);
  const c = new LspClient({ serverJs: ws.serverJs, env: { SOURCELENS_WORKERS: '1', SOURCELENS_EDIT_REWARM_MS: '300' } });
  const rewarmed = () => logMessages(c).filter((m) => /Edit worker warmed again after/.test(m));
  try {
    await c.initialize(ws.work, {});
    assert.ok(await c.waitFor(indexedAll(ws.docs.length), 120_000), 'indexed');
    // Opened while nothing has warmed the edit worker yet: it starts and warms up; no re-warm
    // during that warm-up (the article's own opening does not add one).
    await c.notify('textDocument/didOpen', { textDocument: { uri: ws.uri, languageId: 'article', version: 1, text: ws.text } });
    assert.ok(await c.waitFor((n) => n.method === 'window/logMessage' && /Edit worker ready/.test(n.params?.message), 60_000), 'the edit worker warmed up');
    assert.equal(rewarmed().length, 0, 'nothing warmed it again while it warmed up');

    await sleep(600); // idle for longer than the 300 ms pause
    const at = positionAt(ws.text, offsetOf(ws.text, 'Kazakhstan', 1));
    await c.request('textDocument/hover', { textDocument: { uri: ws.uri }, position: at });
    assert.ok(
      await c.waitFor((n) => n.method === 'window/logMessage' && /Edit worker warmed again after \d+\.\d s idle, in \d+ ms\./.test(n.params?.message), 30_000),
      `the hover after the pause warmed the edit worker again: ${JSON.stringify(logMessages(c).slice(-5))}`,
    );

    // An edit right after: analysed by the (warm) worker and answered with the new text.
    const insert = 'Dravik Olunsen told reporters in Astana that the talks went well.\n\n';
    const pos = positionAt(ws.text, offsetOf(ws.text, '\n\n', 2));
    await c.notify('textDocument/didChange', { textDocument: { uri: ws.uri, version: 2 }, contentChanges: [{ range: { start: pos, end: pos }, text: insert }] });
    const symbols = JSON.stringify(await c.request('textDocument/documentSymbol', { textDocument: { uri: ws.uri } }));
    assert.ok(symbols.includes('Dravik Olunsen'), `the edit was analysed: ${symbols.slice(0, 300)}`);
    assert.ok(!logMessages(c).some((m) => /analysing in process|Could not warm up/.test(m)), 'no job fell back or failed');
  } finally {
    await c.stop(30_000).catch(() => c.kill());
    fs.rmSync(ws.dir, { recursive: true, force: true });
  }
});
