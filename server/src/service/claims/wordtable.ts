/**
 * A case-insensitive (ASCII) hash table from words to values that can be probed with a slice of a
 * larger string without allocating a substring. Open addressing, power-of-two capacity.
 */
export class WordTable<V> {
  private keys: string[];
  private vals: V[];
  private mask: number;
  private size = 0;
  readonly maxLen: number;

  constructor(entries: Iterable<[string, V]>, maxLen = 24) {
    const list = [...entries];
    let cap = 16;
    while (cap < list.length * 3) cap <<= 1;
    this.keys = new Array<string>(cap);
    this.vals = new Array<V>(cap);
    this.mask = cap - 1;
    this.maxLen = maxLen;
    for (const [k, v] of list) this.set(k.toLowerCase(), v);
  }

  private static hashStr(s: string): number {
    let h = 0x811c9dc5;
    for (let i = 0; i < s.length; i++) {
      h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
    }
    return h >>> 0;
  }

  private set(k: string, v: V): void {
    if (k.length > this.maxLen) return;
    let idx = WordTable.hashStr(k) & this.mask;
    for (;;) {
      const cur = this.keys[idx];
      if (cur === undefined) {
        this.keys[idx] = k;
        this.vals[idx] = v;
        this.size++;
        return;
      }
      if (cur === k) {
        this.vals[idx] = v;
        return;
      }
      idx = (idx + 1) & this.mask;
    }
  }

  /** Value for `text.slice(s, e)` compared case-insensitively (ASCII), or undefined. */
  getSlice(text: string, s: number, e: number): V | undefined {
    const len = e - s;
    if (len <= 0 || len > this.maxLen) return undefined;
    let h = 0x811c9dc5;
    for (let i = s; i < e; i++) {
      let c = text.charCodeAt(i);
      if (c >= 65 && c <= 90) c += 32;
      else if (c > 127) return undefined;
      h = Math.imul(h ^ c, 0x01000193);
    }
    let idx = (h >>> 0) & this.mask;
    for (;;) {
      const k = this.keys[idx];
      if (k === undefined) return undefined;
      if (k.length === len) {
        let ok = true;
        for (let i = 0; i < len; i++) {
          let c = text.charCodeAt(s + i);
          if (c >= 65 && c <= 90) c += 32;
          if (c !== k.charCodeAt(i)) {
            ok = false;
            break;
          }
        }
        if (ok) return this.vals[idx];
      }
      idx = (idx + 1) & this.mask;
    }
  }

  get(word: string): V | undefined {
    return this.getSlice(word, 0, word.length);
  }
}
