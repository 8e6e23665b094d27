/**
 * The CPU cost of one article's indexing job, stage by stage, in one thread: what an analysis
 * worker does per article (server/src/worker/analysisJob.ts) on the first N generated articles of
 * the 20,000-article corpus, without a cache. This is the floor of a cold start: at 20,000 articles
 * on two cores, 60 seconds leave 6 ms of CPU per article for everything (the job, the main
 * thread's share and the link pass). Bundled, as the server ships:
 *
 *   npx esbuild bench/job-time.ts --bundle --platform=node --outfile=dist/job-time.js
 *   node dist/job-time.js 4000
 *   node --expose-gc dist/job-time.js 10000 --heap   # and the heap the job keeps (one worker's share at 20,000)
 *   node dist/job-time.js 4000 --heap-snapshot=FILE   # a heap snapshot of it at the end
 *   node dist/job-time.js 4000 --main   # as the server's own thread runs it: strings interned, nothing packed
 *
 * Stages, timed separately per article (the same calls as runAnalysisJob, in its order):
 * `analyse` (the tagger, the claims), `encode` (the analysis cache's payload), `resolve` (the
 * article's own entity resolution), `pack` (what crosses to the main thread). In the indexing
 * pass a worker now runs only `analyse` and `encode` for a fresh article (AnalysisJob.analyseOnly)
 * and the server's thread decodes and resolves it; the whole job is what an edit worker, or a
 * worker given a cached payload, still runs. The first 200
 * articles warm the code up and are not counted. Prints ms per article for each stage and in all,
 * per 1,000 articles and over the whole run.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeHeapSnapshot } from 'node:v8';
import { analyseText } from '../server/src/service/analyse';
import { encode } from '../server/src/service/analysisCache';
import { resolveDocument } from '../server/src/service/entities';
import { packArticle } from '../server/src/service/indexedDocument';
import { PackState } from '../server/src/service/transfer';
import { withDictionaryMentions } from '../server/src/service/workspaceIndex';
import { limitWorkerCaches } from '../server/src/worker/analysisJob';
import { ensureCorpus } from './generate';

const WARM_UP = 200;
const STAGES = ['analyse', 'encode', 'resolve', 'pack'] as const;

function main(): void {
  const n = Number(process.argv[2] ?? 4000);
  if (!(n > 0)) throw new Error('usage: job-time N');
  const corpus = ensureCorpus(20000, {});
  const total = Math.min(n + WARM_UP, corpus.files.length);
  const texts = corpus.files.slice(0, total).map((f) => fs.readFileSync(path.join(corpus.dir, f), 'utf8'));
  // `--main`: as the server's own thread analyses its share (strings interned, nothing packed)
  const mainThread = process.argv.includes('--main');
  if (!mainThread) limitWorkerCaches(); // as an analysis worker does
  const state = new PackState();
  const sum = { analyse: 0, encode: 0, resolve: 0, pack: 0 };
  const block = { analyse: 0, encode: 0, resolve: 0, pack: 0 };
  let counted = 0;
  let bytes = 0;
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < total; i++) {
    const text = texts[i];
    texts[i] = ''; // not kept: --heap measures what the job keeps
    const uri = `file:///bench/${corpus.files[i]}`;
    const t0 = performance.now();
    const analysis = analyseText(text);
    const t1 = performance.now();
    encode(analysis, text);
    const t2 = performance.now();
    const local = resolveDocument({ uri, text, mentions: withDictionaryMentions(text, analysis.mentions, undefined) });
    const t3 = performance.now();
    if (!mainThread) packArticle(text, local, analysis.claims, state);
    const t4 = performance.now();
    if (i < WARM_UP) continue;
    const d = { analyse: t1 - t0, encode: t2 - t1, resolve: t3 - t2, pack: t4 - t3 };
    for (const s of STAGES) {
      sum[s] += d[s];
      block[s] += d[s];
    }
    counted++;
    bytes += Buffer.byteLength(text);
    if (counted % 1000 === 0) {
      const all = STAGES.reduce((a, s) => a + block[s], 0);
      console.log(`${counted} articles: ${(all / 1000).toFixed(2)} ms/article (${STAGES.map((s) => `${s} ${(block[s] / 1000).toFixed(2)}`).join(', ')})`);
      for (const s of STAGES) block[s] = 0;
    }
  }
  const cpu = process.cpuUsage(cpu0);
  const all = STAGES.reduce((a, s) => a + sum[s], 0);
  console.log(
    `${counted} articles (${(bytes / 1e6).toFixed(1)} MB): ${(all / counted).toFixed(2)} ms/article wall in this thread: ` +
      STAGES.map((s) => `${s} ${(sum[s] / counted).toFixed(2)} (${Math.round((100 * sum[s]) / all)}%)`).join(', '),
  );
  console.log(`process CPU (all threads: V8's compiler and GC helpers too) ${((cpu.user + cpu.system) / 1000 / total).toFixed(2)} ms/article over all ${total}`);
  const gc = (globalThis as { gc?: () => void }).gc;
  if (process.argv.includes('--heap') && gc) {
    // What a worker keeps after this many articles (memo tables, intern pool, the pack state).
    gc();
    gc();
    const m = process.memoryUsage();
    // (Naming the pack state here keeps it alive through the collection: unused after the loop, it was collected and not counted.)
    console.log(`heap after a full collection ${Math.round(m.heapUsed / 2 ** 20)} MB (the pack state holding ${state.strings.size} strings), RSS ${Math.round(m.rss / 2 ** 20)} MB`);
  }
  const snap = process.argv.find((a) => a.startsWith('--heap-snapshot='))?.slice('--heap-snapshot='.length);
  if (snap) console.log(`heap snapshot ${writeHeapSnapshot(snap)}`);
}

main();
