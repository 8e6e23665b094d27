/**
 * Fast inference path for the two-stage tagger (same features, same weights and the same output
 * as `extractFeatures` + `extendWithPredictions` + `emissions` + `viterbi`, bit for bit).
 *
 *  - Both stages' weights live in one dense table, one row of 18 int16 per hash bucket
 *    (labels 0–8 stage 1, 9–17 stage 2): every feature costs one memory access for both stages,
 *    and no bucket → row indirection.
 *  - No feature arrays are built: scores are summed directly. Features that depend on one word
 *    only (its intrinsic features, its role as the left/right neighbour at distance 1 or 2, its
 *    position features in the common case) are summed once per word type and cached on the
 *    word; features over small domains (document casing evidence, gazetteer categories, stage-2
 *    prediction aggregates) come from small precomputed tables. Per token only the word-pair
 *    features (current word × neighbour) and rare features are hashed and looked up.
 *  - Scores are integer sums (exact in any order) scaled once, so results equal the reference
 *    path exactly.
 *
 * Keep in step with features.ts: any change to the features there must be mirrored here (the unit
 * test "the fast tagging path gives exactly the reference path's mentions" fails otherwise). The
 * unrolled blocks (`s0 += …; … s17 += …;`, the Viterbi per label) are plain repetition over the
 * 18 lanes / 9 labels.
 */
import type { Token } from './tokenizer';
import type { Gazetteer } from './gazetteer';
import { NUM_BUCKETS, NUM_LABELS, BOS, EOS, MAX_INTRINSIC, mix, mix3, wordInfo, intrinsicFeatures, reserveWordCache, lowerIdCount, sentenceModes, type WordInfo } from './features';
import { allowed, type Weights } from './model';

const L = NUM_LABELS;
/** row stride: stage-1 labels then stage-2 labels */
const S = 2 * L;
const NB = NUM_BUCKETS - 1;
const NEG = -1e30;
const GAZ_FEATURE_MASK = 0x3f;

// per-word cached slots (each S ints)
const SELF0 = 0; // bias + word-intrinsic features + position features 32/33/34 of the common case (not sentence-initial, normal-case line)
const ASP1 = S; // the word as left neighbour (20, 24)
const ASN1 = 2 * S; // the word as right neighbour (21, 25)
const ASP2 = 3 * S; // the word two to the left (22)
const ASN2 = 4 * S; // the word two to the right (23)
const PM = 5 * S; // 6 ints: inner mixes of the word-pair features: mix(26, shapeH), mix(27, shapeH), mix(28, lowerH), mix(29, lowerH), mix(30, lowerH), mix(31, sshapeH)
const SLOTS = 5 * S + 6;

let nextFastId = 1;
/** pool offsets of the constant vectors (before the words' vectors) */
const EDGE = 0; // 4 slots: BOS as p1, EOS as n1, BOS as p2, EOS as n2
const ZERO = 4 * S;
const POOL_START = 5 * S;
const PM_BOS26 = mix(26, BOS);
const PM_BOS28 = mix(28, BOS);
const PM_BOS30 = mix(30, BOS);

export interface FastModel {
  /** identifies the model *and* the current generation of its word pool */
  id: number;
  /** per-word cached vectors (SLOTS ints per word), after the constant vectors */
  pool: Int32Array;
  poolUsed: number;
  W: Int16Array;
  /** bit b set when W's row b has a non-zero weight (the other rows are skipped, unread) */
  used: Uint32Array;
  scale1: number;
  scale2: number;
  trans1: Float64Array;
  start1: Float64Array;
  trans2: Float64Array;
  start2: Float64Array;
  hasStage2: boolean;
  t37: Int32Array;
  t38: Int32Array;
  t40: Int32Array;
  t41: Int32Array;
  t60: Int32Array;
  t61: Int32Array;
  t62: Int32Array;
  t63: Int32Array;
}

function addRow(W: Int16Array, dst: Int32Array, o: number, bucket: number): void {
  const b = bucket * S;
  for (let l = 0; l < S; l++) dst[o + l] += W[b + l];
}
function subRow(W: Int16Array, dst: Int32Array, o: number, bucket: number): void {
  const b = bucket * S;
  for (let l = 0; l < S; l++) dst[o + l] -= W[b + l];
}
function addVec(dst: Int32Array, o: number, src: Int32Array, so: number): void {
  for (let l = 0; l < S; l++) dst[o + l] += src[so + l];
}

/** Builds the dense two-stage table from loaded (compact, int16) models. */
export function buildFastModel(m1: Weights, m2: Weights | null): FastModel {
  if (!m1.rows || !(m1.w instanceof Int16Array) || (m2 && (!m2.rows || !(m2.w instanceof Int16Array)))) throw new Error('ner: fast path needs loaded models');
  const W = new Int16Array(NUM_BUCKETS * S);
  const fill = (m: Weights, off: number) => {
    const rows = m.rows!;
    const w = m.w;
    for (let b = 0; b < NUM_BUCKETS; b++) {
      const r = rows[b];
      if (r === 0) continue;
      const src = (r - 1) * L;
      const dst = b * S + off;
      for (let l = 0; l < L; l++) W[dst + l] = w[src + l];
    }
  };
  fill(m1, 0);
  if (m2) fill(m2, L);
  const used = new Uint32Array(NUM_BUCKETS >>> 5);
  for (let b = 0; b < NUM_BUCKETS; b++) {
    for (let l = 0; l < S; l++) {
      if (W[b * S + l] !== 0) {
        used[b >>> 5] |= 1 << (b & 31);
        break;
      }
    }
  }
  const table = (size: number, bucket: (k: number) => number) => {
    const t = new Int32Array(size * S);
    for (let k = 0; k < size; k++) {
      const b = bucket(k);
      if (b >= 0) addRow(W, t, k * S, b);
    }
    return t;
  };
  const pool = new Int32Array(POOL_START + 1024 * SLOTS);
  // BOS as left neighbour (20+24), EOS as right (21+25), BOS at −2 (22), EOS at +2 (23); then zeros
  addRow(W, pool, EDGE, mix(20, BOS) & NB);
  addRow(W, pool, EDGE, mix(24, BOS) & NB);
  addRow(W, pool, EDGE + S, mix(21, EOS) & NB);
  addRow(W, pool, EDGE + S, mix(25, EOS) & NB);
  addRow(W, pool, EDGE + 2 * S, mix(22, BOS) & NB);
  addRow(W, pool, EDGE + 3 * S, mix(23, EOS) & NB);
  return {
    id: nextFastId++,
    pool,
    poolUsed: POOL_START,
    W,
    used,
    scale1: m1.scale,
    scale2: m2 ? m2.scale : 1,
    // float64 copies (exact) of the float32 weights: no conversions in the Viterbi loop
    trans1: Float64Array.from(m1.trans),
    start1: Float64Array.from(m1.start),
    trans2: Float64Array.from(m2 ? m2.trans : m1.trans),
    start2: Float64Array.from(m2 ? m2.start : m1.start),
    hasStage2: !!m2,
    // document casing evidence: ev (0..7) × cap (0..3); ev × (mode * 4 + first) (0..9)
    t37: table(32, (k) => mix3(37, k >> 2, k & 3) & NB),
    t38: table(80, (k) => mix3(38, Math.floor(k / 10), k % 10) & NB),
    // gazetteer: category k × cap; inside category k
    t40: table(24, (k) => mix3(40, k >> 2, k & 3) & NB),
    t41: table(6, (k) => mix(41, k) & NB),
    // stage-2 aggregates: best (1..4) × cap (0..3); best × majority; cap; other type t
    t60: table(20, (k) => mix3(60, k >> 2, k & 3) & NB),
    t61: table(10, (k) => mix3(61, k >> 1, k & 1) & NB),
    t62: table(4, (k) => mix(62, k) & NB),
    t63: table(5, (k) => mix(63, k) & NB),
  };
}

const intrScratch = new Int32Array(MAX_INTRINSIC);

/** Offset in fm.pool of the word's cached vectors (computed on first use). */
function wordOff(fm: FastModel, w: WordInfo): number {
  if (w.fastId === fm.id) return w.fastOff;
  if (fm.poolUsed + SLOTS > fm.pool.length) {
    const bigger = new Int32Array(fm.pool.length * 2);
    bigger.set(fm.pool);
    fm.pool = bigger;
  }
  const v = fm.pool;
  const o = fm.poolUsed;
  fm.poolUsed += SLOTS;
  const W = fm.W;
  const m = intrinsicFeatures(w, intrScratch);
  addRow(W, v, o + SELF0, 1 & NB); // bias
  for (let k = 0; k < m; k++) addRow(W, v, o + SELF0, intrScratch[k]);
  addRow(W, v, o + SELF0, mix3(32, 0, w.sshapeH) & NB);
  addRow(W, v, o + SELF0, mix3(33, 0, w.lowerH) & NB);
  addRow(W, v, o + SELF0, mix3(34, 0, w.sshapeH) & NB);
  addRow(W, v, o + ASP1, mix(20, w.lowerH) & NB);
  addRow(W, v, o + ASP1, mix(24, w.shapeH) & NB);
  addRow(W, v, o + ASN1, mix(21, w.lowerH) & NB);
  addRow(W, v, o + ASN1, mix(25, w.shapeH) & NB);
  addRow(W, v, o + ASP2, mix(22, w.lowerH) & NB);
  addRow(W, v, o + ASN2, mix(23, w.lowerH) & NB);
  v[o + PM] = mix(26, w.shapeH);
  v[o + PM + 1] = mix(27, w.shapeH);
  v[o + PM + 2] = mix(28, w.lowerH);
  v[o + PM + 3] = mix(29, w.lowerH);
  v[o + PM + 4] = mix(30, w.lowerH);
  v[o + PM + 5] = mix(31, w.sshapeH);
  w.fastOff = o;
  w.fastId = fm.id;
  return o;
}

/** Forgets all cached word vectors (the word cache was emptied). */
function resetPool(fm: FastModel): void {
  fm.pool.fill(0, POOL_START, fm.poolUsed);
  fm.poolUsed = POOL_START;
  fm.id = nextFastId++;
}

// ---- per-call scratch (grown as needed) ----
let evScratch = new Uint8Array(0);
let countScratch = new Int32Array(0);
let gazOwner: Gazetteer | null = null;
let gazGen = 0;

/** Flag in `wordGazetteer`'s result: the word begins a longer gazetteer phrase. */
export const GAZ_PREFIX = 1 << 16;

/** Gazetteer categories of the single word (`phrases.get(lower)`), | GAZ_PREFIX if it is a phrase prefix; cached on the word. */
export function wordGazetteer(w: WordInfo, gaz: Gazetteer): number {
  if (gaz !== gazOwner) {
    gazOwner = gaz;
    gazGen++;
  }
  if (w.gazGen === gazGen) return w.gaz1;
  const m0 = gaz.phrases.get(w.lower);
  w.gaz1 = (m0 === undefined ? 0 : m0) | (gaz.prefixes.has(w.lower) ? GAZ_PREFIX : 0);
  w.gazGen = gazGen;
  return w.gaz1;
}

function gazetteerMarksFast(infos: WordInfo[], n: number, gaz: Gazetteer, marks: Int32Array): Int32Array {
  marks.fill(0, 0, n);
  const phrases = gaz.phrases;
  const prefixes = gaz.prefixes;
  for (let i = 0; i < n; i++) {
    const w = infos[i];
    if (w.cap < 2) continue;
    const g = wordGazetteer(w, gaz);
    if (g & GAZ_FEATURE_MASK) marks[i] |= g & GAZ_FEATURE_MASK;
    if (!(g & GAZ_PREFIX)) continue;
    let key = w.lower;
    for (let len = 2; len <= gaz.maxLen && i + len <= n; len++) {
      key = key + ' ' + infos[i + len - 1].lower;
      const m0 = phrases.get(key);
      const m = m0 === undefined ? 0 : m0 & GAZ_FEATURE_MASK;
      if (m) {
        marks[i] |= m;
        for (let j = i + 1; j < i + len; j++) marks[j] |= m << 8;
      }
      if (!prefixes.has(key)) break;
    }
  }
  return marks;
}

// the unrolled Viterbi below hard-codes the label constraints of model.ts `allowed`
for (let l = 0; l < L; l++) {
  for (let p = 0; p < L; p++) {
    if (allowed(p, l) !== (l === 0 || l % 2 === 1 || p === l || p === l - 1)) throw new Error('ner: fast Viterbi out of date');
  }
}
const START_OK = new Uint8Array(L).map((_, l) => (allowed(0, l) ? 1 : 0));
let delta = new Float32Array(0);
let back = new Uint8Array(0);

/**
 * Viterbi over sentences (`ss[i]` = a sentence starts at i; transitions restart from the start
 * weights there); the same arithmetic, tie-breaking and float32 rounding as model.ts `viterbi`,
 * unrolled (generated code). I-X may only follow B-X or I-X.
 */
function viterbiFast(trans: Float64Array, start: Float64Array, sm: Int32Array, lane: number, sc: number, n: number, ss: Uint8Array, out: Uint8Array): void {
  if (n === 0) return;
  if (delta.length < n * L) {
    delta = new Float32Array(n * L * 2);
    back = new Uint8Array(n * L * 2);
  }
  const d = delta;
  const bk = back;
  const T = trans;
  let segStart = 0;
  for (let i = 0; i <= n; i++) {
    if (i === n || i === 0 || ss[i]) {
      if (i > 0) {
        // backtrack [segStart, i)
        let best = 0;
        let bv = NEG;
        const base = (i - 1) * L;
        for (let l = 0; l < L; l++) if (d[base + l] > bv) { bv = d[base + l]; best = l; }
        for (let k = i - 1; k >= segStart; k--) {
          out[k] = best;
          best = bk[k * L + best];
        }
      }
      if (i === n) break;
      segStart = i;
      const base = i * L;
      const eb = i * S + lane;
      for (let l = 0; l < L; l++) d[base + l] = START_OK[l] ? Math.fround(sm[eb + l] * sc) + start[l] : NEG;
      continue;
    }
    const base = i * L;
    const pb = base - L;
    // emission = the integer score sum × scale, rounded to float32 as the reference path stores it
    const eb = i * S + lane;
    const d0 = d[pb]; const d1 = d[pb + 1]; const d2 = d[pb + 2]; const d3 = d[pb + 3]; const d4 = d[pb + 4]; const d5 = d[pb + 5]; const d6 = d[pb + 6]; const d7 = d[pb + 7]; const d8 = d[pb + 8];
    let bv = NEG;
    let bp = 0;
    let v = 0;
    // label 0
    bv = NEG;
    bp = 0;
    v = d0 + T[0];
    if (v > bv) { bv = v; bp = 0; }
    v = d1 + T[9];
    if (v > bv) { bv = v; bp = 1; }
    v = d2 + T[18];
    if (v > bv) { bv = v; bp = 2; }
    v = d3 + T[27];
    if (v > bv) { bv = v; bp = 3; }
    v = d4 + T[36];
    if (v > bv) { bv = v; bp = 4; }
    v = d5 + T[45];
    if (v > bv) { bv = v; bp = 5; }
    v = d6 + T[54];
    if (v > bv) { bv = v; bp = 6; }
    v = d7 + T[63];
    if (v > bv) { bv = v; bp = 7; }
    v = d8 + T[72];
    if (v > bv) { bv = v; bp = 8; }
    d[base + 0] = bv + Math.fround(sm[eb + 0] * sc);
    bk[base + 0] = bp;
    // label 1
    bv = NEG;
    bp = 0;
    v = d0 + T[1];
    if (v > bv) { bv = v; bp = 0; }
    v = d1 + T[10];
    if (v > bv) { bv = v; bp = 1; }
    v = d2 + T[19];
    if (v > bv) { bv = v; bp = 2; }
    v = d3 + T[28];
    if (v > bv) { bv = v; bp = 3; }
    v = d4 + T[37];
    if (v > bv) { bv = v; bp = 4; }
    v = d5 + T[46];
    if (v > bv) { bv = v; bp = 5; }
    v = d6 + T[55];
    if (v > bv) { bv = v; bp = 6; }
    v = d7 + T[64];
    if (v > bv) { bv = v; bp = 7; }
    v = d8 + T[73];
    if (v > bv) { bv = v; bp = 8; }
    d[base + 1] = bv + Math.fround(sm[eb + 1] * sc);
    bk[base + 1] = bp;
    // label 2
    bv = NEG;
    bp = 0;
    v = d1 + T[11];
    if (v > bv) { bv = v; bp = 1; }
    v = d2 + T[20];
    if (v > bv) { bv = v; bp = 2; }
    d[base + 2] = bv + Math.fround(sm[eb + 2] * sc);
    bk[base + 2] = bp;
    // label 3
    bv = NEG;
    bp = 0;
    v = d0 + T[3];
    if (v > bv) { bv = v; bp = 0; }
    v = d1 + T[12];
    if (v > bv) { bv = v; bp = 1; }
    v = d2 + T[21];
    if (v > bv) { bv = v; bp = 2; }
    v = d3 + T[30];
    if (v > bv) { bv = v; bp = 3; }
    v = d4 + T[39];
    if (v > bv) { bv = v; bp = 4; }
    v = d5 + T[48];
    if (v > bv) { bv = v; bp = 5; }
    v = d6 + T[57];
    if (v > bv) { bv = v; bp = 6; }
    v = d7 + T[66];
    if (v > bv) { bv = v; bp = 7; }
    v = d8 + T[75];
    if (v > bv) { bv = v; bp = 8; }
    d[base + 3] = bv + Math.fround(sm[eb + 3] * sc);
    bk[base + 3] = bp;
    // label 4
    bv = NEG;
    bp = 0;
    v = d3 + T[31];
    if (v > bv) { bv = v; bp = 3; }
    v = d4 + T[40];
    if (v > bv) { bv = v; bp = 4; }
    d[base + 4] = bv + Math.fround(sm[eb + 4] * sc);
    bk[base + 4] = bp;
    // label 5
    bv = NEG;
    bp = 0;
    v = d0 + T[5];
    if (v > bv) { bv = v; bp = 0; }
    v = d1 + T[14];
    if (v > bv) { bv = v; bp = 1; }
    v = d2 + T[23];
    if (v > bv) { bv = v; bp = 2; }
    v = d3 + T[32];
    if (v > bv) { bv = v; bp = 3; }
    v = d4 + T[41];
    if (v > bv) { bv = v; bp = 4; }
    v = d5 + T[50];
    if (v > bv) { bv = v; bp = 5; }
    v = d6 + T[59];
    if (v > bv) { bv = v; bp = 6; }
    v = d7 + T[68];
    if (v > bv) { bv = v; bp = 7; }
    v = d8 + T[77];
    if (v > bv) { bv = v; bp = 8; }
    d[base + 5] = bv + Math.fround(sm[eb + 5] * sc);
    bk[base + 5] = bp;
    // label 6
    bv = NEG;
    bp = 0;
    v = d5 + T[51];
    if (v > bv) { bv = v; bp = 5; }
    v = d6 + T[60];
    if (v > bv) { bv = v; bp = 6; }
    d[base + 6] = bv + Math.fround(sm[eb + 6] * sc);
    bk[base + 6] = bp;
    // label 7
    bv = NEG;
    bp = 0;
    v = d0 + T[7];
    if (v > bv) { bv = v; bp = 0; }
    v = d1 + T[16];
    if (v > bv) { bv = v; bp = 1; }
    v = d2 + T[25];
    if (v > bv) { bv = v; bp = 2; }
    v = d3 + T[34];
    if (v > bv) { bv = v; bp = 3; }
    v = d4 + T[43];
    if (v > bv) { bv = v; bp = 4; }
    v = d5 + T[52];
    if (v > bv) { bv = v; bp = 5; }
    v = d6 + T[61];
    if (v > bv) { bv = v; bp = 6; }
    v = d7 + T[70];
    if (v > bv) { bv = v; bp = 7; }
    v = d8 + T[79];
    if (v > bv) { bv = v; bp = 8; }
    d[base + 7] = bv + Math.fround(sm[eb + 7] * sc);
    bk[base + 7] = bp;
    // label 8
    bv = NEG;
    bp = 0;
    v = d7 + T[71];
    if (v > bv) { bv = v; bp = 7; }
    v = d8 + T[80];
    if (v > bv) { bv = v; bp = 8; }
    d[base + 8] = bv + Math.fround(sm[eb + 8] * sc);
    bk[base + 8] = bp;
  }
}

/**
 * Summed feature weights of every token for both stages into `sm` (n × S). The per-token sum is
 * kept in 18 local integers (generated, unrolled code: this loop is the tagger's hot spot).
 * Per-token inputs are flat arrays (see `Doc`), so the loop touches no objects.
 */
function scoreTokens(fm: FastModel, d: Doc, n: number, marks: Int32Array | null): void {
  const W = fm.W;
  const P = fm.pool;
  const t37 = fm.t37;
  const t38 = fm.t38;
  const U = fm.used;
  const { ss, ls, sentIdx, mode, off, lh, sh, ssh, cap, ev, sm, pm } = d;
  let b = 0;
  for (let i = 0; i < n; i++) {
    const o = i * S;
    const first = sentIdx[i] === 0;
    const sameSentPrev = i > 0 && !first;
    const sameSentNext = i + 1 < n && ss[i + 1] === 0;
    const md = mode[i];
    const wl = lh[i];
    const ws = sh[i];
    const wss = ssh[i];
    let n1l = EOS;
    let n1s = EOS;
    let op1 = EDGE;
    let op2 = EDGE + 2 * S;
    let on1 = EDGE + S;
    let on2 = EDGE + 3 * S;
    if (sameSentPrev) {
      op1 = off[i - 1] + ASP1;
      if (sentIdx[i] >= 2) op2 = off[i - 2] + ASP2;
    }
    if (sameSentNext) {
      n1l = lh[i + 1];
      n1s = sh[i + 1];
      on1 = off[i + 1] + ASN1;
      if (i + 2 < n && ss[i + 2] === 0) on2 = off[i + 2] + ASN2;
    }
    const common = !first && md === 0;
    const ow = off[i] + SELF0;
    const c = cap[i];
    const e = ev[i];
    // ev[i] = 255: no letters, no casing features
    const e37 = e === 255 ? 0 : (e * 4 + c) * S;
    const e38 = e === 255 ? 0 : (e * 10 + md * 4 + (first ? 1 : 0)) * S;
    const T37 = e === 255 ? P : t37;
    const T38 = e === 255 ? P : t38;
    const o37 = e === 255 ? ZERO : e37;
    const o38 = e === 255 ? ZERO : e38;
    // mix3(t, a, b) = mix(mix(t, a), b); the inner mixes are precomputed per word (pool slot PM)
    const h26 = mix(sameSentPrev ? pm[(i - 1) * 6] : PM_BOS26, ws) & NB;
    const h27 = mix(pm[i * 6 + 1], n1s) & NB;
    const h28 = mix(sameSentPrev ? pm[(i - 1) * 6 + 2] : PM_BOS28, wl) & NB;
    const h29 = mix(pm[i * 6 + 3], n1l) & NB;
    const h30 = mix(sameSentPrev ? pm[(i - 1) * 6 + 4] : PM_BOS30, wss) & NB;
    const h31 = mix(pm[i * 6 + 5], n1l) & NB;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0, s8 = 0, s9 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0, s14 = 0, s15 = 0, s16 = 0, s17 = 0;
      if ((U[h28 >>> 5] >>> (h28 & 31)) & 1) {
        b = h28 * 18;
        s0 += W[b]; s1 += W[b + 1]; s2 += W[b + 2]; s3 += W[b + 3]; s4 += W[b + 4]; s5 += W[b + 5]; s6 += W[b + 6]; s7 += W[b + 7]; s8 += W[b + 8]; s9 += W[b + 9]; s10 += W[b + 10]; s11 += W[b + 11]; s12 += W[b + 12]; s13 += W[b + 13]; s14 += W[b + 14]; s15 += W[b + 15]; s16 += W[b + 16]; s17 += W[b + 17];
      }
      if ((U[h29 >>> 5] >>> (h29 & 31)) & 1) {
        b = h29 * 18;
        s0 += W[b]; s1 += W[b + 1]; s2 += W[b + 2]; s3 += W[b + 3]; s4 += W[b + 4]; s5 += W[b + 5]; s6 += W[b + 6]; s7 += W[b + 7]; s8 += W[b + 8]; s9 += W[b + 9]; s10 += W[b + 10]; s11 += W[b + 11]; s12 += W[b + 12]; s13 += W[b + 13]; s14 += W[b + 14]; s15 += W[b + 15]; s16 += W[b + 16]; s17 += W[b + 17];
      }
      if ((U[h30 >>> 5] >>> (h30 & 31)) & 1) {
        b = h30 * 18;
        s0 += W[b]; s1 += W[b + 1]; s2 += W[b + 2]; s3 += W[b + 3]; s4 += W[b + 4]; s5 += W[b + 5]; s6 += W[b + 6]; s7 += W[b + 7]; s8 += W[b + 8]; s9 += W[b + 9]; s10 += W[b + 10]; s11 += W[b + 11]; s12 += W[b + 12]; s13 += W[b + 13]; s14 += W[b + 14]; s15 += W[b + 15]; s16 += W[b + 16]; s17 += W[b + 17];
      }
      if ((U[h31 >>> 5] >>> (h31 & 31)) & 1) {
        b = h31 * 18;
        s0 += W[b]; s1 += W[b + 1]; s2 += W[b + 2]; s3 += W[b + 3]; s4 += W[b + 4]; s5 += W[b + 5]; s6 += W[b + 6]; s7 += W[b + 7]; s8 += W[b + 8]; s9 += W[b + 9]; s10 += W[b + 10]; s11 += W[b + 11]; s12 += W[b + 12]; s13 += W[b + 13]; s14 += W[b + 14]; s15 += W[b + 15]; s16 += W[b + 16]; s17 += W[b + 17];
      }
      if ((U[h26 >>> 5] >>> (h26 & 31)) & 1) {
        b = h26 * 18;
        s0 += W[b]; s1 += W[b + 1]; s2 += W[b + 2]; s3 += W[b + 3]; s4 += W[b + 4]; s5 += W[b + 5]; s6 += W[b + 6]; s7 += W[b + 7]; s8 += W[b + 8]; s9 += W[b + 9]; s10 += W[b + 10]; s11 += W[b + 11]; s12 += W[b + 12]; s13 += W[b + 13]; s14 += W[b + 14]; s15 += W[b + 15]; s16 += W[b + 16]; s17 += W[b + 17];
      }
      if ((U[h27 >>> 5] >>> (h27 & 31)) & 1) {
        b = h27 * 18;
        s0 += W[b]; s1 += W[b + 1]; s2 += W[b + 2]; s3 += W[b + 3]; s4 += W[b + 4]; s5 += W[b + 5]; s6 += W[b + 6]; s7 += W[b + 7]; s8 += W[b + 8]; s9 += W[b + 9]; s10 += W[b + 10]; s11 += W[b + 11]; s12 += W[b + 12]; s13 += W[b + 13]; s14 += W[b + 14]; s15 += W[b + 15]; s16 += W[b + 16]; s17 += W[b + 17];
      }
      b = ow;
      s0 += P[b]; s1 += P[b + 1]; s2 += P[b + 2]; s3 += P[b + 3]; s4 += P[b + 4]; s5 += P[b + 5]; s6 += P[b + 6]; s7 += P[b + 7]; s8 += P[b + 8]; s9 += P[b + 9]; s10 += P[b + 10]; s11 += P[b + 11]; s12 += P[b + 12]; s13 += P[b + 13]; s14 += P[b + 14]; s15 += P[b + 15]; s16 += P[b + 16]; s17 += P[b + 17];
      b = op1;
      s0 += P[b]; s1 += P[b + 1]; s2 += P[b + 2]; s3 += P[b + 3]; s4 += P[b + 4]; s5 += P[b + 5]; s6 += P[b + 6]; s7 += P[b + 7]; s8 += P[b + 8]; s9 += P[b + 9]; s10 += P[b + 10]; s11 += P[b + 11]; s12 += P[b + 12]; s13 += P[b + 13]; s14 += P[b + 14]; s15 += P[b + 15]; s16 += P[b + 16]; s17 += P[b + 17];
      b = on1;
      s0 += P[b]; s1 += P[b + 1]; s2 += P[b + 2]; s3 += P[b + 3]; s4 += P[b + 4]; s5 += P[b + 5]; s6 += P[b + 6]; s7 += P[b + 7]; s8 += P[b + 8]; s9 += P[b + 9]; s10 += P[b + 10]; s11 += P[b + 11]; s12 += P[b + 12]; s13 += P[b + 13]; s14 += P[b + 14]; s15 += P[b + 15]; s16 += P[b + 16]; s17 += P[b + 17];
      b = op2;
      s0 += P[b]; s1 += P[b + 1]; s2 += P[b + 2]; s3 += P[b + 3]; s4 += P[b + 4]; s5 += P[b + 5]; s6 += P[b + 6]; s7 += P[b + 7]; s8 += P[b + 8]; s9 += P[b + 9]; s10 += P[b + 10]; s11 += P[b + 11]; s12 += P[b + 12]; s13 += P[b + 13]; s14 += P[b + 14]; s15 += P[b + 15]; s16 += P[b + 16]; s17 += P[b + 17];
      b = on2;
      s0 += P[b]; s1 += P[b + 1]; s2 += P[b + 2]; s3 += P[b + 3]; s4 += P[b + 4]; s5 += P[b + 5]; s6 += P[b + 6]; s7 += P[b + 7]; s8 += P[b + 8]; s9 += P[b + 9]; s10 += P[b + 10]; s11 += P[b + 11]; s12 += P[b + 12]; s13 += P[b + 13]; s14 += P[b + 14]; s15 += P[b + 15]; s16 += P[b + 16]; s17 += P[b + 17];
      b = o37;
      s0 += T37[b]; s1 += T37[b + 1]; s2 += T37[b + 2]; s3 += T37[b + 3]; s4 += T37[b + 4]; s5 += T37[b + 5]; s6 += T37[b + 6]; s7 += T37[b + 7]; s8 += T37[b + 8]; s9 += T37[b + 9]; s10 += T37[b + 10]; s11 += T37[b + 11]; s12 += T37[b + 12]; s13 += T37[b + 13]; s14 += T37[b + 14]; s15 += T37[b + 15]; s16 += T37[b + 16]; s17 += T37[b + 17];
      b = o38;
      s0 += T38[b]; s1 += T38[b + 1]; s2 += T38[b + 2]; s3 += T38[b + 3]; s4 += T38[b + 4]; s5 += T38[b + 5]; s6 += T38[b + 6]; s7 += T38[b + 7]; s8 += T38[b + 8]; s9 += T38[b + 9]; s10 += T38[b + 10]; s11 += T38[b + 11]; s12 += T38[b + 12]; s13 += T38[b + 13]; s14 += T38[b + 14]; s15 += T38[b + 15]; s16 += T38[b + 16]; s17 += T38[b + 17];
      sm[o] = s0; sm[o + 1] = s1; sm[o + 2] = s2; sm[o + 3] = s3; sm[o + 4] = s4; sm[o + 5] = s5; sm[o + 6] = s6; sm[o + 7] = s7; sm[o + 8] = s8; sm[o + 9] = s9; sm[o + 10] = s10; sm[o + 11] = s11; sm[o + 12] = s12; sm[o + 13] = s13; sm[o + 14] = s14; sm[o + 15] = s15; sm[o + 16] = s16; sm[o + 17] = s17;
    // rarer features, added in place
    if (!common) {
      // the word's vector holds the common case's position features: swap them for this position's
      subRow(W, sm, o, mix3(32, 0, wss) & NB);
      subRow(W, sm, o, mix3(33, 0, wl) & NB);
      subRow(W, sm, o, mix3(34, 0, wss) & NB);
      const f = first ? 1 : 0;
      addRow(W, sm, o, mix3(32, f, wss) & NB);
      addRow(W, sm, o, mix3(33, f, wl) & NB);
      addRow(W, sm, o, mix3(34, md, wss) & NB);
      if (md) addRow(W, sm, o, mix3(35, md, wl) & NB);
    }
    if (ls[i]) addRow(W, sm, o, mix3(36, Math.min(sentIdx[i], 1), wss) & NB);
    if (marks) {
      const m0 = marks[i];
      if (m0) {
        for (let k = 0; k < 6; k++) {
          if (m0 & (1 << k)) addVec(sm, o, fm.t40, (k * 4 + c) * S);
          if (m0 & (1 << (k + 8))) addVec(sm, o, fm.t41, k * S);
        }
        addRow(W, sm, o, mix(42, m0) & NB);
      }
      const mp = sameSentPrev ? marks[i - 1] : 0;
      const mn = sameSentNext ? marks[i + 1] : 0;
      if (mp) addRow(W, sm, o, mix(43, mp) & NB);
      if (mn) addRow(W, sm, o, mix(44, mn) & NB);
    }
  }
}

/** Per-document flat arrays (scratch, reused across calls). */
interface Doc {
  ss: Uint8Array;
  ls: Uint8Array;
  sentIdx: Int32Array;
  mode: Int8Array;
  /** pool offset of each token's word vectors */
  off: Int32Array;
  lh: Int32Array;
  sh: Int32Array;
  ssh: Int32Array;
  cap: Uint8Array;
  /** document casing evidence of the token's word (0..7), 255 = no letters */
  ev: Uint8Array;
  sm: Int32Array;
  marks: Int32Array;
  labels1: Uint8Array;
  /** the words' pair-feature inner mixes (pool slot PM), 6 per token */
  pm: Int32Array;
  /** the word's lower-case id, -1 when it has no letters */
  lid: Int32Array;
}
let doc: Doc | null = null;
function docScratch(n: number): Doc {
  if (!doc || doc.ss.length < n) {
    const m = Math.max(n * 2, 4096);
    doc = {
      ss: new Uint8Array(m), ls: new Uint8Array(m), sentIdx: new Int32Array(m), mode: new Int8Array(m), off: new Int32Array(m),
      lh: new Int32Array(m), sh: new Int32Array(m), ssh: new Int32Array(m), cap: new Uint8Array(m), ev: new Uint8Array(m), sm: new Int32Array(m * S), marks: new Int32Array(m), labels1: new Uint8Array(m), pm: new Int32Array(m * 6), lid: new Int32Array(m),
    };
  }
  return doc;
}

export interface FastResult {
  labels: Uint8Array;
  /** the words of the tokens (for post-processing) */
  infos: WordInfo[];
}

/** Two-stage tagging of one document (stage 2 only when the model has one and `stage2`). */
export function tagFast(fm: FastModel, gaz: Gazetteer | null, tokens: Token[], stage2 = true): FastResult {
  const n = tokens.length;
  if (reserveWordCache(n)) resetPool(fm);
  const d = docScratch(n);
  const { ss, ls, sentIdx, off, lh, sh, ssh, cap, pm, lid } = d;
  const infos: WordInfo[] = new Array(n);
  for (let i = 0, k = 0; i < n; i++) {
    const t = tokens[i];
    const w = wordInfo(t.norm);
    infos[i] = w;
    ls[i] = t.lineStart ? 1 : 0;
    ss[i] = t.sentStart ? 1 : 0;
    if (t.sentStart) k = i;
    sentIdx[i] = i - k;
    off[i] = wordOff(fm, w);
    lh[i] = w.lowerH;
    sh[i] = w.shapeH;
    ssh[i] = w.sshapeH;
    cap[i] = w.cap;
    lid[i] = w.alpha ? w.lid : -1;
    const wp = fm.pool;
    const p = off[i] + PM;
    const q = i * 6;
    pm[q] = wp[p];
    pm[q + 1] = wp[p + 1];
    pm[q + 2] = wp[p + 2];
    pm[q + 3] = wp[p + 3];
    pm[q + 4] = wp[p + 4];
    pm[q + 5] = wp[p + 5];
  }
  const mode = sentenceModes(infos, tokens, d.mode);
  // document-level casing evidence per lower-cased word
  const nl = lowerIdCount();
  if (evScratch.length < nl) evScratch = new Uint8Array(Math.max(nl * 2, 4096));
  const evw = evScratch;
  for (let i = 0; i < n; i++) {
    const id = lid[i];
    if (id < 0) continue;
    const c = cap[i];
    let f = 0;
    if (c === 1) f = 2;
    else if (mode[i] === 0 && sentIdx[i] > 0 && c === 2) f = 1;
    else if (mode[i] === 0 && c === 3) f = 4;
    if (f) evw[id] |= f;
  }
  const ev = d.ev;
  for (let i = 0; i < n; i++) ev[i] = lid[i] >= 0 ? evw[lid[i]] : 255;
  for (let i = 0; i < n; i++) if (lid[i] >= 0) evw[lid[i]] = 0;
  const marks = gaz ? gazetteerMarksFast(infos, n, gaz, d.marks) : null;

  const sm = d.sm;
  scoreTokens(fm, d, n, marks);

  const labels1 = stage2 && fm.hasStage2 ? d.labels1 : new Uint8Array(n);
  viterbiFast(fm.trans1, fm.start1, sm, 0, fm.scale1, n, ss, labels1);
  if (!fm.hasStage2 || !stage2) return { labels: labels1, infos };

  // ---- stage 2: what stage 1 predicted for the other occurrences of each capitalised word ----
  if (countScratch.length < nl * 5) countScratch = new Int32Array(Math.max(nl * 10, 4096 * 5));
  const cnt = countScratch;
  for (let i = 0; i < n; i++) {
    if (lid[i] < 0 || cap[i] < 2) continue;
    const lab = labels1[i];
    cnt[lid[i] * 5 + (lab === 0 ? 0 : ((lab - 1) >> 1) + 1)]++;
  }
  for (let i = 0; i < n; i++) {
    if (lid[i] < 0 || cap[i] < 2) continue;
    const c = lid[i] * 5;
    const lab = labels1[i];
    const own = lab === 0 ? 0 : ((lab - 1) >> 1) + 1;
    let total = 0;
    let best = -1;
    let bestN = 0;
    for (let t = 0; t < 5; t++) {
      const v = cnt[c + t] - (t === own ? 1 : 0);
      total += v;
      if (t > 0 && v > bestN) {
        bestN = v;
        best = t;
      }
    }
    if (total === 0) continue;
    const o = i * S;
    if (best > 0) {
      addVec(sm, o, fm.t60, (best * 4 + cap[i]) * S);
      addVec(sm, o, fm.t61, (best * 2 + (bestN * 2 >= total ? 1 : 0)) * S);
    } else addVec(sm, o, fm.t62, cap[i] * S);
    for (let t = 1; t < 5; t++) if (cnt[c + t] - (t === own ? 1 : 0) > 0 && t !== best) addVec(sm, o, fm.t63, t * S);
  }
  for (let i = 0; i < n; i++) {
    if (lid[i] < 0 || cap[i] < 2) continue;
    const c = lid[i] * 5;
    cnt[c] = cnt[c + 1] = cnt[c + 2] = cnt[c + 3] = cnt[c + 4] = 0;
  }
  const labels2 = new Uint8Array(n);
  viterbiFast(fm.trans2, fm.start2, sm, L, fm.scale2, n, ss, labels2);
  return { labels: labels2, infos };
}
