// Preloaded into the language server (SOURCELENS_NODE_ARGS="--require bench/heap-sampling.cjs")
// to see what it allocates over a window: V8's sampling heap profiler, counting the objects that
// minor and major collections took as well as those still alive, from
// SOURCELENS_HEAP_SAMPLING_AT_MS after start for SOURCELENS_HEAP_SAMPLING_FOR_MS, written to
// $SOURCELENS_HEAP_SAMPLING (a .heapprofile: Chrome's DevTools open it; bench/heap-summary.ts
// prints the functions that allocated most). Main thread only. Not part of the product.
'use strict';
const out = process.env.SOURCELENS_HEAP_SAMPLING;
if (out && require('node:worker_threads').isMainThread) {
  const inspector = require('node:inspector');
  const fs = require('node:fs');
  const at = Number(process.env.SOURCELENS_HEAP_SAMPLING_AT_MS ?? 0);
  const span = Number(process.env.SOURCELENS_HEAP_SAMPLING_FOR_MS ?? 15000);
  const session = new inspector.Session();
  session.connect();
  const options = { samplingInterval: 16384, includeObjectsCollectedByMinorGC: true, includeObjectsCollectedByMajorGC: true };
  setTimeout(() => {
    session.post('HeapProfiler.startSampling', options, (err) => {
      if (err) return fs.writeFileSync(out, JSON.stringify({ error: String(err) }));
      setTimeout(() => session.post('HeapProfiler.stopSampling', (e, r) => fs.writeFileSync(out, JSON.stringify(e ? { error: String(e) } : r.profile))), span).unref();
    });
  }, at).unref();
}
