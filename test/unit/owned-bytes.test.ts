/**
 * Copies of what workers transfer (server/src/service/ownedBytes.ts): payloads are copied into
 * shared slabs, byte for byte and independent of the source; a big one gets a buffer of its own;
 * after `release` the next copy starts a new slab. The pool copies every fresh payload so.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { AnalysisPool } from '../../server/src/handlers/analysisPool';
import { ownCopy, SlabCopier } from '../../server/src/service/ownedBytes';
import { repoRoot, sharedCorpusDir } from '../helpers/paths';

const bytes = (n: number, seed: number) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xff);

test('slab copier: equal bytes, not shared with the source, small copies share one slab', () => {
  const c = new SlabCopier();
  const a = bytes(3000, 1);
  const b = bytes(4001, 2);
  const ca = c.copy(a);
  const cb = c.copy(b);
  assert.deepEqual([...ca], [...a]);
  assert.deepEqual([...cb], [...b]);
  assert.equal(ca.buffer, cb.buffer, 'two small payloads in one slab');
  assert.notEqual(ca.buffer, a.buffer);
  assert.ok(cb.byteOffset >= ca.byteOffset + ca.length, 'no overlap');
  a.fill(0);
  assert.equal(ca[1], bytes(3000, 1)[1], 'the copy does not change with its source');
  cb.fill(7);
  assert.deepEqual([...ca], [...bytes(3000, 1)], 'nor with its neighbour');
});

test('slab copier: a full slab starts another; a big payload gets its own buffer; release starts afresh', () => {
  const c = new SlabCopier();
  const first = c.copy(bytes(100, 3));
  let last = first;
  // 1 MB slabs: enough 100 KB copies run past the first one.
  for (let i = 0; i < 12; i++) last = c.copy(bytes(100_000, i));
  assert.notEqual(last.buffer, first.buffer);
  const big = c.copy(bytes(300_000, 9));
  assert.equal(big.byteLength, 300_000);
  assert.equal(big.buffer.byteLength, big.byteLength, 'a buffer of its own');
  assert.deepEqual([...big.subarray(0, 50)], [...bytes(300_000, 9).subarray(0, 50)]);
  const before = c.copy(bytes(10, 1));
  c.release();
  assert.notEqual(c.copy(bytes(10, 1)).buffer, before.buffer);
});

test('own copy: same values, another buffer', () => {
  const a = Uint32Array.from([0, 17, 40, 99]);
  const c = ownCopy(a);
  assert.deepEqual([...c], [...a]);
  assert.notEqual(c.buffer, a.buffer);
});

test('pool: fresh payloads come back copied into shared slabs', async () => {
  const dist = path.join(repoRoot, 'dist');
  if (!fs.existsSync(path.join(dist, 'analysisWorker.js'))) {
    const r = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: repoRoot, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
  }
  const files = fs.readdirSync(sharedCorpusDir()).filter((f) => f.endsWith('.txt')).sort().slice(0, 3);
  const pool = AnalysisPool.create(() => undefined, 1, dist);
  assert.ok(pool);
  try {
    const results = [];
    for (const f of files) results.push(await pool.run({ uri: `file:///${f}`, text: fs.readFileSync(path.join(sharedCorpusDir(), f), 'utf8') }));
    for (const r of results) assert.equal(r.fresh, true);
    // One worker, small payloads: all in the first slab, which is bigger than any of them.
    assert.equal(results[1].payload.buffer, results[0].payload.buffer);
    assert.equal(results[2].payload.buffer, results[0].payload.buffer);
    assert.ok(results[0].payload.buffer.byteLength > results.reduce((n, r) => n + r.payload.byteLength, 0));
  } finally {
    pool.dispose();
  }
});
