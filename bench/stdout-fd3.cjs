// Preloaded into the language server by the benchmark's LspClient when SOURCELENS_V8_TRACE is
// set: the protocol goes out on fd 3 instead of stdout, so that what V8 prints on stdout
// (--trace-gc, --trace-gc-nvp, --trace-opt) can be written to a file beside it. Not part of the product.
'use strict';
const net = require('node:net');
if (!require('node:worker_threads').isMainThread) return;
const out = new net.Socket({ fd: 3, readable: false, writable: true });
Object.defineProperty(process, 'stdout', { configurable: true, get: () => out });
