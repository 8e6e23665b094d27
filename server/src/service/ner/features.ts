/**
 * Feature extraction for the tagger, shared by training and inference. Features are hashed
 * (feature hashing / "hash kernel") into 2^HASH_BITS buckets; the weight of label l for bucket b
 * lives at b * NUM_LABELS + l.
 *
 * Only features that exist in ordinary text are used (no POS/CHUNK): word identity, case, shape,
 * affixes, neighbouring words, sentence position, the casing mode of the line (headline/all-caps),
 * document-level casing evidence and gazetteer membership.
 */
import type { Token } from './tokenizer';
import { gazetteerMarks, type Gazetteer } from './gazetteer';

export const HASH_BITS = 18;
export const NUM_BUCKETS = 1 << HASH_BITS;
export const LABELS = ['O', 'B-PER', 'I-PER', 'B-ORG', 'I-ORG', 'B-LOC', 'I-LOC', 'B-MISC', 'I-MISC'] as const;
export const NUM_LABELS = LABELS.length;
export const TYPES = ['PER', 'ORG', 'LOC', 'MISC'] as const;

/** FNV-1a over UTF-16 code units. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export function mix(a: number, b: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ b;
  h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d);
  h = Math.imul(h ^ (h >>> 12), 0x297a2d39);
  return (h ^ (h >>> 15)) >>> 0;
}
export function mix3(t: number, a: number, b: number): number {
  return mix(mix(t, a), b);
}

function shapeOf(s: string): string {
  let out = '';
  let last = '';
  let run = 0;
  for (const ch of s) {
    let c: string;
    if (ch >= 'a' && ch <= 'z') c = 'x';
    else if (ch >= 'A' && ch <= 'Z') c = 'X';
    else if (ch >= '0' && ch <= '9') c = 'd';
    else if (/\p{Lu}/u.test(ch)) c = 'X';
    else if (/\p{L}/u.test(ch)) c = 'x';
    else if (/\p{N}/u.test(ch)) c = 'd';
    else c = ch;
    if (c === last) {
      run++;
      if (run >= 4) continue;
    } else run = 1;
    out += c;
    last = c;
  }
  return out;
}
function shortShapeOf(s: string): string {
  let out = '';
  for (const ch of shapeOf(s)) if (out[out.length - 1] !== ch) out += ch;
  return out;
}

export interface WordInfo {
  /** the word (typography-normalised token) */
  norm: string;
  lower: string;
  /** `lower.length` (the fast tagger's sentence modes read it without touching the string) */
  lowerLen: number;
  /**
   * FNV-1a hashes of `lower`, the shape and the short shape, as int32 (the bits of hashString;
   * features only use them through `mix`, which takes int32 bits). Unsigned values above 2^31
   * would be boxed numbers in the record, one more scattered read per word on the tagger's path.
   */
  lowerH: number;
  shapeH: number;
  sshapeH: number;
  /** 0 = no letters, 1 = lowercase initial, 2 = capitalised, 3 = all caps (≥2 letters) */
  cap: number;
  alpha: boolean;
  /** the first UTF-16 unit changes under toLowerCase (post-processing's "capitalised") */
  initCap: boolean;
  /** small integer id of `lower` (per word-cache generation; keys per-document scratch arrays) */
  lid: number;
  /** fast tagger (fast.ts): offset of this word's cached summed weights in the pool of model stamp `fastId` */
  fastOff: number;
  fastId: number;
  /** gazetteer cache (fast.ts): single-token category mask (bits 0..5) | 64 when `lower` is a phrase prefix; -1 = not computed */
  gaz1: number;
  gazGen: number;
}

const lowerIds = new Map<string, number>();
/**
 * Words kept at most. The cache (and everything keyed by it: lower-case ids, the fast tagger's
 * per-word pool) is emptied when a document could overflow it, so memory stays bounded however
 * many documents are analysed. Each word costs 384 bytes of the fast tagger's pool besides its
 * record: at 65,536 words an analysis worker held a 25 MB pool and 8 MB more heap than at 32,768
 * (bench/job-time.ts --heap, 10,000 articles: 92 against 84 MB), for a job 1% faster (7.78
 * against 7.88 ms of CPU per article, the two builds side by side).
 */
const WORD_CACHE_MAX = 32768;

/**
 * The word cache: an open-addressing table (linear probing) of the words' FNV-1a hashes and
 * indices into `words`. It replaces a `Map` keyed by the token strings, whose look-ups took about
 * a tenth of the whole analysis (every token is a fresh string to hash, and the map's buckets,
 * entries and keys are scattered reads); here the probe reads one table line, then the word
 * record itself (needed anyway). Sized for twice the safety-net limit below, so the table is
 * never more than half full.
 */
const TABLE_BITS = 18;
const TABLE_MASK = (1 << TABLE_BITS) - 1;
/** slot k: [2k] = the word's hash, [2k + 1] = index in `words` + 1 (0 = empty slot) */
const table = new Int32Array(2 << TABLE_BITS);
const words: WordInfo[] = [];

function clearWordCache(): void {
  table.fill(0);
  words.length = 0;
}

/** Empties the word cache and the lower-case ids (see releaseAnalyser). */
export function releaseWordCache(): void {
  clearWordCache();
  lowerIds.clear();
}

/** Number of lower-case ids handed out so far (ids are < this). */
export function lowerIdCount(): number {
  return lowerIds.size;
}

/**
 * Called by the fast tagger before a document of n tokens: empties the word cache (and restarts
 * the lower-case ids) if the document could overflow it, so ids never change within a document.
 */
export function reserveWordCache(n: number): boolean {
  if (words.length + n > WORD_CACHE_MAX) {
    releaseWordCache();
    return true;
  }
  return false;
}

/**
 * A flat copy of `s`: V8 makes long substrings views into their parent string, and a cached word
 * must not keep a whole document alive.
 */
function own(s: string): string {
  return s.length < 13 ? s : Buffer.from(s, 'utf16le').toString('utf16le');
}

/** FNV-1a of s[from, to) (= hashString(s.slice(from, to))). */
function hashRange(s: string, from: number, to: number): number {
  let h = 0x811c9dc5;
  for (let i = from; i < to; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Shape class of an ASCII code: x, X, d or the character itself. */
function asciiShape(c: number): number {
  if (c >= 97 && c <= 122) return 120; // x
  if (c >= 65 && c <= 90) return 88; // X
  if (c >= 48 && c <= 57) return 100; // d
  return c;
}

export function wordInfo(norm: string): WordInfo {
  let h = 0x811c9dc5;
  for (let i = 0; i < norm.length; i++) h = Math.imul(h ^ norm.charCodeAt(i), 0x01000193);
  // FNV's low bits mix poorly for short strings: fold the high half in for the slot
  let slot = (h ^ (h >>> 16)) & TABLE_MASK;
  for (;;) {
    const k = table[2 * slot + 1];
    if (k === 0) break;
    if (table[2 * slot] === h) {
      const w = words[k - 1];
      if (w.norm === norm) return w;
    }
    slot = (slot + 1) & TABLE_MASK;
  }
  return newWord(norm, h, slot);
}

/** A new word record for `norm` (table hash `key`), put in the table's free `slot`. */
function newWord(norm: string, key: number, slot: number): WordInfo {
  // (a safety net for callers that never reserve; lower-case ids are kept so they stay unique
  // within a document — only reserveWordCache restarts them)
  if (words.length >= WORD_CACHE_MAX * 2) {
    clearWordCache();
    slot = (key ^ (key >>> 16)) & TABLE_MASK;
  }
  norm = own(norm);
  const lower = own(norm.toLowerCase());
  let ascii = true;
  for (let i = 0; i < norm.length; i++) {
    if (norm.charCodeAt(i) >= 128) {
      ascii = false;
      break;
    }
  }
  let shapeH: number;
  let sshapeH: number;
  let cap = 0;
  let alpha: boolean;
  let firstUpper: boolean;
  if (ascii) {
    // shape and short shape hashed as they are built (same strings as shapeOf / shortShapeOf)
    let h = 0x811c9dc5;
    let hs = 0x811c9dc5;
    let last = -1;
    let run = 0;
    let letters = 0;
    let lowers = 0;
    let uppers = 0;
    for (let i = 0; i < norm.length; i++) {
      const ch = norm.charCodeAt(i);
      const c = asciiShape(ch);
      if (c === 120) { letters++; lowers++; }
      else if (c === 88) { letters++; uppers++; }
      if (c === last) {
        run++;
        if (run >= 4) continue;
      } else {
        run = 1;
        hs = Math.imul(hs ^ c, 0x01000193);
      }
      h = Math.imul(h ^ c, 0x01000193);
      last = c;
    }
    shapeH = h | 0;
    sshapeH = hs | 0;
    const c0 = norm.charCodeAt(0);
    firstUpper = c0 >= 65 && c0 <= 90;
    alpha = letters > 0;
    if (alpha) {
      if (letters >= 2 && lowers === 0) cap = 3;
      else if (firstUpper || uppers > 0) cap = 2;
      else cap = 1;
    }
  } else {
    shapeH = hashString(shapeOf(norm)) | 0;
    sshapeH = hashString(shortShapeOf(norm)) | 0;
    const hasUpper = norm !== lower;
    const first = norm.charAt(0);
    firstUpper = first !== first.toLowerCase();
    alpha = /\p{L}/u.test(norm);
    if (alpha) {
      const letters = norm.replace(/[^\p{L}]/gu, '');
      if (letters.length >= 2 && letters === letters.toUpperCase() && letters !== letters.toLowerCase()) cap = 3;
      else if (firstUpper) cap = 2;
      else if (hasUpper) cap = 2;
      else cap = 1;
    }
  }
  let lid = lowerIds.get(lower);
  if (lid === undefined) lowerIds.set(lower, (lid = lowerIds.size));
  const w: WordInfo = {
    norm, lower, lowerLen: lower.length, lowerH: hashString(lower) | 0, shapeH, sshapeH, cap, alpha, initCap: firstUpper, lid, fastOff: -1, fastId: -1, gaz1: -1, gazGen: -1,
  };
  words.push(w);
  table[2 * slot] = key;
  table[2 * slot + 1] = words.length;
  return w;
}

/** Most word-intrinsic features a word has. */
export const MAX_INTRINSIC = 16;

/**
 * Writes the bucket indices of the word's intrinsic features (identity, case, shape, affixes,
 * length, hyphen parts) to `out` and returns their number (≤ MAX_INTRINSIC). Computed on demand:
 * callers cache what they derive from them.
 */
export function intrinsicFeatures(w: WordInfo, out: Int32Array): number {
  const NB = NUM_BUCKETS - 1;
  const lower = w.lower;
  let n = 0;
  out[n++] = mix(2, hashString(w.norm)) & NB;
  out[n++] = mix(3, w.lowerH) & NB;
  out[n++] = mix(4, w.shapeH) & NB;
  out[n++] = mix(5, w.sshapeH) & NB;
  const L = lower.length;
  for (let k = 1; k <= 4; k++) {
    if (L > k) {
      out[n++] = mix(5 + k, hashRange(lower, 0, k)) & NB;
      out[n++] = mix(10 + k, hashRange(lower, L - k, L)) & NB;
    }
  }
  out[n++] = mix(15, Math.min(L, 12)) & NB;
  if (w.norm.includes('-')) {
    const parts = w.norm.split('-');
    out[n++] = mix(16, hashString(parts[parts.length - 1].toLowerCase())) & NB;
    out[n++] = mix(17, hashString(parts[0].toLowerCase())) & NB;
  }
  return n;
}

/** Casing mode of a sentence: 0 normal, 1 title-case headline, 2 all caps. */
export function sentenceModes(infos: WordInfo[], tokens: Token[], out?: Int8Array): Int8Array {
  const n = tokens.length;
  const mode = out && out.length >= n ? out : new Int8Array(n);
  let s = 0;
  while (s < n) {
    let e = s + 1;
    while (e < n && !tokens[e].sentStart) e++;
    let alphaLong = 0;
    let caps = 0;
    let titled = 0;
    for (let i = s; i < e; i++) {
      const w = infos[i];
      if (!w.alpha || w.lower.length < 2) continue;
      alphaLong++;
      if (w.cap === 3) caps++;
      if (w.cap >= 2 && w.lower.length > 3) titled++;
    }
    let longWords = 0;
    for (let i = s; i < e; i++) if (infos[i].alpha && infos[i].lower.length > 3) longWords++;
    const m = sentenceMode(alphaLong, caps, longWords, titled);
    for (let i = s; i < e; i++) mode[i] = m;
    s = e;
  }
  return mode;
}

/**
 * A sentence's casing mode from its word counts: 2 = all caps (most alphabetic words of 2+
 * letters are upper-case), 1 = title-case headline (most words of 4+ letters capitalised), 0 = normal.
 */
export function sentenceMode(alphaLong: number, caps: number, longWords: number, titled: number): number {
  if (alphaLong >= 2 && caps / alphaLong >= 0.6) return 2;
  if (longWords >= 3 && titled / longWords >= 0.8) return 1;
  return 0;
}

export interface DocFeatures {
  /** flattened feature buckets, token i uses feats[offsets[i] .. offsets[i+1]) */
  feats: Int32Array;
  offsets: Int32Array;
  /** when set (inference), the word-intrinsic features are not in `feats`: token i adds words[i]'s cached scores */
  words?: WordInfo[];
}

export const BOS = hashString('<S>');
export const EOS = hashString('</S>');

/** Extracts hashed features for every token of one document. */
export function extractFeatures(tokens: Token[], gaz: Gazetteer | null, separateIntrinsic = false): DocFeatures {
  const n = tokens.length;
  const infos: WordInfo[] = new Array(n);
  for (let i = 0; i < n; i++) infos[i] = wordInfo(tokens[i].norm);
  const mode = sentenceModes(infos, tokens);
  const sentIdx = new Int32Array(n);
  for (let i = 0, k = -1; i < n; i++) {
    if (tokens[i].sentStart) k = i;
    sentIdx[i] = i - Math.max(k, 0);
  }
  // document-level casing evidence per lower-cased word
  const DOC_CAPMID = 1;
  const DOC_LOWER = 2;
  const DOC_CAPS = 4;
  const docEv = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const w = infos[i];
    if (!w.alpha) continue;
    let f = 0;
    if (w.cap === 1) f = DOC_LOWER;
    else if (mode[i] === 0 && sentIdx[i] > 0 && w.cap === 2) f = DOC_CAPMID;
    else if (mode[i] === 0 && w.cap === 3) f = DOC_CAPS;
    if (f) docEv.set(w.lower, (docEv.get(w.lower) ?? 0) | f);
  }
  let marks: Int32Array | null = null;
  if (gaz) {
    const lower = infos.map((w) => w.lower);
    const capital = infos.map((w) => w.cap >= 2);
    marks = gazetteerMarks(lower, capital, gaz);
  }

  const intr = new Int32Array(MAX_INTRINSIC);
  let feats = new Int32Array(n * 48 + 16);
  let len = 0;
  const offsets = new Int32Array(n + 1);
  const NB = NUM_BUCKETS - 1;
  for (let i = 0; i < n; i++) {
    offsets[i] = len;
    if (len + 64 > feats.length) {
      const bigger = new Int32Array(feats.length * 2);
      bigger.set(feats);
      feats = bigger;
    }
    const w = infos[i];
    const first = sentIdx[i] === 0;
    const sameSentPrev = i > 0 && !first;
    const sameSentNext = i + 1 < n && !tokens[i + 1].sentStart;
    const p1 = sameSentPrev ? infos[i - 1] : null;
    const n1 = sameSentNext ? infos[i + 1] : null;
    const p2 = sameSentPrev && sentIdx[i] >= 2 ? infos[i - 2] : null;
    const n2 = sameSentNext && i + 2 < n && !tokens[i + 2].sentStart ? infos[i + 2] : null;
    feats[len++] = (1) & NB;
    if (!separateIntrinsic) {
      const m = intrinsicFeatures(w, intr);
      for (let k = 0; k < m; k++) feats[len++] = intr[k];
    }
    const p1l = p1 ? p1.lowerH : BOS;
    const n1l = n1 ? n1.lowerH : EOS;
    const p1s = p1 ? p1.shapeH : BOS;
    const n1s = n1 ? n1.shapeH : EOS;
    feats[len++] = (mix(20, p1l)) & NB;
    feats[len++] = (mix(21, n1l)) & NB;
    feats[len++] = (mix(22, p2 ? p2.lowerH : BOS)) & NB;
    feats[len++] = (mix(23, n2 ? n2.lowerH : EOS)) & NB;
    feats[len++] = (mix(24, p1s)) & NB;
    feats[len++] = (mix(25, n1s)) & NB;
    feats[len++] = (mix3(26, p1s, w.shapeH)) & NB;
    feats[len++] = (mix3(27, w.shapeH, n1s)) & NB;
    feats[len++] = (mix3(28, p1l, w.lowerH)) & NB;
    feats[len++] = (mix3(29, w.lowerH, n1l)) & NB;
    feats[len++] = (mix3(30, p1l, w.sshapeH)) & NB;
    feats[len++] = (mix3(31, w.sshapeH, n1l)) & NB;
    feats[len++] = (mix3(32, first ? 1 : 0, w.sshapeH)) & NB;
    feats[len++] = (mix3(33, first ? 1 : 0, w.lowerH)) & NB;
    const md = mode[i];
    feats[len++] = (mix3(34, md, w.sshapeH)) & NB;
    if (md) feats[len++] = (mix3(35, md, w.lowerH)) & NB;
    if (tokens[i].lineStart) feats[len++] = (mix3(36, Math.min(sentIdx[i], 1), w.sshapeH)) & NB;
    // position of the line in the document (headline / dateline) for the first tokens
    if (w.alpha) {
      const ev = docEv.get(w.lower) ?? 0;
      feats[len++] = (mix3(37, ev, w.cap)) & NB;
      feats[len++] = (mix3(38, ev, md * 4 + (first ? 1 : 0))) & NB;
    }
    if (marks) {
      const m0 = marks[i];
      if (m0) {
        for (let k = 0; k < 6; k++) {
          if (m0 & (1 << k)) feats[len++] = (mix3(40, k, w.cap)) & NB;
          if (m0 & (1 << (k + 8))) feats[len++] = (mix(41, k)) & NB;
        }
        feats[len++] = (mix(42, m0)) & NB;
      }
      const mp = i > 0 && sameSentPrev ? marks[i - 1] : 0;
      const mn = sameSentNext ? marks[i + 1] : 0;
      if (mp) feats[len++] = (mix(43, mp)) & NB;
      if (mn) feats[len++] = (mix(44, mn)) & NB;
    }
  }
  offsets[n] = len;
  return { feats: feats.subarray(0, len), offsets, words: separateIntrinsic ? infos : undefined };
}

/**
 * Second-stage (document-level) features: for every capitalised word, what the first-stage
 * tagger predicted for the *other* occurrences of the same word in the document (label
 * consistency across a document, as in Ratinov & Roth 2009's "prediction aggregation").
 * Returns a new feature set = first-stage features + these.
 */
export function extendWithPredictions(tokens: Token[], df: DocFeatures, labels: ArrayLike<number>): DocFeatures {
  const n = tokens.length;
  const NB = NUM_BUCKETS - 1;
  const counts = new Map<string, Int32Array>();
  const keys: (string | null)[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const w = wordInfo(tokens[i].norm);
    if (!w.alpha || w.cap < 2) {
      keys[i] = null;
      continue;
    }
    keys[i] = w.lower;
    let c = counts.get(w.lower);
    if (!c) counts.set(w.lower, (c = new Int32Array(5)));
    c[labels[i] === 0 ? 0 : ((labels[i] - 1) >> 1) + 1]++;
  }
  const out = new Int32Array(df.feats.length + n * 4);
  const offsets = new Int32Array(n + 1);
  let len = 0;
  for (let i = 0; i < n; i++) {
    offsets[i] = len;
    for (let k = df.offsets[i]; k < df.offsets[i + 1]; k++) out[len++] = df.feats[k];
    const key = keys[i];
    if (key === null) continue;
    const c = counts.get(key)!;
    const own = labels[i] === 0 ? 0 : ((labels[i] - 1) >> 1) + 1;
    let total = 0;
    let best = -1;
    let bestN = 0;
    for (let t = 0; t < 5; t++) {
      const v = c[t] - (t === own ? 1 : 0);
      total += v;
      if (t > 0 && v > bestN) {
        bestN = v;
        best = t;
      }
    }
    if (total === 0) continue;
    const w = wordInfo(tokens[i].norm);
    if (best > 0) {
      out[len++] = mix3(60, best, w.cap) & NB;
      out[len++] = mix3(61, best, bestN * 2 >= total ? 1 : 0) & NB;
    } else out[len++] = mix(62, w.cap) & NB;
    for (let t = 1; t < 5; t++) if (c[t] - (t === own ? 1 : 0) > 0 && t !== best) out[len++] = mix(63, t) & NB;
  }
  offsets[n] = len;
  return { feats: out.subarray(0, len), offsets, words: df.words };
}
