/**
 * The linker's sorted entity list after edits: the changes of an edit are merged into the list
 * made before it (no new sort), and the result equals linking from scratch. (The property test
 * in entities-incremental.test.ts checks the same equality after random edits.)
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { CorpusLinker, linkCorpus, type LocalResult } from '../../server/src/service/entities';
import { BIG_ENTITY, idOrder } from '../../server/src/service/entities/corpusLinker';
import type { EntityType } from '../../server/src/service/types';
import { pooledDoc } from '../helpers/linkerDoc';

// N people with a full name each (one per article), and a bare surname, "Koo", that some
// articles add (one entity across them, its first mention moving as they come and go). The
// corpus is big enough that an edit's changes stay under the share that sorts again.
const N = 200;
// Names of three syllables each, both parts different for every person (names one letter apart
// would be related as spellings of one another and linked as one component).
const SYL = ['ka', 'ro', 'mi', 'tu', 'sel', 'van', 'dor', 'lin', 'gra', 'bex'];
const word = (k: number) => {
  const w = SYL[k % 10] + SYL[Math.floor(k / 10) % 10] + SYL[Math.floor(k / 100) % 10];
  return w[0].toUpperCase() + w.slice(1);
};
const POOL: [string, EntityType][] = [['Koo', 'person'], ...Array.from({ length: N }, (_, i): [string, EntityType] => [`${word(i * 37 + 11)} ${word(i * 53 + 500)}`, 'person'])];
const uri = (i: number) => `file:///s/${String(i).padStart(3, '0')}.txt`;
const article = (i: number, withKoo: boolean, extra = 0): LocalResult =>
  pooledDoc(uri(i), POOL, [[1 + i, ' said. '], ...(withKoo ? ([[0, ' agreed. ']] as [number, string][]) : []), ...(extra ? ([[1 + ((i + extra) % N), ' too. ']] as [number, string][]) : [])]);

/** A linker and the documents given to it (`put` adds or replaces one in both). */
function corpus() {
  const linker = new CorpusLinker();
  const model = new Map<string, LocalResult>();
  const put = (l: LocalResult) => (linker.add(l), model.set(l.uri, l));
  return { linker, model, put };
}

function expectSame(linker: CorpusLinker, model: Map<string, LocalResult>): void {
  assert.deepEqual(linker.entities(), linkCorpus([...model.values()]));
}

test('entities(): an edit is merged into the sorted list, and the list equals a fresh link', () => {
  const { linker, model, put } = corpus();
  for (let i = 0; i < N; i++) put(article(i, i % 50 === 0));
  expectSame(linker, model);
  assert.equal(linker.sortCounts.full, 1);

  const before = linker.entities();
  const koo = before.find((e) => e.name === 'Koo')!;
  assert.equal(koo.mentions.length, 4);
  // The first article's Koo goes: the Koo entity is made again, with three mentions.
  put(article(0, false));
  expectSame(linker, model);
  assert.equal(linker.entities().find((e) => e.name === 'Koo')!.mentions.length, 3);
  assert.ok(before.includes(koo) && koo.mentions.length === 4, 'the list handed out before the edit is not changed');
  // A Koo comes back in the middle, an article gains a second name, one is removed.
  put(article(75, true));
  put(article(7, false, 3));
  linker.remove(uri(133));
  model.delete(uri(133));
  expectSame(linker, model);
  put(article(0, true));
  expectSame(linker, model);
  assert.equal(linker.sortCounts.full, 1, 'no edit sorted the whole list again');
  assert.ok(linker.sortCounts.merged >= 3);
});

test('entities(): a change to most of the corpus sorts again instead of merging', () => {
  const { linker, model, put } = corpus();
  for (let i = 0; i < N; i++) put(article(i, false));
  expectSame(linker, model);
  for (let i = 0; i < N; i++) put(article(i, true, 1));
  expectSame(linker, model);
  assert.equal(linker.sortCounts.full, 2);
});

test('forEachEntity visits every entity once, without making the sorted list; with a minimum, the big ones', () => {
  const { linker, model, put } = corpus();
  for (let i = 0; i < 12; i++) put(article(i, i % 3 === 0));
  const seen: string[] = [];
  linker.forEachEntity((e) => seen.push(e.id));
  assert.equal(linker.sortCounts.full, 0);
  assert.deepEqual(seen.sort(), linker.entities().map((e) => e.id).sort());
  // Koo in 70 articles (an entity past BIG_ENTITY mentions), then in 60, then 70 again.
  const big = (min: number) => {
    const out: string[] = [];
    linker.forEachEntity((e) => out.push(`${e.name} ${e.mentions.length}`), min);
    const want = linker.entities().filter((e) => e.mentions.length >= min).map((e) => `${e.name} ${e.mentions.length}`);
    assert.deepEqual(out.sort(), want.sort(), `at least ${min}`);
    return out;
  };
  for (let i = 0; i < N; i++) put(article(i, i < 70));
  assert.deepEqual(big(BIG_ENTITY), ['Koo 70']);
  assert.deepEqual(big(71), []);
  for (let i = 60; i < 70; i++) put(article(i, false));
  assert.deepEqual(big(BIG_ENTITY), [], 'Koo fell under the limit');
  assert.equal(big(60).length, 1);
  linker.remove(uri(3));
  for (let i = 60; i < 71; i++) put(article(i, true));
  assert.deepEqual(big(BIG_ENTITY), ['Koo 70']);
  assert.deepEqual(linker.entities(), linkCorpus([...model.values()].filter((l) => l.uri !== uri(3))));
});

test('idOrder: the same order as comparing the strings, whatever their characters and lengths', () => {
  let seed = 12345;
  const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed % n);
  // Characters on both sides of the caps (ASCII, Latin, Cyrillic, Hangul, astral halves), prefixes
  // of one another, equal ids, heads of several lengths.
  const chars = ['a', 'b', 'z', '-', '0', '9', 'é', 'ü', 'ж', 'я', '한', '\u{1F600}', 'ǅ', '\u03A9'];
  const heads = ['person:', 'place:', 'organization:', 'event:', 'p:', 'placement:'];
  // (At 270,000 ids the cap is lower: Cyrillic is past it too.)
  for (let round = 0; round < 31; round++) {
    const ids: string[] = [];
    for (let i = 0; i < (round === 30 ? 270_000 : 400); i++) {
      if (i > 0 && rnd(10) === 0) {
        const other = ids[rnd(ids.length)];
        ids.push(rnd(2) ? other : other.slice(0, Math.max(other.indexOf(':') + 1, other.length - 1 - rnd(3))));
        continue;
      }
      let s = heads[rnd(heads.length)];
      const len = rnd(9);
      for (let k = 0; k < len; k++) s += chars[rnd(rnd(3) === 0 ? chars.length : 4)];
      ids.push(s);
    }
    const order = idOrder(ids);
    assert.deepEqual([...order].sort((a, b) => a - b), ids.map((_, i) => i), 'a permutation');
    const got = order.map((i) => ids[i]);
    const want = [...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    assert.deepEqual(got, want, `round ${round}`);
  }
  // Many heads (the other way of ranking them).
  const many = Array.from({ length: 3000 }, (_, i) => `h${(i * 7919) % 40}:${String((i * 104729) % 997).padStart(3, '0')}${i % 3 ? 'x' : ''}`);
  assert.deepEqual(idOrder(many).map((i) => many[i]), [...many].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
  // Without a ':' in every id: plain string order.
  assert.deepEqual(idOrder(['b', 'a:1', 'a']).map((i) => ['b', 'a:1', 'a'][i]), ['a', 'a:1', 'b']);
});
