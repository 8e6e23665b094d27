/**
 * Trains the named-entity tagger (averaged structured perceptron, first-order Viterbi) on
 * CoNLL-2003 eng.train, picks the epoch count on eng.testa, and writes server/model/ner-model.bin
 * (plus the derived gazetteer, server/model/gazetteer.tsv).
 *
 *   node --import tsx server/tools/train.ts [--seed 1] [--epochs 14] [--data /work/shared/data/conll2003]
 *
 * Training text is the CoNLL tokens detokenised into ordinary text and re-tokenised by the
 * product's own tokenizer, so the model sees exactly what it sees at run time. Augmentation
 * (re-drawn every epoch, deterministic given the seed): typographic quotes/apostrophes, and
 * title-cased body sentences (headline style).
 * The data derive from the Reuters Corpus (RCV1), via the CoNLL-2003 shared task.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readConll, detokenizeDoc, type ConllDoc, type DetokDoc } from '../src/service/ner/conll';
import { tokenize, type Token } from '../src/service/ner/tokenizer';
import { parseGazetteer, type Gazetteer } from '../src/service/ner/gazetteer';
import { extractFeatures, extendWithPredictions, NUM_BUCKETS, NUM_LABELS, TYPES, type DocFeatures } from '../src/service/ner/features';
import { decode } from '../src/service/ner/tagger';
import { emissions, viterbi, serializeModel, deserializeModel, type Weights } from '../src/service/ner/model';
import { evaluateDocs, formatEval } from '../src/service/ner/evaluate';
import { recognizeEntities, setModelForTesting, MODEL_FILE, MODEL2_FILE } from '../src/service/ner/index';
import { buildGazetteer, GAZETTEER_FILE } from './build-gazetteer';

function arg(name: string, def: string): string {
  const i = process.argv.indexOf('--' + name);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : def;
}

const SEED = Number(arg('seed', '1'));
const EPOCHS = Number(arg('epochs', '14'));
const DATA = arg('data', process.env.CONLL_DIR ?? '/work/shared/data/conll2003');
const OUT_DIR = path.resolve(__dirname, '..', 'model');
const PRUNE = arg('prune', 'auto');
const TITLE_P = Number(arg('title', '0.08'));
const CURLY_P = Number(arg('curly', '0.5'));
const STAGE2 = !process.argv.includes('--no-stage2');

function mulberry32(a: number): () => number {
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SMALL = new Set(['a', 'an', 'the', 'and', 'but', 'or', 'for', 'nor', 'on', 'at', 'to', 'from', 'by', 'of', 'in', 'with', 'as']);

/** Headline-style title case for one sentence's tokens. */
function titleCase(tokens: string[]): string[] {
  return tokens.map((t, i) => {
    if (!/^[a-z]/.test(t)) return t;
    if (i > 0 && SMALL.has(t)) return t;
    return t[0].toUpperCase() + t.slice(1);
  });
}

function isCapsSentence(tokens: string[]): boolean {
  const words = tokens.filter((t) => /[A-Za-z]{2}/.test(t));
  return words.length > 0 && words.filter((t) => t === t.toUpperCase()).length / words.length > 0.5;
}

interface Instance {
  tokens: Token[];
  df: DocFeatures;
  gold: Uint8Array;
  sents: number[]; // sentence start indices + n
}

let misaligned = 0;
let spansTotal = 0;

function makeInstance(doc: ConllDoc, rnd: () => number, gaz: Gazetteer, augment: boolean): Instance {
  const variant: ConllDoc = augment
    ? {
        sentences: doc.sentences.map((s) =>
          TITLE_P > 0 && s.tokens.length > 3 && !isCapsSentence(s.tokens) && rnd() < TITLE_P ? { tokens: titleCase(s.tokens), tags: s.tags } : s,
        ),
      }
    : doc;
  const d = detokenizeDoc(variant, { curly: augment && rnd() < CURLY_P });
  const tokens = tokenize(d.text);
  const spanAt = new Int32Array(d.text.length + 1).fill(-1);
  d.spans.forEach((sp, k) => {
    for (let c = sp.start; c < sp.end; c++) spanAt[c] = k;
  });
  const startsAt = new Set(tokens.map((t) => t.start));
  const endsAt = new Set(tokens.map((t) => t.end));
  for (const sp of d.spans) {
    spansTotal++;
    if (!startsAt.has(sp.start) || !endsAt.has(sp.end)) misaligned++;
  }
  const n = tokens.length;
  const gold = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const k = spanAt[tokens[i].start];
    if (k < 0) continue;
    const t = TYPES.indexOf(d.spans[k].type);
    const prevK = i > 0 ? spanAt[tokens[i - 1].start] : -1;
    gold[i] = prevK === k ? 2 * t + 2 : 2 * t + 1;
  }
  const sents: number[] = [];
  for (let i = 0; i < n; i++) if (tokens[i].sentStart) sents.push(i);
  sents.push(n);
  return { tokens, df: extractFeatures(tokens, gaz), gold, sents };
}

function shuffle<T>(a: T[], rnd: () => number): T[] {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

interface TrainOptions {
  name: string;
  epochs: number;
  /** first-stage model for a training document (stage 2 only) */
  stage1For?: (docIndex: number) => Weights;
  /** evaluate each epoch on dev and keep the best epoch (otherwise: the last) */
  dev?: (avg: Weights) => number;
  onBest?: (avg: Weights, epoch: number, f: number) => void;
}

function train(docs: ConllDoc[], gaz: Gazetteer, rnd: () => number, opt: TrainOptions): { model: Weights; epoch: number; f: number } {
  const L = NUM_LABELS;
  const W = new Float32Array(NUM_BUCKETS * L);
  const U = new Float32Array(NUM_BUCKETS * L); // sum of c * update, for averaging
  const T = new Float32Array(L * L);
  const TU = new Float32Array(L * L);
  const S = new Float32Array(L);
  const SU = new Float32Array(L);
  let c = 1;
  const model: Weights = { w: W, scale: 1, trans: T, start: S };
  const em = new Float32Array(4000 * L);
  const averaged = (): Weights => {
    const w = new Float32Array(W.length);
    for (let i = 0; i < W.length; i++) w[i] = W[i] - U[i] / c;
    const trans = new Float32Array(T.length);
    for (let i = 0; i < T.length; i++) trans[i] = T[i] - TU[i] / c;
    const start = new Float32Array(L);
    for (let i = 0; i < L; i++) start[i] = S[i] - SU[i] / c;
    return { w, scale: 1, trans, start };
  };
  let best = -1;
  let bestEpoch = 0;
  let bestModel: Weights | null = null;
  let patience = 0;
  for (let epoch = 1; epoch <= opt.epochs; epoch++) {
    const te = Date.now();
    misaligned = spansTotal = 0;
    const order = shuffle(docs.map((_, i) => i), rnd);
    let errors = 0;
    for (const di of order) {
      const inst = makeInstance(docs[di], rnd, gaz, epoch > 1);
      const { gold, sents } = inst;
      let df = inst.df;
      if (opt.stage1For) df = extendWithPredictions(inst.tokens, df, decode(opt.stage1For(di), df, inst.tokens));
      for (let si = 0; si + 1 < sents.length; si++) {
        const a = sents[si];
        const b = sents[si + 1];
        const n = b - a;
        const sub = { feats: df.feats, offsets: df.offsets.subarray(a, b + 1) };
        const e = emissions(model, sub, n, n * L <= em.length ? em : undefined);
        const pred = viterbi(model, e, n, () => false);
        let wrong = false;
        for (let i = 0; i < n; i++) if (pred[i] !== gold[a + i]) { wrong = true; break; }
        if (wrong) {
          errors++;
          for (let i = 0; i < n; i++) {
            const gl = gold[a + i];
            const pl = pred[i];
            if (gl !== pl) {
              for (let k = sub.offsets[i]; k < sub.offsets[i + 1]; k++) {
                const base = df.feats[k] * L;
                W[base + gl] += 1;
                U[base + gl] += c;
                W[base + pl] -= 1;
                U[base + pl] -= c;
              }
            }
            const gp = i > 0 ? gold[a + i - 1] : -1;
            const pp = i > 0 ? pred[i - 1] : -1;
            if (gl !== pl || gp !== pp) {
              if (i === 0) {
                S[gl] += 1; SU[gl] += c;
                S[pl] -= 1; SU[pl] -= c;
              } else {
                T[gp * L + gl] += 1; TU[gp * L + gl] += c;
                T[pp * L + pl] -= 1; TU[pp * L + pl] -= c;
              }
            }
          }
        }
        c++;
      }
    }
    const avg = averaged();
    let msg = `[${opt.name}] epoch ${epoch}: ${errors} wrong sentences, misaligned spans ${misaligned}/${spansTotal}, ${((Date.now() - te) / 1000).toFixed(1)}s`;
    if (opt.dev) {
      const f = opt.dev(avg);
      msg += `; testa F1 ${(f * 100).toFixed(2)}`;
      if (f > best) {
        best = f;
        bestEpoch = epoch;
        bestModel = avg;
        patience = 0;
        opt.onBest?.(avg, epoch, f);
      } else if (++patience >= 3) {
        console.log(msg);
        break;
      }
    } else {
      bestModel = avg;
      bestEpoch = epoch;
    }
    console.log(msg);
  }
  return { model: bestModel!, epoch: bestEpoch, f: best };
}

function main(): void {
  const t0 = Date.now();
  const g = buildGazetteer(GAZETTEER_FILE);
  console.log(`gazetteer: ${g.lines} entries, ${(g.bytes / 1024).toFixed(0)} KiB`);
  const gaz = parseGazetteer(fs.readFileSync(GAZETTEER_FILE, 'utf8'), tokenize);
  const trainDocs = readConll(path.join(DATA, 'eng.train'));
  const devDocs: DetokDoc[] = readConll(path.join(DATA, 'eng.testa')).map((d) => detokenizeDoc(d));
  console.log(`train docs ${trainDocs.length}, dev docs ${devDocs.length}, seed ${SEED}, epochs ${EPOCHS}`);
  const rnd = mulberry32(SEED);
  const f1 = (m: Weights, m2: Weights | null = null) => {
    setModelForTesting(m, gaz, m2);
    return evaluateDocs(devDocs, recognizeEntities).overall.f;
  };

  // stage 1: sentence-level tagger
  const file2 = path.join(OUT_DIR, MODEL2_FILE);
  const s1 = train(trainDocs, gaz, rnd, {
    name: 'stage 1',
    epochs: EPOCHS,
    dev: (m) => f1(m),
    onBest: (m, epoch, f) => {
      if (fs.existsSync(file2)) fs.unlinkSync(file2); // a stale stage 2 would not match
      save(m, MODEL_FILE, { stage: 1, seed: SEED, epoch, devF1: f }, 0.02);
    },
  });
  const stage1 = finalize(s1.model, MODEL_FILE, (q) => f1(q), s1.f, { stage: 1, seed: SEED, epoch: s1.epoch });

  if (STAGE2) {
    // jackknifed first-stage predictions for training the second stage
    const K = 5;
    const foldOf = trainDocs.map((_, i) => i % K);
    const folds: Weights[] = [];
    for (let k = 0; k < K; k++) {
      const idx = trainDocs.map((_, i) => i).filter((i) => foldOf[i] !== k);
      folds.push(train(idx.map((i) => trainDocs[i]), gaz, rnd, { name: `fold ${k + 1}/${K}`, epochs: s1.epoch }).model);
    }
    const s2 = train(trainDocs, gaz, rnd, {
      name: 'stage 2',
      epochs: EPOCHS,
      stage1For: (i) => folds[foldOf[i]],
      dev: (m) => f1(stage1, m),
    });
    if (s2.f > f1(stage1)) finalize(s2.model, MODEL2_FILE, (q) => f1(stage1, q), s2.f, { stage: 2, seed: SEED, epoch: s2.epoch });
    else console.log('stage 2 did not help on testa; not shipped');
  }

  const r = (() => {
    setModelForTesting(null);
    return evaluateDocs(devDocs, recognizeEntities);
  })();
  const size = [MODEL_FILE, MODEL2_FILE, 'gazetteer.tsv'].map((f) => path.join(OUT_DIR, f)).filter((f) => fs.existsSync(f)).reduce((a, f) => a + fs.statSync(f).size, 0);
  console.log(`shipped model files ${(size / 1e6).toFixed(2)} MB (incl. gazetteer); testa, detokenised:`);
  console.log(formatEval(r));
  console.log(`training time ${((Date.now() - t0) / 1000).toFixed(0)}s`);
}

/** Picks the pruning threshold (largest costing ≤ 0.1 F1 point), saves and returns the quantised model. */
function finalize(m: Weights, file: string, dev: (q: Weights) => number, best: number, extra: Record<string, unknown>): Weights {
  let chosen = 0;
  const thresholds = PRUNE === 'auto' ? [0.02, 0.05, 0.1, 0.2, 0.3, 0.5] : [Number(PRUNE)];
  for (const th of thresholds) {
    const { model: q } = deserializeModel(serializeModel(m.w as Float32Array, m.trans, m.start, {}, th));
    const f = dev(q);
    console.log(`  ${file}: prune |w| < ${th}: ${q.w.length / NUM_LABELS} rows, testa F1 ${(f * 100).toFixed(2)}`);
    if (f >= best - 0.001 || PRUNE !== 'auto') chosen = th;
  }
  save(m, file, { ...extra, devF1: best, prune: chosen }, chosen);
  return deserializeModel(fs.readFileSync(path.join(OUT_DIR, file))).model;
}

function save(m: Weights, fileName: string, extra: Record<string, unknown>, prune: number): void {
  fs.mkdirSync(OUT_DIR, { recursive: true });
  const buf = serializeModel(m.w as Float32Array, m.trans, m.start, { ...extra, trainedOn: 'CoNLL-2003 eng.train (Reuters RCV1)' }, prune);
  const file = path.join(OUT_DIR, fileName);
  fs.writeFileSync(file + '.tmp', buf);
  fs.renameSync(file + '.tmp', file);
  console.log(`  saved ${file} (${(buf.length / 1e6).toFixed(2)} MB)`);
}

main();
