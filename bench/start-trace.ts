/**
 * One server start on N generated articles, printing the server's own log lines with their
 * time since spawn (the pass's "Indexed … in … ms", the link pass's "Linked … in … ms", snapshot
 * lines) and the peak RSS. For comparing configurations, e.g. analysis workers:
 *   SOURCELENS_WORKERS=0 node --import tsx bench/start-trace.ts 1000
 *   SOURCELENS_WORKERS=2 node --import tsx bench/start-trace.ts 1000
 * `--warm` keeps the cache folder of the previous run (second start); default: a cold start.
 * `--write-snapshot` waits for the linked-index snapshot to be written before stopping (so the
 * next `--warm` run can read it); `--until-snapshot` stops once the snapshot answers.
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
  /** The server's log lines so far, with their time since spawn. */
  const printLog = () => {
    for (const x of c.notifications) if (x.method === 'window/logMessage') console.log(`${(x.at - t0).toFixed(0).padStart(8)} ms  ${x.params.message}`);
  };
  const logged = (re: RegExp) => (x: { method: string; params: any }) => x.method === 'window/logMessage' && re.test(x.params?.message);
  if (process.argv.includes('--until-snapshot')) {
    await c.waitFor((x) => logged(/\[snapshot\] (answering|not used|ignored)/)(x) || (x.method === 'sourcelens/indexChanged' && x.params?.indexing === false), 3_600_000);
    printLog();
    c.kill();
    return;
  }
  const done = await c.waitFor(
    (x) => x.method === 'sourcelens/indexChanged' && x.params?.indexing === false && x.params.articles >= corpus.manifest.files,
    3_600_000,
  );
  if (!done) throw new Error('indexing did not end');
  if (process.argv.includes('--write-snapshot')) await c.waitFor(logged(/\[snapshot\] wrote/), 600_000);
  printLog();
  console.log(`indexed at ${(done.at - t0).toFixed(0)} ms; peak RSS ${Math.round((c.memory()?.hwmKB ?? 0) / 1024)} MB`);
  await c.stop(60_000);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
