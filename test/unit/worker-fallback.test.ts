/**
 * The server's fallback when an analysis worker's result cannot be read: through the real, built
 * server, with a stand-in worker (dist's other files, a worker script of this test's own beside
 * them) that answers every analyse-only job of the indexing pass with bytes that are no analysis.
 * Every article must be analysed on the server's thread instead, each with a logged warning, and
 * give the index that real workers give; the bytes must not reach the analysis cache (a second
 * start, with real workers, reads every article from it without one warning).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { LspClient } from '../../bench/lsp-client';
import { WORKER_FILE } from '../../server/src/handlers/analysisPool';
import { indexedAll, logMessages, serverWorkspace } from '../helpers/serverWorkspace';

/** Answers an analyse-only job with four bytes that decode to nothing; any other job fails. */
const STAND_IN_WORKER = `
const { parentPort } = require('node:worker_threads');
parentPort.on('message', (msg) => {
  if (msg.job.analyseOnly) parentPort.postMessage({ id: msg.id, result: { payload: new Uint8Array([0xde, 0xad, 0xbe, 0xef]), fresh: true } });
  else parentPort.postMessage({ id: msg.id, error: 'stand-in worker: analyse-only jobs only' });
});
`;

test('worker fallback: a worker analysis that cannot be read is redone on the server thread, logged, and kept out of the cache', async () => {
  // One copy: every text is distinct, so no article's job is a cache hit of another's.
  const { serverJs, dir, work, docs } = serverWorkspace('sl-fallback-', 1);
  const total = docs.length;
  // The built server beside the stand-in worker: server.js copied (its own folder is where it
  // looks for the worker), the models and the rest linked.
  const fake = path.join(dir, 'dist');
  fs.mkdirSync(fake);
  const real = path.dirname(serverJs);
  for (const f of fs.readdirSync(real)) {
    if (f === WORKER_FILE) continue;
    if (f === path.basename(serverJs)) fs.copyFileSync(serverJs, path.join(fake, f));
    else fs.symlinkSync(path.join(real, f), path.join(fake, f));
  }
  fs.writeFileSync(path.join(fake, WORKER_FILE), STAND_IN_WORKER);

  const clients: LspClient[] = [];
  // One worker and no help from the server's thread: every article's job goes to the worker.
  const env = { SOURCELENS_WORKERS: '1', SOURCELENS_MAIN_HELPS: '0' };
  const run = async (js: string, cache: string) => {
    const c = new LspClient({ serverJs: js, env });
    clients.push(c);
    await c.initialize(work, { cacheDir: path.join(dir, cache) });
    assert.ok(await c.waitFor(indexedAll(total), 120_000), 'indexed');
    const logs = logMessages(c);
    const out = { logs, entities: await c.request('sourcelens/entities', { sort: 'name' }), claims: await c.request('sourcelens/claims', {}) };
    await c.stop(30_000);
    return out;
  };
  try {
    const fallback = await run(path.join(fake, path.basename(serverJs)), 'cache-fallback');
    const unreadable = fallback.logs.filter((m) => /Worker analysis of .* could not be read; analysing in process\./.test(m));
    assert.equal(unreadable.length, total, `one warning per article (${unreadable.length} of ${total})`);
    assert.ok(!fallback.logs.some((m) => /^Skipped/.test(m)), 'no article skipped');

    const normal = await run(serverJs, 'cache-normal');
    assert.ok(!normal.logs.some((m) => /could not be read/.test(m)));
    assert.ok(Array.isArray(fallback.entities) && (fallback.entities as unknown[]).length > 0);
    assert.deepEqual(fallback.entities, normal.entities);
    assert.deepEqual(fallback.claims, normal.claims);

    // A second start over the fallback's cache, with real workers: every article comes from the
    // cache (the analyses made on the server's thread), none of them from the stand-in's bytes.
    const second = await run(serverJs, 'cache-fallback');
    assert.ok(!second.logs.some((m) => /could not be read|analysing in process/.test(m)), 'the cache held no unreadable entry');
    assert.deepEqual(second.entities, normal.entities);
  } finally {
    for (const c of clients) if (c.proc.exitCode === null && c.proc.signalCode === null) c.kill();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
