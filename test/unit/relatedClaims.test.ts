import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InMemoryCorpus } from '../../server/src/service/corpus';
import { quantityKey } from '../../server/src/service/claimReading';
import { ClaimIndex } from '../../server/src/service/relatedClaims';
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
