/**
 * Bounded memo tables and a string intern pool. Pure optimisations: results never depend on
 * whether a value came from a table. A memo table holds at most its cap (two generations, see
 * `Memo.get`) and the pool is cleared wholesale at its cap, so a long-running server cannot grow
 * them without bound.
 */

export class Memo<V extends {} | null> {
  /** The entries made or used since the last turnover, and those of the generation before. */
  private map = new Map<string, V>();
  private old = new Map<string, V>();
  private half = 1;
  /** Holds at most `cap` entries: two generations of `cap / 2`. */
  constructor(cap: number) {
    this.setCap(cap);
  }

  /** Changes the cap (from the next turnover on: entries held now stay until then). */
  setCap(cap: number): void {
    this.half = Math.max(1, Math.ceil(cap / 2));
  }
  /**
   * `compute(key)`, from the table when it has it. A new entry is made from a flat copy of the
   * key: keys are often slices of an article's text (a mention's), and a slice kept as a key,
   * or inside a value computed from it, kept the whole text alive. In an analysis worker the
   * tables held about 45,000 such slices after 3,000 articles, pinning every one of those texts.
   *
   * When the newer generation is full it becomes the older one and the older one is dropped, so
   * entries in use (found in the older generation and carried into the newer) outlive a
   * turnover: a small table keeps the frequent names, where emptying it wholesale lost them.
   */
  get(key: string, compute: (key: string) => V): V {
    // (Values are never undefined: one look-up per generation tells a hit from a miss.)
    let v = this.map.get(key);
    if (v !== undefined) return v;
    v = this.old.get(key);
    // (A flat copy again when an entry is carried over: a Map does not give back its own key.)
    const own = flat(key);
    if (v === undefined) v = compute(own);
    if (this.map.size >= this.half) {
      this.old = this.map;
      this.map = new Map();
    }
    this.map.set(own, v);
    return v;
  }

  clear(): void {
    this.map = new Map();
    this.old = new Map();
  }

  /** How many entries it holds, both generations. */
  get size(): number {
    return this.map.size + this.old.size;
  }
}

/**
 * The last `cap` entries used, most recent last: `get` counts as a use, and `set` past the cap
 * drops the entry used longest ago. For caches of things a reviewer comes back to (the texts
 * read back, hover cards, reference lists). With `weigh`, the cap is on the entries' summed
 * weight instead (bytes, say), and the newest entry is kept even when it alone is over it.
 */
export class RecentMap<K, V> {
  private readonly map = new Map<K, V>();
  private weight = 0;
  constructor(
    private readonly cap: number,
    private readonly weigh: (v: V) => number = () => 1,
  ) {}

  get(key: K): V | undefined {
    const v = this.map.get(key);
    if (v !== undefined) {
      this.map.delete(key);
      this.map.set(key, v);
    }
    return v;
  }

  /** The entry without counting it as a use. */
  peek(key: K): V | undefined {
    return this.map.get(key);
  }

  set(key: K, value: V): void {
    this.delete(key);
    this.map.set(key, value);
    this.weight += this.weigh(value);
    // The oldest first (a Map iterates in insertion order, and a use re-inserts).
    for (const [k, v] of this.map) {
      if (this.weight <= this.cap || k === key) break;
      this.map.delete(k);
      this.weight -= this.weigh(v);
    }
  }

  /** The entries' summed weight (their number without `weigh`). */
  get total(): number {
    return this.weight;
  }

  get size(): number {
    return this.map.size;
  }

  delete(key: K): boolean {
    const v = this.map.get(key);
    if (v === undefined) return false;
    this.weight -= this.weigh(v);
    return this.map.delete(key);
  }
}

const pool = new Map<string, string>();
export const DEFAULT_INTERN_POOL_CAP = 2_000_000;
let poolCap = DEFAULT_INTERN_POOL_CAP;
/** Off in an analysis worker (see setInterning). */
let interning = true;

/**
 * One shared string object per distinct value. LocalResults of thousands of documents repeat
 * the same names; sharing them saves memory and lets the corpus stage hash each only once.
 */
export function intern(s: string): string {
  return pooled(s, true);
}

/**
 * The pooled string equal to `s`; `s` itself pooled when there is none, or with `copy` a flat
 * copy of it. (Copied so the pool does not pin whole document texts. Not `(' ' + s).slice(1)`:
 * from 13 characters on, V8 makes that a *sliced* string whose parent is the temporary ' ' + s,
 * so every pooled string cost two objects and a copy.)
 */
function pooled(s: string, copy: boolean): string {
  if (!interning) return s;
  const hit = pool.get(s);
  if (hit !== undefined) return hit;
  if (pool.size >= poolCap) pool.clear();
  const f = copy ? flat(s) : s;
  pool.set(f, f);
  return f;
}

/**
 * `intern` for a string known to be flat and unshared: one that `postMessage` delivered (the
 * receiving thread's deserialiser builds each as a new sequential string), or the key a `Memo`
 * copied for a new entry and passed to its `compute`. Put in the pool as it is, with no copy: at
 * 20,000 generated articles about 230 strings per article arrive that the pool has not seen, and
 * the copy was half of interning them.
 */
export function internDelivered(s: string): string {
  return pooled(s, false);
}

const lists = new Map<string, string[]>();
const LISTS_CAP = 200_000;

/**
 * One array per distinct list of strings (the key tokens of the forms), whether the list was
 * made in this thread (`resolveDocument`) or arrived from a worker (ArticleReceiver): `a`, or an
 * equal list given before. Its elements must be shared strings already (interned), and nothing
 * may mutate a list given here. Bounded: cleared wholesale at the cap, like the memo tables.
 */
export function sharedList(a: string[]): string[] {
  // (Not in an analysis worker: what it resolves is sent and dropped, see setInterning.)
  if (!interning) return a;
  const k = a.length === 1 ? a[0] : a.join('\u0000');
  const hit = lists.get(k);
  if (hit && hit.length === a.length && hit.every((x, i) => x === a[i])) return hit;
  if (lists.size >= LISTS_CAP) lists.clear();
  lists.set(k, a);
  return a;
}

/** Empties the table of shared lists (see sharedList); the lists in use stay shared. */
export function releaseSharedLists(): void {
  lists.clear();
}

/**
 * Turns interning off (`intern` gives its argument back) or on. An analysis worker turns it off
 * (limitWorkerCaches, worker/analysisJob.ts): what it resolves is packed, sent and dropped, so
 * sharing strings there saves nothing, and the packer already copies each string it sends the
 * first time into a flat string of its own. Per article that was a pool look-up and often a copy
 * for every new name, key and join key.
 */
export function setInterning(on: boolean): void {
  interning = on;
  if (!on) releaseInternPool();
}

/**
 * Empties the intern pool. Its work is sharing the strings of articles as they come in (from
 * the analysis workers); once a bulk load is over those strings stay shared in the index, and
 * the pool's own table (about one entry per distinct string of the corpus, tens of megabytes at
 * 20,000 articles) is dropped before the link pass rather than carried through it.
 */
export function releaseInternPool(): void {
  pool.clear();
}

/**
 * Sets how many strings the intern pool holds before it is emptied (default above). An analysis
 * worker lowers it (limitWorkerCaches, worker/analysisJob.ts): its results are packed and sent
 * away, so its pool shares nothing that stays, and at the default cap it only grew (741,000
 * strings, 43 MB of the worker's heap after 10,000 articles).
 */
export function setInternPoolCap(cap: number): void {
  poolCap = Math.max(1, cap);
  if (pool.size >= poolCap) pool.clear();
}

/** How many strings the intern pool holds (tests). */
export function internPoolSize(): number {
  return pool.size;
}

/**
 * A flat copy of `s`. A string built by concatenation is a tree of cons cells (32 bytes each,
 * plus the parts); V8 flattens it when it is hashed but keeps the outer cell. Long-lived keys
 * built by templates are copied once so that only the flat string stays alive.
 */
export function flat(s: string): string {
  return s.length < 13 ? (' ' + s).slice(1) : (JSON.parse(JSON.stringify(s)) as string);
}

/**
 * The parts joined into one flat string: `Array.prototype.join` builds it in one piece (a
 * template literal builds a cons tree, which `flat` would have to copy).
 */
export function joined(...parts: string[]): string {
  return parts.join('');
}

/**
 * One shared, frozen empty array for long-lived data that is never mutated once built (an empty
 * array literal still costs a 32-byte object per field; LocalResults have several per cluster).
 */
export const NONE: readonly never[] = Object.freeze([]);

/** `arr`, or the shared `NONE` when it is empty. */
export function orNone<T>(arr: T[]): T[] {
  return arr.length === 0 ? (NONE as unknown as T[]) : arr;
}
