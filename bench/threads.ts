/**
 * Does analysis scale over threads on this machine? Runs `analyseText` over 400 generated
 * articles in each of K worker threads at once (K = 1, 2) and, as a control, a pure arithmetic
 * loop in K threads. Run from the built bundle so the analyser is as shipped:
 *   npx esbuild bench/threads.ts --bundle --platform=node --outfile=dist/threads.js && node dist/threads.js
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { analyseText } from '../server/src/service/analyse';
import { ensureCorpus } from './generate';

const PER_THREAD = 400;

function articles(offset: number): string[] {
  const dir = ensureCorpus(20000, {}).dir;
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (p.endsWith('.txt') && !p.endsWith('edit-10k.txt')) out.push(p);
    }
  };
  walk(dir);
  return out.sort().slice(offset, offset + PER_THREAD).map((f) => fs.readFileSync(f, 'utf8'));
}

function work(kind: string, index: number): number {
  if (kind === 'spin') {
    let x = 0;
    const t = performance.now();
    for (let i = 0; i < 4e8; i++) x = (x * 31 + i) | 0;
    return performance.now() - t + (x & 0);
  }
  const texts = articles(index * PER_THREAD);
  const t = performance.now();
  for (const text of texts) analyseText(text);
  return performance.now() - t;
}

async function run(kind: string, k: number): Promise<void> {
  const t = performance.now();
  const each = await Promise.all(
    Array.from({ length: k }, (_, i) => new Promise<number>((resolve, reject) => {
      const w = new Worker(__filename, { workerData: { kind, index: i } });
      w.once('message', resolve);
      w.once('error', reject);
    })),
  );
  console.log(`${kind} × ${k} threads: wall ${(performance.now() - t).toFixed(0)} ms; per thread ${each.map((x) => x.toFixed(0)).join(', ')} ms`);
}

if (isMainThread) {
  void (async () => {
    for (const kind of ['spin', 'analyse']) for (const k of [1, 2]) await run(kind, k);
  })();
} else {
  const { kind, index } = workerData as { kind: string; index: number };
  parentPort!.postMessage(work(kind, index));
}
