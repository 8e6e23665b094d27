/**
 * What the index keeps of one article. At 20,000 articles the texts alone took a third of a
 * gigabyte (most articles have a character outside Latin-1, so V8 stores them two bytes per
 * character), so an index that can read an article back (`IndexOptions.readText`) keeps only
 * what answers need without the text: the claims, the local entity resolution, the line starts,
 * the length and a content key. The text is read back when a feature needs it and checked
 * against the key (see WorkspaceIndex.textOf). Claims keep their sentence as offsets.
 */
import type { LocalResult } from './entities';
import { internDelivered, NONE, sharedList } from './entities/memo';
import { contentKey } from './indexSnapshot';
import { lineStartsOf } from './position';
import { previousSentenceStart } from './text';
import { pack, Unpacker, type Packed, type PackState } from './transfer';
import type { ClaimKind, Qualifier, RawClaim } from './types';

export interface IndexedDocument {
  readonly uri: string;
  readonly version: number;
  /** The text as indexed; may be read back from disk on each use (see StoredDocument). */
  readonly text: string;
  /** The article's numeric claims. (Its raw tagger mentions are not kept: `local` has them resolved.) */
  readonly claims: readonly RawClaim[];
  readonly local: LocalResult;
  /** Offsets where the text's lines start (`lineStartsOf`): positions without rescanning the text. */
  readonly lineStarts: Uint32Array;
  /** `text.length`, known without the text. */
  readonly textLength: number;
}

/** Where a document whose text is not kept gets it back from (the index). */
export interface TextSource {
  /** The document's text as indexed; '' when it cannot be had any more (the file changed or is gone). */
  textOf(doc: StoredDocument): string;
}

export class StoredDocument implements IndexedDocument {
  /** Changed in place when only the version changes (same text): nothing derived from the text is stale. */
  version: number;
  claims: readonly RawClaim[] = [];
  /** The text, when kept in memory (an editor's text, or an index that cannot read texts back). */
  #text: string | undefined;
  #key: string | undefined;
  readonly #source: TextSource;

  constructor(
    source: TextSource,
    readonly uri: string,
    version: number,
    readonly local: LocalResult,
    readonly lineStarts: Uint32Array,
    readonly textLength: number,
    /** The text to keep, or the content key of the text (read back when needed); at least one. */
    opts: { text?: string; key?: string },
  ) {
    if (opts.text === undefined && opts.key === undefined) throw new TypeError('a stored document needs its text or its key');
    this.#source = source;
    this.version = version;
    this.#text = opts.text;
    this.#key = opts.key;
  }

  get text(): string {
    return this.#text ?? this.#source.textOf(this);
  }

  /** The text if it is kept in memory (never reads it back). */
  get keptText(): string | undefined {
    return this.#text;
  }

  /** `contentKey` of the text as indexed (from the text on first need when it is kept). */
  get key(): string {
    // Without a key the text is kept (see the constructor).
    if (this.#key === undefined) this.#key = contentKey(this.#text!);
    return this.#key;
  }

  /** Keeps `text` (the same text, e.g. now in an editor) or stops keeping it (`undefined`; the key is taken first). */
  keep(text: string | undefined): void {
    if (text === undefined && this.#text !== undefined) this.#key ??= contentKey(this.#text);
    this.#text = text;
  }
}

/**
 * A claim of a stored document, in a few slots instead of a plain claim's eleven (112 bytes per
 * claim in a heap snapshot at 2,000 articles, 8.1 MB for 72,643 claims; 72 bytes this way). What
 * is derivable is not kept: `end` is `start + text.length` (`text` is the text at the claim's
 * offsets), and `sentence` is sliced from the document's text when asked for (as slices, the
 * sentences kept every text alive). The kind, the qualifier, `checkworthy` and the sentence's
 * offsets, as distances from the claim, share one small integer (a Smi with or without pointer
 * compression). A claim that does not fit this is a WideClaim, which keeps each field as given.
 * A seventh slot keeps where the sentence before the claim's starts (`windowStart`, for related
 * figures): 80 bytes a claim.
 *
 * The fields are getters on the prototype, so a stored claim has no own enumerable properties
 * (Object.keys and a spread give nothing): read its fields by name. `toJSON` gives the JSON a
 * stored claim had when they were own properties (every field but `sentence`, in CLAIM_FIELDS
 * order). Own accessors defined per claim would have kept Object.keys too, but in a
 * micro-benchmark they made making a claim about 40 times slower (12 µs against 0.3 µs).
 */
export class StoredClaim implements RawClaim {
  readonly #doc: IndexedDocument;
  readonly #start: number;
  readonly #text: string;
  readonly #value: number | string;
  readonly #unit: string | null;
  /** See `packBits`. */
  readonly #bits: number;
  /** `sentenceStart - windowStart`, or -1 when not known (see `windowStart`). */
  readonly #window: number;

  constructor(doc: IndexedDocument, start: number, text: string, value: number | string, unit: string | null, bits: number, window = -1) {
    this.#doc = doc;
    this.#start = start;
    this.#text = text;
    this.#value = value;
    this.#unit = unit;
    this.#bits = bits;
    this.#window = window;
  }

  /**
   * Where the sentence before the claim's starts (`previousSentenceStart`), the start of the
   * window whose entities give the claim its context (related figures); -1 when the claim was
   * made without it. Found where the text was at hand, so no walk over the corpus's claims
   * reads the texts back for it.
   */
  get windowStart(): number {
    return this.#window < 0 ? -1 : this.sentenceStart - this.#window;
  }

  get start(): number {
    return this.#start;
  }
  get end(): number {
    return this.#start + this.#text.length;
  }
  get text(): string {
    return this.#text;
  }
  get kind(): ClaimKind {
    return KINDS[this.#bits & 7];
  }
  get value(): number | string {
    return this.#value;
  }
  get unit(): string | null {
    return this.#unit;
  }
  get qualifier(): Qualifier {
    return QUALIFIERS[(this.#bits >> 3) & 7];
  }
  get checkworthy(): boolean {
    return (this.#bits & 64) !== 0;
  }
  get sentenceStart(): number {
    return this.#start - ((this.#bits >> 7) & LEAD_MAX);
  }
  get sentenceEnd(): number {
    return this.end + (this.#bits >> 18);
  }
  get sentence(): string {
    return this.#doc.text.slice(this.sentenceStart, this.sentenceEnd);
  }

  toJSON(): Omit<RawClaim, 'sentence'> {
    const { start, end, text, kind, value, unit, qualifier, checkworthy, sentenceStart, sentenceEnd } = this;
    return { start, end, text, kind, value, unit, qualifier, checkworthy, sentenceStart, sentenceEnd };
  }
}

const KINDS: readonly ClaimKind[] = ['money', 'percent', 'count', 'measure', 'rank', 'duration', 'year', 'date'];
const QUALIFIERS: readonly Qualifier[] = ['exact', 'approx', 'over', 'under', 'at-least', 'at-most'];
const KIND_CODES = new Map<string, number>(KINDS.map((k, i) => [k, i]));
const QUALIFIER_CODES = new Map<string, number>(QUALIFIERS.map((q, i) => [q, i]));
/** Largest distance from a sentence's start to its claim, and from the claim's end to the sentence's end, that packs (11 and 12 bits). */
const LEAD_MAX = 2047;
const TRAIL_MAX = 4095;

/**
 * Bits 0-2 the kind, 3-5 the qualifier, 6 `checkworthy`, 7-17 start - sentenceStart, 18-29
 * sentenceEnd - end; undefined when the claim does not fit (then it is a WideClaim).
 */
function packBits(c: Omit<RawClaim, 'sentence'>): number | undefined {
  const kind = KIND_CODES.get(c.kind);
  const qualifier = QUALIFIER_CODES.get(c.qualifier);
  const lead = c.start - c.sentenceStart;
  const trail = c.sentenceEnd - c.end;
  if (kind === undefined || qualifier === undefined || typeof c.checkworthy !== 'boolean' || typeof c.text !== 'string') return undefined;
  if (!Number.isInteger(c.start) || c.start + c.text.length !== c.end) return undefined;
  if (!(Number.isInteger(lead) && lead >= 0 && lead <= LEAD_MAX && c.start - lead === c.sentenceStart)) return undefined;
  if (!(Number.isInteger(trail) && trail >= 0 && trail <= TRAIL_MAX && c.end + trail === c.sentenceEnd)) return undefined;
  return kind | (qualifier << 3) | (c.checkworthy ? 64 : 0) | (lead << 7) | (trail << 18);
}

/** A stored claim that does not pack (see packBits), or whose sentence is not the slice of the text at its offsets: every field kept as given. */
class WideClaim extends StoredClaim {
  readonly #c: Omit<RawClaim, 'sentence'>;
  readonly #sentence: string | undefined;

  constructor(doc: IndexedDocument, c: Omit<RawClaim, 'sentence'>, sentence: string | undefined, window: number) {
    super(doc, c.start, c.text, c.value, c.unit, 0, window);
    this.#c = c;
    this.#sentence = sentence;
  }

  static {
    // The fields packBits packs, read from the claim as given instead.
    for (const k of ['end', 'kind', 'qualifier', 'checkworthy', 'sentenceStart', 'sentenceEnd'] as const) {
      Object.defineProperty(WideClaim.prototype, k, {
        get(this: WideClaim) {
          return this.#c[k];
        },
        configurable: true,
      });
    }
  }

  override get sentence(): string {
    return this.#sentence ?? super.sentence;
  }
}

/** The fields of a RawClaim, in the order the analyser makes them. */
export const CLAIM_FIELDS = ['start', 'end', 'text', 'kind', 'value', 'unit', 'qualifier', 'checkworthy', 'sentence', 'sentenceStart', 'sentenceEnd'] as const;

/** Whether `c` has exactly the fields of a RawClaim (a claim with anything else is kept as it is). */
export function isPlainClaim(c: object): c is RawClaim {
  const keys = Object.keys(c);
  return keys.length === CLAIM_FIELDS.length && CLAIM_FIELDS.every((k) => Object.prototype.hasOwnProperty.call(c, k));
}

/**
 * A claim as it crosses from a worker: the fields of a RawClaim in CLAIM_FIELDS order without
 * `sentence`, then the start of the sentence before the claim's (`StoredClaim.windowStart`),
 * then the sentence only when it is not the slice of the text at its offsets. A claim with
 * other fields crosses as the object itself.
 */
export type PackedClaim = [number, number, string, ClaimKind, number | string, string | null, Qualifier, boolean, number, number, number, string?] | RawClaim;

export function packClaim(c: RawClaim, text: string): PackedClaim {
  return isPlainClaim(c) ? packPlain(c, text, windowStartOf(c, text)) : c;
}

/** `packClaim` of a claim known to be plain (`isPlainClaim`), its window's start given. */
function packPlain(c: RawClaim, text: string, window: number): PackedClaim {
  const t: PackedClaim = [c.start, c.end, c.text, c.kind, c.value, c.unit, c.qualifier, c.checkworthy, c.sentenceStart, c.sentenceEnd, window];
  if (text.slice(c.sentenceStart, c.sentenceEnd) !== c.sentence) t.push(c.sentence);
  return t;
}

/** Where the context window of `c` starts: the start of the sentence before its own (-1: none). */
function windowStartOf(c: RawClaim, text: string): number {
  return c.sentenceStart >= 0 && c.sentenceStart <= text.length ? previousSentenceStart(text, c.sentenceStart) : -1;
}

/**
 * `packClaim` of each of an article's claims. Claims of one sentence share their window's start,
 * found once: finding it scans the sentence before, and it was about a tenth of what the
 * server's thread spent taking in an analysed article (`bench/resolve-time.ts`).
 */
export function packClaims(claims: readonly RawClaim[], text: string): PackedClaim[] {
  const out: PackedClaim[] = new Array(claims.length);
  let sentenceStart = NaN;
  let window = -1;
  for (let i = 0; i < claims.length; i++) {
    const c = claims[i];
    if (!isPlainClaim(c)) {
      out[i] = c;
      continue;
    }
    if (c.sentenceStart !== sentenceStart) ((sentenceStart = c.sentenceStart), (window = windowStartOf(c, text)));
    out[i] = packPlain(c, text, window);
  }
  return out;
}

/**
 * The stored form of a claim of `doc`. Strings go through `share` (interning: a flat copy, so no
 * claim keeps a slice of the text alive). Throws on a malformed packed claim.
 */
export function storedClaim(doc: IndexedDocument, c: PackedClaim, share: (s: string) => string): RawClaim {
  if (!Array.isArray(c)) return c;
  if (c.length < 11 || c.length > 12) throw new TypeError('malformed claim');
  const [start, end, text, kind, value, unit, qualifier, checkworthy, sentenceStart, sentenceEnd, windowStart, sentence] = c;
  const v = typeof value === 'string' ? share(value) : value;
  const u = typeof unit === 'string' ? share(unit) : unit;
  const fields = { start, end, text: share(text), kind: share(kind) as ClaimKind, value: v, unit: u, qualifier: share(qualifier) as Qualifier, checkworthy, sentenceStart, sentenceEnd };
  const window = Number.isInteger(windowStart) && windowStart >= 0 && windowStart <= sentenceStart ? sentenceStart - windowStart : -1;
  const bits = sentence === undefined ? packBits(fields) : undefined;
  if (bits === undefined) return new WideClaim(doc, fields, sentence === undefined ? undefined : share(sentence), window);
  return new StoredClaim(doc, start, fields.text, v, u, bits, window);
}

/**
 * What the index keeps of an analysed article, as a worker sends it: the LocalResult and the
 * packed claims (`{ local, claims }`, packed: see transfer.ts) plus what is known of the text
 * without keeping it. Made where the text is (the worker), so the main thread does not rescan it.
 */
export interface PackedArticle extends Packed {
  /** `contentKey` of the text. */
  key: string;
  lineStarts: Uint32Array;
  textLength: number;
}

/** `state`: the worker's PackState for the main thread (strings and key-token lists already sent cross as numbers). */
export function packArticle(text: string, local: LocalResult, claims: readonly RawClaim[], state?: PackState): PackedArticle {
  // The URI, in every mention, crosses as a tag: the receiver has its own copy.
  const packed = pack({ local, claims: packClaims(claims, text) }, state, local.uri);
  return { ...packed, key: contentKey(text), lineStarts: lineStartsOf(text), textLength: text.length };
}

/** A PackedArticle rebuilt in the main thread (see ArticleReceiver): what WorkspaceIndex.applyAnalysed stores. */
export interface ArticleData {
  local: LocalResult;
  claims: PackedClaim[];
  key: string;
  lineStarts: Uint32Array;
  textLength: number;
}

/**
 * Rebuilds the packed articles of one sender (a worker), in the order it sent them, as
 * resolving them in this thread would have made them: every string shared with every other
 * article's (`internDelivered`; the URI is the caller's own string), empty arrays the shared
 * frozen one, equal key-token lists one array (`resolveDocument` shares them through its surface
 * memo; nothing mutates a LocalResult). Strings and lists the sender sent before are looked up,
 * not interned again. Throws on a malformed or out-of-order article (see Unpacker).
 */
export class ArticleReceiver {
  private readonly unpacker: Unpacker;

  constructor() {
    this.unpacker = new Unpacker({ string: internDelivered, emptyArray: NONE, stringList: sharedList });
  }

  receive(a: PackedArticle, uri: string): ArticleData {
    const v = this.unpacker.unpack(a, uri) as { local?: LocalResult; claims?: PackedClaim[] } | undefined;
    if (!v || typeof v !== 'object' || !v.local || !Array.isArray(v.local.clusters) || !Array.isArray(v.claims)) throw new TypeError('not a packed article');
    return { local: v.local, claims: v.claims, key: a.key, lineStarts: a.lineStarts, textLength: a.textLength };
  }
}

/** Rebuilds one article packed without a PackState. */
export function receiveArticle(a: PackedArticle, uri: string): ArticleData {
  return new ArticleReceiver().receive(a, uri);
}

