/**
 * The server's forced full collections near the end of the indexing pass and during the first
 * link pass (server/src/handlers/fullCollection.ts).
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { describe, it } from 'node:test';
import { LspClient } from '../../bench/lsp-client';
import { FULL_GC_MIN_HEAP, fullCollector, minHeapFromEnv } from '../../server/src/handlers/fullCollection';
import { SERVER_ENV_DEFAULTS, SERVER_EXEC_ARGV, serverEnv } from '../../server/src/launch';
import { indexedAll, logMessages, serverWorkspace } from '../helpers/serverWorkspace';

describe('fullCollector', () => {
  it('forces nothing without a gc function', () => {
    const g = globalThis as { gc?: unknown };
    const saved = g.gc;
    delete g.gc;
    try {
      assert.equal(fullCollector({ heapUsed: () => 2 * FULL_GC_MIN_HEAP }), undefined);
      assert.equal(fullCollector({ gc: 42 as unknown as () => void }), undefined);
    } finally {
      if (saved !== undefined) g.gc = saved;
    }
  });

  it('collects only when the heap is past the threshold, and says what it freed', () => {
    let heap = 100;
    let runs = 0;
    const logs: string[] = [];
    const collect = fullCollector({ gc: () => (runs++, (heap -= 40 * 2 ** 20)), heapUsed: () => heap, minHeap: 64 * 2 ** 20, log: (m) => logs.push(m) })!;
    collect('start');
    assert.equal(runs, 0);
    assert.deepEqual(logs, []);
    heap = 300 * 2 ** 20;
    collect('components');
    assert.equal(runs, 1);
    assert.equal(logs.length, 1);
    assert.match(logs[0], /full collection \(link pass, components\): heap 300 MB -> 260 MB in \d+ ms/);
    heap = 400 * 2 ** 20;
    collect('pass');
    assert.match(logs[1], /full collection \(indexing pass, 90% sent\): heap 400 MB -> 360 MB/);
  });

  it('forces nothing when the heap is below what the last forced collection left (V8 collected on its own since)', () => {
    const MB = 2 ** 20;
    let heap = 600 * MB;
    let runs = 0;
    const logs: string[] = [];
    const collect = fullCollector({ gc: () => (runs++, (heap -= 100 * MB)), heapUsed: () => heap, minHeap: 256 * MB, log: (m) => logs.push(m) })!;
    collect('pass');
    assert.equal(runs, 1, 'the first one always, past the threshold');
    heap = 480 * MB; // below the 500 MB it left
    collect('start');
    assert.equal(runs, 1);
    assert.match(logs[1], /^\[memory\] no full collection \(link pass, start\): heap 480 MB, below the 500 MB the last one left$/);
    heap = 500 * MB; // not below: it may hold garbage that was alive then (a released table, say)
    collect('components');
    assert.equal(runs, 2);
    assert.match(logs[2], /^\[memory\] full collection \(link pass, components\): heap 500 MB -> 400 MB/);
    heap = 399 * MB;
    collect('end');
    assert.equal(runs, 2, 'measured against what the last one left (400 MB)');
  });

  it('with its threshold at 0 (SOURCELENS_FULL_GC_MIN_MB=0, for tests) forces every collection', () => {
    let runs = 0;
    let heap = 10;
    const collect = fullCollector({ gc: () => (runs++, (heap = 5)), heapUsed: () => heap, minHeap: 0 })!;
    collect('pass');
    heap = 4;
    collect('start');
    collect('components');
    assert.equal(runs, 3);
  });

  it('takes its threshold from SOURCELENS_FULL_GC_MIN_MB when that is a number of megabytes', () => {
    assert.equal(minHeapFromEnv({}), FULL_GC_MIN_HEAP);
    assert.equal(minHeapFromEnv({ SOURCELENS_FULL_GC_MIN_MB: '' }), FULL_GC_MIN_HEAP);
    assert.equal(minHeapFromEnv({ SOURCELENS_FULL_GC_MIN_MB: 'lots' }), FULL_GC_MIN_HEAP);
    assert.equal(minHeapFromEnv({ SOURCELENS_FULL_GC_MIN_MB: '-3' }), FULL_GC_MIN_HEAP);
    assert.equal(minHeapFromEnv({ SOURCELENS_FULL_GC_MIN_MB: '0' }), 0);
    assert.equal(minHeapFromEnv({ SOURCELENS_FULL_GC_MIN_MB: '512' }), 512 * 2 ** 20);
  });

  it('uses the global gc that --expose-gc gives, which the server is started with', () => {
    assert.ok(SERVER_EXEC_ARGV.includes('--expose-gc'));
    const g = globalThis as { gc?: unknown };
    const saved = g.gc;
    let runs = 0;
    g.gc = () => runs++;
    try {
      const collect = fullCollector({ heapUsed: () => FULL_GC_MIN_HEAP })!;
      assert.equal(typeof collect, 'function');
      collect('start');
      assert.equal(runs, 1);
    } finally {
      g.gc = saved;
    }
  });
});

describe('serverEnv', () => {
  it('puts the defaults under the environment given, whose own values win', () => {
    assert.deepEqual(serverEnv({ PATH: '/bin' }), { PATH: '/bin', ...SERVER_ENV_DEFAULTS });
    assert.equal(serverEnv({ MALLOC_TRIM_THRESHOLD_: '4096' }).MALLOC_TRIM_THRESHOLD_, '4096');
    assert.equal(serverEnv({}).MALLOC_MMAP_THRESHOLD_, '131072');
  });
});

describe('the server forces them where it should', () => {
  it('once 90% into a pass that ran in workers, then at the three phases of the link pass, then before the related figures are first built, in that order', async () => {
    // Ten copies of the corpus (about a hundred articles): enough for the pass to have a 90% point
    // of its own; the threshold at 0 MB so that a heap this small is collected too.
    const ws = serverWorkspace('sl-full-gc-', 10);
    const c = new LspClient({ serverJs: ws.serverJs, env: { SOURCELENS_WORKERS: '2', SOURCELENS_FULL_GC_MIN_MB: '0' } });
    try {
      await c.initialize(ws.work, {});
      const done = await c.waitFor(indexedAll(10 * ws.docs.length), 120_000);
      assert.ok(done, 'indexed');
      const ready = await c.waitFor((n) => n.method === 'window/logMessage' && /Related figures ready/.test(n.params?.message), 60_000);
      assert.ok(ready, 'the related figures were built');
      const lines = logMessages(c);
      const points = lines.map((l) => /^\[memory\] full collection \(([^)]*)\)/.exec(l)?.[1]).filter(Boolean);
      assert.deepEqual(points, ['indexing pass, 90% sent', 'link pass, start', 'link pass, components', 'link pass, end', 'related figures, first build']);
      const sent = lines.findIndex((l) => l.includes('90% sent'));
      assert.ok(sent < lines.findIndex((l) => /^Indexed \d+ articles/.test(l)), 'during the pass');
      // The workers were given the rest of the pass's articles just before it (COLLECTION_TOP_UP),
      // so as not to wait through it.
      const gave = lines.findIndex((l) => /^Gave the analysis workers \d+ more articles ahead of a full collection\.$/.test(l));
      assert.ok(gave >= 0 && gave < sent, `the workers' extra work before the collection: ${lines.slice(0, sent + 1).join(' | ')}`);
      const extra = Number(/(\d+) more/.exec(lines[gave])![1]);
      assert.ok(extra > 0 && extra <= Math.ceil(ws.docs.length), `${extra} articles: those left after the 90% point`);
    } finally {
      c.kill();
      fs.rmSync(ws.dir, { recursive: true, force: true });
    }
  });
});
