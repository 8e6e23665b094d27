/**
 * The tagger's weights, their compact on-disk form and Viterbi decoding.
 *
 * File format (`ner-model.bin`):
 *   u32 header length, header JSON ({hashBits, labels, scale, nnz, ...})
 *   f32[L*L] transition weights, f32[L] start weights
 *   nnz delta-encoded LEB128 varints: flat indices (bucket * L + label) of the kept weights
 *   i16[nnz] quantised weights (weight ≈ q * scale), little-endian
 */
import { NUM_LABELS, NUM_BUCKETS, HASH_BITS, LABELS, MAX_INTRINSIC, intrinsicFeatures, type DocFeatures, type WordInfo } from './features';

let nextModelId = 0;

export interface Weights {
  /** Per (bucket, label) emission weights; Float32Array while training, Int16Array (× scale) when loaded. */
  w: Float32Array | Int16Array;
  scale: number;
  /** When set, `w` is compact: bucket b uses row rows[b] - 1 of `w` (0 = no weights). */
  rows?: Uint16Array | Int32Array;
  /** small integer identifying a loaded model (keys the per-word score cache) */
  id?: number;
  trans: Float32Array;
  start: Float32Array;
}

export interface ModelHeader {
  hashBits: number;
  labels: readonly string[];
  scale: number;
  nnz: number;
  [k: string]: unknown;
}

/** Label l may follow label p? (I-X only after B-X / I-X.) */
export function allowed(p: number, l: number): boolean {
  if (l === 0 || l % 2 === 1) return true; // O or B-*
  return p === l || p === l - 1;
}

const NEG = -1e30;
/** Quantisation range: weights are stored as int16 in [-QMAX, QMAX]. */
const QMAX = 32000;

/**
 * Per-model cache of the summed (unscaled) weights of a word's intrinsic features: one slab of
 * NUM_LABELS floats per cached word, emptied when it fills (bounded memory).
 */
interface ScoreCache {
  index: Map<WordInfo, number>;
  slab: Float32Array;
}
const SCORE_CACHE_MAX = 32768;
const scoreCaches = new Map<number, ScoreCache>();
const intrScratch = new Int32Array(MAX_INTRINSIC);

/** Offset in the model's score slab of the word's summed intrinsic weights. */
function wordScores(model: Weights, w: WordInfo): ScoreCache {
  let c = scoreCaches.get(model.id!);
  if (!c) scoreCaches.set(model.id!, (c = { index: new Map(), slab: new Float32Array(1024 * NUM_LABELS) }));
  if (c.index.has(w)) return c;
  if (c.index.size >= SCORE_CACHE_MAX) c.index.clear();
  const slot = c.index.size;
  const o = slot * NUM_LABELS;
  if (o + NUM_LABELS > c.slab.length) {
    const bigger = new Float32Array(c.slab.length * 2);
    bigger.set(c.slab);
    c.slab = bigger;
  }
  const v = c.slab;
  v.fill(0, o, o + NUM_LABELS);
  const rows = model.rows!;
  const wt = model.w;
  const m = intrinsicFeatures(w, intrScratch);
  for (let k = 0; k < m; k++) {
    const r = rows[intrScratch[k]];
    if (r === 0) continue;
    const b = (r - 1) * NUM_LABELS;
    for (let l = 0; l < NUM_LABELS; l++) v[o + l] += wt[b + l];
  }
  c.index.set(w, slot);
  return c;
}

/** Emission scores for each token (n * L). */
export function emissions(model: Weights, df: DocFeatures, n: number, out?: Float32Array): Float32Array {
  const L = NUM_LABELS;
  const em = out && out.length >= n * L ? out : new Float32Array(n * L);
  em.fill(0, 0, n * L);
  const w = model.w;
  const rows = model.rows;
  const feats = df.feats;
  const offs = df.offsets;
  const words = model.id !== undefined ? df.words : undefined;
  for (let i = 0; i < n; i++) {
    const base = i * L;
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0, s8 = 0;
    for (let k = offs[i], e = offs[i + 1]; k < e; k++) {
      let b = feats[k];
      if (rows) {
        b = rows[b];
        if (b === 0) continue;
        b = (b - 1) * 9;
      } else b *= 9;
      s0 += w[b]; s1 += w[b + 1]; s2 += w[b + 2]; s3 += w[b + 3]; s4 += w[b + 4];
      s5 += w[b + 5]; s6 += w[b + 6]; s7 += w[b + 7]; s8 += w[b + 8];
    }
    const sc = model.scale;
    if (words) {
      const c = wordScores(model, words[i]);
      const ws = c.slab;
      const q = c.index.get(words[i])! * NUM_LABELS;
      s0 += ws[q]; s1 += ws[q + 1]; s2 += ws[q + 2]; s3 += ws[q + 3]; s4 += ws[q + 4]; s5 += ws[q + 5]; s6 += ws[q + 6]; s7 += ws[q + 7]; s8 += ws[q + 8];
    }
    em[base] = s0 * sc; em[base + 1] = s1 * sc; em[base + 2] = s2 * sc; em[base + 3] = s3 * sc;
    em[base + 4] = s4 * sc; em[base + 5] = s5 * sc; em[base + 6] = s6 * sc; em[base + 7] = s7 * sc; em[base + 8] = s8 * sc;
  }
  return em;
}

/**
 * Viterbi over sentences: `sentStarts[i]` marks where a new sentence begins (transitions
 * reset to the start weights there). Returns label indices.
 */
export function viterbi(model: Weights, em: Float32Array, n: number, sentStart: (i: number) => boolean): Uint8Array {
  const L = NUM_LABELS;
  const out = new Uint8Array(n);
  if (n === 0) return out;
  const delta = new Float32Array(n * L);
  const back = new Uint8Array(n * L);
  const tr = model.trans;
  const st = model.start;
  let segStart = 0;
  const finish = (end: number) => {
    // backtrack segment [segStart, end)
    let best = 0;
    let bv = NEG;
    const base = (end - 1) * L;
    for (let l = 0; l < L; l++) if (delta[base + l] > bv) { bv = delta[base + l]; best = l; }
    for (let i = end - 1; i >= segStart; i--) {
      out[i] = best;
      best = back[i * L + best];
    }
  };
  for (let i = 0; i < n; i++) {
    const base = i * L;
    if (i === 0 || sentStart(i)) {
      if (i > 0) finish(i);
      segStart = i;
      for (let l = 0; l < L; l++) delta[base + l] = allowed(0, l) ? em[base + l] + st[l] : NEG;
      continue;
    }
    const pb = base - L;
    for (let l = 0; l < L; l++) {
      let bv = NEG;
      let bp = 0;
      for (let p = 0; p < L; p++) {
        if (!allowed(p, l)) continue;
        const v = delta[pb + p] + tr[p * L + l];
        if (v > bv) { bv = v; bp = p; }
      }
      delta[base + l] = bv + em[base + l];
      back[base + l] = bp;
    }
  }
  finish(n);
  return out;
}

function writeVarint(buf: number[], v: number): void {
  while (v >= 0x80) {
    buf.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  buf.push(v);
}

/**
 * Serialises float weights: drops weights with |w| < minAbs and quantises
 * linearly to int16 (the largest |w| maps to QMAX).
 */
export function serializeModel(w: Float32Array, trans: Float32Array, start: Float32Array, extra: Record<string, unknown> = {}, minAbs = 0): Buffer {
  // scale from the max abs weight
  let q = 0;
  for (let i = 0; i < w.length; i++) if (Math.abs(w[i]) > q) q = Math.abs(w[i]);
  const scale = q / QMAX || 1;
  const idx: number[] = [];
  const vals: number[] = [];
  let last = 0;
  for (let i = 0; i < w.length; i++) {
    if (w[i] === 0 || Math.abs(w[i]) < minAbs) continue;
    let qv = Math.round(w[i] / scale);
    if (qv === 0) continue;
    if (qv > QMAX) qv = QMAX;
    if (qv < -QMAX) qv = -QMAX;
    writeVarint(idx, i - last);
    last = i;
    vals.push(qv);
  }
  const header: ModelHeader = { hashBits: HASH_BITS, labels: LABELS, scale, nnz: vals.length, ...extra };
  const hj = Buffer.from(JSON.stringify(header), 'utf8');
  const L = NUM_LABELS;
  const parts = [
    Buffer.from(new Uint32Array([hj.length]).buffer),
    hj,
    Buffer.from(new Float32Array(trans).buffer),
    Buffer.from(new Float32Array(start).buffer),
    Buffer.from(idx),
    Buffer.from(new Int16Array(vals).buffer),
  ];
  void L;
  return Buffer.concat(parts);
}

export function deserializeModel(buf: Uint8Array): { model: Weights; header: ModelHeader } {
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const hlen = dv.getUint32(0, true);
  const header = JSON.parse(Buffer.from(buf.subarray(4, 4 + hlen)).toString('utf8')) as ModelHeader;
  if (header.hashBits !== HASH_BITS || header.labels.length !== NUM_LABELS) throw new Error('ner model: incompatible feature layout');
  const L = NUM_LABELS;
  let p = 4 + hlen;
  const trans = new Float32Array(L * L);
  for (let i = 0; i < L * L; i++, p += 4) trans[i] = dv.getFloat32(p, true);
  const start = new Float32Array(L);
  for (let i = 0; i < L; i++, p += 4) start[i] = dv.getFloat32(p, true);
  const nnz = header.nnz;
  const indices = new Int32Array(nnz);
  let last = 0;
  for (let k = 0; k < nnz; k++) {
    let v = 0;
    let mul = 1;
    for (;;) {
      const b = buf[p++];
      v += (b & 0x7f) * mul;
      if (b < 0x80) break;
      mul *= 128;
    }
    last += v;
    indices[k] = last;
  }
  // compact rows: only buckets with a non-zero weight get a row of L weights
  let nrows = 0;
  let lastBucket = -1;
  for (let k = 0; k < nnz; k++) {
    const b = Math.floor(indices[k] / L);
    if (b !== lastBucket) {
      nrows++;
      lastBucket = b;
    }
  }
  const rows = nrows < 65535 ? new Uint16Array(NUM_BUCKETS) : new Int32Array(NUM_BUCKETS);
  const w = new Int16Array(nrows * L);
  let row = 0;
  lastBucket = -1;
  for (let k = 0; k < nnz; k++, p += 2) {
    const b = Math.floor(indices[k] / L);
    if (b !== lastBucket) {
      row++;
      rows[b] = row;
      lastBucket = b;
    }
    w[(row - 1) * L + (indices[k] % L)] = dv.getInt16(p, true);
  }
  return { model: { w, scale: header.scale, rows, trans, start, id: nextModelId++ }, header };
}
