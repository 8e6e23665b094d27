/** The server's forced full collections during the first link pass (server/src/handlers/fullCollection.ts). */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { FULL_GC_MIN_HEAP, fullCollector } from '../../server/src/handlers/fullCollection';
import { SERVER_ENV_DEFAULTS, SERVER_EXEC_ARGV, serverEnv } from '../../server/src/launch';

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
