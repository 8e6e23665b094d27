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
import { NUM_BUCKETS, NUM_LABELS, BOS, EOS, MAX_INTRINSIC, mix, mix3, wordInfo, intrinsicFeatures, reserveWordCache, lowerIdCount, sentenceMode, type WordInfo } from './features';
import { allowed, type Weights } from './model';

const L = NUM_LABELS;
/** row stride: stage-1 labels then stage-2 labels */
const S = 2 * L;
const NB = NUM_BUCKETS - 1;
const NEG = -1e30;
/** offset in W of the all-zero row after the hash buckets */
const ZROW = NUM_BUCKETS * S;
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
  // one extra row after the hash buckets stays zero: `scoreTokens` points features without weights at it
  const W = new Int16Array((NUM_BUCKETS + 1) * S);
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
/** bucket lists of one new word's vectors: SELF0 (bias, intrinsic, 3 position features), then 2 + 2 + 1 + 1 */
const selfBuckets = new Int32Array(MAX_INTRINSIC + 4);
const nbrBuckets = new Int32Array(6);

/**
 * Sum of the W rows of `buckets[from, to)` into v[o, o + S) (generated, unrolled code, as in
 * `scoreTokens`). Rows without a non-zero weight (two thirds of the buckets) are skipped unread:
 * each row read for a new word is a cache miss.
 */
function sumRows(fm: FastModel, buckets: Int32Array, from: number, to: number, v: Int32Array, o: number): void {
  const W = fm.W;
  const U = fm.used;
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0, s8 = 0, s9 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0, s14 = 0, s15 = 0, s16 = 0, s17 = 0;
  for (let k = from; k < to; k++) {
    const h = buckets[k];
    if (((U[h >>> 5] >>> (h & 31)) & 1) === 0) continue;
    const b = h * 18;
    s0 += W[b]; s1 += W[b + 1]; s2 += W[b + 2]; s3 += W[b + 3]; s4 += W[b + 4]; s5 += W[b + 5]; s6 += W[b + 6]; s7 += W[b + 7]; s8 += W[b + 8]; s9 += W[b + 9]; s10 += W[b + 10]; s11 += W[b + 11]; s12 += W[b + 12]; s13 += W[b + 13]; s14 += W[b + 14]; s15 += W[b + 15]; s16 += W[b + 16]; s17 += W[b + 17];
  }
  v[o] = s0; v[o + 1] = s1; v[o + 2] = s2; v[o + 3] = s3; v[o + 4] = s4; v[o + 5] = s5; v[o + 6] = s6; v[o + 7] = s7; v[o + 8] = s8; v[o + 9] = s9; v[o + 10] = s10; v[o + 11] = s11; v[o + 12] = s12; v[o + 13] = s13; v[o + 14] = s14; v[o + 15] = s15; v[o + 16] = s16; v[o + 17] = s17;
}

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
  const m = intrinsicFeatures(w, intrScratch);
  const sb = selfBuckets;
  sb[0] = 1 & NB; // bias
  for (let k = 0; k < m; k++) sb[k + 1] = intrScratch[k];
  sb[m + 1] = mix3(32, 0, w.sshapeH) & NB;
  sb[m + 2] = mix3(33, 0, w.lowerH) & NB;
  sb[m + 3] = mix3(34, 0, w.sshapeH) & NB;
  sumRows(fm, sb, 0, m + 4, v, o + SELF0);
  const nb = nbrBuckets;
  nb[0] = mix(20, w.lowerH) & NB;
  nb[1] = mix(24, w.shapeH) & NB;
  nb[2] = mix(21, w.lowerH) & NB;
  nb[3] = mix(25, w.shapeH) & NB;
  nb[4] = mix(22, w.lowerH) & NB;
  nb[5] = mix(23, w.lowerH) & NB;
  sumRows(fm, nb, 0, 2, v, o + ASP1);
  sumRows(fm, nb, 2, 4, v, o + ASN1);
  sumRows(fm, nb, 4, 5, v, o + ASP2);
  sumRows(fm, nb, 5, 6, v, o + ASN2);
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
const FNEG = Math.fround(NEG);
let back = new Uint8Array(0);

/**
 * Viterbi over sentences (`ss[i]` = a sentence starts at i; transitions restart from the start
 * weights there); the same arithmetic, tie-breaking and float32 rounding as model.ts `viterbi`,
 * unrolled (generated code). I-X may only follow B-X or I-X. The previous token's nine scores
 * and the 53 allowed transitions live in locals (no score array is written or read per token:
 * `Math.fround` on each new score is exactly what storing it in the reference's Float32Array
 * does); only the back-pointers are stored.
 */
function viterbiFast(trans: Float64Array, start: Float64Array, sm: Int32Array, lane: number, sc: number, n: number, ss: Uint8Array, out: Uint8Array): void {
  if (n === 0) return;
  if (back.length < n * L) back = new Uint8Array(n * L * 2);
  const bk = back;
  // the allowed transitions (p → l) and start weights, read once
  const t0_0 = trans[0]; const t1_0 = trans[9]; const t2_0 = trans[18]; const t3_0 = trans[27]; const t4_0 = trans[36]; const t5_0 = trans[45]; const t6_0 = trans[54]; const t7_0 = trans[63]; const t8_0 = trans[72];
  const t0_1 = trans[1]; const t1_1 = trans[10]; const t2_1 = trans[19]; const t3_1 = trans[28]; const t4_1 = trans[37]; const t5_1 = trans[46]; const t6_1 = trans[55]; const t7_1 = trans[64]; const t8_1 = trans[73];
  const t1_2 = trans[11]; const t2_2 = trans[20];
  const t0_3 = trans[3]; const t1_3 = trans[12]; const t2_3 = trans[21]; const t3_3 = trans[30]; const t4_3 = trans[39]; const t5_3 = trans[48]; const t6_3 = trans[57]; const t7_3 = trans[66]; const t8_3 = trans[75];
  const t3_4 = trans[31]; const t4_4 = trans[40];
  const t0_5 = trans[5]; const t1_5 = trans[14]; const t2_5 = trans[23]; const t3_5 = trans[32]; const t4_5 = trans[41]; const t5_5 = trans[50]; const t6_5 = trans[59]; const t7_5 = trans[68]; const t8_5 = trans[77];
  const t5_6 = trans[51]; const t6_6 = trans[60];
  const t0_7 = trans[7]; const t1_7 = trans[16]; const t2_7 = trans[25]; const t3_7 = trans[34]; const t4_7 = trans[43]; const t5_7 = trans[52]; const t6_7 = trans[61]; const t7_7 = trans[70]; const t8_7 = trans[79];
  const t7_8 = trans[71]; const t8_8 = trans[80];
  const st0 = start[0]; const st1 = start[1]; const st3 = start[3]; const st5 = start[5]; const st7 = start[7];
  // the previous token's scores (float32 values, as the reference path's Float32Array holds them)
  let d0 = 0; let d1 = 0; let d2 = 0; let d3 = 0; let d4 = 0; let d5 = 0; let d6 = 0; let d7 = 0; let d8 = 0;
  let segStart = 0;
  let bv = NEG;
  let bp = 0;
  let v = 0;
  for (let i = 0; i <= n; i++) {
    if (i === n || i === 0 || ss[i] === 1) {
      if (i > 0) {
        // backtrack [segStart, i)
        bv = NEG;
        bp = 0;
        if (d0 > bv) { bv = d0; bp = 0; }
        if (d1 > bv) { bv = d1; bp = 1; }
        if (d2 > bv) { bv = d2; bp = 2; }
        if (d3 > bv) { bv = d3; bp = 3; }
        if (d4 > bv) { bv = d4; bp = 4; }
        if (d5 > bv) { bv = d5; bp = 5; }
        if (d6 > bv) { bv = d6; bp = 6; }
        if (d7 > bv) { bv = d7; bp = 7; }
        if (d8 > bv) { bv = d8; bp = 8; }
        for (let k = i - 1; k >= segStart; k--) {
          out[k] = bp;
          bp = bk[k * L + bp];
        }
      }
      if (i === n) break;
      segStart = i;
      const eb = i * S + lane;
      d0 = Math.fround(Math.fround(sm[eb + 0] * sc) + st0);
      d1 = Math.fround(Math.fround(sm[eb + 1] * sc) + st1);
      d2 = FNEG;
      d3 = Math.fround(Math.fround(sm[eb + 3] * sc) + st3);
      d4 = FNEG;
      d5 = Math.fround(Math.fround(sm[eb + 5] * sc) + st5);
      d6 = FNEG;
      d7 = Math.fround(Math.fround(sm[eb + 7] * sc) + st7);
      d8 = FNEG;
      continue;
    }
    const base = i * L;
    // emission = the integer score sum × scale, rounded to float32 as the reference path stores it
    const eb = i * S + lane;
    // label 0
    bv = NEG;
    bp = 0;
    v = d0 + t0_0;
    if (v > bv) { bv = v; bp = 0; }
    v = d1 + t1_0;
    if (v > bv) { bv = v; bp = 1; }
    v = d2 + t2_0;
    if (v > bv) { bv = v; bp = 2; }
    v = d3 + t3_0;
    if (v > bv) { bv = v; bp = 3; }
    v = d4 + t4_0;
    if (v > bv) { bv = v; bp = 4; }
    v = d5 + t5_0;
    if (v > bv) { bv = v; bp = 5; }
    v = d6 + t6_0;
    if (v > bv) { bv = v; bp = 6; }
    v = d7 + t7_0;
    if (v > bv) { bv = v; bp = 7; }
    v = d8 + t8_0;
    if (v > bv) { bv = v; bp = 8; }
    const n0 = Math.fround(bv + Math.fround(sm[eb + 0] * sc));
    bk[base + 0] = bp;
    // label 1
    bv = NEG;
    bp = 0;
    v = d0 + t0_1;
    if (v > bv) { bv = v; bp = 0; }
    v = d1 + t1_1;
    if (v > bv) { bv = v; bp = 1; }
    v = d2 + t2_1;
    if (v > bv) { bv = v; bp = 2; }
    v = d3 + t3_1;
    if (v > bv) { bv = v; bp = 3; }
    v = d4 + t4_1;
    if (v > bv) { bv = v; bp = 4; }
    v = d5 + t5_1;
    if (v > bv) { bv = v; bp = 5; }
    v = d6 + t6_1;
    if (v > bv) { bv = v; bp = 6; }
    v = d7 + t7_1;
    if (v > bv) { bv = v; bp = 7; }
    v = d8 + t8_1;
    if (v > bv) { bv = v; bp = 8; }
    const n1 = Math.fround(bv + Math.fround(sm[eb + 1] * sc));
    bk[base + 1] = bp;
    // label 2
    bv = NEG;
    bp = 0;
    v = d1 + t1_2;
    if (v > bv) { bv = v; bp = 1; }
    v = d2 + t2_2;
    if (v > bv) { bv = v; bp = 2; }
    const n2 = Math.fround(bv + Math.fround(sm[eb + 2] * sc));
    bk[base + 2] = bp;
    // label 3
    bv = NEG;
    bp = 0;
    v = d0 + t0_3;
    if (v > bv) { bv = v; bp = 0; }
    v = d1 + t1_3;
    if (v > bv) { bv = v; bp = 1; }
    v = d2 + t2_3;
    if (v > bv) { bv = v; bp = 2; }
    v = d3 + t3_3;
    if (v > bv) { bv = v; bp = 3; }
    v = d4 + t4_3;
    if (v > bv) { bv = v; bp = 4; }
    v = d5 + t5_3;
    if (v > bv) { bv = v; bp = 5; }
    v = d6 + t6_3;
    if (v > bv) { bv = v; bp = 6; }
    v = d7 + t7_3;
    if (v > bv) { bv = v; bp = 7; }
    v = d8 + t8_3;
    if (v > bv) { bv = v; bp = 8; }
    const n3 = Math.fround(bv + Math.fround(sm[eb + 3] * sc));
    bk[base + 3] = bp;
    // label 4
    bv = NEG;
    bp = 0;
    v = d3 + t3_4;
    if (v > bv) { bv = v; bp = 3; }
    v = d4 + t4_4;
    if (v > bv) { bv = v; bp = 4; }
    const n4 = Math.fround(bv + Math.fround(sm[eb + 4] * sc));
    bk[base + 4] = bp;
    // label 5
    bv = NEG;
    bp = 0;
    v = d0 + t0_5;
    if (v > bv) { bv = v; bp = 0; }
    v = d1 + t1_5;
    if (v > bv) { bv = v; bp = 1; }
    v = d2 + t2_5;
    if (v > bv) { bv = v; bp = 2; }
    v = d3 + t3_5;
    if (v > bv) { bv = v; bp = 3; }
    v = d4 + t4_5;
    if (v > bv) { bv = v; bp = 4; }
    v = d5 + t5_5;
    if (v > bv) { bv = v; bp = 5; }
    v = d6 + t6_5;
    if (v > bv) { bv = v; bp = 6; }
    v = d7 + t7_5;
    if (v > bv) { bv = v; bp = 7; }
    v = d8 + t8_5;
    if (v > bv) { bv = v; bp = 8; }
    const n5 = Math.fround(bv + Math.fround(sm[eb + 5] * sc));
    bk[base + 5] = bp;
    // label 6
    bv = NEG;
    bp = 0;
    v = d5 + t5_6;
    if (v > bv) { bv = v; bp = 5; }
    v = d6 + t6_6;
    if (v > bv) { bv = v; bp = 6; }
    const n6 = Math.fround(bv + Math.fround(sm[eb + 6] * sc));
    bk[base + 6] = bp;
    // label 7
    bv = NEG;
    bp = 0;
    v = d0 + t0_7;
    if (v > bv) { bv = v; bp = 0; }
    v = d1 + t1_7;
    if (v > bv) { bv = v; bp = 1; }
    v = d2 + t2_7;
    if (v > bv) { bv = v; bp = 2; }
    v = d3 + t3_7;
    if (v > bv) { bv = v; bp = 3; }
    v = d4 + t4_7;
    if (v > bv) { bv = v; bp = 4; }
    v = d5 + t5_7;
    if (v > bv) { bv = v; bp = 5; }
    v = d6 + t6_7;
    if (v > bv) { bv = v; bp = 6; }
    v = d7 + t7_7;
    if (v > bv) { bv = v; bp = 7; }
    v = d8 + t8_7;
    if (v > bv) { bv = v; bp = 8; }
    const n7 = Math.fround(bv + Math.fround(sm[eb + 7] * sc));
    bk[base + 7] = bp;
    // label 8
    bv = NEG;
    bp = 0;
    v = d7 + t7_8;
    if (v > bv) { bv = v; bp = 7; }
    v = d8 + t8_8;
    if (v > bv) { bv = v; bp = 8; }
    const n8 = Math.fround(bv + Math.fround(sm[eb + 8] * sc));
    bk[base + 8] = bp;
    d0 = n0; d1 = n1; d2 = n2; d3 = n3; d4 = n4; d5 = n5; d6 = n6; d7 = n7; d8 = n8;
  }
}

/** how many tokens ahead `scoreTokens` touches the word-pair rows */
const AHEAD = 3;
/** receives the sum of the touching loads, so that the compiler cannot drop them */
let touchSink = 0;

/**
 * Summed feature weights of every token for both stages into `sm` (n × S). The per-token sum is
 * kept in 18 local integers (generated, unrolled code: this loop is the tagger's hot spot).
 * Per-token inputs are flat arrays (see `Doc`), so the loop touches no objects. The rarer
 * features are added afterwards (`rareFeatures`).
 */
function scoreTokens(fm: FastModel, d: Doc, n: number, marks: Int32Array | null): void {
  const W = fm.W;
  const P = fm.pool;
  const t37 = fm.t37;
  const t38 = fm.t38;
  const U = fm.used;
  const { ss, sentIdx, mode, off, lh, sh, ssh, cap, ev, sm, pm, rows } = d;
  // First pass: the W rows of every token's six word-pair features (current word × neighbour),
  // the all-zero row for buckets without weights. Computing them ahead lets the summing pass
  // below read them without branches and touch the rows of a later token early: these rows are
  // scattered over the 9 MB table, and their cache misses are most of the tagger's time.
  for (let i = 0; i < n; i++) {
    const sameSentPrev = i > 0 && sentIdx[i] !== 0;
    const sameSentNext = i + 1 < n && ss[i + 1] === 0;
    const n1l = sameSentNext ? lh[i + 1] : EOS;
    const n1s = sameSentNext ? sh[i + 1] : EOS;
    // mix3(t, a, b) = mix(mix(t, a), b); the inner mixes are precomputed per word (pool slot PM)
    const h26 = mix(sameSentPrev ? pm[(i - 1) * 6] : PM_BOS26, sh[i]) & NB;
    const h27 = mix(pm[i * 6 + 1], n1s) & NB;
    const h28 = mix(sameSentPrev ? pm[(i - 1) * 6 + 2] : PM_BOS28, lh[i]) & NB;
    const h29 = mix(pm[i * 6 + 3], n1l) & NB;
    const h30 = mix(sameSentPrev ? pm[(i - 1) * 6 + 4] : PM_BOS30, ssh[i]) & NB;
    const h31 = mix(pm[i * 6 + 5], n1l) & NB;
    const r = i * 6;
    rows[r] = (U[h26 >>> 5] >>> (h26 & 31)) & 1 ? h26 * S : ZROW;
    rows[r + 1] = (U[h27 >>> 5] >>> (h27 & 31)) & 1 ? h27 * S : ZROW;
    rows[r + 2] = (U[h28 >>> 5] >>> (h28 & 31)) & 1 ? h28 * S : ZROW;
    rows[r + 3] = (U[h29 >>> 5] >>> (h29 & 31)) & 1 ? h29 * S : ZROW;
    rows[r + 4] = (U[h30 >>> 5] >>> (h30 & 31)) & 1 ? h30 * S : ZROW;
    rows[r + 5] = (U[h31 >>> 5] >>> (h31 & 31)) & 1 ? h31 * S : ZROW;
  }
  rows.fill(ZROW, n * 6, (n + AHEAD) * 6);
  let touched = 0;
  let b = 0;
  for (let i = 0; i < n; i++) {
    const o = i * S;
    const first = sentIdx[i] === 0;
    const sameSentPrev = i > 0 && !first;
    const sameSentNext = i + 1 < n && ss[i + 1] === 0;
    const md = mode[i];
    let op1 = EDGE;
    let op2 = EDGE + 2 * S;
    let on1 = EDGE + S;
    let on2 = EDGE + 3 * S;
    if (sameSentPrev) {
      op1 = off[i - 1] + ASP1;
      if (sentIdx[i] >= 2) op2 = off[i - 2] + ASP2;
    }
    if (sameSentNext) {
      on1 = off[i + 1] + ASN1;
      if (i + 2 < n && ss[i + 2] === 0) on2 = off[i + 2] + ASN2;
    }
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
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0, s8 = 0, s9 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0, s14 = 0, s15 = 0, s16 = 0, s17 = 0;
      // touch the word-pair rows of token i + AHEAD now: their cache misses overlap this token's work
      const q = (i + AHEAD) * 6;
      touched += W[rows[q]] + W[rows[q + 1]] + W[rows[q + 2]] + W[rows[q + 3]] + W[rows[q + 4]] + W[rows[q + 5]];
      // and the cached vectors of the word first read then (as the right neighbour at distance 2)
      if (i + AHEAD + 2 < n) {
        const pw = off[i + AHEAD + 2];
        touched += P[pw] + P[pw + 16] + P[pw + 32] + P[pw + 48] + P[pw + 64] + P[pw + 80];
      }
      const r = i * 6;
      b = rows[r];
      s0 += W[b]; s1 += W[b + 1]; s2 += W[b + 2]; s3 += W[b + 3]; s4 += W[b + 4]; s5 += W[b + 5]; s6 += W[b + 6]; s7 += W[b + 7]; s8 += W[b + 8]; s9 += W[b + 9]; s10 += W[b + 10]; s11 += W[b + 11]; s12 += W[b + 12]; s13 += W[b + 13]; s14 += W[b + 14]; s15 += W[b + 15]; s16 += W[b + 16]; s17 += W[b + 17];
      b = rows[r + 1];
      s0 += W[b]; s1 += W[b + 1]; s2 += W[b + 2]; s3 += W[b + 3]; s4 += W[b + 4]; s5 += W[b + 5]; s6 += W[b + 6]; s7 += W[b + 7]; s8 += W[b + 8]; s9 += W[b + 9]; s10 += W[b + 10]; s11 += W[b + 11]; s12 += W[b + 12]; s13 += W[b + 13]; s14 += W[b + 14]; s15 += W[b + 15]; s16 += W[b + 16]; s17 += W[b + 17];
      b = rows[r + 2];
      s0 += W[b]; s1 += W[b + 1]; s2 += W[b + 2]; s3 += W[b + 3]; s4 += W[b + 4]; s5 += W[b + 5]; s6 += W[b + 6]; s7 += W[b + 7]; s8 += W[b + 8]; s9 += W[b + 9]; s10 += W[b + 10]; s11 += W[b + 11]; s12 += W[b + 12]; s13 += W[b + 13]; s14 += W[b + 14]; s15 += W[b + 15]; s16 += W[b + 16]; s17 += W[b + 17];
      b = rows[r + 3];
      s0 += W[b]; s1 += W[b + 1]; s2 += W[b + 2]; s3 += W[b + 3]; s4 += W[b + 4]; s5 += W[b + 5]; s6 += W[b + 6]; s7 += W[b + 7]; s8 += W[b + 8]; s9 += W[b + 9]; s10 += W[b + 10]; s11 += W[b + 11]; s12 += W[b + 12]; s13 += W[b + 13]; s14 += W[b + 14]; s15 += W[b + 15]; s16 += W[b + 16]; s17 += W[b + 17];
      b = rows[r + 4];
      s0 += W[b]; s1 += W[b + 1]; s2 += W[b + 2]; s3 += W[b + 3]; s4 += W[b + 4]; s5 += W[b + 5]; s6 += W[b + 6]; s7 += W[b + 7]; s8 += W[b + 8]; s9 += W[b + 9]; s10 += W[b + 10]; s11 += W[b + 11]; s12 += W[b + 12]; s13 += W[b + 13]; s14 += W[b + 14]; s15 += W[b + 15]; s16 += W[b + 16]; s17 += W[b + 17];
      b = rows[r + 5];
      s0 += W[b]; s1 += W[b + 1]; s2 += W[b + 2]; s3 += W[b + 3]; s4 += W[b + 4]; s5 += W[b + 5]; s6 += W[b + 6]; s7 += W[b + 7]; s8 += W[b + 8]; s9 += W[b + 9]; s10 += W[b + 10]; s11 += W[b + 11]; s12 += W[b + 12]; s13 += W[b + 13]; s14 += W[b + 14]; s15 += W[b + 15]; s16 += W[b + 16]; s17 += W[b + 17];
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
  }
  touchSink = touched; // keeps the touching loads (their value is never used)
  rareFeatures(fm, d, n, marks);
}

/**
 * The features `scoreTokens`' summing loop leaves out, added in place to `d.sm`: position
 * features outside the common case, line starts, gazetteer marks. A pass of its own (the sums
 * are integers: the order they are added in does not matter). Inlined into the summing loop,
 * their dozen 18-lane row loops made it the tagger's most expensive function to optimise, and
 * it is optimised at least twice per worker (on-stack, then on entry).
 */
function rareFeatures(fm: FastModel, d: Doc, n: number, marks: Int32Array | null): void {
  const W = fm.W;
  const { ss, ls, sentIdx, mode, lh, ssh, cap, sm } = d;
  for (let i = 0; i < n; i++) {
    const o = i * S;
    const first = sentIdx[i] === 0;
    const sameSentPrev = i > 0 && !first;
    const sameSentNext = i + 1 < n && ss[i + 1] === 0;
    const md = mode[i];
    const wl = lh[i];
    const wss = ssh[i];
    const common = !first && md === 0;
    const c = cap[i];
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

/**
 * features.ts `sentenceModes` over the flat arrays (a word has letters iff cap > 0): the same
 * counts and the same divisions, without touching the word records and their strings again.
 */
function sentenceModesFast(d: Doc, n: number): Int8Array {
  const { ss, cap, ll, mode } = d;
  let s = 0;
  while (s < n) {
    let e = s + 1;
    while (e < n && ss[e] === 0) e++;
    let alphaLong = 0;
    let caps = 0;
    let titled = 0;
    let longWords = 0;
    for (let i = s; i < e; i++) {
      const c = cap[i];
      const len = ll[i];
      if (c === 0 || len < 2) continue;
      alphaLong++;
      if (c === 3) caps++;
      if (len > 3) {
        longWords++;
        if (c >= 2) titled++;
      }
    }
    const m = sentenceMode(alphaLong, caps, longWords, titled);
    for (let i = s; i < e; i++) mode[i] = m;
    s = e;
  }
  return mode;
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
  /** length of the word's lower-case form */
  ll: Int32Array;
  /** document casing evidence of the token's word (0..7), 255 = no letters */
  ev: Uint8Array;
  sm: Int32Array;
  marks: Int32Array;
  labels1: Uint8Array;
  /** the words' pair-feature inner mixes (pool slot PM), 6 per token */
  pm: Int32Array;
  /** the word's lower-case id, -1 when it has no letters */
  lid: Int32Array;
  /** W offsets of the six word-pair feature rows per token (`scoreTokens`), AHEAD tokens of padding */
  rows: Int32Array;
}
let doc: Doc | null = null;
function docScratch(n: number): Doc {
  if (!doc || doc.ss.length < n) {
    const m = Math.max(n * 2, 4096);
    doc = {
      ss: new Uint8Array(m), ls: new Uint8Array(m), sentIdx: new Int32Array(m), mode: new Int8Array(m), off: new Int32Array(m),
      lh: new Int32Array(m), sh: new Int32Array(m), ssh: new Int32Array(m), cap: new Uint8Array(m), ll: new Int32Array(m), ev: new Uint8Array(m), sm: new Int32Array(m * S), marks: new Int32Array(m), labels1: new Uint8Array(m), pm: new Int32Array(m * 6), lid: new Int32Array(m), rows: new Int32Array((m + AHEAD) * 6),
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
  const { ss, ls, sentIdx, off, lh, sh, ssh, cap, ll, pm, lid } = d;
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
    ll[i] = w.lowerLen;
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
  const mode = sentenceModesFast(d, n);
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
