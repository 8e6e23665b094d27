// Preloaded into the language server by the benchmark (node --expose-gc --require bench/memprobe.cjs):
// records the heap after start-up (modules loaded, nothing indexed) and, on SIGUSR2, the heap after
// a full GC, written as JSON to $SOURCELENS_MEMPROBE. Not part of the product.
'use strict';
const fs = require('node:fs');
const v8 = require('node:v8');
const out = process.env.SOURCELENS_MEMPROBE;
if (out) {
  const gc = () => { if (typeof global.gc === 'function') { global.gc(); global.gc(); } };
  let baseline;
  // Runs after the main module has executed (server modules loaded), before any message is handled.
  process.nextTick(() => { gc(); baseline = process.memoryUsage(); });
  process.on('SIGUSR2', () => {
    gc();
    const now = process.memoryUsage();
    // Committed against used per V8 space: what of the resident memory is the heap's slack.
    const spaces = v8.getHeapSpaceStatistics().map((s) => ({ name: s.space_name, size: s.space_size, used: s.space_used_size }));
    fs.writeFileSync(out, JSON.stringify({ baseline, now, spaces, at: Date.now() }));
  });
}
