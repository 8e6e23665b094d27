/**
 * The corpus-wide link pass against corpus size, on the generated 20,000-article corpus: each
 * article's analysis comes from the analysis cache a server start left behind (so run
 * `node --import tsx bench/start-trace.ts 20000` once first), its own entity resolution is
 * done here, then a fresh linker links the first N articles and is timed, for each N given.
 * Bundled, as the server ships (tsx-loaded code runs slower):
 *
 *   npx esbuild bench/link-scale.ts --bundle --platform=node --outfile=dist/link-scale.js
 *   node dist/link-scale.js 5000 10000 20000
 *
 * Each N prints a golden hash: sha256 over a canonical dump of `entities()` (id, name, type,
 * aliases, merges and mentions of every entity, in the returned order), so that a change to the
 * linker can be checked for byte-identical output.
 *
 * Options:
 *   --inc[=R]          after each build, edit one article that mentions the most frequent
 *                      entity (one sentence naming it added at the end; then put back) R times
 *                      (default 3) and time each incremental `flush()` and the `entities()`
 *                      after it (the edit merged into the sorted list); the final state's hash
 *                      is checked against a fresh linker over the same documents
 *   --inc-at=I         with --inc: edit article I of the corpus instead (its first mention's
 *                      entity named again), e.g. an ordinary article rather than the busiest
 *   --prof=FILE        CPU profiles of the timed link pass(es) only (not the loading), to
 *                      FILE-N.cpuprofile (and FILE-N-inc.cpuprofile for the --inc flushes)
 *   --heap             the heap after each build (needs node --expose-gc) and the peak RSS of
 *                      the pass. With --expose-gc the linker forces full collections between
 *                      the phases of the build, as the server does (handlers/fullCollection.ts);
 *                      SOURCELENS_NO_FULL_GC=1 leaves them out
 *   --steps[=K]        the link in steps, as the server runs it (startLink, then linkRest in
 *                      20 ms steps), with every K-th article's components linked first
 *                      (mentionsOfFirst, default K = 997); checks that those articles got the
 *                      entities the whole link gives them, and that the hash is unchanged
 *   --search-steps[=MS] the search for components in steps of about MS ms (default 20), as the
 *                      server runs it (beginSearch, searchStep): how many steps, and the longest
 *                      (the first holds the full collection that opens the build)
 *   --alloc=FILE       sampled allocations of the timed link pass still alive when it ends, by
 *                      allocating function (what the linker keeps: at 10,000 articles they add
 *                      up to the heap's growth through the pass after a full GC), to
 *                      FILE-N.heapprofile (DevTools' Memory panel, or any heapprofile reader)
 *   --alloc-major      with --alloc: also what major collections took (objects that lived long
 *                      enough to reach the old generation and died there: the garbage that
 *                      raises the pass's peak); the difference from a run without it is that garbage
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as inspector from 'node:inspector';
import * as path from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { CorpusLinker, resolveDocument, type LocalResult } from '../server/src/service/entities';
import { fullCollector } from '../server/src/handlers/fullCollection';
import type { Entity, RawMention } from '../server/src/service/types';
import { ensureCorpus } from './generate';
import { startTraceCache } from './trace-cache';

const args = process.argv.slice(2);
const opt = (name: string): string | undefined => {
  const a = args.find((x) => x === `--${name}` || x.startsWith(`--${name}=`));
  return a === undefined ? undefined : a.includes('=') ? a.slice(a.indexOf('=') + 1) : '';
};
const sizes = args.filter((a) => !a.startsWith('--')).map(Number).filter((n) => n > 0);
if (sizes.length === 0) throw new Error('usage: link-scale N [N …] [--inc[=R]] [--prof=FILE] [--heap]');
const incReps = opt('inc') === undefined ? 0 : Number(opt('inc') || 3);
const incAt = opt('inc-at');
const profFile = opt('prof');
const heap = opt('heap') !== undefined;
const allocFile = opt('alloc');
const steps = opt('steps');
const searchSteps = opt('search-steps');

const corpus = ensureCorpus(20000, {});
const cache = startTraceCache();
const locals: LocalResult[] = [];
const sources: { uri: string; text: string; mentions: RawMention[] }[] = [];
let missing = 0;
for (const f of corpus.files.slice(0, Math.max(...sizes))) {
  const text = fs.readFileSync(path.join(corpus.dir, f), 'utf8');
  const uri = pathToFileURL(path.join(corpus.dir, f)).href;
  const a = cache.get(text, uri);
  if (a) {
    locals.push(resolveDocument({ uri, text, mentions: a.mentions }));
    if (incReps > 0) sources.push({ uri, text, mentions: a.mentions });
  } else missing++;
}
console.log(`${locals.length} articles from the cache${missing ? `, ${missing} missing (not counted)` : ''}`);

/** sha256 of a canonical dump of the entities, in the order given. */
function goldenHash(entities: readonly Entity[]): string {
  const h = createHash('sha256');
  for (const e of entities) {
    h.update(JSON.stringify([e.id, e.name, e.type, e.aliases, e.merges.map((r) => [r.alias, r.into, r.rule, r.detail ?? null])]));
    for (const m of e.mentions) h.update(`\n${m.uri}\u0000${m.start}\u0000${m.end}\u0000${m.text}`);
    h.update('\n\n');
  }
  return h.digest('hex');
}

let session: inspector.Session | null = null;
const post = (method: string, params?: object) =>
  new Promise<any>((resolve, reject) => session!.post(method, params ?? {}, (err, res) => (err ? reject(err) : resolve(res))));

async function main(): Promise<void> {
  if (profFile || allocFile) {
    session = new inspector.Session();
    session.connect();
  }
  if (profFile) {
    await post('Profiler.enable');
    await post('Profiler.setSamplingInterval', { interval: 200 });
  }
  if (allocFile) await post('HeapProfiler.enable');
  for (const n of sizes) {
    const docs = locals.slice(0, n);
    const collectGarbage = process.env.SOURCELENS_NO_FULL_GC ? undefined : fullCollector({ log: heap ? (m) => console.log(`  ${m}`) : undefined });
    const linker = new CorpusLinker(undefined, { collectGarbage });
    for (const l of docs) linker.add(l);
    if (heap && global.gc) {
      global.gc();
      console.log(`  heap ${Math.round(process.memoryUsage().heapUsed / 2 ** 20)} MB before the pass`);
    }
    if (profFile) await post('Profiler.start');
    if (allocFile) {
      await post('HeapProfiler.startSampling', { samplingInterval: 16384, includeObjectsCollectedByMajorGC: args.includes('--alloc-major') });
    }
    // The pass's own peak RSS: VmHWM is reset here (Linux: clear_refs 5).
    let peakReset = false;
    try {
      fs.writeFileSync('/proc/self/clear_refs', '5');
      peakReset = true;
    } catch {
      // not Linux, or not allowed: no peak
    }
    const u0 = process.cpuUsage();
    const t0 = performance.now();
    let firstChecks: Array<{ uri: string; got: ReturnType<typeof linker.mentionsOfFirst> }> = [];
    if (searchSteps !== undefined) {
      // The search for components in steps of about `searchSteps` ms, as the server runs it.
      const budget = Number(searchSteps) || 20;
      const times: number[] = [];
      // The phase each step began and ended in (the linker's private search state, read for this report only).
      const phaseOf = () => (linker as unknown as { search: { phase: number } | null }).search?.phase ?? 'end';
      const phases: string[] = [];
      const startPhases: string[] = [];
      // The collections V8 made, to tell a step's own work from the collections that fell into it.
      const gcs: Array<{ at: number; ms: number }> = [];
      const obs = new PerformanceObserver((list) => {
        for (const e of list.getEntries()) gcs.push({ at: e.startTime, ms: e.duration });
      });
      obs.observe({ entryTypes: ['gc'] });
      const spans: Array<[number, number]> = [];
      if (linker.beginSearch()) {
        for (let done = false; !done; ) {
          const p0 = phaseOf();
          const ts = performance.now();
          done = linker.searchStep(budget);
          const te = performance.now();
          times.push(te - ts);
          spans.push([ts, te]);
          phases.push(`${p0}→${phaseOf()}`);
          startPhases.push(String(p0));
          // (gc entries arrive a turn later: one turn between steps, as in the server)
          await new Promise<void>((r) => setImmediate(r));
        }
      }
      obs.disconnect();
      const gcIn = (i: number) => gcs.filter((g) => g.at >= spans[i][0] && g.at < spans[i][1]).reduce((a, g) => a + g.ms, 0);
      const later = times.slice(1).sort((a, b) => b - a);
      const slowest = times
        .map((t, i) => ({ t, i }))
        .slice(1)
        .sort((a, b) => b.t - a.t)
        .slice(0, 6)
        .map((x) => `${Math.round(x.t)} ms (phase ${phases[x.i]}, collections ${Math.round(gcIn(x.i))} ms)`);
      // Time by the phase a step began in (a step that crosses into the next phase counts for the first).
      const byPhase = new Map<string, { ms: number; gc: number }>();
      startPhases.forEach((k, i) => {
        const e = byPhase.get(k) ?? { ms: 0, gc: 0 };
        e.ms += times[i];
        e.gc += gcIn(i);
        byPhase.set(k, e);
      });
      console.log(
        `  by phase (the phase a step began in): ${[...byPhase].map(([k, e]) => `${k} ${Math.round(e.ms)} ms (collections ${Math.round(e.gc)})`).join(', ')}`,
      );
      console.log(
        `  the search for components in ${times.length} steps of ${budget} ms: the first ${Math.round(times[0] ?? 0)} ms, ` +
          `the longest after it ${Math.round(later[0] ?? 0)} ms, ${later.filter((t) => t > 2 * budget).length} over ${2 * budget} ms; the slowest: ${slowest.join(', ')}`,
      );
    }
    if (steps !== undefined) {
      // The link in steps, as the server runs it: every `steps`-th article's components first.
      linker.startLink();
      console.log(`  components found in ${Math.round(performance.now() - t0)} ms`);
      const every = Number(steps) || 997;
      let k = 0;
      for (let i = 0; i < docs.length; i += every) {
        const tf = performance.now();
        firstChecks.push({ uri: docs[i].uri, got: linker.mentionsOfFirst(docs[i].uri) });
        if (k++ === 0) console.log(`  the first article's components linked in ${Math.round(performance.now() - tf)} ms`);
        linker.linkRest(20);
      }
      while (!linker.linkRest(50));
    }
    const counts = linker.countByType(); // the link pass
    const ms = performance.now() - t0;
    // What the articles were told while the rest was linked is what the whole link says (ids aside: `renumber`).
    const describe = (l: ReturnType<typeof linker.mentionsOf>) => l.map(({ mention, entity }) => `${mention.start}:${mention.end}:${entity.name}:${entity.type}:${entity.mentions.length}:${entity.aliases.join('|')}`).join('\n');
    for (const c of firstChecks) {
      if (describe(c.got) !== describe(linker.mentionsOf(c.uri))) throw new Error(`${c.uri}: the entities linked first differ from the whole link's`);
    }
    if (firstChecks.length > 0) console.log(`  ${firstChecks.length} articles linked first: the same entities as the whole link`);
    firstChecks = [];
    const cpu = process.cpuUsage(u0);
    // Before any full GC: what the pass kept plus the garbage it left in the old generation.
    const heapAfterPass = process.memoryUsage().heapUsed;
    if (allocFile) {
      const file = allocFile.replace(/(\.heapprofile)?$/, `-${n}.heapprofile`);
      fs.writeFileSync(file, JSON.stringify((await post('HeapProfiler.stopSampling')).profile));
    }
    if (profFile) fs.writeFileSync(profFile!.replace(/(\.cpuprofile)?$/, `-${n}.cpuprofile`), JSON.stringify((await post('Profiler.stop')).profile));
    console.log(`${n} articles: linked in ${Math.round(ms)} ms (user ${(cpu.user / 1e6).toFixed(2)} s, sys ${(cpu.system / 1e6).toFixed(2)} s) ${JSON.stringify(counts)}`);
    const ts = performance.now();
    const sorted = linker.entities(); // the first sorted entity list (then kept, edits merged in)
    console.log(`  entities sorted in ${Math.round(performance.now() - ts)} ms`);
    console.log(`  hash ${goldenHash(sorted)}`);
    if (heap && global.gc) {
      global.gc();
      console.log(`  heap ${Math.round(process.memoryUsage().heapUsed / 2 ** 20)} MB with the linker (${Math.round(heapAfterPass / 2 ** 20)} MB as the pass ended)`);
      const hwm = peakReset ? /VmHWM:\s*(\d+)/.exec(fs.readFileSync('/proc/self/status', 'utf8'))?.[1] : undefined;
      if (hwm) console.log(`  peak RSS during the pass ${Math.round(Number(hwm) / 1024)} MB`);
    }
    if (incReps > 0) await incremental(linker, n);
  }
}

/**
 * One article edited in a linked corpus: the article with a mention of the most frequent entity
 * (the middle one of its documents) gets one sentence naming that entity added at the end, then
 * is put back, alternately; each `flush()` is timed.
 */
async function incremental(linker: CorpusLinker, n: number): Promise<void> {
  const all = linker.entities();
  let top = all[0];
  let uri: string;
  let uris: string[];
  if (incAt !== undefined) {
    // --inc-at=I: article I of the corpus, and the entity of its first mention
    uri = sources[Number(incAt)].uri;
    top = linker.mentionsOf(uri)[0].entity;
    uris = [...new Set(top.mentions.map((m) => m.uri))];
  } else {
    for (const e of all) if (e.mentions.length > top.mentions.length) top = e;
    uris = [...new Set(top.mentions.map((m) => m.uri))];
    uri = uris[uris.length >> 1];
  }
  const src = sources.find((s) => s.uri === uri)!;
  const mention = top.mentions.find((m) => m.uri === uri)!;
  const typed = src.mentions.find((m) => m.start === mention.start && m.end === mention.end)!;
  const added = `\n\n${typed.text} was mentioned again.\n`;
  const text = src.text + added;
  const edited = resolveDocument({
    uri,
    text,
    mentions: [...src.mentions, { start: src.text.length + 2, end: src.text.length + 2 + typed.text.length, text: typed.text, type: typed.type }],
  });
  const original = locals.find((l) => l.uri === uri)!;
  console.log(`  incremental: ${uri.slice(uri.lastIndexOf('/') + 1)} (entity ${top.id}, ${top.mentions.length} mentions in ${uris.length} articles)`);
  const times: string[] = [];
  const walls: number[] = [];
  let last = original;
  if (session) await post('Profiler.start');
  for (let r = 0; r < incReps; r++) {
    last = r % 2 === 0 ? edited : original;
    linker.add(last);
    const u0 = process.cpuUsage();
    const t0 = performance.now();
    linker.countByType();
    const ms = performance.now() - t0;
    const cpu = process.cpuUsage(u0);
    const te = performance.now();
    linker.entities(); // the edit's changes merged into the sorted list
    const sortMs = performance.now() - te;
    times.push(`${ms.toFixed(1)} ms (user ${(cpu.user / 1e3).toFixed(0)} ms; sorted list ${sortMs.toFixed(1)} ms)`);
    walls.push(ms);
  }
  if (session) fs.writeFileSync(profFile!.replace(/(\.cpuprofile)?$/, `-${n}-inc.cpuprofile`), JSON.stringify((await post('Profiler.stop')).profile));
  walls.sort((a, b) => a - b);
  console.log(`  flush: ${times.join(', ')}`);
  console.log(`  flush min ${walls[0].toFixed(1)} ms, median ${walls[walls.length >> 1].toFixed(1)} ms`);
  const h = goldenHash(linker.entities());
  const fresh = new CorpusLinker();
  for (const l of locals.slice(0, n)) fresh.add(l.uri === uri ? last : l);
  const hf = goldenHash(fresh.entities());
  console.log(`  hash after ${h} ${h === hf ? '(= fresh linker)' : `DIFFERS from a fresh linker: ${hf}`}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
