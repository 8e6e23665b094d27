import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InMemoryCorpus } from '../../server/src/service/corpus';
import { describeDifference, quantityKey, relativeDistance } from '../../server/src/service/claimReading';
import { articleCount } from '../../server/src/service/context';
import { ClaimIndex, quantityWords, wordOverlap } from '../../server/src/service/relatedClaims';
import { compareStrings, previousSentenceStart } from '../../server/src/service/text';
import { WorkspaceIndex } from '../../server/src/service/workspaceIndex';
import { fakeAnalyse } from '../helpers/fakeAnalyse';
import type { RawClaim } from '../../server/src/service/types';

function setup(docs: Record<string, string>) {
  const corpus = new InMemoryCorpus(Object.entries(docs).map(([n, text]) => ({ uri: `file:///c/${n}`, text, version: 1 })));
  const index = new WorkspaceIndex({ analyse: fakeAnalyse() });
  index.fill(corpus);
  const claims = new ClaimIndex(index);
  const claimIn = (name: string, text: string) => {
    const c = index.claimsIn(`file:///c/${name}`).find((x) => x.text === text);
    assert.ok(c, `claim ${text} in ${name}`);
    return c;
  };
  const related = (name: string, text: string) =>
    claims.related(`file:///c/${name}`, claimIn(name, text)).map((r) => `${r.uri.slice(10)}:${r.claim.text}:${r.difference}`);
  return { index, corpus, claims, related, claimIn };
}

test('related figures: same kind and unit, sharing context entities, from other articles only', () => {
  const { related } = setup({
    'a.txt': 'Kotra said Kazakhstan would invest $854.4 million. Kotra also hired 300 workers in Astana. Later Kotra cut $2 million.',
    'b.txt': 'Kazakhstan plans $870 million in total.',
    'c.txt': 'Korea spent $5 billion on chips.',
    'd.txt': 'Kazakhstan plans 870 million EUR.',
    'e.txt': 'Kotra hired 280 workers in Astana. Kotra created 500 jobs in Astana.',
  });
  // b shares Kazakhstan; c shares nothing; d's "870 million EUR" is not matched as money USD by the fake analyser.
  assert.deepEqual(related('a.txt', '$854.4 million'), ['b.txt:$870 million:+1.8%']);
  // Counts: same counted noun only (workers, not jobs).
  assert.deepEqual(related('a.txt', '300 workers'), ['e.txt:280 workers:−6.7%']);
});

test('related figures: the preceding sentence counts as context; scoring prefers rarer shared entities and closer values', () => {
  const { related } = setup({
    'a.txt': 'Samruk Energy met officials in Kazakhstan. The fund will invest $100 million.',
    'b.txt': 'Samruk Energy plans a plant. It costs $120 million.',
    'c.txt': 'Kazakhstan spent $101 million on roads.',
    'd.txt': 'Kazakhstan spent $300 million on rail.',
    'e.txt': 'Kazakhstan spent $90 million on ports.',
    'f.txt': 'Kazakhstan budget.',
  });
  const r = related('a.txt', '$100 million');
  // Samruk Energy appears in 2 of 6 articles, Kazakhstan in 5: b ranks first despite the bigger gap.
  assert.equal(r[0], 'b.txt:$120 million:+20%');
  // Among the Kazakhstan figures, the closer values rank higher.
  assert.deepEqual(r.slice(1), ['c.txt:$101 million:+1%', 'e.txt:$90 million:−10%', 'd.txt:$300 million:+200%']);
});

test('related figures: the index follows edits, deletions and additions', () => {
  const s = setup({
    'a.txt': 'Kazakhstan would invest $854.4 million.',
    'b.txt': 'Kazakhstan plans $870 million.',
  });
  const key = quantityKey({ kind: 'money', unit: 'USD' });
  assert.deepEqual(s.related('a.txt', '$854.4 million'), ['b.txt:$870 million:+1.8%']);
  s.claims.sync();
  assert.equal(s.claims.groupSize(key), 2);
  s.index.update({ uri: 'file:///c/b.txt', text: 'Kazakhstan plans $900 million and 12%.', version: 2 });
  assert.deepEqual(s.related('a.txt', '$854.4 million'), ['b.txt:$900 million:+5.3%']);
  s.index.remove('file:///c/b.txt');
  assert.deepEqual(s.related('a.txt', '$854.4 million'), []);
  s.claims.sync();
  assert.equal(s.claims.groupSize(key), 1);
  s.index.update({ uri: 'file:///c/z.txt', text: 'Kazakhstan: $854.4 million.', version: 1 });
  assert.deepEqual(s.related('a.txt', '$854.4 million'), ['z.txt:$854.4 million:same figure']);
});

test('related figures: a query reads only its own group’s posting lists, not every claim', () => {
  const docs: Record<string, string> = {};
  for (let i = 0; i < 200; i++) docs[`p${String(i).padStart(3, '0')}.txt`] = `Kazakhstan grew ${i}% in Astana.`;
  docs['m1.txt'] = 'Kazakhstan plans $870 million.';
  docs['m2.txt'] = 'Kazakhstan plans $880 million.';
  const s = setup(docs);
  // The first query after a change builds the posting lists (one sweep); later ones only read.
  assert.deepEqual(s.related('m1.txt', '$870 million'), ['m2.txt:$880 million:+1.1%']);
  s.claims.related('file:///c/m1.txt', s.claimIn('m1.txt', '$870 million'));
  assert.equal(s.claims.lastQueryCost, 2, 'two money claims near Kazakhstan; the 200 percentages are not touched');
  s.claims.related('file:///c/p000.txt', s.claimIn('p000.txt', '0%'));
  assert.equal(s.claims.lastQueryCost, 400, 'percentages: Kazakhstan and Astana postings of the percentage group');
});

test('related figures: shared words around the figure rank the same quantity first', async () => {
  const { quantityWords, wordOverlap } = await import('../../server/src/service/relatedClaims');
  const claim = (sentence: string, text: string) => {
    const start = sentence.indexOf(text);
    return { start, end: start + text.length, text, sentence, sentenceStart: 0, sentenceEnd: sentence.length } as RawClaim;
  };
  const trade = quantityWords(claim('Trade turnover between Norway and Chile reached $2.7 billion last year.', '$2.7 billion'));
  assert.deepEqual([...trade].sort(), ['reache', 'trade', 'turnov']);
  const trade2 = quantityWords(claim('Bilateral trade turnover amounted to $2.9 billion in 2023.', '$2.9 billion'));
  const invest = quantityWords(claim('Fifteen joint investment projects worth $854 million are under way.', '$854 million'));
  assert.ok(wordOverlap(trade, trade2) > 0.2, 'two trade figures share their words');
  assert.equal(wordOverlap(trade, invest), 0, 'a trade figure and an investment figure share none');
  const invest2 = quantityWords(claim('Norway has invested $900 million since 1995.', '$900 million'));
  assert.ok(wordOverlap(invest, invest2) > 0, '"invested" and "investment" meet');
});

/**
 * The answer of `related` worked out the plain way: every claim of the same quantity key in
 * another article, its context entities read from its article's mentions, the shared ones
 * weighted, scored and sorted as the index does. Also the postings a query reads (below the
 * budget: the length of each of the query's entities' lists, own article included).
 */
function referenceRelated(index: WorkspaceIndex, uri: string, claim: RawClaim, limit: number) {
  const contextOf = (u: string, c: RawClaim) => {
    const from = previousSentenceStart(index.document(u)?.text ?? '', c.sentenceStart);
    const ids = index.mentionsIn(u).filter((m) => m.end > from && m.start < c.sentenceEnd).map((m) => m.entityId);
    return [...new Set(ids)];
  };
  const key = quantityKey(claim);
  const weighted = contextOf(uri, claim)
    .filter((id) => index.entity(id))
    .map((id) => ({ id, weight: Math.log(1 + Math.max(1, index.size) / Math.max(1, articleCount(index.entity(id)!))) + 0.1 }))
    .sort((a, b) => b.weight - a.weight || compareStrings(a.id, b.id));
  const myWords = quantityWords(claim);
  let cost = 0;
  const out: Array<{ uri: string; claim: RawClaim; score: number; shared: string[]; difference: string }> = [];
  for (const doc of index.documents()) {
    for (const c of doc.claims) {
      if (quantityKey(c) !== key) continue;
      const ctx = contextOf(doc.uri, c);
      const shared = weighted.filter((w) => ctx.includes(w.id));
      cost += shared.length;
      if (doc.uri === uri || shared.length === 0) continue;
      let weight = 0;
      for (const w of shared) weight += w.weight;
      const score = weight + 1.5 * (1 - relativeDistance(claim, c)) + 3 * wordOverlap(myWords, quantityWords(c));
      out.push({ uri: doc.uri, claim: c, score, shared: shared.map((w) => w.id), difference: describeDifference(claim, c) });
    }
  }
  out.sort((a, b) => b.score - a.score || compareStrings(a.uri, b.uri) || a.claim.start - b.claim.start);
  return { related: out.slice(0, limit), cost };
}

test('related figures: answers equal a plain computation over random corpora, before and after edits', () => {
  // mulberry32: a small seeded generator (a plain LCG's low bits repeat too soon for `% n`).
  let seed = 7;
  const rand = (n: number) => {
    let t = (seed = (seed + 0x6d2b79f5) | 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) % n;
  };
  const pick = <T>(xs: readonly T[]) => xs[rand(xs.length)];
  const names = ['Kotra', 'Kazakhstan', 'Korea', 'Astana', 'Samruk Energy', 'KazISS', 'Tukumov', 'Astana Forum'];
  const words = ['trade', 'investment', 'exports', 'turnover', 'budget', 'roads', 'plant'];
  const sentence = () =>
    pick([
      () => `${pick(names)} said ${pick(names)} would invest $${1 + rand(900)} million in ${pick(words)}.`,
      () => `${pick(names)} reported ${pick(words)} of $${1 + rand(9)}.${rand(10)} billion.`,
      () => `${pick(names)} hired ${10 + rand(500)} workers in ${pick(names)}.`,
      () => `The ${pick(words)} grew ${rand(40)}% in ${pick(names)}.`,
      () => `${pick(names)} created about ${rand(3000)} jobs.`,
      () => `${pick(names)} hired ${10 + rand(500)} workers for $${1 + rand(90)} million, and ${pick(names)} ${rand(90)} workers.`,
      () => `Officials met ${pick(names)} again.`,
      () => `Nothing changed.`,
    ])();
  const article = () => Array.from({ length: 1 + rand(5) }, sentence).join(' ');
  let checked = 0;
  let candidates = 0;
  let compared = 0;
  for (let round = 0; round < 12; round++) {
    const docs: Record<string, string> = {};
    for (let i = 0, n = 3 + rand(8); i < n; i++) docs[`r${i}.txt`] = article();
    const s = setup(docs);
    for (let step = 0; step < 8; step++) {
      if (step > 0) {
        const uri = `file:///c/r${rand(12)}.txt`;
        if (rand(4) === 0) s.index.remove(uri);
        else s.index.update({ uri, text: article(), version: step + 1 });
      }
      const fresh = new ClaimIndex(s.index);
      for (const doc of s.index.documents()) {
        for (const claim of doc.claims) {
          const want = referenceRelated(s.index, doc.uri, claim, 1000);
          for (const ix of [s.claims, fresh]) {
            const got = ix.related(doc.uri, claim, { limit: 1000 });
            assert.deepEqual(
              got.map((r) => ({ uri: r.uri, claim: r.claim, score: r.score, shared: r.shared.map((e) => e.id), difference: r.difference })),
              want.related,
              `round ${round} step ${step}: ${doc.uri} ${claim.text}`,
            );
            assert.equal(ix.lastQueryCost, want.cost);
          }
          if (want.related.length > 0) checked++;
          // A smaller limit gives the first of the same answers, comparing the words of fewer candidates.
          for (const limit of [1, 2, 3]) {
            const got = s.claims.related(doc.uri, claim, { limit });
            assert.deepEqual(
              got.map((r) => ({ uri: r.uri, claim: r.claim, score: r.score, shared: r.shared.map((e) => e.id), difference: r.difference })),
              want.related.slice(0, limit),
              `limit ${limit}, round ${round} step ${step}: ${doc.uri} ${claim.text}`,
            );
            candidates += want.related.length;
            compared += s.claims.lastWordsCompared;
          }
        }
      }
    }
  }
  assert.ok(checked > 500, `${checked} queries with related figures`);
  assert.ok(compared < candidates, `words compared for ${compared} of ${candidates} candidates`);
});

test('related figures: built ahead in slices, the answers are the same; a change meanwhile starts over; a query finishes a build given up', async () => {
  const docs: Record<string, string> = {};
  const places = ['Astana', 'Almaty', 'Seoul', 'Busan'];
  for (let i = 0; i < 300; i++) docs[`p${String(i).padStart(3, '0')}.txt`] = `Kazakhstan would invest $${100 + i} million in ${places[i % 4]}. It grew ${i % 40}%.`;
  const answers = (claims: ClaimIndex, index: WorkspaceIndex) =>
    [...index.documents()].flatMap((d) => d.claims.map((c) => claims.related(d.uri, c).map((r) => `${r.uri}:${r.claim.start}:${r.score}`)));

  // Ahead of any query, in many slices; the queries after it build nothing.
  const s = setup(docs);
  let pauses = 0;
  assert.equal(await s.claims.prepare(async () => void pauses++, () => true, 0), true);
  assert.ok(pauses > 3, `${pauses} slices`);
  assert.equal(s.claims.buildsDone, 1);
  assert.deepEqual(answers(s.claims, s.index), answers(new ClaimIndex(s.index), s.index));
  assert.equal(s.claims.buildsDone, 1, 'the queries used the lists built ahead');

  // The index changes between two slices: the build starts over on the new index.
  const t = setup(docs);
  let n = 0;
  const changing = async () => {
    if (++n === 3) t.index.update({ uri: 'file:///c/p001.txt', text: 'Kazakhstan would invest $5 million in Astana.', version: 2 });
  };
  assert.equal(await t.claims.prepare(changing, () => true, 0), true);
  assert.equal(t.claims.buildsDone, 1, 'the build for the old index was dropped');
  assert.deepEqual(answers(t.claims, t.index), answers(new ClaimIndex(t.index), t.index));
  assert.equal(t.claims.buildsDone, 1);

  // Given up half way (ok() turns false): the first query finishes it.
  const u = setup(docs);
  let m = 0;
  assert.equal(await u.claims.prepare(async () => void m++, () => m < 3, 0), false);
  assert.equal(u.claims.buildsDone, 0);
  assert.deepEqual(answers(u.claims, u.index), answers(new ClaimIndex(u.index), u.index));
  assert.equal(u.claims.buildsDone, 1);
});
