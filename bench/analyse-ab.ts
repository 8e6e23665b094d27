/**
 * Two versions of the analyser, article by article in one process: the working tree's
 * `analyseText` and the one of another checkout (the `@base` alias, set when bundling), on the
 * first N generated articles of the 20,000-article corpus. Each article is analysed by both, in
 * alternating order, and the two results must be equal (the run stops at the first difference).
 * On this machine the speed of a whole run changes by up to 2× from one minute to the next, so
 * timing two builds in separate runs cannot show a change of a few per cent; timing them on the
 * same article a moment apart can. Prints ms per article for each and their ratio (below 1: the
 * working tree is faster).
 *
 *   git worktree add /tmp/sl-base HEAD        # or any commit to compare with
 *   ln -s "$PWD/node_modules" /tmp/sl-base/node_modules
 *   npx esbuild bench/analyse-ab.ts --bundle --platform=node --outfile=dist/analyse-ab.js \
 *     --alias:@base=/tmp/sl-base/server/src/service
 *   node dist/analyse-ab.js 3000 [--ner | --encode]   # --ner: the entity recogniser alone;
 *                                                     # --encode: the analysis and its cache payload
 *
 * Both copies load the model files next to the bundle (dist/), and each has its own tables and
 * caches, so neither warms the other's. The first 200 articles warm the code up and are not counted.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { analyseText as analyseHere } from '../server/src/service/analyse';
import { encode as encodeHere } from '../server/src/service/analysisCache';
import { recognizeEntities as recogniseHere } from '../server/src/service/ner';
// @ts-expect-error: resolved by the bundler's alias (see above)
import { analyseText as analyseBase } from '@base/analyse';
// @ts-expect-error: resolved by the bundler's alias (see above)
import { recognizeEntities as recogniseBase } from '@base/ner';
// @ts-expect-error: resolved by the bundler's alias (see above)
import { encode as encodeBase } from '@base/analysisCache';
import { ensureCorpus } from './generate';

const WARM_UP = 200;

function main(): void {
  const n = Number(process.argv[2] ?? 3000);
  if (!(n > 0)) throw new Error('usage: analyse-ab N [--ner | --encode]');
  const nerOnly = process.argv.includes('--ner');
  const withEncode = process.argv.includes('--encode');
  const here: (t: string) => unknown = nerOnly ? recogniseHere : withEncode ? (t) => encodeHere(analyseHere(t), t).toString('utf8') : analyseHere;
  const base: (t: string) => unknown = nerOnly ? recogniseBase : withEncode ? (t) => encodeBase(analyseBase(t), t).toString('utf8') : analyseBase;
  const corpus = ensureCorpus(20000, {});
  const total = Math.min(n + WARM_UP, corpus.files.length);
  const texts = corpus.files.slice(0, total).map((f) => fs.readFileSync(path.join(corpus.dir, f), 'utf8'));
  let tHere = 0;
  let tBase = 0;
  for (let i = 0; i < total; i++) {
    const text = texts[i];
    const hereFirst = (i & 1) === 1;
    const t0 = performance.now();
    const a = hereFirst ? here(text) : base(text);
    const t1 = performance.now();
    const b = hereFirst ? base(text) : here(text);
    const t2 = performance.now();
    if (!isDeepStrictEqual(JSON.parse(JSON.stringify(a)), JSON.parse(JSON.stringify(b)))) throw new Error(`the two versions differ on ${corpus.files[i]}`);
    if (i < WARM_UP) continue;
    tHere += hereFirst ? t1 - t0 : t2 - t1;
    tBase += hereFirst ? t2 - t1 : t1 - t0;
  }
  const counted = total - WARM_UP;
  console.log(`${counted} articles${nerOnly ? ' (recogniser only)' : withEncode ? ' (analysis and payload)' : ''}: base ${(tBase / counted).toFixed(3)} ms/article, working tree ${(tHere / counted).toFixed(3)} ms/article, ratio ${(tHere / tBase).toFixed(3)}`);
}

main();
