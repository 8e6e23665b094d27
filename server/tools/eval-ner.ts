/**
 * Evaluates the shipped tagger on CoNLL-2003 eng.testa in the *detokenised* setting: every
 * document is rebuilt as ordinary text (one sentence a line, punctuation and clitics attached,
 * quotes glued), `recognizeEntities` runs on that raw text, and predicted character spans are
 * compared exactly with the gold spans (typed; MISC excluded; place ↔ LOC).
 * Also reports the tagger's throughput and, if the shared corpus and fixture exist, mention
 * P/R/F1 on the shared corpus.
 *
 *   node --import tsx server/tools/eval-ner.ts [--split eng.testa] [--curly] [--errors N] [--corpus-errors]
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readConll, detokenizeDoc } from '../src/service/ner/conll';
import { evaluateDocs, formatEval } from '../src/service/ner/evaluate';
import { recognizeEntities } from '../src/service/ner/index';
import { scoreFixture } from '../src/service/ner/fixture-score';

function arg(name: string, def: string): string {
  const i = process.argv.indexOf('--' + name);
  return i >= 0 && process.argv[i + 1] && !process.argv[i + 1].startsWith('--') ? process.argv[i + 1] : def;
}
const DATA = arg('data', process.env.CONLL_DIR ?? '/work/shared/data/conll2003');
const SPLIT = arg('split', 'eng.testa');
if (/testb/i.test(SPLIT)) {
  console.error('eng.testb is the held-out test split; this script does not evaluate on it.');
  process.exit(2);
}
const curly = process.argv.includes('--curly');
const nErrors = Number(arg('errors', '0'));

const docs = readConll(path.join(DATA, SPLIT)).map((d) => detokenizeDoc(d, { curly }));
// warm-up: model load is not part of throughput
recognizeEntities('Warm up in Paris.');
const errors: string[] | undefined = nErrors ? [] : undefined;
const r = evaluateDocs(docs, recognizeEntities, errors);
console.log(`${SPLIT} (detokenised${curly ? ', curly quotes' : ''}; ${docs.length} documents, exact typed spans, MISC excluded)`);
console.log(formatEval(r));

// throughput: best of 3 passes over the whole split
// (wall clock, and CPU time of this process, which is steadier on a shared machine)
let bestMs = Infinity;
let bestCpu = Infinity;
for (let k = 0; k < 5; k++) {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  for (const d of docs) recognizeEntities(d.text);
  const c = process.cpuUsage(c0);
  bestMs = Math.min(bestMs, performance.now() - t0);
  bestCpu = Math.min(bestCpu, (c.user + c.system) / 1000);
}
const mb = r.chars / 1e6;
console.log(
  `throughput: ${(mb / (bestMs / 1000)).toFixed(2)} MB/s wall, ${(mb / (bestCpu / 1000)).toFixed(2)} MB/s CPU ` +
    `(${r.chars} chars: best ${bestMs.toFixed(0)} ms wall, ${bestCpu.toFixed(0)} ms CPU; utf-16 chars ≈ bytes for this ASCII text)`,
);

if (errors) {
  const sample = errors.slice(0, nErrors);
  console.log('\n' + sample.join('\n'));
}

const fixture = path.resolve(__dirname, '..', '..', 'test', 'fixtures', 'entities-shared-corpus.json');
const corpusDir = process.env.SOURCELENS_SHARED ? path.join(process.env.SOURCELENS_SHARED, 'corpus') : '/work/shared/corpus';
if (fs.existsSync(fixture) && fs.existsSync(corpusDir)) {
  const s = scoreFixture(JSON.parse(fs.readFileSync(fixture, 'utf8')), corpusDir, recognizeEntities);
  console.log(`\nshared corpus mentions: P ${(s.p * 100).toFixed(2)}  R ${(s.r * 100).toFixed(2)}  F1 ${(s.f * 100).toFixed(2)}  (typed: F1 ${(s.typedF * 100).toFixed(2)})`);
  for (const line of s.perFile) console.log('  ' + line);
  if (process.argv.includes('--corpus-errors')) for (const e of s.errors) console.log('  ' + e);
}
