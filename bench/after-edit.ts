/**
 * Requests right after an edit, at N generated articles: what a reviewer who types, stops and
 * hovers gets while the server does the work an edit leaves (re-linking, the entity list, the
 * reference lists built ahead). One server start on N articles (a cache folder keeps the
 * analyses between runs), one article opened; once the index and its snapshot are written, R
 * times: the article gets a sentence naming one of its entities (then loses it again), and for
 * S seconds hovers on that entity are sent back to back. Prints each round's slowest hover and
 * p99, and the slowest overall.
 *
 *   node --import tsx bench/after-edit.ts 10000 [--rounds=R] [--seconds=S] [--cache-dir=DIR]
 *
 * `BENCH_SERVER` names another build of the server (default dist/server.js), to compare two;
 * `BENCH_SERVER_NODE_ARGS` adds node flags for it (e.g. "--cpu-prof --cpu-prof-dir=DIR").
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { LineIndex } from '../server/src/service/position';
import { ensureCorpus } from './generate';
import { delay, LspClient } from './lsp-client';

const arg = (name: string, dflt: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? dflt;

async function main(): Promise<void> {
  const n = Number(process.argv[2] ?? 10000);
  const rounds = Number(arg('rounds', '4'));
  const seconds = Number(arg('seconds', '4'));
  const cacheDir = path.resolve(arg('cache-dir', path.join(os.tmpdir(), `sourcelens-after-edit-${n}`)));
  fs.mkdirSync(cacheDir, { recursive: true });
  const corpus = ensureCorpus(n, {});
  const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
  const c = new LspClient({ serverJs: process.env.BENCH_SERVER ?? path.join(__dirname, '..', 'dist', 'server.js'), nodeArgs });
  const t0 = performance.now();
  await c.initialize(corpus.dir, { cacheDir });
  const done = (p: any) => p?.indexing === false && (p.articles ?? 0) + (p.skipped?.length ?? 0) >= n;
  while (!(await c.waitFor((x) => x.method === 'sourcelens/indexChanged' && done(x.params), 2000, t0))) {
    if (c.proc.exitCode !== null) throw new Error('server exited');
  }
  console.log(`indexed in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  const file = path.join(corpus.dir, corpus.files[Math.floor(corpus.files.length / 2)]);
  const uri = pathToFileURL(file).href;
  const text = fs.readFileSync(file, 'utf8');
  await c.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'plaintext', version: 1, text } });
  // The snapshot (written a few seconds after indexing settles) is background work of its own.
  const wrote = await c.waitFor((x) => x.method === 'window/logMessage' && /\[snapshot\] wrote/.test(String(x.params?.message)), 120_000, t0);
  console.log(wrote ? 'snapshot written' : 'no snapshot line within 120 s');
  await delay(1000);

  // An entity of the article: the first of its document symbols.
  const symbols: any[] = await c.request('textDocument/documentSymbol', { textDocument: { uri } });
  const flat: any[] = [];
  const walk = (s: any[]) => s.forEach((x) => (flat.push(x), x.children && walk(x.children)));
  walk(symbols ?? []);
  const target = flat.find((s) => s.selectionRange) ?? flat[0];
  if (!target) throw new Error('no symbol in the article');
  const lines = new LineIndex(text);
  const name = text.slice(lines.offsetAt(target.selectionRange.start), lines.offsetAt(target.selectionRange.end));
  const position = target.selectionRange.start;
  console.log(`edits add "${name} said so again." to ${path.basename(file)}; hovers on "${name}" at ${position.line}:${position.character}`);

  const all: number[] = [];
  let version = 1;
  for (let r = 0; r < rounds; r++) {
    const edited = r % 2 === 0 ? `${text}\n${name} said so again.\n` : text;
    await c.notify('textDocument/didChange', { textDocument: { uri, version: ++version }, contentChanges: [{ text: edited }] });
    const times: number[] = [];
    const end = performance.now() + seconds * 1000;
    while (performance.now() < end) {
      const s = performance.now();
      await c.request('textDocument/hover', { textDocument: { uri }, position });
      times.push(performance.now() - s);
    }
    all.push(...times);
    const sorted = [...times].sort((a, b) => a - b);
    console.log(
      `round ${r + 1}: ${times.length} hovers in ${seconds} s, p50 ${pct(sorted, 50).toFixed(1)} ms, p99 ${pct(sorted, 99).toFixed(1)} ms, slowest ${sorted[sorted.length - 1].toFixed(1)} ms`,
    );
  }
  all.sort((a, b) => a - b);
  console.log(`all: ${all.length} hovers, p99 ${pct(all, 99).toFixed(1)} ms, slowest ${all[all.length - 1].toFixed(1)} ms`);
  await c.stop();
}

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
