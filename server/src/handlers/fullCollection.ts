/**
 * Full garbage collections at the phase boundaries of the first link pass
 * (`LinkerOptions.collectGarbage`: as it starts, before its components are linked, as it ends).
 * The pass builds large tables that it drops phase by phase;
 * left to itself, V8 collects the old generation only when it has grown well past what the last
 * collection left, so at 20,000 articles the pass ended with about half a gigabyte of garbage
 * in the heap, and that was the server's memory peak. A collection at each boundary costs about
 * a second there and keeps the heap near what is alive.
 *
 * Needs `gc`, which node exposes with `--expose-gc` (the client starts the server with it);
 * without it nothing is forced. Small heaps are left alone: there a collection gains nothing.
 */
import { getHeapStatistics } from 'node:v8';
import type { LinkerOptions } from '../service/entities';

/** Below this heap a phase boundary forces nothing. */
export const FULL_GC_MIN_HEAP = 256 * 2 ** 20;

export interface FullCollectorOptions {
  /** Default: the global `gc` (node --expose-gc). */
  gc?: () => void;
  /** Default: V8's used heap size. */
  heapUsed?: () => number;
  minHeap?: number;
  log?: (message: string) => void;
}

/** A `collectGarbage` for the linker, or undefined when no collection can be forced. */
export function fullCollector(opts: FullCollectorOptions = {}): LinkerOptions['collectGarbage'] {
  const gc = opts.gc ?? (globalThis as { gc?: unknown }).gc;
  if (typeof gc !== 'function') return undefined;
  const heapUsed = opts.heapUsed ?? (() => getHeapStatistics().used_heap_size);
  const minHeap = opts.minHeap ?? FULL_GC_MIN_HEAP;
  const mb = (n: number) => `${Math.round(n / 2 ** 20)} MB`;
  return (phase) => {
    const before = heapUsed();
    if (before < minHeap) return;
    const t0 = performance.now();
    (gc as () => void)();
    opts.log?.(`[memory] full collection (link pass, ${phase}): heap ${mb(before)} -> ${mb(heapUsed())} in ${Math.round(performance.now() - t0)} ms`);
  };
}
