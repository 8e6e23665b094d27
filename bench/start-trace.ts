/**
 * One server start on N generated articles, printing the server's own log lines with their
 * time since spawn (the pass's "Indexed … in … ms", the link pass's "Linked … in … ms", snapshot
 * lines) and the peak RSS. For comparing configurations, e.g. analysis workers:
 *   SOURCELENS_WORKERS=0 node --import tsx bench/start-trace.ts 1000
 *   SOURCELENS_WORKERS=2 node --import tsx bench/start-trace.ts 1000
 * `--warm` keeps the cache folder of the previous run (second start); default: a cold start.
 * `BENCH_SERVER` names another build of the server (default dist/server.js; its analysisWorker.js beside it).
 * `--cache-dir=DIR` uses DIR instead of $TMPDIR/sourcelens-start-trace-N (emptied unless `--warm`).
 * `--until-related` waits for the related figures (built after the snapshot) before stopping.
 * `--write-snapshot` waits for the linked-index snapshot to be written before stopping (so the
 * next `--warm` run can read it); `--until-snapshot` stops once the snapshot answers.
 *
 * Looking inside the server (after the pass and its link pass):
 *   `--memprobe`          the heap after full GCs, as the bench measures it, and the heap committed
 *                         per V8 space (bench/memprobe.cjs);
 *   `--heap-snapshot=DIR` a heap snapshot written into DIR (node --heapsnapshot-signal);
 *   `--rss-timeline`      the highest RSS of every 5 seconds (SOURCELENS_RSS_STEP_MS);
 *   `--smaps`             the resident memory by kind of mapping at the end (Linux);
 *   `--claim-hover`       one hover on a claim after indexing (it builds the related-figures index);
 *   `--open`              an article opened right after initialize (so the server has an edit worker);
 *   `--poll-hover`        with --open: a hover on its first mention every 50 ms until the card is
 *                         corpus-wide, as the bench's index section does; prints when it was;
 *   SOURCELENS_NODE_ARGS  extra node flags for the server, e.g.
 *                         "--cpu-prof --cpu-prof-dir=/tmp/prof" (written when the server exits).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { analyseText } from '../server/src/service/analyse';
import { ensureCorpus } from './generate';
import { delay, isLinkedHover, LspClient, positionAt } from './lsp-client';

async function main(): Promise<void> {
  const n = Number(process.argv[2] ?? 1000);
  const warm = process.argv.includes('--warm');
  const memprobe = process.argv.includes('--memprobe');
  const heapDir = process.argv.find((a) => a.startsWith('--heap-snapshot='))?.slice('--heap-snapshot='.length);
  if (memprobe && heapDir) throw new Error('--memprobe and --heap-snapshot both use SIGUSR2: pick one');
  const corpus = ensureCorpus(n, {});
  const cacheDir = path.resolve(
    process.argv.find((a) => a.startsWith('--cache-dir='))?.slice('--cache-dir='.length) ?? path.join(os.tmpdir(), `sourcelens-start-trace-${n}`),
  );
  if (!warm) fs.rmSync(cacheDir, { recursive: true, force: true });
  const probeFile = path.join(os.tmpdir(), `sourcelens-start-trace-memprobe-${process.pid}.json`);
  const nodeArgs = (process.env.SOURCELENS_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
  const env: NodeJS.ProcessEnv = {};
  if (memprobe) {
    nodeArgs.unshift('--expose-gc', '--require', path.join(__dirname, 'memprobe.cjs'));
    env.SOURCELENS_MEMPROBE = probeFile;
  }
  if (heapDir) {
    fs.mkdirSync(heapDir, { recursive: true });
    nodeArgs.unshift('--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${path.resolve(heapDir)}`);
  }
  const c = new LspClient({ serverJs: process.env.BENCH_SERVER ?? path.join(__dirname, '..', 'dist', 'server.js'), nodeArgs, env });
  const t0 = c.spawnedAt;
  // The server's RSS every 250 ms: where in the start the peak falls. Also the CPU time of its
  // main thread and of the whole process (all threads: workers, GC helpers), which unlike
  // profiles and wall times do not count the time a busy machine left the server waiting.
  const rss: Array<{ at: number; mb: number; mainCpu: number; allCpu: number }> = [];
  const cpuOf = (file: string) => {
    const f = fs.readFileSync(file, 'utf8');
    const v = f.slice(f.lastIndexOf(')') + 2).split(' ');
    return (Number(v[11]) + Number(v[12])) / 100; // utime + stime, clock ticks
  };
  const sampler = setInterval(() => {
    const m = c.memory();
    try {
      if (m) rss.push({ at: performance.now() - t0, mb: m.rssKB / 1024, mainCpu: cpuOf(`/proc/${c.pid}/task/${c.pid}/stat`), allCpu: cpuOf(`/proc/${c.pid}/stat`) });
    } catch {
      /* exited */
    }
  }, Number(process.env.SOURCELENS_RSS_SAMPLE_MS ?? 250));
  sampler.unref();
  await c.initialize(corpus.dir, { cacheDir });
  if (process.argv.includes('--open')) {
    // An article open in the editor from the start, as the bench's index section has it.
    const file = path.join(corpus.dir, corpus.files[0]);
    const text = fs.readFileSync(file, 'utf8');
    const uri = pathToFileURL(file).href;
    await c.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'article', version: 1, text } });
    if (process.argv.includes('--poll-hover')) {
      const m = analyseText(text).mentions[0];
      const position = positionAt(text, (m.start + m.end) >> 1);
      let hovers = 0;
      // The last few hovers, sent and answered (ms since spawn): where the card waited, if it did.
      const last: string[] = [];
      const waits: { ms: number; at: number }[] = [];
      for (;;) {
        const sent = performance.now() - t0;
        const r = await c.request('textDocument/hover', { textDocument: { uri }, position });
        hovers++;
        const waited = performance.now() - t0 - sent;
        waits.push({ ms: waited, at: sent });
        last.push(`${sent.toFixed(0)}→${(performance.now() - t0).toFixed(0)}`);
        if (last.length > 3) last.shift();
        if (isLinkedHover(r)) break;
        await delay(50);
      }
      console.log(`first corpus-wide hover at ${(performance.now() - t0).toFixed(0)} ms (${hovers} hovers, on "${m.text}"; the last sent→answered: ${last.join(', ')})`);
      const longest = [...waits].sort((a, b) => b.ms - a.ms).slice(0, 5);
      console.log(`the longest waits for a hover's answer: ${longest.map((w) => `${w.ms.toFixed(0)} ms (sent at ${w.at.toFixed(0)} ms)`).join(', ')}`);
    }
  }
  /** The server's log lines so far, with their time since spawn and the highest RSS sampled since the previous line. */
  const printLog = () => {
    let k = 0;
    for (const x of c.notifications) {
      if (x.method !== 'window/logMessage') continue;
      const at = x.at - t0;
      let peak = 0;
      for (; k < rss.length && rss[k].at <= at; k++) peak = Math.max(peak, rss[k].mb);
      const cpu = k > 0 ? ` cpu main ${rss[k - 1].mainCpu.toFixed(1)} s, all ${rss[k - 1].allCpu.toFixed(1)} s` : '';
      console.log(`${at.toFixed(0).padStart(8)} ms  ${peak ? `(rss ≤${Math.round(peak)} MB${cpu}) ` : ''}${x.params.message}`);
    }
    // The log line of the pass's end arrives after the link pass (the thread is busy linking):
    // the CPU times at its end are taken at the time its own figure gives.
    const started = c.notifications.find((x) => logged(/^Indexing \d+ articles/)(x));
    const ended = c.notifications.map((x) => (x.method === 'window/logMessage' ? /^Indexed .* in (\d+) ms/.exec(x.params.message) : null)).find(Boolean);
    if (started && ended) {
      const upTo = (at: number) => rss.filter((r) => r.at <= at).pop();
      const from = upTo(started.at - t0);
      const to = upTo(started.at - t0 + Number(ended[1]));
      if (from && to) console.log(`${''.padStart(8)}    (the pass: cpu main ${(to.mainCpu - from.mainCpu).toFixed(1)} s, all threads ${(to.allCpu - from.allCpu).toFixed(1)} s)`);
    }
    const rest = rss.slice(k);
    if (rest.length) console.log(`${''.padStart(8)}    (rss since: max ${Math.round(Math.max(...rest.map((r) => r.mb)))} MB, now ${Math.round(rest[rest.length - 1].mb)} MB)`);
    if (process.argv.includes('--rss-timeline')) {
      // The highest RSS in each step (5 s; SOURCELENS_RSS_STEP_MS overrides).
      const step = Number(process.env.SOURCELENS_RSS_STEP_MS ?? 5000);
      const steps = new Map<number, number>();
      for (const r of rss) steps.set(Math.floor(r.at / step), Math.max(steps.get(Math.floor(r.at / step)) ?? 0, r.mb));
      console.log(`rss by ${step / 1000} s: ${[...steps].map(([s, mb]) => `${(s * step) / 1000}s:${Math.round(mb)}`).join(' ')}`);
    }
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
  // As the bench's index section waits for them before its memory figures.
  if (process.argv.includes('--until-related')) await c.waitFor(logged(/Related figures ready/), 600_000);
  printLog();
  console.log(`indexed at ${(done.at - t0).toFixed(0)} ms; peak RSS ${Math.round((c.memory()?.hwmKB ?? 0) / 1024)} MB`);
  const mb = (b: number) => `${Math.round(b / 2 ** 20)} MB`;
  if (process.argv.includes('--claim-hover')) {
    // The first hover on a claim builds the related-figures index (every claim of the corpus).
    const uri = pathToFileURL(path.join(corpus.dir, corpus.files[0])).href;
    const groups = await c.request('sourcelens/claims', { groupBy: 'article', uri });
    const claim = groups?.[0]?.claims?.[0];
    if (!claim) throw new Error(`no claim in ${uri}`);
    // The main thread's CPU time across the hover too: on a shared machine the wall time varies.
    const mainCpu = () => cpuOf(`/proc/${c.pid}/task/${c.pid}/stat`);
    const cpu0 = mainCpu();
    const h0 = performance.now();
    const hover = await c.request('textDocument/hover', { textDocument: { uri }, position: claim.range.start });
    console.log(
      `claim hover in ${Math.round(performance.now() - h0)} ms, cpu main ${(mainCpu() - cpu0).toFixed(2)} s ` +
        `(${JSON.stringify(hover).length} chars); RSS now ${Math.round((c.memory()?.rssKB ?? 0) / 1024)} MB`,
    );
    if (process.env.SOURCELENS_HOVER_OUT) fs.writeFileSync(process.env.SOURCELENS_HOVER_OUT, JSON.stringify(hover, null, 1));
  }
  if (memprobe) {
    fs.rmSync(probeFile, { force: true });
    const hwmBefore = c.memory()?.hwmKB ?? 0;
    process.kill(c.pid, 'SIGUSR2');
    while (!fs.existsSync(probeFile)) await delay(100);
    // The probe's full collections can raise the peak themselves (the bench reads it after them).
    console.log(`peak RSS before the probe's full collections ${Math.round(hwmBefore / 1024)} MB, after ${Math.round((c.memory()?.hwmKB ?? 0) / 1024)} MB`);
    const p = JSON.parse(fs.readFileSync(probeFile, 'utf8')) as {
      baseline: NodeJS.MemoryUsage;
      now: NodeJS.MemoryUsage;
      spaces?: { name: string; size: number; used: number }[];
    };
    fs.rmSync(probeFile, { force: true });
    console.log(
      `heap after full GC: ${mb(p.now.heapUsed)} (start-up ${mb(p.baseline.heapUsed)}, index ${mb(p.now.heapUsed - p.baseline.heapUsed)}, ` +
        `${Math.round((p.now.heapUsed - p.baseline.heapUsed) / 1024 / corpus.manifest.files)} KB per article); ` +
        `external ${mb(p.now.external)}, array buffers ${mb(p.now.arrayBuffers)}, RSS now ${mb(p.now.rss)}`,
    );
    if (p.spaces) console.log(`heap committed ${mb(p.now.heapTotal)}; by space (used/committed): ${p.spaces.filter((s) => s.size > 1 << 20).map((s) => `${s.name} ${mb(s.used)}/${mb(s.size)}`).join(', ')}`);
  }
  if (process.argv.includes('--smaps')) {
    // Where the resident memory is: V8's heap (mmapped pages), malloc's heaps (the main one and
    // one per thread: worker threads, libuv's pool), files.
    const byKind = c.residentByMapping() ?? {};
    console.log(`resident by mapping: ${Object.entries(byKind).map(([k, v]) => `${k} ${v} MB`).join('; ')}; threads ${c.memory()?.threads ?? '?'}`);
  }
  if (heapDir) {
    const before = new Set(fs.readdirSync(heapDir));
    process.kill(c.pid, 'SIGUSR2');
    let file: string | undefined;
    while (!(file = fs.readdirSync(heapDir).find((f) => f.endsWith('.heapsnapshot') && !before.has(f)))) await delay(200);
    // The snapshot is written synchronously on the server's main thread: a request answered
    // after the file appeared means it is complete.
    await c.request('shutdown', null).catch(() => undefined);
    console.log(`heap snapshot: ${path.join(heapDir, file)} (${mb(fs.statSync(path.join(heapDir, file)).size)})`);
  }
  clearInterval(sampler);
  await c.stop(60_000);
}

main().then(
  // `stop` leaves its timeout timer running: do not wait for it.
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
