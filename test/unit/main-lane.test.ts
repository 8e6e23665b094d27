/**
 * The server's thread helping its analysis workers through the indexing pass: some articles are
 * analysed in the worker, the others in the server's own thread, and the index they make is the
 * one that the workers alone make (entities, their mentions and aliases, the claims), hover for
 * hover.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { LspClient } from '../../bench/lsp-client';
import { HELP_MAX_BYTES } from '../../server/src/handlers/workspace';
import { indexedAll, logMessages, serverWorkspace } from '../helpers/serverWorkspace';

const COPIES = 6;

test('main lane: one worker with the server thread helping indexes what the worker alone indexes', async () => {
  const { serverJs, dir, work, docs, uri, text } = serverWorkspace('sl-lane-', COPIES);
  const total = docs.length * COPIES;
  const clients: LspClient[] = [];
  const mention = text.indexOf('Kazakhstan');
  assert.ok(mention > 0);
  const before = text.slice(0, mention).split('\n');
  const position = { line: before.length - 1, character: before[before.length - 1].length + 2 };
  const run = async (env: Record<string, string>, cache: string) => {
    const c = new LspClient({ serverJs, env });
    clients.push(c);
    await c.initialize(work, { cacheDir: path.join(dir, cache) });
    assert.ok(await c.waitFor(indexedAll(total), 120_000), 'indexed');
    const logs = logMessages(c);
    const out = {
      logs,
      entities: await c.request('sourcelens/entities', { sort: 'name' }),
      claims: await c.request('sourcelens/claims', {}),
      hover: await c.request('textDocument/hover', { textDocument: { uri }, position }),
    };
    await c.stop(30_000);
    return out;
  };
  try {
    const helped = await run({ SOURCELENS_WORKERS: '1' }, 'cache-a');
    const alone = await run({ SOURCELENS_WORKERS: '1', SOURCELENS_MAIN_HELPS: '0' }, 'cache-b');

    assert.ok(helped.logs.some((m) => /with 1 analysis worker and this thread/.test(m)), 'the server thread helped');
    const line = helped.logs.find((m) => /analysed on this thread/.test(m));
    const here = Number(/\((\d+) analysed on this thread\)/.exec(line ?? '')?.[1]);
    assert.ok(here > 0 && here < total, `both lanes analysed articles (${here} of ${total} on the server thread)`);
    assert.ok(alone.logs.some((m) => /with 1 analysis worker\./.test(m)), 'without help, the worker alone');
    assert.ok(!alone.logs.some((m) => /analysed on this thread/.test(m)));

    assert.ok(Array.isArray(helped.entities) && (helped.entities as unknown[]).length > 0);
    assert.deepEqual(helped.entities, alone.entities);
    assert.deepEqual(helped.claims, alone.claims);
    assert.deepEqual(helped.hover, alone.hover);
    // Both filled the analysis cache for every article.
    for (const cache of ['cache-a', 'cache-b']) assert.ok(fs.existsSync(path.join(dir, cache, 'analyses.bin')), `${cache} written`);
  } finally {
    for (const c of clients) if (c.proc.exitCode === null && c.proc.signalCode === null) c.kill();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('main lane: a long article goes to the worker, not to the server thread (whose requests it would hold up)', async () => {
  const { serverJs, dir, work, docs } = serverWorkspace('sl-lane-long-', 1);
  // Every article repeated past the limit (HELP_MAX_BYTES) in a folder of its own.
  const long = path.join(work, 'long');
  fs.mkdirSync(long);
  let n = 0;
  for (const d of docs) {
    let t = d.text;
    while (Buffer.byteLength(t) <= HELP_MAX_BYTES) t += '\n\n' + d.text;
    fs.writeFileSync(path.join(long, `long-${n++}.txt`), t);
  }
  fs.rmSync(path.join(work, 'copy-0'), { recursive: true, force: true });
  const c = new LspClient({ serverJs, env: { SOURCELENS_WORKERS: '1' } });
  try {
    await c.initialize(work, { cacheDir: path.join(dir, 'cache') });
    assert.ok(await c.waitFor(indexedAll(n), 120_000), 'indexed');
    const logs = logMessages(c);
    assert.ok(logs.some((m) => /with 1 analysis worker and this thread/.test(m)), 'the server thread would help');
    assert.ok(logs.some((m) => /^Indexed \d+ articles in \d+ ms\.$/.test(m)), `no article analysed on the server thread: ${logs.find((m) => m.startsWith('Indexed'))}`);
    await c.stop(30_000);
  } finally {
    if (c.proc.exitCode === null && c.proc.signalCode === null) c.kill();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
