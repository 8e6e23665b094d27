import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { DEFAULT_INTERN_POOL_CAP, intern, internDelivered, internPoolSize, Memo, RecentMap, releaseInternPool, setInternPoolCap, setInterning } from '../../server/src/service/entities/memo';
import { pack, PackState, Unpacker } from '../../server/src/service/transfer';
import { WorkspaceIndex } from '../../server/src/service/workspaceIndex';

test('RecentMap: past its cap it drops the entry used longest ago; get counts as a use, peek does not', () => {
  const m = new RecentMap<string, number>(2);
  m.set('a', 1);
  m.set('b', 2);
  assert.equal(m.get('a'), 1); // a is now the most recent
  m.set('c', 3); // drops b
  assert.equal(m.peek('b'), undefined);
  assert.equal(m.peek('a'), 1);
  assert.equal(m.peek('c'), 3);
  assert.equal(m.peek('a'), 1); // peeking a keeps it the oldest
  m.set('d', 4); // drops a
  assert.equal(m.peek('a'), undefined);
  assert.deepEqual([m.peek('c'), m.peek('d')], [3, 4]);
  // Setting a present key replaces it and makes it the most recent.
  m.set('c', 30);
  m.set('e', 5); // drops d
  assert.deepEqual([m.peek('c'), m.peek('d'), m.peek('e')], [30, undefined, 5]);
  assert.equal(m.delete('c'), true);
  assert.equal(m.get('c'), undefined);
});

test('Memo: at most its cap; an entry in use outlives turnovers, one left unused is computed again', () => {
  const computed: string[] = [];
  const m = new Memo<string>(4); // two generations of two
  const get = (k: string) => m.get(k, (key) => (computed.push(key), key.toUpperCase()));
  assert.equal(get('a'), 'A');
  assert.equal(get('b'), 'B');
  assert.equal(get('a'), 'A'); // held: not computed again
  get('c'); // turnover: {a, b} become the older generation
  get('a'); // found there, carried into the newer one
  get('d'); // turnover: {c, a} older, b dropped
  get('e');
  get('a'); // still held: it was carried over
  assert.deepEqual(computed, ['a', 'b', 'c', 'd', 'e']);
  get('b'); // dropped two turnovers ago: computed again
  assert.deepEqual(computed, ['a', 'b', 'c', 'd', 'e', 'b']);
  // Never more than the cap, however many keys pass through.
  for (let i = 0; i < 50; i++) get(`k${i}`);
  const held = ['a', 'b', 'c', 'd', 'e', ...Array.from({ length: 50 }, (_, i) => `k${i}`)].filter((k) => {
    const before = computed.length;
    m.get(k, (key) => (computed.push(key), key));
    const hit = computed.length === before;
    return hit;
  });
  assert.ok(held.length <= 4, `held ${held.length}`);
});

test('Memo.setCap: a lower cap holds from the next turnover on, and what is held still answers', () => {
  const computed: string[] = [];
  const m = new Memo<string>(100);
  const get = (k: string) => m.get(k, (key) => (computed.push(key), key.toUpperCase()));
  for (let i = 0; i < 10; i++) get(`a${i}`);
  assert.equal(m.size, 10);
  m.setCap(4); // two generations of two
  assert.equal(get('a3'), 'A3'); // still held: not computed again
  assert.equal(computed.length, 10);
  for (let i = 0; i < 10; i++) get(`b${i}`);
  assert.ok(m.size <= 4, `holds ${m.size}`);
  m.setCap(100);
  for (let i = 0; i < 30; i++) get(`c${i}`);
  // The higher cap: no turnover while the newer generation fills up to 50, so both generations
  // the lower cap left (two b's each) stay beside the thirty c's.
  assert.equal(m.size, 2 + 2 + 30);
});

/** A full collection (node --expose-gc is not needed: the flag is set here). */
function collector(): () => void {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  return () => (gc(), gc());
}

/** A text of about 1 MB (Latin-1, one byte per character) with a name near its end, and the name sliced out of it. */
function textAndName(i: number): { text: string; name: string } {
  const text = `Article ${i}: ` + 'Ærkin '.repeat(170_000) + `Yerkin Tukumov-${i} said.`;
  const at = text.lastIndexOf('Yerkin');
  return { text, name: text.slice(at, text.length - ' said.'.length) };
}

test('Memo: neither its keys nor its values keep the text a key was sliced from', () => {
  const gc = collector();
  const memo = new Memo<{ key: string }>(1000);
  gc();
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < 30; i++) {
    const { name } = textAndName(i);
    assert.ok(name.length >= 13); // V8 slices from 13 characters on
    // The value keeps what compute was given (as a form keeps its surface).
    assert.equal(memo.get(name, (k) => ({ key: k })).key, name);
  }
  gc();
  const grown = process.memoryUsage().heapUsed - before;
  // 30 texts of 1 MB kept would be 30 MB; the entries themselves are a few kilobytes.
  assert.ok(grown < 8 << 20, `heap grew by ${(grown / 1048576).toFixed(1)} MB`);
  assert.equal(memo.get(textAndName(3).name, () => ({ key: 'computed again' })).key, textAndName(3).name);
});

test('PackState: the strings it remembers do not keep the texts they were sliced from', () => {
  const gc = collector();
  const state = new PackState();
  gc();
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < 30; i++) pack({ name: textAndName(i).name }, state); // the messages themselves are dropped
  gc();
  const grown = process.memoryUsage().heapUsed - before;
  assert.ok(grown < 8 << 20, `heap grew by ${(grown / 1048576).toFixed(1)} MB`);  // What it remembers still works: a name sent again crosses as its number.
  const { name } = textAndName(7);
  const again = new PackState();
  const receiver = new Unpacker();
  assert.deepEqual(receiver.unpack(pack({ name }, again)), { name });
  const second = pack({ name }, again);
  assert.equal(second.strings.length, 0);
  assert.deepEqual(receiver.unpack(second), { name });
});

test('the intern pool is emptied when a bulk load ends, and the index it filled still links', () => {
  const index = new WorkspaceIndex();
  index.deferLinking(true);
  index.update({ uri: 'file:///c/a.txt', text: 'Erkin Tukumov met officials of the Kazakhstan Institute for Strategic Studies in Astana.', version: 1 });
  index.update({ uri: 'file:///c/b.txt', text: 'Yerkin Tukumov spoke in Astana on Monday.', version: 1 });
  assert.ok(internPoolSize() > 0);
  index.deferLinking(false);
  assert.equal(internPoolSize(), 0);
  const astana = index.entities().find((e) => e.name === 'Astana');
  assert.deepEqual(astana?.mentions.map((m) => m.uri).sort(), ['file:///c/a.txt', 'file:///c/b.txt']);
});

test('a lowered intern pool cap empties the pool when it is reached; interned strings keep their value', () => {
  releaseInternPool();
  setInternPoolCap(3);
  try {
    const made = ['alpha', 'beta', 'gamma'].map((s) => intern(s));
    assert.equal(internPoolSize(), 3);
    assert.equal(intern('beta'), made[1]); // a hit: the pooled string itself
    assert.equal(intern('delta'), 'delta'); // the pool was full: emptied first
    assert.equal(internPoolSize(), 1);
    setInternPoolCap(1); // lowering the cap below the pool's size empties it at once
    assert.equal(internPoolSize(), 0);
  } finally {
    setInternPoolCap(DEFAULT_INTERN_POOL_CAP);
    releaseInternPool();
  }
});

test('a delivered string is pooled as it is, once per value; with interning off nothing is pooled', () => {
  releaseInternPool();
  try {
    const a = internDelivered(JSON.parse('"Kazakhstan Temir Zholy"') as string);
    assert.equal(internPoolSize(), 1);
    assert.equal(internDelivered(JSON.parse('"Kazakhstan Temir Zholy"') as string), a);
    assert.equal(intern('Kazakhstan Temir Zholy'), a);
    assert.equal(internPoolSize(), 1);
    setInterning(false); // as an analysis worker runs
    assert.equal(internPoolSize(), 0);
    assert.equal(intern('Astana'), 'Astana');
    assert.equal(internDelivered('Almaty'), 'Almaty');
    assert.equal(internPoolSize(), 0);
  } finally {
    setInterning(true);
    releaseInternPool();
  }
  intern('Astana');
  assert.equal(internPoolSize(), 1);
  releaseInternPool();
});

test('Memo: a null result is remembered like any other (computed once)', () => {
  const m = new Memo<string | null>(10);
  let calls = 0;
  const compute = (k: string) => (calls++, k.startsWith('x') ? null : k.toUpperCase());
  assert.equal(m.get('xyz', compute), null);
  assert.equal(m.get('xyz', compute), null);
  assert.equal(m.get('abc', compute), 'ABC');
  assert.equal(m.get('abc', compute), 'ABC');
  assert.equal(calls, 2);
});
