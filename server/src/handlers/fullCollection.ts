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
 *
 * Nor is the link pass's first collection forced while V8 is marking the heap on its own
 * (incremental marking, begun when the old generation grew past its limit), or within a second
 * of a full collection of its own.
 * During a marking, `gc()` ends it with a full collection and makes a second, complete one at
 * once. At 20,000 articles the link pass's first collection came during such a marking in a
 * traced cold start (`--trace-gc`): the first collection took 78 ms and freed 174 MB, the second
 * 864 ms for 10 MB, while requests waited; in another, V8 had ended its own marking (freeing
 * 131 MB) a moment before, and the forced one took 610 ms for 55 MB. Left alone, V8 ends its own
 * marking within a second or two as the link pass allocates.
 */
import { PerformanceObserver, constants } from 'node:perf_hooks';
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
  /**
   * What V8's own collector is doing (default: `v8Collecting`, from the collections perf_hooks
   * reports). Not asked with `minHeap` 0.
   */
  v8?: () => V8Collecting;
}

/**
 * A marking that began this long ago with no full collection reported since is taken as over
 * (V8 finishes one in a few seconds at most while the program allocates; a missed report must
 * not stop every forced collection for the rest of the session).
 */
export const MARKING_MAX_MS = 5000;
/** A full collection of V8's own that ended less than this long ago leaves little for a forced one. */
export const RECENT_MS = 1000;

/** What V8's own collector is doing: marking the heap, or just done with a full collection. */
export type V8Collecting = 'marking' | 'collected' | null;

/**
 * Follows V8's own full collections through perf_hooks' `gc` entries: one of kind incremental
 * when a marking begins, one of kind major when a full collection (the one that ends a marking
 * included) is over; those `gc()` forced carry the forced flag and are left out. The entries
 * arrive a turn of the event loop after the fact, which is early enough for the phase
 * boundaries, each reached after requests were answered.
 */
export class V8Collections {
  private began = -1;
  private ended = -Infinity;
  private readonly observer: PerformanceObserver;

  constructor(private readonly now: () => number = () => performance.now()) {
    this.observer = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        const detail = (e as unknown as { detail?: { kind?: number; flags?: number } }).detail;
        this.saw(detail?.kind, detail?.flags ?? 0, e.startTime, e.duration);
      }
    });
    this.observer.observe({ entryTypes: ['gc'] });
  }

  /** One reported collection (exposed for tests): `kind` and `flags` as perf_hooks' constants, times as performance.now(). */
  saw(kind: number | undefined, flags: number, at: number, ms: number): void {
    if (kind === constants.NODE_PERFORMANCE_GC_INCREMENTAL) this.began = at;
    else if (kind === constants.NODE_PERFORMANCE_GC_MAJOR && at >= this.began) {
      this.began = -1;
      if (!(flags & constants.NODE_PERFORMANCE_GC_FLAGS_FORCED)) this.ended = at + ms;
    }
  }

  state(): V8Collecting {
    const now = this.now();
    if (this.began >= 0 && now - this.began < MARKING_MAX_MS) return 'marking';
    return now - this.ended < RECENT_MS ? 'collected' : null;
  }

  dispose(): void {
    this.observer.disconnect();
  }
}

let shared: V8Collections | undefined;
/** What V8's own collector is doing now: null when nothing watches it (see `watchV8`). */
export function v8Collecting(): V8Collecting {
  return shared?.state() ?? null;
}
/**
 * Starts or stops watching V8's collections for `v8Collecting` (one observer per thread). Watched
 * only from the indexing pass's 90% point to the link pass's first collection, the one point
 * that asks: not a callback per collection for the rest of the session.
 */
/** Whether `watchV8` is on (tests). */
export function watchingV8(): boolean {
  return shared !== undefined;
}
export function watchV8(on: boolean): void {
  if (on) shared ??= new V8Collections();
  else {
    shared?.dispose();
    shared = undefined;
  }
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

/**
 * The points skipped while V8 is collecting on its own (see the module comment): the link pass's
 * first, which the traces caught during or just after a collection of V8's own, as the indexing
 * pass ended. Not the others: what a marking under way leaves (it keeps whatever was allocated
 * since it began) would stay until V8's next full collection, and the later ones come before
 * the server's memory peak (the snapshot write, the related figures), whose margin is small.
 */
const WHEN_V8_IDLE: ReadonlySet<CollectionPoint> = new Set<CollectionPoint>(['start']);

/** A collector for those points, or undefined when no collection can be forced. */
export function fullCollector(opts: FullCollectorOptions = {}): ((at: CollectionPoint) => void) | undefined {
  const gc = opts.gc ?? (globalThis as { gc?: unknown }).gc;
  if (typeof gc !== 'function') return undefined;
  const heapUsed = opts.heapUsed ?? (() => getHeapStatistics().used_heap_size);
  const minHeap = opts.minHeap ?? FULL_GC_MIN_HEAP;
  const skipWhenSmaller = minHeap > 0;
  const v8 = opts.v8 ?? v8Collecting;
  const watch = skipWhenSmaller && !opts.v8 ? watchV8 : () => {};
  const mb = (n: number) => `${Math.round(n / 2 ** 20)} MB`;
  /** The heap the last forced collection left. */
  let left = -Infinity;
  return (at) => {
    if (at === 'pass') watch(true);
    const busy = skipWhenSmaller && WHEN_V8_IDLE.has(at) ? v8() : null;
    if (at === 'start') watch(false);
    const before = heapUsed();
    if (before < minHeap) return;
    if (skipWhenSmaller && before < left) {
      opts.log?.(`[memory] no full collection (${WHERE[at]}): heap ${mb(before)}, below the ${mb(left)} the last one left`);
      return;
    }
    if (busy) {
      opts.log?.(`[memory] no full collection (${WHERE[at]}): heap ${mb(before)}, ${busy === 'marking' ? 'V8 is collecting already' : 'V8 has just collected'}`);
      return;
    }
    const t0 = performance.now();
    (gc as () => void)();
    left = heapUsed();
    opts.log?.(`[memory] full collection (${WHERE[at]}): heap ${mb(before)} -> ${mb(left)} in ${Math.round(performance.now() - t0)} ms`);
  };
}
