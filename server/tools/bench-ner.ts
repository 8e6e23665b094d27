/**
 * Throughput of the named-entity tagger in MB/s of *CPU time* (process.cpuUsage, best of
 * several rounds — steadier than wall time on a shared, loaded machine):
 *   - stage 1 only (`recognizeEntities` with the document-level second stage switched off),
 *   - both stages (the shipped configuration),
 *   - the "regex floor": one pass of /\p{Lu}[\p{L}\p{M}'’-]*\/gu over the same text.
 * Texts: the shared corpus articles (each a document) replicated to ~5 MB, and CoNLL eng.testa
 * detokenised (216 documents). MB = 10^6 UTF-16 code units (≈ bytes for this text).
 *
 * The recogniser is measured as it ships: bundled by esbuild (as esbuild.mjs builds dist/) into
 * a temporary file and loaded from there; `--source` measures the TypeScript sources as loaded by
 * tsx instead (markedly slower per MB under tsx's loader, so not comparable with the product).
 *
 *   node --import tsx server/tools/bench-ner.ts [--rounds 3] [--mb 5] [--source]
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import { readConll, detokenizeDoc } from '../src/service/ner/conll';

type Ner = typeof import('../src/service/ner/index');
function loadRecognizer(): Ner {
  const src = path.join(__dirname, '..', 'src', 'service', 'ner', 'index.ts');
  if (process.argv.includes('--source')) return require(src) as Ner;
  const out = path.join(os.tmpdir(), `bench-ner-${process.pid}.cjs`);
  esbuild.buildSync({ entryPoints: [src], outfile: out, bundle: true, platform: 'node', target: 'node18', format: 'cjs', logLevel: 'warning' });
  process.env.SOURCELENS_NER_MODEL_DIR ??= path.join(__dirname, '..', 'model');
  try {
    return require(out) as Ner;
  } finally {
    fs.rmSync(out, { force: true });
  }
}
const { recognizeEntities, setStage2Enabled } = loadRecognizer();

function arg(name: string, def: string): string {
  const i = process.argv.indexOf('--' + name);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : def;
}
const ROUNDS = Number(arg('rounds', '3'));
const TARGET_MB = Number(arg('mb', '5'));
const DATA = process.env.CONLL_DIR ?? '/work/shared/data/conll2003';
const corpusDir = process.env.SOURCELENS_SHARED ? path.join(process.env.SOURCELENS_SHARED, 'corpus') : '/work/shared/corpus';

const sets: { name: string; docs: string[] }[] = [];
if (fs.existsSync(corpusDir)) {
  const articles = fs
    .readdirSync(corpusDir)
    .filter((f) => f.endsWith('.txt'))
    .sort()
    .map((f) => fs.readFileSync(path.join(corpusDir, f), 'utf8'));
  const docs: string[] = [];
  let chars = 0;
  while (chars < TARGET_MB * 1e6 && articles.length) {
    for (const a of articles) {
      docs.push(a);
      chars += a.length;
    }
  }
  sets.push({ name: `shared corpus ×${docs.length / Math.max(1, articles.length)}`, docs });
}
const testa = path.join(DATA, 'eng.testa');
if (fs.existsSync(testa)) sets.push({ name: 'eng.testa detok', docs: readConll(testa).map((d) => detokenizeDoc(d).text) });

const FLOOR = /\p{Lu}[\p{L}\p{M}'’-]*/gu;
function floorPass(docs: string[]): number {
  let k = 0;
  for (const d of docs) {
    FLOOR.lastIndex = 0;
    while (FLOOR.exec(d) !== null) k++;
  }
  return k;
}

/** CPU seconds of one pass of `run` over `docs`. */
function cpuPass(docs: string[], run: (d: string) => unknown): number {
  const c0 = process.cpuUsage();
  for (const d of docs) run(d);
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1e6;
}

recognizeEntities('Warm up in Paris with the United Nations.');
console.log(
  `load average: ${os.loadavg().map((x) => x.toFixed(2)).join(' ')} (${os.cpus().length} CPUs); ` +
    `recogniser ${process.argv.includes('--source') ? 'from the sources (tsx)' : 'bundled by esbuild'}`,
);
for (const s of sets) {
  const chars = s.docs.reduce((a, d) => a + d.length, 0);
  // warm the JIT and the per-word caches in both modes first
  for (const on of [false, true]) {
    setStage2Enabled(on);
    for (const d of s.docs.slice(0, 100)) recognizeEntities(d);
  }
  // rounds interleave the three measurements, so that load changes hit them alike; best of ROUNDS
  let t1 = Infinity;
  let t12 = Infinity;
  let tf = Infinity;
  for (let r = 0; r < ROUNDS; r++) {
    setStage2Enabled(false);
    t1 = Math.min(t1, cpuPass(s.docs, recognizeEntities));
    setStage2Enabled(true);
    t12 = Math.min(t12, cpuPass(s.docs, recognizeEntities));
    tf = Math.min(tf, cpuPass(s.docs, (d) => floorPass([d])));
  }
  const mb = chars / 1e6;
  const st1 = mb / t1;
  const both = mb / t12;
  const floor = mb / tf;
  console.log(
    `${s.name.padEnd(22)} ${(chars / 1e6).toFixed(2)} MB: stage 1 ${st1.toFixed(2)} MB/s, both stages ${both.toFixed(2)} MB/s, ` +
      `regex floor ${floor.toFixed(1)} MB/s (floor/both ${(floor / both).toFixed(1)}×) [CPU time, best of ${ROUNDS}]`,
  );
}
console.log(`load average: ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
