/**
 * Throughput of the named-entity tagger in MB/s of *CPU time* (process.cpuUsage, best of
 * several rounds — steadier than wall time on a shared, loaded machine):
 *   - stage 1 only (`recognizeEntities` with the document-level second stage switched off),
 *   - both stages (the shipped configuration),
 *   - the "regex floor": one pass of /\p{Lu}[\p{L}\p{M}'’-]*\/gu over the same text.
 * Texts: the shared corpus articles (each a document) replicated to ~5 MB, and CoNLL eng.testa
 * detokenised (216 documents). MB = 10^6 UTF-16 code units (≈ bytes for this text).
 *
 *   node --import tsx server/tools/bench-ner.ts [--rounds 3] [--mb 5] [--profile]
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readConll, detokenizeDoc } from '../src/service/ner/conll';
import { recognizeEntities, setStage2Enabled } from '../src/service/ner/index';

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

function cpuMBs(docs: string[], run: (d: string) => unknown): number {
  const chars = docs.reduce((a, d) => a + d.length, 0);
  let best = Infinity;
  for (let r = 0; r < ROUNDS; r++) {
    const c0 = process.cpuUsage();
    for (const d of docs) run(d);
    const c = process.cpuUsage(c0);
    best = Math.min(best, (c.user + c.system) / 1e6);
  }
  return chars / 1e6 / best;
}

recognizeEntities('Warm up in Paris with the United Nations.');
console.log(`load average: ${os.loadavg().map((x) => x.toFixed(2)).join(' ')} (${os.cpus().length} CPUs)`);
for (const s of sets) {
  const chars = s.docs.reduce((a, d) => a + d.length, 0);
  // warm the JIT and caches on a slice first
  for (const d of s.docs.slice(0, 50)) recognizeEntities(d);
  setStage2Enabled(false);
  const st1 = cpuMBs(s.docs, recognizeEntities);
  setStage2Enabled(true);
  const both = cpuMBs(s.docs, recognizeEntities);
  const floor = cpuMBs(s.docs, (d) => floorPass([d]));
  console.log(
    `${s.name.padEnd(22)} ${(chars / 1e6).toFixed(2)} MB: stage 1 ${st1.toFixed(2)} MB/s, both stages ${both.toFixed(2)} MB/s, ` +
      `regex floor ${floor.toFixed(1)} MB/s (floor/both ${(floor / both).toFixed(1)}×) [CPU time, best of ${ROUNDS}]`,
  );
}
console.log(`load average: ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
