// Preloaded with --require into the language server (SOURCELENS_NODE_ARGS or
// BENCH_SERVER_NODE_ARGS) or into the bench's own process, to see when garbage collections happen
// and how long they take: every collection of the main thread longer than $SOURCELENS_GC_LOG_MIN_MS
// (default 2), and every event-loop stall over 50 ms, one line each with the wall-clock time in
// seconds, to $SOURCELENS_GC_LOG.<pid>. Not part of the product.
'use strict';
const out = process.env.SOURCELENS_GC_LOG;
if (out && require('node:worker_threads').isMainThread) {
  const fs = require('node:fs');
  const { PerformanceObserver, performance } = require('node:perf_hooks');
  const min = Number(process.env.SOURCELENS_GC_LOG_MIN_MS ?? 2);
  const fd = fs.openSync(`${out}.${process.pid}`, 'w');
  const kinds = { 1: 'minor', 2: 'major', 4: 'incremental', 8: 'weakcb' };
  const at = (t) => ((performance.timeOrigin + t) / 1000).toFixed(3);
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      if (e.duration < min) continue;
      fs.writeSync(fd, `${at(e.startTime)} gc ${kinds[e.detail?.kind] ?? e.detail?.kind} ${e.duration.toFixed(1)} ms heap ${Math.round(process.memoryUsage().heapUsed / 1e6)} MB\n`);
    }
  }).observe({ entryTypes: ['gc'] });
  let last = performance.now();
  setInterval(() => {
    const now = performance.now();
    if (now - last > 60) fs.writeSync(fd, `${at(last)} stall ${(now - last - 10).toFixed(0)} ms\n`);
    last = now;
  }, 10).unref();
}
