/**
 * Find All References (or, with `--kind=hover`, hovers) at N generated articles, request by
 * request, through the built server over stdio: the time, the number of locations and the
 * response's size of each of the bench's samples (the same seeded choice), the slowest first,
 * and what the server logged meanwhile. For looking into the references and hover figures.
 *   node --import tsx bench/refs-trace.ts 10000 [--kind=hover|semanticTokens] [--seconds=S] [--cache-dir=DIR] [--before=hover,definition]
 * `--seconds=S` repeats the samples for S seconds from the end of indexing (the default is one
 * round of 200), so that stalls of the server's background work after indexing (the snapshot
 * writer, the reference lists) show up beside the log line that explains them.
 * SOURCELENS_NODE_ARGS adds node flags for the server (e.g. a preloaded GC logger).
 * With `--cache-dir` the analyses are kept between runs (a second run indexes from the cache).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { analyseText } from '../server/src/service/analyse';
import { ensureCorpus, prng } from './generate';
import { LspClient, positionAt } from './lsp-client';

async function main(): Promise<void> {
  const n = Number(process.argv[2] ?? 1000);
  const seed = process.env.BENCH_SEED ?? 'sourcelens-bench';
  const corpus = ensureCorpus(n, { seed });
  const cacheDir = path.resolve(
    process.argv.find((a) => a.startsWith('--cache-dir='))?.slice('--cache-dir='.length) ?? fs.mkdtempSync(path.join(os.tmpdir(), 'sl-refs-')),
  );
  const serverJs = process.env.BENCH_SERVER ?? path.join(__dirname, '..', 'dist', 'server.js');
  const nodeArgs = (process.env.SOURCELENS_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
  const c = new LspClient({ serverJs, nodeArgs });
  try {
    const t0 = performance.now();
    await c.initialize(corpus.dir, { cacheDir });
    const done = (p: any) => p?.indexing === false && (p.articles ?? 0) + (p.skipped?.length ?? 0) >= corpus.manifest.files;
    while (!(await c.waitFor((x) => x.method === 'sourcelens/indexChanged' && done(x.params), 5000, t0))) {
      if (c.proc.exitCode !== null) throw new Error('server exited');
    }
    console.log(`indexed in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    // The bench's choice of samples (bench.ts pickSamples): 50 articles, 200 mentions.
    const r = prng(`${seed}/latency/${n}`);
    const files = new Set<string>();
    while (files.size < Math.min(50, corpus.files.length)) files.add(corpus.files[Math.floor(r() * corpus.files.length)]);
    const perDoc: Array<{ uri: string; text: string; mentions: ReturnType<typeof analyseText>['mentions'] }> = [];
    for (const file of files) {
      const text = fs.readFileSync(path.join(corpus.dir, file), 'utf8');
      const mentions = analyseText(text).mentions;
      if (mentions.length) perDoc.push({ uri: pathToFileURL(path.join(corpus.dir, file)).href, text, mentions });
    }
    const samples: Array<{ uri: string; text: string; name: string; position: { line: number; character: number } }> = [];
    for (let i = 0; i < 200 && perDoc.length; i++) {
      const d = perDoc[i % perDoc.length];
      const m = d.mentions[Math.floor(r() * d.mentions.length)];
      samples.push({ uri: d.uri, text: d.text, name: m.text, position: positionAt(d.text, m.start + Math.floor((m.end - m.start) / 2)) });
    }
    for (const d of perDoc) await c.notify('textDocument/didOpen', { textDocument: { uri: d.uri, languageId: 'plaintext', version: 1, text: d.text } });
    await new Promise((res) => setTimeout(res, process.argv.some((a) => a.startsWith('--seconds=')) ? 0 : 3000));
    const kind = process.argv.find((a) => a.startsWith('--kind='))?.slice('--kind='.length) ?? 'references';
    const req = (s: (typeof samples)[number]) =>
      kind === 'hover'
        ? c.request('textDocument/hover', { textDocument: { uri: s.uri }, position: s.position })
        : kind === 'semanticTokens'
          ? c.request('textDocument/semanticTokens/full', { textDocument: { uri: s.uri } })
          : c.request('textDocument/references', { textDocument: { uri: s.uri }, position: s.position, context: { includeDeclaration: true } });
    // `--before=hover,definition`: rounds of other requests first, as the bench runs its kinds in
    // turn (so that the server's background work falls where it falls in the bench).
    const before = (process.argv.find((a) => a.startsWith('--before='))?.slice('--before='.length) ?? '').split(',').filter(Boolean);
    for (const b of before) {
      const method = b === 'hover' ? 'textDocument/hover' : b === 'definition' ? 'textDocument/definition' : undefined;
      if (!method) throw new Error(`--before: hover or definition, not ${b}`);
      for (const s of [samples[0], ...samples]) await c.request(method, { textDocument: { uri: s.uri }, position: s.position });
    }
    const logFrom = c.notifications.length;
    await req(samples[0]);
    const rows: Array<{ ms: number; n: number; kb: number; parseMs: number; name: string; at: number }> = [];
    const seconds = Number(process.argv.find((a) => a.startsWith('--seconds='))?.slice('--seconds='.length) ?? 0);
    const until = performance.now() + seconds * 1000;
    for (let k = 0; k < samples.length || performance.now() < until; k++) {
      const s = samples[k % samples.length];
      const a = performance.now();
      const res = (await req(s)) as unknown;
      const ms = performance.now() - a;
      const json = JSON.stringify(res);
      const p0 = performance.now();
      JSON.parse(json);
      rows.push({ ms, n: Array.isArray(res) ? res.length : 0, kb: json.length / 1024, parseMs: performance.now() - p0, name: s.name, at: (performance.timeOrigin + a) / 1000 });
    }
    const times = rows.map((x) => x.ms).sort((a, b) => a - b);
    const pct = (p: number) => times[Math.min(times.length - 1, Math.ceil((p / 100) * times.length) - 1)];
    console.log(`${kind}: p50 ${pct(50).toFixed(2)} ms, p99 ${pct(99).toFixed(2)} ms, max ${times[times.length - 1].toFixed(2)} ms`);
    for (const x of [...rows].sort((a, b) => b.ms - a.ms).slice(0, 15)) {
      console.log(`${x.ms.toFixed(2).padStart(8)} ms ${String(x.n).padStart(6)} locations ${x.kb.toFixed(0).padStart(5)} KB (parse ${x.parseMs.toFixed(2)} ms) at ${x.at.toFixed(3)} ${x.name}`);
    }
    // What the server logged meanwhile (background work that may have delayed a response).
    for (const x of c.notifications.slice(logFrom)) {
      if (x.method === 'window/logMessage') console.log(`log at ${((performance.timeOrigin + x.at) / 1000).toFixed(3)}: ${String(x.params?.message).slice(0, 160)}`);
    }
  } finally {
    await c.stop().catch(() => c.kill());
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
