/**
 * One server start on N generated articles, printing the server's own log lines with their
 * time since spawn (the pass's "Indexed … in … ms", the link pass's "Linked … in … ms", snapshot
 * lines) and the peak RSS. For comparing configurations, e.g. analysis workers:
 *   SOURCELENS_WORKERS=0 node --import tsx bench/start-trace.ts 1000
 *   SOURCELENS_WORKERS=2 node --import tsx bench/start-trace.ts 1000
 * `--warm` keeps the cache folder of the previous run (second start); default: a cold start.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ensureCorpus } from './generate';
import { LspClient } from './lsp-client';

async function main(): Promise<void> {
  const n = Number(process.argv[2] ?? 1000);
  const warm = process.argv.includes('--warm');
  const corpus = ensureCorpus(n, {});
  const cacheDir = path.join(os.tmpdir(), `sourcelens-start-trace-${n}`);
  if (!warm) fs.rmSync(cacheDir, { recursive: true, force: true });
  const c = new LspClient({ serverJs: path.join(__dirname, '..', 'dist', 'server.js') });
  const t0 = c.spawnedAt;
  await c.initialize(corpus.dir, { cacheDir });
  const done = await c.waitFor(
    (x) => x.method === 'sourcelens/indexChanged' && x.params?.indexing === false && x.params.articles >= corpus.manifest.files,
    3_600_000,
  );
  if (!done) throw new Error('indexing did not end');
  for (const x of c.notifications) if (x.method === 'window/logMessage') console.log(`${(x.at - t0).toFixed(0).padStart(8)} ms  ${x.params.message}`);
  console.log(`indexed at ${(done.at - t0).toFixed(0)} ms; peak RSS ${Math.round((c.memory()?.hwmKB ?? 0) / 1024)} MB`);
  await c.stop(60_000);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
