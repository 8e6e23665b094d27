/**
 * Bounded memo tables and a string intern pool. Pure optimisations: results never depend on
 * whether a value came from a table. Tables are cleared wholesale when they reach their cap,
 * so a long-running server cannot grow them without bound.
 */

export class Memo<V> {
  private map = new Map<string, V>();
  constructor(private readonly cap: number) {}
  get(key: string, compute: (key: string) => V): V {
    let v = this.map.get(key);
    if (v === undefined && !this.map.has(key)) {
      v = compute(key);
      if (this.map.size >= this.cap) this.map.clear();
      this.map.set(key, v);
    }
    return v as V;
  }
}

const pool = new Map<string, string>();
const POOL_CAP = 2_000_000;

/**
 * One shared string object per distinct value. LocalResults of thousands of documents repeat
 * the same names; sharing them saves memory and lets the corpus stage hash each only once.
 */
export function intern(s: string): string {
  const hit = pool.get(s);
  if (hit !== undefined) return hit;
  if (pool.size >= POOL_CAP) pool.clear();
  // Flatten sliced/cons strings so the pool does not pin whole document texts.
  const flat = (' ' + s).slice(1);
  pool.set(flat, flat);
  return flat;
}
