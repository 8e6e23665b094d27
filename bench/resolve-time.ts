/**
 * What the server's thread pays, in a cold start's indexing pass, to take in an article a worker
 * analysed: `resolveDocument` (the article's own entity resolution, strings interned) and the
 * claims' stored form, as `WorkspaceIndex.update` does them, over the first N articles of the
 * 20,000-article corpus, in corpus order, with the analyses read from the analysis cache that
 * `bench/start-trace.ts 20000` leaves (decoding is not timed). Bundled, as the server ships:
 *
 *   npx esbuild bench/resolve-time.ts --bundle --platform=node --outfile=dist/resolve-time.js
 *   node --max-semi-space-size=32 dist/resolve-time.js [N=20000] [--rounds=R]
 *   node --expose-gc dist/resolve-time.js 20000 --heap   # and what the memo tables and the pool hold then
 *
 * Prints ms per article per 1,000 articles and in all, and a hash of what was resolved (every
 * cluster's forms, keys and mentions, and the claims), so two builds can be compared for speed
 * and for sameness of result. Later rounds (`--rounds`) start from the memo tables and the intern
 * pool the earlier ones left, as an edit after the pass would.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { resolveDocument } from '../server/src/service/entities';
import { intern, releaseInternPool } from '../server/src/service/entities/memo';
import { releaseResolverMemos } from '../server/src/service/entities/local';
import { clusterForms, forEachOf } from '../server/src/service/entities/model';
import { packClaims, storedClaim, type IndexedDocument } from '../server/src/service/indexedDocument';
import { ensureCorpus } from './generate';
import { startTraceCache } from './trace-cache';

const args = process.argv.slice(2);
const n = Number(args.find((a) => !a.startsWith('--')) ?? 20000);
const rounds = Number(args.find((a) => a.startsWith('--rounds='))?.slice(9) ?? 1);
const corpus = ensureCorpus(20000, {});
const cache = startTraceCache();

const files = corpus.files.slice(0, n).map((f) => ({ file: path.join(corpus.dir, f), uri: pathToFileURL(path.join(corpus.dir, f)).href }));
// A stand-in for the stored document the claims belong to (storedClaim keeps a reference only).
const owner = {} as IndexedDocument;

for (let round = 1; round <= rounds; round++) {
  const hash = createHash('sha256');
  let total = 0;
  let claimsMs = 0;
  let block = 0;
  let count = 0;
  let missing = 0;
  for (const { file, uri } of files) {
    const text = fs.readFileSync(file, 'utf8');
    const a = cache.get(text, uri);
    if (!a) {
      missing++;
      continue;
    }
    const t0 = performance.now();
    const local = resolveDocument({ uri, text, mentions: a.mentions });
    const t1 = performance.now();
    const claims = packClaims(a.claims, text).map((c) => storedClaim(owner, c, intern));
    const dt = performance.now() - t0;
    claimsMs += dt - (t1 - t0);
    total += dt;
    block += dt;
    count++;
    for (const c of local.clusters) {
      forEachOf(clusterForms(c), (f) => {
        hash.update(`${f.type}\u0000${f.key}\u0000${f.surface}\u0000${f.tokens.join(' ')}`);
        forEachOf(f.mentions, (m) => void hash.update(`\u0001${m.start}\u0000${m.end}\u0000${m.text}`));
      });
      hash.update('\u0002');
    }
    for (const c of claims) hash.update(`\u0003${c.start}\u0000${c.end}\u0000${c.text}\u0000${String(c.value)}\u0000${c.unit}`);
    if (count % 1000 === 0) {
      console.log(`round ${round}, ${count} articles: ${(block / 1000).toFixed(3)} ms/article`);
      block = 0;
    }
  }
  console.log(
    `round ${round}: ${count} articles resolved in ${(total / 1000).toFixed(2)} s (the claims ${(claimsMs / 1000).toFixed(2)} s), ${(total / Math.max(1, count)).toFixed(3)} ms/article${missing ? ` (${missing} not in the cache)` : ''}; hash ${hash.digest('hex').slice(0, 16)}`,
  );
}

if (args.includes('--heap')) {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('--heap needs node --expose-gc');
  const used = () => {
    gc();
    gc();
    return process.memoryUsage().heapUsed / 1e6;
  };
  const full = used();
  releaseResolverMemos();
  const noMemos = used();
  releaseInternPool();
  const neither = used();
  console.log(`heap ${full.toFixed(1)} MB; the resolver's memo tables held ${(full - noMemos).toFixed(1)} MB, the intern pool ${(noMemos - neither).toFixed(1)} MB`);
}
