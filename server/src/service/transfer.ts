/**
 * A compact form for plain data sent from an analysis worker to the main thread.
 *
 * `postMessage` copies a LocalResult object by object, and the copy is poor for data that lives
 * as long as the index: every string arrives as a fresh copy (interned again on arrival, one
 * hash-table lookup per occurrence: 13–16 s of the main thread at 20,000 articles), shared
 * arrays (key tokens, the frozen empty arrays) arrive as one array per use, and objects arrive
 * with an out-of-object property store (16–64 bytes each beside the object; the index holds
 * millions of them). Packed, the data crosses as one Float64Array (transferred, not copied) plus
 * the strings and object shapes it uses; unpacking rebuilds every object from an object literal
 * with its keys in the original order, so it gets the compact layout (and the hidden class) that
 * the same literal in `resolveDocument` gives.
 *
 * A sender may keep a `PackState` across messages to one receiver (a worker's messages to the
 * main thread): a string or a list of strings (the same array object, which must not change
 * once sent: nothing mutates a LocalResult) it has sent before is then sent as a number, and
 * the receiver (`Unpacker`) looks it up in what it built from earlier messages, which it must
 * therefore see all of, in order. Each message says how many of each the sender had sent before
 * it (`base`), so a receiver that missed one refuses the rest instead of misreading them; a
 * sender that cannot deliver a message resets its state, and its next message says so (`reset`).
 *
 * Values: undefined, null, booleans, numbers, strings, dense arrays and plain objects (own
 * enumerable string keys, Object.prototype). Anything else throws when packed.
 */
import { flat } from './entities/memo';

const T_UNDEFINED = 0;
const T_NULL = 1;
const T_FALSE = 2;
const T_TRUE = 3;
const T_NUMBER = 4;
const T_STRING = 5;
const T_ARRAY = 6;
const T_OBJECT = 7;
/** A number that fits a 32-bit integer: read back with `| 0`, so that it is stored as a small integer, not a boxed double. */
const T_INT = 8;
/** A list of strings sent before (by its number). */
const T_LIST = 9;
/** A list of strings sent for the first time (numbered in order of first appearance). */
const T_NEW_LIST = 10;
/** The message's own string (`pack`'s `known`: an article's URI, in every mention), given again to the receiver. */
const T_KNOWN = 11;

/** Slots of PackState's cache of recent strings. */
const RECENT = 256;

export interface Packed {
  data: Float64Array;
  /** Strings not sent before, numbered from `base[0]` in order. */
  strings: string[];
  /** Object shapes (key lists, in key order) not sent before, numbered from `base[2]` in order. */
  shapes: string[][];
  /** Strings, lists of strings and shapes the sender had sent before this message (all 0 without a PackState). */
  base: [number, number, number];
  /** The sender forgot everything it had sent before (`base` is then all 0). */
  reset: boolean;
}

/** What a sender has sent to one receiver (see the module comment). */
export class PackState {
  readonly strings = new Map<string, number>();
  readonly lists = new Map<readonly string[], number>();
  /** Object shapes sent, by number (a LocalResult has a handful). */
  readonly shapes: string[][] = [];
  /**
   * A small cache in front of `strings`, by identity, slot chosen by length and first letter:
   * most strings of an article repeat within it (mention texts, types, roles, units), and a
   * lookup in a map of a few hundred thousand strings costs a few cache misses each time.
   */
  readonly recent: Array<string | undefined> = new Array(RECENT);
  readonly recentIds = new Int32Array(RECENT);
  private pendingReset = false;

  constructor(
    /**
     * Past this many strings (or lists) the state is reset before the next message: bounded memory
     * on both sides. In an analysis worker (the only sender) 157,000 strings held 14 MB of its
     * heap after 10,000 articles, 33,000 held 3 MB; at 250,000 the table peaked near 23 MB. At
     * 50,000 the state was reset every 3,500 or so articles instead of every 6,500, and the
     * strings still in use are sent once more: bench/job-time.ts, side by side, 7.78 against
     * 7.92 ms of CPU per article (pack stage 3.78 against 4.06 ms wall), no slower.
     */
    private readonly cap = 50_000,
  ) {}

  /** Forgets everything; the next message tells the receiver to do the same. */
  reset(): void {
    this.strings.clear();
    this.lists.clear();
    this.shapes.length = 0;
    this.recent.fill(undefined);
    this.pendingReset = true;
  }

  /** Called at the start of each message: whether it begins with a reset. */
  begin(): boolean {
    if (this.strings.size > this.cap || this.lists.size > this.cap) this.reset();
    // The recent strings may be slices of the previous article's text: not kept past it.
    this.recent.fill(undefined);
    const r = this.pendingReset;
    this.pendingReset = false;
    return r;
  }
}

/**
 * Packs one value (see the module comment); with `state`, for a receiver that has seen every
 * earlier message. `known`: a string that the receiver is given again (see Unpacker.unpack),
 * sent as a tag.
 */
export function pack(value: unknown, state?: PackState, known?: string): Packed {
  const reset = state ? state.begin() : false;
  const p = new Packer(state ?? new PackState(), known);
  p.put(value);
  return p.finish(reset);
}

/** Scratch space for the keys of the object being packed (see `shapeOf`). */
const scratch: string[] = [];

class Packer {
  private data = new Float64Array(4096);
  private n = 0;
  private readonly newStrings: string[] = [];
  private readonly base: [number, number, number];

  constructor(
    private readonly state: PackState,
    private readonly known: string | undefined,
  ) {
    this.base = [state.strings.size, state.lists.size, state.shapes.length];
  }

  put(v: unknown): void {
    switch (typeof v) {
      case 'undefined':
        return this.push(T_UNDEFINED);
      case 'boolean':
        return this.push(v ? T_TRUE : T_FALSE);
      case 'number':
        this.push((v | 0) === v && !Object.is(v, -0) ? T_INT : T_NUMBER);
        return this.push(v);
      case 'string':
        if (v === this.known) return this.push(T_KNOWN);
        this.push(T_STRING);
        return this.push(this.stringId(v));
      case 'object': {
        if (v === null) return this.push(T_NULL);
        if (Array.isArray(v)) return this.putArray(v);
        if (Object.getPrototypeOf(v) !== Object.prototype) throw new TypeError(`cannot pack a ${Object.prototype.toString.call(v)}`);
        const o = v as Record<string, unknown>;
        const id = this.shapeOf(o);
        this.push(T_OBJECT);
        this.push(id);
        for (const k of this.state.shapes[id]) this.put(o[k]);
        return;
      }
      default:
        throw new TypeError(`cannot pack a ${typeof v}`);
    }
  }

  finish(reset: boolean): Packed {
    return { data: this.data.slice(0, this.n), strings: this.newStrings, shapes: this.state.shapes.slice(this.base[2]), base: this.base, reset };
  }

  /**
   * The number of the shape (key list) of `o`. The keys are listed by `for…in` into scratch space
   * and compared with the shapes sent so far: no array or string is made per object (a plain
   * object has no enumerable inherited keys, so these are Object.keys' keys, in its order).
   */
  private shapeOf(o: Record<string, unknown>): number {
    let n = 0;
    for (const k in o) scratch[n++] = k;
    const shapes = this.state.shapes;
    next: for (let id = 0; id < shapes.length; id++) {
      const s = shapes[id];
      if (s.length !== n) continue;
      for (let j = 0; j < n; j++) if (s[j] !== scratch[j]) continue next;
      return id;
    }
    shapes.push(scratch.slice(0, n));
    return shapes.length - 1;
  }

  private putArray(a: readonly unknown[]): void {
    // A non-empty list of strings is sent once per receiver (by identity: the same array object).
    let strings = a.length > 0;
    for (let i = 0; i < a.length && strings; i++) strings = typeof a[i] === 'string';
    if (strings) {
      const known = this.state.lists.get(a as readonly string[]);
      if (known !== undefined) {
        this.push(T_LIST);
        return this.push(known);
      }
      this.state.lists.set(a as readonly string[], this.state.lists.size);
      this.push(T_NEW_LIST);
      this.push(a.length);
      for (const s of a as readonly string[]) this.push(this.stringId(s));
      return;
    }
    this.push(T_ARRAY);
    this.push(a.length);
    for (let i = 0; i < a.length; i++) this.put(a[i]);
  }

  private stringId(s: string): number {
    const st = this.state;
    const slot = (s.length * 31 + (s.length > 0 ? s.charCodeAt(0) : 0)) & (RECENT - 1);
    if (st.recent[slot] === s) return st.recentIds[slot];
    let id = st.strings.get(s);
    if (id === undefined) {
      // A flat copy: `s` may be a slice of the article's text, which the table would keep alive.
      s = flat(s);
      id = st.strings.size;
      st.strings.set(s, id);
      this.newStrings.push(s);
    }
    st.recent[slot] = s;
    st.recentIds[slot] = id;
    return id;
  }

  private push(x: number): void {
    if (this.n === this.data.length) {
      const grown = new Float64Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.n++] = x;
  }
}

export interface UnpackOptions {
  /** Maps every string once, when it first arrives (e.g. to its interned copy). Default: as is. */
  string?: (s: string) => string;
  /** Replaces every empty array (e.g. by one shared frozen array). Default: a new array each. */
  emptyArray?: readonly unknown[];
  /** Maps every list of strings once, when it first arrives (e.g. to an equal one in use). Default: as is. */
  stringList?: (a: string[]) => string[];
}

/** The receiving end of a PackState: unpacks every message of one sender, in order. */
export class Unpacker {
  private strings: string[] = [];
  private lists: string[][] = [];
  private makers: Maker[] = [];
  /** A message failed: everything until the sender's next reset is refused. */
  private broken = false;

  constructor(private readonly opts: UnpackOptions = {}) {}

  /**
   * The value the sender packed, rebuilt (see UnpackOptions); `known` is the sender's `known`
   * string (this side's own copy of it). Throws on malformed input or a message out of order, and
   * then refuses every later message until the sender resets.
   */
  unpack(p: Packed, known?: string): unknown {
    if (p.reset) {
      this.strings = [];
      this.lists = [];
      this.makers = [];
      this.broken = false;
    }
    if (this.broken || p.base[0] !== this.strings.length || p.base[1] !== this.lists.length || p.base[2] !== this.makers.length) {
      this.broken = true;
      throw new RangeError('packed message out of order');
    }
    try {
      const string = this.opts.string;
      for (const s of p.strings) this.strings.push(string ? string(s) : s);
      for (const keys of p.shapes) this.makers.push(makerFor(keys));
      return this.read(p, known);
    } catch (err) {
      this.broken = true; // half-read: what this message added cannot be trusted
      throw err;
    }
  }

  private read(p: Packed, known: string | undefined): unknown {
    const { opts, strings, lists, makers } = this;
    const data = p.data;
    let i = 0;
    const str = (): string => {
      const s = strings[data[i++]];
      if (s === undefined) throw new RangeError('bad string id');
      return s;
    };
    const read = (): unknown => {
      if (i >= data.length) throw new RangeError('packed data ends early');
      switch (data[i++]) {
        case T_UNDEFINED:
          return undefined;
        case T_NULL:
          return null;
        case T_FALSE:
          return false;
        case T_TRUE:
          return true;
        case T_INT:
          return data[i++] | 0;
        case T_NUMBER:
          return data[i++];
        case T_STRING:
          return str();
        case T_KNOWN:
          if (known === undefined) throw new RangeError('no known string');
          return known;
        case T_LIST: {
          const a = lists[data[i++]];
          if (!a) throw new RangeError('bad list id');
          return a;
        }
        case T_NEW_LIST: {
          const n = data[i++];
          if (!(n > 0 && n <= data.length - i)) throw new RangeError('bad list length');
          const a = new Array<string>(n);
          for (let k = 0; k < n; k++) a[k] = str();
          const shared = opts.stringList ? opts.stringList(a) : a;
          lists.push(shared);
          return shared;
        }
        case T_ARRAY: {
          const n = data[i++];
          if (!(n >= 0 && n <= data.length - i)) throw new RangeError('bad array length');
          if (n === 0 && opts.emptyArray) return opts.emptyArray;
          const a = new Array(n);
          for (let k = 0; k < n; k++) a[k] = read();
          return a;
        }
        case T_OBJECT: {
          const make = makers[data[i++]];
          if (!make) throw new RangeError('bad shape id');
          return make(read);
        }
        default:
          throw new RangeError('bad tag');
      }
    };
    const value = read();
    if (i !== data.length) throw new RangeError('packed data has trailing values');
    return value;
  }
}

/** Unpacks one message packed without a PackState. */
export function unpack(p: Packed, opts: UnpackOptions = {}, known?: string): unknown {
  return new Unpacker(opts).unpack(p, known);
}

type Maker = (read: () => unknown) => unknown;

/**
 * A function building an object of the given keys from an object literal, so that it is laid
 * out as the literal in the code that made the original (in-object fields, same hidden class).
 * Made once per distinct key list; the number of shapes in a LocalResult is small and fixed.
 */
const makers = new Map<string, Maker>();
const MAX_MAKERS = 1000;

function makerFor(keys: readonly string[]): Maker {
  const sk = JSON.stringify(keys);
  let m = makers.get(sk);
  if (m) return m;
  if (keys.includes('__proto__') || makers.size >= MAX_MAKERS) {
    // Not expressible as a literal (or an unexpected variety of shapes): one property at a time.
    m = (read) => {
      const o: Record<string, unknown> = {};
      for (const k of keys) Object.defineProperty(o, k, { value: read(), enumerable: true, writable: true, configurable: true });
      return o;
    };
  } else {
    // Property values of a literal are evaluated left to right: each `r()` reads the next value.
    m = new Function('r', `return {${keys.map((k) => `${JSON.stringify(k)}: r()`).join(', ')}};`) as Maker;
    makers.set(sk, m);
  }
  return m;
}
