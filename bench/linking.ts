/**
 * Entity-linking benchmark: a synthetic corpus (default 20,000 documents × 30 mentions) with
 * many distinct people, organisations (with acronyms), places, countries, transliteration
 * variants and surname-only references. Times `resolveDocument` over all documents (the
 * index does this once per document and caches it) and `linkCorpus` over the cached results
 * (done after every edit).
 *
 *   node --import tsx bench/linking.ts [docs] [mentionsPerDoc]
 */

import { linkCorpus, resolveDocument, type LinkerDocument, type LocalResult } from '../server/src/service/entities';
import type { EntityType, RawMention } from '../server/src/service/types';

export interface LinkingBenchResult {
  /** CPU ms for a fixed reference workload (200k Map inserts), to judge how loaded/slow the machine was. */
  referenceMs: number;
  docs: number;
  mentions: number;
  resolveMs: number;
  linkMs: number;
  /** Median of the repeated link runs. */
  linkMedianMs: number;
  /** Median CPU time (user+system) of the link runs — less sensitive to other processes than wall time. */
  linkCpuMedianMs: number;
  entities: number;
}

function rng(seed: number): () => number {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SYL = ['ka', 'zan', 'bek', 'tu', 'mo', 'ser', 'ali', 'nur', 'dar', 'yer', 'sul', 'tan', 'ras', 'gul', 'mir', 'zho', 'lan', 'vik', 'tor', 'ol', 'ga', 'in', 'ar', 'dan', 'bay', 'ken', 'as', 'lym', 'sha', 'ul'];
const PLACES = ['Kazakhstan', 'Korea', 'South Korea', 'S. Korea', 'U.S.', 'United States', 'USA', 'China', 'Russia', 'Uzbekistan', 'Japan', 'Germany', 'United Kingdom', 'UK'];
const ORG_HEAD = ['Institute', 'Agency', 'Council', 'Fund', 'Bank', 'Ministry', 'Corporation', 'Association'];
const ORG_MID = ['Strategic', 'Energy', 'Trade', 'Investment', 'Transport', 'Digital', 'Agrarian', 'Financial', 'Nuclear', 'Water', 'Mining', 'Health'];

export function makeCorpus(nDocs = 20_000, perDoc = 30, seed = 42): LinkerDocument[] {
  const r = rng(seed);
  const pick = <T>(a: readonly T[]) => a[Math.floor(r() * a.length)];
  const word = (n: number) => {
    let s = '';
    for (let i = 0; i < n; i++) s += pick(SYL);
    return s[0].toUpperCase() + s.slice(1);
  };
  // Name pools (distinct by construction is not guaranteed — collisions are realistic).
  const first = Array.from({ length: 800 }, () => word(2));
  const last = Array.from({ length: 12_000 }, () => word(3) + pick(['ov', 'ev', 'ova', 'uly', 'in', 'kyzy']));
  const people = Array.from({ length: 40_000 }, () => [pick(first), pick(last)] as const);
  const cities = Array.from({ length: 3_000 }, () => word(3));
  const orgs = Array.from({ length: 8_000 }, () => {
    const words = [word(3), pick(ORG_MID), pick(ORG_MID), pick(ORG_HEAD)];
    const acr = words[0].slice(0, 1 + Math.floor(r() * 3)) + words.slice(1).map((w) => w[0]).join('');
    return { name: words.join(' '), acr: acr.toUpperCase() };
  });
  const translit = (s: string) => (s.startsWith('E') ? 'Y' + s.toLowerCase() : s.replace(/ss/, 's').replace(/k/, 'kh'));

  const docs: LinkerDocument[] = [];
  for (let d = 0; d < nDocs; d++) {
    let text = '';
    const mentions: RawMention[] = [];
    const add = (s: string, type: EntityType) => {
      text += pick(['The report by ', 'Meanwhile ', 'According to ', 'In ', 'Then ']);
      mentions.push({ start: text.length, end: text.length + s.length, text: s, type });
      text += s;
      text += pick([' said.\n', ' added, ', ' on Tuesday. ', '. ']);
    };
    const seen: string[] = [];
    for (let k = 0; k < perDoc; k++) {
      const x = r();
      if (x < 0.35) {
        const [f, l] = pick(people);
        const full = `${r() < 0.05 ? translit(f) : f} ${l}`;
        add(full, 'person');
        seen.push(l);
      } else if (x < 0.45 && seen.length > 0) {
        add(pick(seen) + (r() < 0.1 ? "'s" : ''), 'person');
      } else if (x < 0.6) {
        const o = pick(orgs);
        if (r() < 0.3) {
          add(o.name, 'organization');
          text += ` (${o.acr})`;
        } else add(r() < 0.5 ? o.acr : o.name, 'organization');
      } else if (x < 0.8) add(pick(PLACES), 'place');
      else if (x < 0.95) add(pick(cities) + (r() < 0.2 ? ' region' : ''), 'place');
      else add(`${word(2)} Forum ${2015 + Math.floor(r() * 10)}`, 'event');
    }
    docs.push({ uri: `file:///corpus/doc-${String(d).padStart(5, '0')}.txt`, text, mentions });
  }
  return docs;
}

function referenceWorkload(): number {
  const keys: string[] = [];
  for (let i = 0; i < 200_000; i++) keys.push(`person|2|s|${((i * 7919) % 100_003).toString(36)} abc${i}`);
  const t = process.cpuUsage();
  const m = new Map<string, number[]>();
  for (const k of keys) {
    const l = m.get(k);
    if (l) l.push(1);
    else m.set(k, [1]);
  }
  const u = process.cpuUsage(t);
  return Math.round((u.user + u.system) / 1000);
}

export function runLinkingBench(nDocs = 20_000, perDoc = 30, runs = 3): LinkingBenchResult {
  const referenceMs = referenceWorkload();
  const docs = makeCorpus(nDocs, perDoc);
  const t0 = performance.now();
  const locals: LocalResult[] = docs.map(resolveDocument);
  const t1 = performance.now();
  const times: number[] = [];
  const cpu: number[] = [];
  let entities = 0;
  for (let i = 0; i < runs; i++) {
    const s = performance.now();
    const c = process.cpuUsage();
    entities = linkCorpus(locals).length;
    const u = process.cpuUsage(c);
    times.push(performance.now() - s);
    cpu.push((u.user + u.system) / 1000);
  }
  const sortedTimes = [...times].sort((a, b) => a - b);
  return {
    referenceMs,
    docs: nDocs,
    mentions: docs.reduce((n, d) => n + d.mentions.length, 0),
    resolveMs: Math.round(t1 - t0),
    linkMs: Math.round(times[0]),
    linkMedianMs: Math.round(sortedTimes[Math.floor(sortedTimes.length / 2)]),
    linkCpuMedianMs: Math.round([...cpu].sort((a, b) => a - b)[Math.floor(cpu.length / 2)]),
    entities,
  };
}

if (require.main === module) {
  const nDocs = Number(process.argv[2] ?? 20_000);
  const perDoc = Number(process.argv[3] ?? 30);
  const res = runLinkingBench(nDocs, perDoc);
  console.log(
    `linking bench: ${res.docs} docs, ${res.mentions} mentions → ${res.entities} entities\n` +
      `  resolveDocument (all docs, once; cached by the index): ${res.resolveMs} ms\n` +
      `  linkCorpus: first run ${res.linkMs} ms, median of 3 ${res.linkMedianMs} ms\n` +
      `  linkCorpus CPU time (median): ${res.linkCpuMedianMs} ms\n` +
      `  machine reference (200k Map inserts): ${res.referenceMs} ms CPU`,
  );
}
