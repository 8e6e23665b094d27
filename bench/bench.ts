/**
 * The Sourcelens benchmark (`npm run bench`): one run, one table, everything in
 * bench/results.json (merged: keys written by other benches are kept). See bench/README.md for
 * what each figure means and how it is measured.
 *
 *   npm run bench                          full run (throughput, latency at 1,000 and 10,000, index at 20,000)
 *   npm run bench -- --quick               development: 1,000 articles everywhere, smaller samples
 *   BENCH_SIZES=1000 npm run bench         latency sizes
 *   BENCH_INDEX_SIZE=0 npm run bench       skip the cold/warm start section (or another size)
 *   BENCH_ONLY=throughput,latency,index,extra npm run bench
 *   BENCH_REQUESTS=200 BENCH_SEED=... BENCH_SERVER=dist/server.js BENCH_SERVER_NODE_ARGS="--cpu-prof ..." 
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import type { RawMention } from '../server/src/service/types';
import { ensureCorpus, generateArticles, loadSources, prng, repoRoot, variantOf, type CorpusOnDisk } from './generate';
import { decodeSemanticTokens, delay, hasContent, isLinkedHover, LspClient, positionAt } from './lsp-client';

// ---- configuration --------------------------------------------------------------------------

/**
 * The analyser as it ships: bundled by esbuild the way esbuild.mjs builds dist/ (code loaded
 * through tsx runs markedly slower and is not what users run).
 */
function loadShippedAnalyser(): typeof import('../server/src/service/analyse') {
  const src = path.join(__dirname, '..', 'server', 'src', 'service', 'analyse.ts');
  const out = path.join(os.tmpdir(), `bench-analyse-${process.pid}.cjs`);
  esbuild.buildSync({ entryPoints: [src], outfile: out, bundle: true, platform: 'node', target: 'node18', format: 'cjs', logLevel: 'warning' });
  process.env.SOURCELENS_NER_MODEL_DIR ??= path.join(__dirname, '..', 'server', 'model');
  try {
    return require(out);
  } finally {
    fs.rmSync(out, { force: true });
  }
}
const { analyseText } = loadShippedAnalyser();

const argv = process.argv.slice(2);
const QUICK = argv.includes('--quick') || process.env.BENCH_QUICK === '1';
const SEED = process.env.BENCH_SEED ?? 'sourcelens-bench';
const SIZES = (process.env.BENCH_SIZES ?? (QUICK ? '1000' : '1000,10000')).split(',').filter(Boolean).map(Number);
const INDEX_SIZE = Number(process.env.BENCH_INDEX_SIZE ?? (QUICK ? 1000 : 20000));
const ONLY = new Set((process.env.BENCH_ONLY ?? 'throughput,extra,latency,index').split(','));
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? (QUICK ? 60 : 200));
const EDITS = QUICK ? 8 : 20;
const THROUGHPUT_BYTES = Number(process.env.BENCH_THROUGHPUT_MB ?? (QUICK ? 4 : 20)) * 1e6;
const COMPROMISE_BYTES = (QUICK ? 0.4 : 1) * 1e6;
const SERVER_JS = path.resolve(repoRoot, process.env.BENCH_SERVER ?? 'dist/server.js');
/** Extra node flags for the server, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" (profiling the bench). */
const SERVER_NODE_ARGS = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
const RESULTS = path.join(repoRoot, 'bench', 'results.json');
const MEMPROBE = path.join(repoRoot, 'bench', 'memprobe.cjs');
const RG = fs.existsSync('/usr/bin/rg') ? '/usr/bin/rg' : 'rg';
const INDEX_TIMEOUT_MS = Number(process.env.BENCH_INDEX_TIMEOUT_S ?? 20 * 60) * 1000;
/** Wall-time cap per request kind (and for the edit loop): a slow server ends a kind early (n says how many ran). */
const KIND_BUDGET_MS = Number(process.env.BENCH_KIND_BUDGET_S ?? 60) * 1000;

const log = (s: string) => process.stderr.write(`[bench] ${s}\n`);
const mb = (bytes: number) => bytes / 1e6;
const round = (x: number, d = 2) => (Number.isFinite(x) ? Math.round(x * 10 ** d) / 10 ** d : x);

function percentile(xs: number[], p: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

const stats = (xs: number[]) => ({ n: xs.length, p50: round(percentile(xs, 50), 3), p99: round(percentile(xs, 99), 3), max: round(Math.max(...xs), 3) });

// ---- throughput -----------------------------------------------------------------------------

const FLOOR_RE = /\p{Lu}[\p{L}\p{M}'’-]*/gu;

async function throughput() {
  const sources = loadSources();
  const texts: string[] = [];
  let bytes = 0;
  for (const a of generateArticles(sources, 10_000, SEED)) {
    texts.push(a.text);
    bytes += Buffer.byteLength(a.text);
    if (bytes >= THROUGHPUT_BYTES) break;
  }
  log(`throughput: ${texts.length} generated articles, ${mb(bytes).toFixed(1)} MB`);

  // Sourcelens: the whole per-document analysis (NER + claims), after a short warm-up.
  for (const t of texts.slice(0, 20)) analyseText(t);
  let mentions = 0;
  let claims = 0;
  let t0 = performance.now();
  for (const t of texts) {
    const a = analyseText(t);
    mentions += a.mentions.length;
    claims += a.claims.length;
  }
  const slSec = (performance.now() - t0) / 1000;
  const sourcelensMBps = mb(bytes) / slSec;
  log(`sourcelens ${sourcelensMBps.toFixed(2)} MB/s (${mentions} mentions, ${claims} claims in ${slSec.toFixed(1)} s)`);

  // compromise: people/organizations/places + numbers, on a prefix of the same articles.
  const nlp = (await import('compromise')).default as any;
  for (const t of texts.slice(0, 2)) runCompromise(nlp, t);
  let cBytes = 0;
  let cItems = 0;
  t0 = performance.now();
  for (const t of texts) {
    cItems += runCompromise(nlp, t);
    cBytes += Buffer.byteLength(t);
    if (cBytes >= COMPROMISE_BYTES) break;
  }
  const cSec = (performance.now() - t0) / 1000;
  const compromiseMBps = mb(cBytes) / cSec;
  log(`compromise ${compromiseMBps.toFixed(3)} MB/s (${cItems} items, ${mb(cBytes).toFixed(2)} MB in ${cSec.toFixed(1)} s)`);

  // The floor: one Unicode-aware regex over the same text; best of 3 passes.
  let best = Infinity;
  let matches = 0;
  for (let rep = 0; rep < 3; rep++) {
    t0 = performance.now();
    matches = 0;
    for (const t of texts) {
      FLOOR_RE.lastIndex = 0;
      while (FLOOR_RE.exec(t) !== null) matches++;
    }
    best = Math.min(best, performance.now() - t0);
  }
  const regexFloorMBps = mb(bytes) / (best / 1000);
  log(`regex floor ${regexFloorMBps.toFixed(1)} MB/s (${matches} matches)`);

  return {
    corpus: `generated (seed ${SEED}), ${texts.length} articles`,
    megabytes: round(mb(bytes), 2),
    sourcelensMBps: round(sourcelensMBps, 3),
    sourcelensSeconds: round(slSec, 2),
    mentions,
    claims,
    compromiseMBps: round(compromiseMBps, 3),
    compromiseMegabytes: round(mb(cBytes), 2),
    compromiseSeconds: round(cSec, 2),
    regexFloorMBps: round(regexFloorMBps, 2),
    /** Sourcelens speed ÷ compromise speed (target ≥ 15). */
    vsCompromise: round(sourcelensMBps / compromiseMBps, 2),
    /** Regex floor speed ÷ Sourcelens speed: how many times slower than the floor (target ≤ 30). */
    vsRegexFloor: round(regexFloorMBps / sourcelensMBps, 2),
  };
}

function runCompromise(nlp: any, text: string): number {
  const doc = nlp(text);
  return (
    doc.people().out('array').length +
    doc.organizations().out('array').length +
    doc.places().out('array').length +
    doc.numbers().get().length
  );
}

// ---- helpers over the server ------------------------------------------------------------------

interface Sample {
  uri: string;
  file: string;
  text: string;
  mention: RawMention;
  position: { line: number; character: number };
}

function uriOf(dir: string, rel: string): string {
  return pathToFileURL(path.join(dir, rel)).href;
}

/** Random mentions (seeded) in `docCount` articles of the corpus, found by the analyser in-process. */
function pickSamples(corpus: CorpusOnDisk, count: number, docCount: number, seed: string): Sample[] {
  const r = prng(seed);
  const files = new Set<string>();
  while (files.size < Math.min(docCount, corpus.files.length)) files.add(corpus.files[Math.floor(r() * corpus.files.length)]);
  const perDoc: Array<{ file: string; text: string; mentions: RawMention[] }> = [];
  for (const file of files) {
    const text = fs.readFileSync(path.join(corpus.dir, file), 'utf8');
    const mentions = analyseText(text).mentions;
    if (mentions.length) perDoc.push({ file, text, mentions });
  }
  const out: Sample[] = [];
  for (let i = 0; i < count && perDoc.length; i++) {
    const d = perDoc[i % perDoc.length];
    const m = d.mentions[Math.floor(r() * d.mentions.length)];
    const mid = m.start + Math.floor((m.end - m.start) / 2);
    out.push({ uri: uriOf(corpus.dir, d.file), file: d.file, text: d.text, mention: m, position: positionAt(d.text, mid) });
  }
  return out;
}

const isIndexChanged = (method: string) => method === 'sourcelens/indexChanged';

/**
 * Waits until the server reports its first indexing pass finished: an indexChanged notification
 * with `indexing: false` that counts every file of the corpus (indexed or skipped). An earlier
 * `indexing: false` (e.g. for a didOpen before the pass started) does not count.
 */
async function waitIndexed(c: LspClient, since: number, timeoutMs: number, files: number): Promise<{ at: number; params: any }> {
  const deadline = performance.now() + timeoutMs;
  const done = (p: any) => p?.indexing === false && (p.articles ?? 0) + (p.skipped?.length ?? 0) >= files;
  while (performance.now() < deadline) {
    const n = await c.waitFor((n) => isIndexChanged(n.method) && done(n.params), 2000, since);
    if (n) return n;
    if (c.proc.exitCode !== null || c.proc.signalCode !== null) {
      throw new Error(`server exited (code ${c.proc.exitCode}, signal ${c.proc.signalCode}): ${c.stderr.join('').slice(-2000)}`);
    }
  }
  const last = [...c.notifications].reverse().find((n) => isIndexChanged(n.method));
  throw new Error(
    `indexing not finished after ${Math.round(timeoutMs / 1000)} s` +
      (last ? `; last progress: ${last.params?.articles} articles at ${((last.at - since) / 1000).toFixed(0)} s` : '; no indexChanged notification'),
  );
}

/** The server's log line that ends the edit worker's first warm-up, whichever way it went. */
const EDIT_WORKER_SETTLED = /^Edit worker ready|^Could not warm up the edit worker|^The edit worker is gone/;

/** Waits until no notification arrived for `quietMs`. */
async function settle(c: LspClient, quietMs = 1000, maxMs = 60_000): Promise<void> {
  const start = performance.now();
  let count = c.notifications.length;
  let last = performance.now();
  while (performance.now() - start < maxMs) {
    await delay(100);
    if (c.notifications.length !== count) {
      count = c.notifications.length;
      last = performance.now();
    } else if (performance.now() - last >= quietMs) return;
  }
}

function openDoc(c: LspClient, uri: string, text: string, version = 1) {
  return c.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'plaintext', version, text } });
}

/**
 * The server's log lines about memory, snapshots, related figures, the analysis cache's save, the
 * workers' waits and the edit worker, with their time in seconds since the server was spawned.
 */
function serverLog(c: LspClient, t0: number): string[] {
  return c.notifications
    .filter((n) => n.method === 'window/logMessage' && n.at >= t0 && /\[memory\]|\[snapshot\] wrote|Related figures ready|Edit worker ready|Edit worker warmed again|^Indexed \d|^Linked \d|^Saved the analysis cache|waited \d+ ms for work/.test(n.params?.message ?? ''))
    .map((n) => `${((n.at - t0) / 1000).toFixed(1)} ${String(n.params.message).slice(0, 160)}`);
}

async function timed<T>(f: () => Promise<T>): Promise<[number, T]> {
  const t0 = performance.now();
  const r = await f();
  return [performance.now() - t0, r];
}

function rgSeconds(pattern: string, dir: string): { ms: number; lines: number } {
  const t0 = performance.now();
  const r = spawnSync(RG, ['-F', '-w', '--no-messages', '--', pattern, dir], { maxBuffer: 1 << 30, encoding: 'utf8' });
  const ms = performance.now() - t0;
  if (r.error) throw r.error;
  return { ms, lines: r.stdout ? r.stdout.split('\n').length - 1 : 0 };
}

// ---- latency ------------------------------------------------------------------------------------

async function latency(n: number) {
  const corpus = ensureCorpus(n, { seed: SEED, log });
  const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-bench-cache-'));
  const c = new LspClient({ serverJs: SERVER_JS, nodeArgs: SERVER_NODE_ARGS });
  try {
    const t0 = performance.now();
    const init = await c.initialize(corpus.dir, { cacheDir });
    const indexed = await waitIndexed(c, t0, INDEX_TIMEOUT_MS, corpus.manifest.files);
    if (!indexed) throw new Error('server never reported the end of indexing');
    const indexSeconds = (indexed.at - t0) / 1000;
    log(
      `latency ${n}: indexed ${indexed.params?.articles ?? '?'} articles, ${indexed.params?.entities ?? '?'} entities in ${indexSeconds.toFixed(1)} s; ` +
        `the bench's own heap ${Math.round(process.memoryUsage().heapUsed / 1e6)} MB`,
    );

    const samples = pickSamples(corpus, REQUESTS, Math.min(50, Math.ceil(REQUESTS / 4)), `${SEED}/latency/${n}`);
    const opened = new Set<string>();
    const openedAt = performance.now();
    for (const s of samples) {
      if (opened.has(s.uri)) continue;
      opened.add(s.uri);
      await openDoc(c, s.uri, s.text);
    }
    // The first article opened after indexing starts the edit worker and its warm-up (about a
    // second of analyses on the other core, which logs nothing until it ends: a quiet second
    // could end inside it). The rounds time a settled server, so they start after it.
    const warm = await c.waitFor((m) => m.method === 'window/logMessage' && EDIT_WORKER_SETTLED.test(m.params?.message ?? ''), 20_000, openedAt);
    if (!warm) log(`latency ${n}: the server logged no end of an edit worker's warm-up within 20 s; timing anyway`);
    await settle(c);

    const kinds: Record<string, (s: Sample) => Promise<unknown>> = {
      hover: (s) => c.request('textDocument/hover', { textDocument: { uri: s.uri }, position: s.position }),
      definition: (s) => c.request('textDocument/definition', { textDocument: { uri: s.uri }, position: s.position }),
      references: (s) =>
        c.request('textDocument/references', { textDocument: { uri: s.uri }, position: s.position, context: { includeDeclaration: true } }),
      documentSymbol: (s) => c.request('textDocument/documentSymbol', { textDocument: { uri: s.uri } }),
      workspaceSymbol: (s) => c.request('workspace/symbol', { query: s.mention.text }),
      semanticTokens: (s) => c.request('textDocument/semanticTokens/full', { textDocument: { uri: s.uri } }),
    };
    const out: Record<string, unknown> = {};
    let refCounts: number[] = [];
    for (const [kind, f] of Object.entries(kinds)) {
      try {
        await f(samples[0]); // warm-up, not timed
        const times: number[] = [];
        let answered = 0;
        const kindStart = performance.now();
        // The three slowest requests, to read the p99 by (it is the third slowest of 200).
        // `atS`: when it was sent, in seconds since the server was spawned (beside `serverLog`).
        const slow: Array<{ ms: number; name: string; items?: number; atS: number }> = [];
        for (const s of samples) {
          if (performance.now() - kindStart > KIND_BUDGET_MS) break;
          const sentAt = performance.now();
          const [ms, r] = await timed(() => f(s));
          times.push(ms);
          if (hasContent(r)) answered++;
          if (kind === 'references') refCounts.push(Array.isArray(r) ? r.length : 0);
          slow.push({ ms: round(ms, 2), name: s.mention.text, ...(Array.isArray(r) ? { items: r.length } : {}), atS: round((sentAt - t0) / 1000, 2) });
          slow.sort((a, b) => b.ms - a.ms);
          slow.length = Math.min(slow.length, 3);
        }
        out[kind] = { ...stats(times), answered: round(answered / times.length, 3), fromS: round((kindStart - t0) / 1000, 2), slowest: slow };
        log(
          `  ${kind}: p50 ${percentile(times, 50).toFixed(2)} ms, p99 ${percentile(times, 99).toFixed(2)} ms, answered ${answered}/${times.length}; ` +
            `slowest ${slow.map((x) => `${x.ms} ms ${JSON.stringify(x.name)}${x.items !== undefined ? ` (${x.items})` : ''}`).join(', ')}`,
        );
      } catch (err) {
        out[kind] = { error: String(err) };
        log(`  ${kind}: ${String(err)}`);
      }
    }

    // rg over the same folder, for the names of the referenced entities.
    const names = [...new Set(samples.map((s) => s.mention.text))].slice(0, QUICK ? 8 : 20);
    out.referencesPerRequest = refCounts.length ? round(refCounts.reduce((a, b) => a + b, 0) / refCounts.length, 1) : null;
    // A missing rg (it comes with test/e2e/setup.sh, or apt-get install ripgrep) costs this comparison only.
    try {
      rgSeconds(names[0], corpus.dir); // page cache warm-up
      const rgTimes: number[] = [];
      let rgLines = 0;
      for (const name of names) {
        const r = rgSeconds(name, corpus.dir);
        rgTimes.push(r.ms);
        rgLines += r.lines;
      }
      const refs = out.references as { p50?: number; p99?: number } | undefined;
      out.rg = {
        ...stats(rgTimes),
        names: names.length,
        meanMatchingLines: round(rgLines / names.length, 1),
        referencesP99VsRgP50: refs?.p99 ? round(percentile(rgTimes, 50) / refs.p99, 2) : null,
      };
      log(`  rg -F -w: p50 ${percentile(rgTimes, 50).toFixed(1)} ms over ${names.length} names`);
    } catch (err) {
      out.rg = { error: `rg failed (${String(err)}); install ripgrep for this comparison` };
      log(`  rg: ${String(err)}`);
    }

    // First hover after opening a document that was not open yet.
    const fresh = pickSamples(corpus, QUICK ? 5 : 10, QUICK ? 5 : 10, `${SEED}/open/${n}`).filter((s) => !opened.has(s.uri));
    const openTimes: number[] = [];
    for (const s of fresh) {
      const t = performance.now();
      await openDoc(c, s.uri, s.text);
      await c.request('textDocument/hover', { textDocument: { uri: s.uri }, position: s.position });
      openTimes.push(performance.now() - t);
      opened.add(s.uri);
    }
    out.openThenHover = stats(openTimes);
    log(`  didOpen→hover: p50 ${percentile(openTimes, 50).toFixed(1)} ms`);
    await settle(c, 500);

    out.edit = await editTest(c, corpus, init);
    const mem = c.memory();
    return {
      articles: n + 1,
      megabytes: round(mb(corpus.manifest.bytes), 1),
      indexSeconds: round(indexSeconds, 2),
      entities: indexed.params?.entities ?? null,
      serverPeakRssMB: mem ? round(mem.hwmKB / 1024, 0) : null,
      ...out,
      serverLog: serverLog(c, t0),
    };
  } finally {
    await c.stop().catch(() => c.kill());
    fs.rmSync(cacheDir, { recursive: true, force: true });
  }
}

/** didChange of the 10 KB article → (a) semantic tokens that reflect it, (b) indexChanged for its URI. */
async function editTest(c: LspClient, corpus: CorpusOnDisk, init: any) {
  const file = corpus.manifest.editArticle;
  const uri = uriOf(corpus.dir, file);
  let text = fs.readFileSync(path.join(corpus.dir, file), 'utf8');
  let version = 1;
  await openDoc(c, uri, text, version);
  await settle(c, 500);
  const sync = init?.capabilities?.textDocumentSync;
  const incremental = (typeof sync === 'number' ? sync : sync?.change) === 2;
  const tokens = async () => JSON.stringify(((await c.request('textDocument/semanticTokens/full', { textDocument: { uri } })) as any)?.data ?? null);
  let before = await tokens();
  const tokenTimes: number[] = [];
  const notifyTimes: number[] = [];
  let stale = 0;
  const at = text.indexOf('\n\n') + 2; // after the first paragraph
  const editStart = performance.now();
  for (let i = 0; i < EDITS; i++) {
    if (i >= 3 && performance.now() - editStart > KIND_BUDGET_MS) break;
    const name = `${variantOf(SEED, 'Edit', i + 1)} ${variantOf(SEED, 'Editson', i + 1)}`;
    const insert = `${name} told reporters in Kelmoria on Tuesday that ${name.split(' ')[1]} Holdings would invest $${(i % 9) + 1}.${i % 10} million in ${2026 + (i % 3)}.\n\n`;
    const newText = text.slice(0, at) + insert + text.slice(at);
    version++;
    const change = incremental
      ? { range: { start: positionAt(text, at), end: positionAt(text, at) }, text: insert }
      : { text: newText };
    const tSend = performance.now();
    await c.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [change] });
    let now = await tokens();
    while (now === before && performance.now() - tSend < 5000) {
      await delay(2);
      now = await tokens();
    }
    if (now === before) stale++;
    tokenTimes.push(performance.now() - tSend);
    before = now;
    const note = await c.waitFor((n) => isIndexChanged(n.method) && (n.params?.uris ?? []).includes(uri), 5000, tSend);
    if (note) notifyTimes.push(note.at - tSend);
    text = newText;
  }
  const r = {
    edits: tokenTimes.length,
    sync: incremental ? 'incremental' : 'full',
    articleChars: text.length,
    toSemanticTokens: stats(tokenTimes),
    /** Each edit's time in order, so a slow one can be placed (the first? one after a pause?). */
    tokenTimesInOrder: tokenTimes.map((t) => round(t, 1)),
    tokensNeverChanged: stale,
    toIndexChanged: notifyTimes.length ? stats(notifyTimes) : null,
    indexChangedSeen: notifyTimes.length,
  };
  log(
    `  edit→tokens p50 ${percentile(tokenTimes, 50).toFixed(1)} ms p99 ${percentile(tokenTimes, 99).toFixed(1)} ms; ` +
      `edit→indexChanged p50 ${notifyTimes.length ? percentile(notifyTimes, 50).toFixed(1) : '—'} ms (${notifyTimes.length}/${tokenTimes.length})`,
  );
  return r;
}

// ---- cold / warm start at scale --------------------------------------------------------------------

async function startOnce(corpus: CorpusOnDisk, cacheDir: string, target: Sample, label: string) {
  const probe = path.join(os.tmpdir(), `sl-memprobe-${process.pid}-${label}.json`);
  fs.rmSync(probe, { force: true });
  const c = new LspClient({
    serverJs: SERVER_JS,
    nodeArgs: ['--expose-gc', '--require', MEMPROBE, ...SERVER_NODE_ARGS],
    env: { SOURCELENS_MEMPROBE: probe },
  });
  const t0 = c.spawnedAt;
  // The server's resident memory every 250 ms, to tell which phase the peak falls in (see `phases` below).
  const rssSamples: Array<{ at: number; mb: number }> = [];
  const sampler = setInterval(() => {
    const m = c.memory();
    if (m) rssSamples.push({ at: performance.now() - t0, mb: m.rssKB / 1024 });
  }, 250);
  try {
    await c.initialize(corpus.dir, { cacheDir });
    const initMs = performance.now() - t0;
    await openDoc(c, target.uri, target.text);
    const hoverParams = { textDocument: { uri: target.uri }, position: target.position };
    let hovers = 0;
    let firstAnswerMs: number | null = null;
    let firstContentMs: number | null = null;
    // 1. A hover as soon as the document is open.
    let r = await c.request('textDocument/hover', hoverParams);
    hovers++;
    firstAnswerMs = performance.now() - t0;
    // 2. The first hover whose card is corpus-wide (not the provisional, article-only card the
    //    server gives while it indexes): from the previous session's snapshot on a second start,
    //    else once indexing has ended. Polled until then, or until indexing ends.
    let firstLinkedMs: number | null = isLinkedHover(r) ? firstAnswerMs : null;
    const indexedAt = () => c.notifications.find((n) => isIndexChanged(n.method) && n.params?.indexing === false && (n.params.articles ?? 0) + (n.params.skipped?.length ?? 0) >= corpus.manifest.files && n.at >= t0);
    // The longest any of those hovers waited for its answer, and when it was sent: how long the
    // server was deaf to an editor while it indexed.
    let longestWait = { ms: firstAnswerMs, sentAt: 0 };
    while (firstLinkedMs === null && !indexedAt() && performance.now() - t0 < INDEX_TIMEOUT_MS) {
      await delay(50);
      const sent = performance.now();
      r = await c.request('textDocument/hover', hoverParams);
      hovers++;
      const waited = performance.now() - sent;
      if (waited > longestWait.ms) longestWait = { ms: waited, sentAt: sent - t0 };
      if (isLinkedHover(r)) firstLinkedMs = performance.now() - t0;
    }
    // 3. The indexing-finished notification (it may already have arrived).
    const indexed = await waitIndexed(c, t0, INDEX_TIMEOUT_MS, corpus.manifest.files);
    if (!indexed) throw new Error('server never reported the end of indexing');
    const indexedMs = indexed.at - t0;
    // 4. The first hover answered with content after that.
    let answeredAt = performance.now();
    r = await c.request('textDocument/hover', hoverParams);
    hovers++;
    answeredAt = performance.now();
    if (!hasContent(r)) {
      const deadline = performance.now() + 30_000;
      do {
        await delay(50);
        r = await c.request('textDocument/hover', hoverParams);
        hovers++;
        answeredAt = performance.now();
      } while (!hasContent(r) && performance.now() < deadline);
    }
    if (hasContent(r)) firstContentMs = answeredAt - t0;
    if (firstLinkedMs === null && isLinkedHover(r)) firstLinkedMs = firstContentMs;
    // 5. The snapshot for the next start, written a few seconds after indexing settles.
    let snapshotWrittenMs: number | null = null;
    const snapshotFile = path.join(cacheDir, 'index.bin');
    const wallT0 = Date.now() - (performance.now() - t0);
    for (const deadline = performance.now() + 180_000; performance.now() < deadline; ) {
      const st = fs.existsSync(snapshotFile) ? fs.statSync(snapshotFile) : null;
      if (st && st.mtimeMs > wallT0 + indexedMs) {
        snapshotWrittenMs = st.mtimeMs - wallT0;
        break;
      }
      await delay(200);
    }
    // 5b. The related-figures index, which the server builds in slices once the snapshot is
    //    written (logged 'Related figures ready'): waited for (up to 2 min), so that the memory
    //    below includes it and the claim hover in 6 is the one a fact-checker gets from then on.
    const relatedReady = await c.waitFor(
      (m) => m.method === 'window/logMessage' && /Related figures ready/.test(m.params?.message ?? ''),
      120_000,
      t0,
    );
    const relatedReadyMs = relatedReady ? relatedReady.at - t0 : null;
    // Memory: the index's share of the heap (memprobe, after full GCs) and the peak RSS.
    const probeAt = performance.now() - t0;
    process.kill(c.pid, 'SIGUSR2');
    let probed: any;
    // Two full GCs of a multi-GB heap on a loaded machine can take a while: wait up to 90 s.
    for (let i = 0; i < 1800 && !probed; i++) {
      await delay(50);
      try {
        probed = JSON.parse(fs.readFileSync(probe, 'utf8'));
      } catch {
        /* not yet */
      }
    }
    const mem = c.memory();
    const resident = c.residentByMapping();
    const claimAt = performance.now() - t0;
    // 6. A fact-checker's first hover on a figure: it builds the related-figures index over every
    //    claim of the corpus. Timed, and the peak RSS with it reported beside the one above.
    let claimHoverMs: number | null = null;
    try {
      const groups = (await c.request('sourcelens/claims', { groupBy: 'article', uri: target.uri })) as any;
      const claim = groups?.[0]?.claims?.[0];
      if (claim) {
        const h0 = performance.now();
        await c.request('textDocument/hover', { textDocument: { uri: target.uri }, position: claim.range.start });
        claimHoverMs = performance.now() - h0;
      }
    } catch (err) {
      log(`index ${label}: claim hover failed: ${String(err)}`);
    }
    const memAfterClaim = c.memory();
    clearInterval(sampler);
    // The highest RSS sample of each phase, from the server's own log lines and the steps above.
    const logAt = (re: RegExp) => {
      const n = c.notifications.find((x) => x.method === 'window/logMessage' && re.test(x.params?.message ?? '') && x.at >= t0);
      return n ? n.at - t0 : null;
    };
    const bounds: Array<[string, number | null]> = [
      ['pass', logAt(/^Indexed \d+ articles/)],
      ['link', logAt(/^Linked \d+ entities/)],
      ['snapshot', snapshotWrittenMs],
      ['related', probeAt],
      ['probe', claimAt],
      ['claimHover', Infinity],
    ];
    const phases: Record<string, number | null> = {};
    let from = 0;
    for (const [name, to] of bounds) {
      const end = to ?? from;
      const inPhase = rssSamples.filter((x) => x.at >= from && x.at < end);
      phases[name] = inPhase.length ? round(Math.max(...inPhase.map((x) => x.mb)), 0) : null;
      from = Math.max(from, end);
    }
    const peakSample = rssSamples.reduce((a, b) => (b.mb > a.mb ? b : a), { at: 0, mb: 0 });
    const heapDelta = probed ? probed.now.heapUsed - probed.baseline.heapUsed : null;
    const extDelta = probed ? probed.now.external + probed.now.arrayBuffers - (probed.baseline.external + probed.baseline.arrayBuffers) : null;
    const res = {
      initializeMs: round(initMs, 0),
      indexedMs: round(indexedMs, 0),
      firstHoverAnswerMs: round(firstAnswerMs, 0),
      firstHoverWithContentAfterIndexingMs: firstContentMs === null ? null : round(firstContentMs, 0),
      firstCorpusWideHoverMs: firstLinkedMs === null ? null : round(firstLinkedMs, 0),
      longestHoverWaitMs: round(longestWait.ms, 0),
      longestHoverWaitSentAtMs: round(longestWait.sentAt, 0),
      snapshotWrittenMs: snapshotWrittenMs === null ? null : round(snapshotWrittenMs, 0),
      relatedFiguresReadyMs: relatedReadyMs === null ? null : round(relatedReadyMs, 0),
      hoverRequests: hovers,
      articles: indexed.params?.articles ?? null,
      entities: indexed.params?.entities ?? null,
      peakRssMB: mem ? round(mem.hwmKB / 1024, 0) : null,
      rssAfterMB: mem ? round(mem.rssKB / 1024, 0) : null,
      firstClaimHoverMs: claimHoverMs === null ? null : round(claimHoverMs, 0),
      peakRssWithClaimHoverMB: memAfterClaim ? round(memAfterClaim.hwmKB / 1024, 0) : null,
      heapBaselineMB: probed ? round(probed.baseline.heapUsed / 2 ** 20, 1) : null,
      heapAfterIndexMB: probed ? round(probed.now.heapUsed / 2 ** 20, 1) : null,
      indexHeapMB: heapDelta === null ? null : round(heapDelta / 2 ** 20, 1),
      indexExternalMB: extDelta === null ? null : round(extDelta / 2 ** 20, 1),
      // Where the memory was (diagnostics, no target): the highest RSS sample (every 250 ms) in
      // each phase and when the highest of all came; after the probe's full collections, the
      // heap V8 had committed, the process's threads and its resident memory by kind of mapping.
      rssByPhaseMB: phases,
      rssPeakSampleAtMs: round(peakSample.at, 0),
      heapCommittedAfterProbeMB: probed ? round(probed.now.heapTotal / 2 ** 20, 1) : null,
      threadsAfterProbe: mem ? mem.threads : null,
      residentByMappingMB: resident ?? null,
      serverLog: serverLog(c, t0),
    };
    log(`index ${label}: ${JSON.stringify(res)}`);
    return res;
  } finally {
    clearInterval(sampler);
    await c.stop(120_000).catch(() => c.kill());
    fs.rmSync(probe, { force: true });
  }
}

async function indexAtScale(n: number) {
  const corpus = ensureCorpus(n, { seed: SEED, log });
  const cacheDir = path.join(repoRoot, 'bench', 'corpora', `.cache-${n}`);
  // BENCH_INDEX_WARM_ONLY=1: reuse the cache a previous run left and measure the second start only.
  const warmOnly = process.env.BENCH_INDEX_WARM_ONLY === '1';
  if (!warmOnly) fs.rmSync(cacheDir, { recursive: true, force: true });
  const target = pickSamples(corpus, 1, 1, `${SEED}/index/${n}`)[0];
  if (!target) throw new Error('no mention found for the index test');
  log(`index ${n}: hover target ${target.file} "${target.mention.text}"`);
  let cold: unknown = null;
  let coldError: string | null = null;
  if (!warmOnly) {
    try {
      cold = await startOnce(corpus, cacheDir, target, 'cold');
    } catch (err) {
      coldError = String(err);
      log(`index cold: ${coldError}`);
    }
  }
  const cacheFile = path.join(cacheDir, 'analyses.bin');
  const cacheBytes = fs.existsSync(cacheFile) ? fs.statSync(cacheFile).size : 0;
  let warm: unknown = null;
  let warmMissing: string | null = null;
  if (cacheBytes === 0) {
    warmMissing = coldError
      ? `the cold start failed before writing ${path.relative(repoRoot, cacheFile)}`
      : `the server wrote no ${path.relative(repoRoot, cacheFile)} (initializationOptions.cacheDir not wired in dist/server.js?)`;
    log(`index warm: missing — ${warmMissing}`);
  } else {
    try {
      warm = await startOnce(corpus, cacheDir, target, 'warm');
    } catch (err) {
      warmMissing = String(err);
      log(`index warm: ${warmMissing}`);
    }
  }
  return {
    articles: n + 1,
    megabytes: round(mb(corpus.manifest.bytes), 1),
    hoverTarget: `${target.file} "${target.mention.text}"`,
    cold,
    coldError,
    warm,
    warmMissing,
    cacheFileMB: round(cacheBytes / 1e6, 1),
  };
}

// ---- other benches -----------------------------------------------------------------------------------

async function extra(): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  const benches: Array<[string, string, string]> = [
    ['claims', './claims-throughput', 'runClaimsBench'],
    ['linking', './linking', 'runLinkingBench'],
  ];
  for (const [key, mod, fn] of benches) {
    if (!fs.existsSync(path.join(__dirname, `${mod.slice(2)}.ts`))) {
      log(`${key}: bench/${mod.slice(2)}.ts not present, skipped`);
      continue;
    }
    try {
      const m = (await import(mod)) as Record<string, () => unknown>;
      const t0 = performance.now();
      const r = await m[fn]();
      log(`${key}: done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      if (r !== undefined) out[key] = r;
    } catch (err) {
      log(`${key}: failed: ${String(err)}`);
      out[`${key}Error`] = String(err);
    }
  }
  return out;
}

// ---- report -------------------------------------------------------------------------------------------

function scaling(lat: Record<string, any>) {
  const sizes = Object.keys(lat).filter((k) => lat[k] && !lat[k].error);
  const rows: Record<string, Record<string, number | null>> = {};
  const metric = (name: string, get: (x: any) => number | undefined | null) => {
    rows[name] = {};
    for (const s of sizes) rows[name][s] = get(lat[s]) ?? null;
    if (sizes.length >= 2) {
      const a = rows[name][sizes[0]];
      const b = rows[name][sizes[sizes.length - 1]];
      rows[name].growth = a && b ? round(b / a, 2) : null;
    }
  };
  metric('indexSeconds', (x) => x.indexSeconds);
  for (const k of ['hover', 'definition', 'references', 'documentSymbol', 'workspaceSymbol', 'semanticTokens']) {
    metric(`${k}.p50`, (x) => x[k]?.p50);
    metric(`${k}.p99`, (x) => x[k]?.p99);
  }
  metric('rg.p50', (x) => x.rg?.p50);
  metric('openThenHover.p50', (x) => x.openThenHover?.p50);
  metric('edit→tokens.p50', (x) => x.edit?.toSemanticTokens?.p50);
  metric('edit→tokens.p99', (x) => x.edit?.toSemanticTokens?.p99);
  metric('edit→indexChanged.p50', (x) => x.edit?.toIndexChanged?.p50);
  metric('serverPeakRssMB', (x) => x.serverPeakRssMB);
  return rows;
}

function targets(r: any) {
  const t: Array<{ target: string; measured: number | null; limit: number; ratio: number | null; pass: boolean | null; note?: string }> = [];
  const add = (target: string, measured: number | null | undefined, limit: number, higherIsBetter: boolean, note?: string) => {
    const m = measured ?? null;
    t.push({
      target,
      measured: m,
      limit,
      ratio: m === null ? null : round(m / limit, 2),
      pass: m === null ? null : higherIsBetter ? m >= limit : m <= limit,
      ...(note ? { note } : {}),
    });
  };
  const big = r.index;
  if (big) {
    const sec = (ms: number | null | undefined) => (ms == null ? null : ms / 1000);
    add(`${big.articles - 1} articles: warm start first corpus-wide hover (s)`, sec(big.warm?.firstCorpusWideHoverMs), 2, false, big.warmMissing ?? undefined);
    add(`${big.articles - 1} articles: cold start first corpus-wide hover (s)`, sec(big.cold?.firstCorpusWideHoverMs), 60, false);
    // The peak through indexing and the first hover on a figure (which builds the related-figures
    // index), on the cold and on the second start.
    const peakOf = (x: any) => Math.max(x?.peakRssMB ?? 0, x?.peakRssWithClaimHoverMB ?? 0);
    add(`${big.articles - 1} articles: peak RSS (MB)`, Math.max(peakOf(big.cold), peakOf(big.warm)) || null, 1536, false);
  }
  const sizes = Object.keys(r.latency ?? {}).map(Number).sort((a, b) => a - b);
  const at = sizes.includes(10000) ? 10000 : sizes[sizes.length - 1];
  const l = r.latency?.[at];
  if (l && !l.error) {
    add(`${at}: hover p99 (ms)`, l.hover?.p99, 16, false);
    add(`${at}: definition p99 (ms)`, l.definition?.p99, 16, false);
    add(`${at}: rg p50 ÷ references p99 (×)`, l.rg?.referencesP99VsRgP50, 10, true);
    add(`${at}: edit → semantic tokens p99 (ms)`, l.edit?.toSemanticTokens?.p99, 50, false);
  }
  if (r.throughput) {
    add('throughput ÷ compromise (×)', r.throughput.vsCompromise, 15, true);
    add('regex floor ÷ throughput (×)', r.throughput.vsRegexFloor, 30, false);
  }
  return t;
}

function printTable(r: any) {
  const lines: string[] = [];
  const row = (...cells: Array<string | number | null | undefined>) =>
    lines.push(cells.map((c, i) => String(c ?? '—').padEnd(i === 0 ? 34 : 14)).join(' ').trimEnd());
  lines.push('', `Sourcelens benchmark — ${r.meta.date}, node ${r.meta.node}, ${r.meta.cpus} CPUs, load ${r.meta.loadStart.join('/')} → ${r.meta.loadEnd.join('/')}${QUICK ? ', --quick' : ''}`, '');
  if (r.throughput) {
    const t = r.throughput;
    row('throughput (MB/s)', 'sourcelens', 'compromise', 'regex floor', '×compromise', 'floor÷SL');
    row('', t.sourcelensMBps, t.compromiseMBps, t.regexFloorMBps, t.vsCompromise, t.vsRegexFloor);
    lines.push('');
  }
  const lat = r.latency ?? {};
  const sizes = Object.keys(lat);
  if (sizes.length) {
    row('latency (ms)', ...sizes.flatMap((s) => [`${s} p50`, `${s} p99`]));
    for (const k of ['hover', 'definition', 'references', 'documentSymbol', 'workspaceSymbol', 'semanticTokens', 'rg', 'openThenHover']) {
      row(k === 'rg' ? 'rg -F -w (whole corpus)' : k === 'openThenHover' ? 'didOpen → hover' : k, ...sizes.flatMap((s) => [lat[s]?.[k]?.p50, lat[s]?.[k]?.p99]));
    }
    row('edit → semantic tokens', ...sizes.flatMap((s) => [lat[s]?.edit?.toSemanticTokens?.p50, lat[s]?.edit?.toSemanticTokens?.p99]));
    row('edit → indexChanged', ...sizes.flatMap((s) => [lat[s]?.edit?.toIndexChanged?.p50, lat[s]?.edit?.toIndexChanged?.p99]));
    row('initial indexing (s)', ...sizes.flatMap((s) => [lat[s]?.indexSeconds, '']));
    row('server peak RSS (MB)', ...sizes.flatMap((s) => [lat[s]?.serverPeakRssMB, '']));
    row('rg p50 ÷ references p99', ...sizes.flatMap((s) => [lat[s]?.rg?.referencesP99VsRgP50, '']));
    for (const s of sizes) if (lat[s]?.error) lines.push(`  ${s}: ${lat[s].error}`);
    lines.push('');
  }
  if (r.index) {
    const x = r.index;
    row(`start, ${x.articles - 1} articles`, '1st hover (s)', 'corpus hover (s)', 'longest hover wait (s)', 'indexed (s)', 'peak RSS MB', 'index heap MB', '1st claim hover (s)', 'peak with it MB');
    for (const k of ['cold', 'warm'] as const) {
      const s = x[k];
      const sec = (ms: number | null | undefined) => (ms == null ? null : round(ms / 1000, 2));
      if (s) row(k, sec(s.firstHoverAnswerMs), sec(s.firstCorpusWideHoverMs), sec(s.longestHoverWaitMs), sec(s.indexedMs), s.peakRssMB, s.indexHeapMB, sec(s.firstClaimHoverMs), s.peakRssWithClaimHoverMB);
      else row(k, `missing: ${(k === 'cold' ? x.coldError : x.warmMissing) ?? x.error ?? ''}`.slice(0, 300));
    }
    lines.push(`  cache file ${x.cacheFileMB} MB`, '');
  }
  row('target', 'measured', 'limit', 'ratio', 'pass');
  for (const t of r.targets) row(t.target, t.measured, t.limit, t.ratio, t.pass === null ? 'n/a' : t.pass ? 'yes' : 'NO');
  console.log(lines.join('\n'));
}

// ---- main -------------------------------------------------------------------------------------------

/**
 * The sections that time a server (latency at each size, index) run in a fresh bench process
 * each: the process that sends the requests also decodes the answers, and after the in-process
 * sections (throughput, claims, linking) its own heap was about 580 MB, so that its own garbage
 * collections (which grow with its heap) fell into the requests it timed. The child runs one
 * section (`BENCH_CHILD=latency:10000`) and writes its result as JSON to `BENCH_CHILD_OUT`.
 */
async function inChild<T>(section: string): Promise<T> {
  const out = path.join(os.tmpdir(), `sl-bench-${process.pid}-${section.replace(/\W/g, '_')}.json`);
  fs.rmSync(out, { force: true });
  const r = spawnSync(process.execPath, [...process.execArgv, __filename, ...argv], {
    stdio: 'inherit',
    env: { ...process.env, BENCH_CHILD: section, BENCH_CHILD_OUT: out },
  });
  if (r.error) throw r.error;
  if (!fs.existsSync(out)) throw new Error(`the ${section} section's process ended (code ${r.status}, signal ${r.signal}) without a result`);
  const result = JSON.parse(fs.readFileSync(out, 'utf8'));
  fs.rmSync(out, { force: true });
  if (result && typeof result === 'object' && 'childError' in result) throw new Error(String(result.childError));
  return result as T;
}

/** In a child process: run the one section named by BENCH_CHILD and write its result. */
async function childMain(section: string, out: string): Promise<void> {
  const [kind, size] = section.split(':');
  let result: unknown;
  try {
    if (kind === 'latency') result = await latency(Number(size));
    else if (kind === 'index') result = await indexAtScale(Number(size));
    else throw new Error(`unknown bench section ${section}`);
  } catch (err) {
    result = { childError: String(err) };
  }
  fs.writeFileSync(out, JSON.stringify(result));
}

async function main() {
  if (process.env.BENCH_CHILD && process.env.BENCH_CHILD_OUT) return childMain(process.env.BENCH_CHILD, process.env.BENCH_CHILD_OUT);
  const meta = {
    date: new Date().toISOString(),
    command: `${process.env.npm_lifecycle_event ? 'npm run bench' : 'node --import tsx bench/bench.ts'} ${argv.join(' ')}`.trim(),
    quick: QUICK,
    seed: SEED,
    node: process.version,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? '',
    memoryGB: round(os.totalmem() / 2 ** 30, 1),
    loadStart: os.loadavg().map((x) => round(x, 2)),
    loadEnd: [] as number[],
    requestsPerKind: REQUESTS,
    latencySizes: SIZES,
    indexSize: INDEX_SIZE,
  };
  const r: any = { meta };
  const t0 = performance.now();
  if (ONLY.has('throughput')) r.throughput = await throughput();
  if (ONLY.has('extra')) Object.assign(r, await extra());
  const needServer = ONLY.has('latency') || (ONLY.has('index') && INDEX_SIZE > 0);
  if (needServer && !fs.existsSync(SERVER_JS)) {
    log(`${SERVER_JS} missing: latency and index sections skipped`);
    r.serverMissing = true;
  } else {
    if (ONLY.has('latency')) {
      r.latency = {};
      for (const n of SIZES) {
        try {
          r.latency[n] = await inChild(`latency:${n}`);
        } catch (err) {
          r.latency[n] = { error: String(err) };
          log(`latency ${n}: ${String(err)}`);
        }
      }
      r.scaling = scaling(r.latency);
    }
    if (ONLY.has('index') && INDEX_SIZE > 0) {
      try {
        r.index = await inChild(`index:${INDEX_SIZE}`);
      } catch (err) {
        r.index = { articles: INDEX_SIZE + 1, error: String(err) };
        log(`index: ${String(err)}`);
      }
    }
  }
  meta.loadEnd = os.loadavg().map((x) => round(x, 2));
  (meta as any).seconds = round((performance.now() - t0) / 1000, 1);
  (meta as any).sections = [...ONLY];

  // Merge into results.json, keeping what other benches (and earlier partial runs) wrote; the
  // targets are judged on the merged figures.
  let prev: Record<string, any> = {};
  try {
    prev = JSON.parse(fs.readFileSync(RESULTS, 'utf8'));
  } catch {
    /* first run */
  }
  r.targets = targets({ ...prev, ...r });
  const merged = { ...prev, ...r };
  fs.writeFileSync(RESULTS, JSON.stringify(merged, null, 2) + '\n');
  printTable(r);
  log(`wrote ${path.relative(repoRoot, RESULTS)} in ${(meta as any).seconds} s`);
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
