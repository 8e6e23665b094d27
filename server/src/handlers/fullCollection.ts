/**
 * Full garbage collections at the phase boundaries of the first link pass
 * (`LinkerOptions.collectGarbage`: as it starts, before its components are linked, as it ends),
 * and once near the end of the indexing pass that precedes it (`'pass'`, see Workspace).
 * The pass builds large tables that it drops phase by phase;
 * left to itself, V8 collects the old generation only when it has grown well past what the last
 * collection left, so at 20,000 articles the pass ended with about half a gigabyte of garbage
 * in the heap, and that was the server's memory peak. A collection at each boundary costs about
 * a second there and keeps the heap near what is alive.
 *
 * The indexing pass ends with the process at a peak of its own: the analysis workers at their
 * largest, and the main thread's heap holding what it received and dropped since V8 last
 * collected (at 20,000 articles 921 MB, of which 729 MB alive). One collection when 90% of the
 * articles have been sent to the workers leaves only the last tenth's garbage at the end.
 *
 * The related-figures index is first built right after the snapshot write (see
 * Workspace.prepareRelatedFigures), whose garbage V8 has not collected by then: at 20,000
 * articles building it there raised the bench's peak RSS by about 60 MB. One collection before
 * that first build (not before later ones, which follow edits while someone works) leaves only
 * its own allocations on top of what is alive.
 *
 * Needs `gc`, which node exposes with `--expose-gc` (the client starts the server with it);
 * without it nothing is forced. Small heaps are left alone: there a collection gains nothing.
 * So is a heap smaller than the last forced collection left it: V8 has collected the old
 * generation on its own since, and little is left to free. At 20,000 articles the link pass's
 * first collection once came with the heap at 517 MB, below the 568 MB that the one 90% into
 * the indexing pass had left, and took 735 ms to free 11 MB while the first hover waited.
 */
import { getHeapStatistics } from 'node:v8';
import type { LinkerOptions } from '../service/entities';

/** Below this heap a phase boundary forces nothing. */
export const FULL_GC_MIN_HEAP = 256 * 2 ** 20;

/**
 * `SOURCELENS_FULL_GC_MIN_MB` (tests: 0 forces every collection on a small corpus), else the
 * default threshold.
 */
export function minHeapFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const mb = Number(env.SOURCELENS_FULL_GC_MIN_MB);
  return env.SOURCELENS_FULL_GC_MIN_MB !== undefined && env.SOURCELENS_FULL_GC_MIN_MB !== '' && mb >= 0 ? mb * 2 ** 20 : FULL_GC_MIN_HEAP;
}

export interface FullCollectorOptions {
  /** Default: the global `gc` (node --expose-gc). */
  gc?: () => void;
  /** Default: V8's used heap size. */
  heapUsed?: () => number;
  /** 0 forces every collection, even with the heap below what the last forced one left. */
  minHeap?: number;
  log?: (message: string) => void;
}

/**
 * Where a collection is forced: the link pass's phases, 90% into the indexing pass, or before the
 * first build of the related-figures index (`'related'`, see Workspace.prepareRelatedFigures).
 */
export type CollectionPoint = Parameters<NonNullable<LinkerOptions['collectGarbage']>>[0] | 'pass' | 'related';

const WHERE: Record<CollectionPoint, string> = {
  start: 'link pass, start',
  components: 'link pass, components',
  end: 'link pass, end',
  pass: 'indexing pass, 90% sent',
  related: 'related figures, first build',
};

/** A collector for those points, or undefined when no collection can be forced. */
export function fullCollector(opts: FullCollectorOptions = {}): ((at: CollectionPoint) => void) | undefined {
  const gc = opts.gc ?? (globalThis as { gc?: unknown }).gc;
  if (typeof gc !== 'function') return undefined;
  const heapUsed = opts.heapUsed ?? (() => getHeapStatistics().used_heap_size);
  const minHeap = opts.minHeap ?? FULL_GC_MIN_HEAP;
  const skipWhenSmaller = minHeap > 0;
  const mb = (n: number) => `${Math.round(n / 2 ** 20)} MB`;
  /** The heap the last forced collection left. */
  let left = -Infinity;
  return (at) => {
    const before = heapUsed();
    if (before < minHeap) return;
    if (skipWhenSmaller && before < left) {
      opts.log?.(`[memory] no full collection (${WHERE[at]}): heap ${mb(before)}, below the ${mb(left)} the last one left`);
      return;
    }
    const t0 = performance.now();
    (gc as () => void)();
    left = heapUsed();
    opts.log?.(`[memory] full collection (${WHERE[at]}): heap ${mb(before)} -> ${mb(left)} in ${Math.round(performance.now() - t0)} ms`);
  };
}
