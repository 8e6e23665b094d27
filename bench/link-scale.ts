/**
 * The corpus-wide link pass against corpus size, on the generated 20,000-article corpus: each
 * article's analysis comes from the analysis cache a server start left behind (so run
 * `node --import tsx bench/start-trace.ts 20000` once first), its own entity resolution is
 * done here, then a fresh linker links the first N articles and is timed, for each N given.
 * Bundled, as the server ships (tsx-loaded code runs slower):
 *
 *   npx esbuild bench/link-scale.ts --bundle --platform=node --outfile=dist/link-scale.js
 *   node dist/link-scale.js 5000 10000 20000
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { fingerprintFiles, openAnalysisCache } from '../server/src/service/analysisCache';
import { CorpusLinker, resolveDocument, type LocalResult } from '../server/src/service/entities';
import { ensureCorpus, repoRoot } from './generate';

const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
if (sizes.length === 0) throw new Error('usage: link-scale N [N …]');
const corpus = ensureCorpus(20000, {});
const model = ['ner-model.bin', 'ner-model-doc.bin', 'gazetteer.tsv'].map((f) => path.join(repoRoot, 'dist', f));
const cacheDir = path.join(os.tmpdir(), 'sourcelens-start-trace-20000'); // start-trace's folder
const cache = openAnalysisCache(cacheDir, { fingerprint: fingerprintFiles(model) });
if (!cache) throw new Error(`no analysis cache in ${cacheDir}: run bench/start-trace.ts 20000 first`);
const locals: LocalResult[] = [];
let missing = 0;
for (const f of corpus.files.slice(0, Math.max(...sizes))) {
  const text = fs.readFileSync(path.join(corpus.dir, f), 'utf8');
  const uri = pathToFileURL(path.join(corpus.dir, f)).href;
  const a = cache.get(text, uri);
  if (a) locals.push(resolveDocument({ uri, text, mentions: a.mentions }));
  else missing++;
}
console.log(`${locals.length} articles from the cache${missing ? `, ${missing} missing (not counted)` : ''}`);
for (const n of sizes) {
  const linker = new CorpusLinker();
  for (const l of locals.slice(0, n)) linker.add(l);
  const t0 = performance.now();
  const counts = linker.countByType(); // the link pass
  console.log(`${n} articles: linked in ${Math.round(performance.now() - t0)} ms ${JSON.stringify(counts)}`);
}
