/**
 * Incremental linking benchmark: builds a CorpusLinker over the synthetic corpus of
 * bench/linking.ts, then replaces one random document at a time (a fresh text from the same
 * generator) and queries its mentions — what the index does after an edit — and reports
 * p50/p99 of that; also the full linkCorpus and the lazy full entity list.
 *
 *   node --import tsx bench/linking-incremental.ts [docs] [edits]
 */
import { loadavg } from 'node:os';
import { CorpusLinker, linkCorpus, resolveDocument, type LocalResult } from '../server/src/service/entities';
import { makeCorpus } from './linking';

const nDocs = Number(process.argv[2] ?? 20_000);
const edits = Number(process.argv[3] ?? 200);
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const docs = makeCorpus(nDocs, 30);
const replacements = makeCorpus(edits, 30, 7);
console.log(`load average before: ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);

let c0 = cpu();
let t0 = performance.now();
const locals: LocalResult[] = docs.map(resolveDocument);
console.log(`resolveDocument: ${((performance.now() - t0) / nDocs).toFixed(3)} ms/doc wall, ${((cpu() - c0) / nDocs).toFixed(3)} ms/doc CPU`);

c0 = cpu();
t0 = performance.now();
const full = linkCorpus(locals);
console.log(`linkCorpus (from scratch): ${Math.round(performance.now() - t0)} ms wall, ${Math.round(cpu() - c0)} ms CPU → ${full.length} entities`);

c0 = cpu();
t0 = performance.now();
const linker = new CorpusLinker();
for (const l of locals) linker.add(l);
linker.flush();
console.log(`CorpusLinker initial build: ${Math.round(performance.now() - t0)} ms wall, ${Math.round(cpu() - c0)} ms CPU`);
t0 = performance.now();
const n = linker.entities().length;
console.log(`  first entities() (lazy sorted list): ${Math.round(performance.now() - t0)} ms, ${n} entities${n === full.length ? '' : ' (MISMATCH)'}`);

const times: number[] = [];
const cpus: number[] = [];
for (let i = 0; i < edits; i++) {
  const target = docs[(i * 7919) % nDocs];
  const doc = { ...replacements[i], uri: target.uri };
  const c = cpu();
  const s = performance.now();
  linker.add(resolveDocument(doc));
  linker.mentionsOf(doc.uri);
  times.push(performance.now() - s);
  cpus.push(cpu() - c);
}
const pct = (a: number[], p: number) => [...a].sort((x, y) => x - y)[Math.min(a.length - 1, Math.floor(a.length * p))].toFixed(1);
console.log(`replace one document + query its mentions (${edits} edits): p50 ${pct(times, 0.5)} ms, p99 ${pct(times, 0.99)} ms, max ${pct(times, 1)} ms wall; CPU p50 ${pct(cpus, 0.5)} ms, p99 ${pct(cpus, 0.99)} ms`);
t0 = performance.now();
linker.entities();
console.log(`  entities() after the edits (lazy rebuild): ${Math.round(performance.now() - t0)} ms`);
console.log(`load average after: ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
