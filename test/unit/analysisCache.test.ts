import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { ANALYSER_VERSION } from '../../server/src/service/analyse';
import { AnalysisCache, CACHE_FILE_NAME, decode, encode, fingerprintFiles, hasExactKeys, isSliceOf, openAnalysisCache } from '../../server/src/service/analysisCache';
import fc from 'fast-check';
import type { DocumentAnalysis } from '../../server/src/service/types';
import { WorkspaceIndex } from '../../server/src/service/workspaceIndex';
import { repoRoot } from '../helpers/paths';
import { plainClaim } from '../helpers/claims';

const TEXT = 'Azamat Beispekov met officials in Astana on May 9, 2024, and pledged $1.8 billion.';

function fixture(text = TEXT): DocumentAnalysis {
  const span = (s: string, from = 0) => {
    const start = text.indexOf(s, from);
    assert.ok(start >= 0, s);
    return { start, end: start + s.length, text: s };
  };
  const money = span('$1.8 billion');
  return {
    mentions: [
      { ...span('Azamat Beispekov'), type: 'person' },
      { ...span('Astana'), type: 'place' },
    ],
    claims: [
      {
        ...money,
        kind: 'money',
        value: 1_800_000_000,
        unit: 'USD',
        qualifier: 'exact',
        checkworthy: true,
        sentence: text,
        sentenceStart: 0,
        sentenceEnd: text.length,
      },
    ],
  };
}

let dir: string;
let logs: string[];
/** Every cache a test opens; closed after the test so no pending write outlives its folder. */
let opened: AnalysisCache[] = [];
const open = (opts: { fingerprint?: string } = {}) => {
  const sink = logs; // a cache reports into the log of the test that opened it
  const c = new AnalysisCache(dir, { log: (m) => sink.push(m), ...opts });
  opened.push(c);
  return c;
};

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-cache-'));
  logs = [];
  opened = [];
});
afterEach(() => {
  for (const c of opened) c.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('analysis cache', () => {
  it('encodes compactly and decodes to the same analysis', () => {
    const a = fixture();
    const raw = encode(a, TEXT);
    assert.deepEqual(decode(raw, TEXT), a);
    // Span texts and sentences are not stored, only offsets.
    assert.ok(!raw.toString().includes('Beispekov'));
    // Fields that are not plain slices, and unknown fields, survive as they are.
    const odd = { ...a, mentions: [...a.mentions, { start: 0, end: 6, text: 'AZAMAT', type: 'person' as const }], extra: [1, 2] };
    assert.deepEqual(decode(encode(odd, TEXT), TEXT), odd);
  });

  it('round-trips through the file', async () => {
    const c = open();
    assert.equal(c.get(TEXT), undefined);
    c.set(TEXT, fixture(), 'file:///a.txt');
    assert.deepEqual(c.get(TEXT), fixture());
    await c.flush();
    assert.ok(fs.existsSync(path.join(dir, CACHE_FILE_NAME)));
    c.close();

    const d = open();
    assert.equal(d.stats.loaded, 1);
    assert.deepEqual(d.get(TEXT, 'file:///a.txt'), fixture());
    assert.equal(d.stats.hits, 1);
    d.close();
    assert.deepEqual(logs, []);
  });

  it('close() during a background write leaves a complete file', async () => {
    const c = open();
    for (let i = 0; i < 200; i++) c.set(`${TEXT} ${i}`, fixture(`${TEXT} ${i}`), `file:///${i}`);
    const pending = c.flush(); // not awaited: the process is shutting down
    c.close();
    await pending;
    const d = open();
    assert.equal(d.stats.loaded, 200);
    assert.deepEqual(d.get(`${TEXT} 7`), fixture(`${TEXT} 7`));
    assert.deepEqual(fs.readdirSync(dir), [CACHE_FILE_NAME]);
    assert.deepEqual(logs, []);
  });

  it('writes in steps while entries keep arriving (maxWaitMs)', async () => {
    const sink = logs;
    const c = new AnalysisCache(dir, { log: (m) => sink.push(m), debounceMs: 50, maxWaitMs: 120 });
    opened.push(c);
    const file = path.join(dir, CACHE_FILE_NAME);
    const t0 = Date.now();
    for (let i = 0; Date.now() - t0 < 600; i++) {
      c.set(`${TEXT} ${i}`, fixture(`${TEXT} ${i}`), `file:///${i}`);
      await new Promise((r) => setTimeout(r, 20)); // always sooner than the debounce
    }
    assert.ok(c.stats.writes >= 1, 'written before the stream of entries ended');
    assert.ok(fs.existsSync(file));
    c.close();
  });

  it('keys change with the content and with the analyser version', () => {
    const c = open();
    assert.notEqual(c.keyOf(TEXT), c.keyOf(TEXT + ' '));
    assert.equal(c.keyOf(TEXT), open().keyOf(TEXT));
    assert.notEqual(c.keyOf(TEXT), open({ fingerprint: `${ANALYSER_VERSION}-next` }).keyOf(TEXT));
    assert.notEqual(fingerprintFiles([], '1'), fingerprintFiles([], '2'));

    c.set(TEXT, fixture());
    c.close();
    assert.equal(open().get(TEXT + ' '), undefined);
    // A cache written by another analyser version is ignored (and said so), never used.
    const other = open({ fingerprint: `${ANALYSER_VERSION}-next` });
    assert.equal(other.stats.loaded, 0);
    assert.equal(other.get(TEXT), undefined);
    assert.ok(logs.some((l) => l.includes('another analyser version')));
  });

  it('ignores a corrupted, truncated or foreign file with a message, and rebuilds it', () => {
    const c = open();
    c.set(TEXT, fixture());
    c.set(TEXT + ' More.', fixture(TEXT + ' More.'));
    c.close();
    const file = path.join(dir, CACHE_FILE_NAME);
    const good = fs.readFileSync(file);

    const variants: Array<[string, Buffer]> = [
      ['flipped byte', Buffer.from(good.map((b, i) => (i === good.length - 5 ? b ^ 0xff : b)))],
      ['truncated', good.subarray(0, good.length - 10)],
      ['garbage', Buffer.from('not a cache at all')],
      ['empty', Buffer.alloc(0)],
    ];
    for (const [what, bytes] of variants) {
      fs.writeFileSync(file, bytes);
      logs = [];
      const d = open();
      assert.equal(d.stats.loaded, 0, what);
      assert.equal(d.get(TEXT), undefined, what);
      assert.equal(logs.length, 1, `${what}: ${logs.join(' | ')}`);
      assert.match(logs[0], /ignored .* it will be rebuilt/, what);
      d.set(TEXT, fixture());
      d.close();
      const e = open();
      assert.equal(e.stats.loaded, 1, `${what}: rebuilt`);
      assert.deepEqual(e.get(TEXT), fixture());
    }
  });

  it('treats a record that does not fit its document as a miss', () => {
    const c = open();
    // A valid file whose record claims spans beyond the text (as if the hash had collided).
    (c as unknown as { setByKey(k: string, t: string, a: DocumentAnalysis): void }).setByKey(c.keyOf('short'), TEXT, fixture());
    assert.equal(c.get('short'), undefined);
    assert.ok(logs.some((l) => l.includes('does not fit')));
  });

  it('keeps only the entries used in this session once the pass is complete', () => {
    const t1 = TEXT;
    const t2 = TEXT + ' Second.';
    const t3 = TEXT + ' Third.';
    const c = open();
    c.set(t1, fixture(t1), 'file:///1');
    c.set(t2, fixture(t2), 'file:///2');
    c.close();

    // A session that stops halfway (never complete) keeps what it did not touch.
    const half = open();
    assert.ok(half.get(t1, 'file:///1'));
    half.set(t3, fixture(t3), 'file:///3');
    half.close();
    assert.equal(open().stats.loaded, 3);

    // A complete session drops t2 (not used), and an edit of 1 replaces its entry.
    const d = open();
    assert.ok(d.get(t1, 'file:///1'));
    assert.ok(d.get(t3, 'file:///3'));
    d.markComplete();
    d.set(t2 + ' edited', fixture(t2 + ' edited'), 'file:///1');
    d.close();
    const e = open();
    assert.equal(e.stats.loaded, 2);
    assert.equal(e.get(t1), undefined);
    assert.equal(e.get(t2), undefined);
    assert.ok(e.get(t3));
    assert.ok(e.get(t2 + ' edited'));
  });

  it('openAnalysisCache never throws', () => {
    const blocker = path.join(dir, 'file');
    fs.writeFileSync(blocker, 'x');
    const c = openAnalysisCache(path.join(blocker, 'sub'), { log: (m) => logs.push(m) });
    assert.equal(c, undefined);
    assert.match(logs[0], /cache disabled/);
  });

  it('an index with the cache gives the same entities and claims as without', async () => {
    const { WorkspaceIndex } = await import('../../server/src/service/workspaceIndex');
    const { InMemoryCorpus } = await import('../../server/src/service/corpus');
    const { analyseText } = await import('../../server/src/service/analyse');
    const samples = path.join(repoRoot, 'samples');
    const corpus = new InMemoryCorpus(
      fs
        .readdirSync(samples)
        .sort()
        .map((f) => ({ uri: `file:///samples/${f}`, text: fs.readFileSync(path.join(samples, f), 'utf8'), version: 1 })),
    );
    const snapshot = (ix: InstanceType<typeof WorkspaceIndex>) => ({
      entities: ix.entities(),
      claims: [...corpus.all()].map((d) => ix.claimsIn(d.uri).map(plainClaim)),
      mentions: [...corpus.all()].map((d) => ix.mentionsIn(d.uri)),
    });

    const plain = new WorkspaceIndex();
    plain.fill(corpus);
    const expected = snapshot(plain);
    assert.ok(expected.entities.length > 0);

    let calls = 0;
    const counting = (t: string) => (calls++, analyseText(t));
    const cold = open();
    const first = new WorkspaceIndex({ analyse: counting, cache: cold });
    first.fill(corpus);
    assert.equal(calls, corpus.size);
    assert.deepEqual(snapshot(first), expected);
    cold.close();

    calls = 0;
    const warm = open();
    const second = new WorkspaceIndex({ analyse: counting, cache: warm });
    second.fill(corpus);
    assert.equal(calls, 0, 'every analysis came from the cache');
    assert.equal(warm.stats.hits, corpus.size);
    assert.deepEqual(snapshot(second), expected);
    warm.close();
    assert.deepEqual(logs, []);
  });
});

describe('analysis cache, after the first pass', () => {
  const texts = Array.from({ length: 20 }, (_, i) => `${TEXT} ${i}`);
  function written(): void {
    const c = open();
    texts.forEach((t, i) => c.set(t, fixture(t), `file:///${i}`));
    c.close();
  }

  it('reads entries from the file once the pass is complete, and rewrites them from there', async () => {
    written();
    const c = open();
    for (let i = 0; i < 10; i++) assert.deepEqual(c.get(texts[i], `file:///${i}`), fixture(texts[i]));
    c.markComplete(); // the payloads are not held any more: the 10 unused entries go at the next write
    assert.deepEqual(c.get(texts[3], 'file:///3'), fixture(texts[3]), 'read from the file');
    assert.ok(c.payloadOf(texts[4], 'file:///4')?.length);
    c.set(`${TEXT} New.`, fixture(`${TEXT} New.`), 'file:///new');
    await c.flush();
    // The rewritten file holds the used entries (read back from the old file) and the new one.
    const d = open();
    assert.equal(d.stats.loaded, 11);
    for (let i = 0; i < 10; i++) assert.deepEqual(d.get(texts[i]), fixture(texts[i]), `entry ${i}`);
    assert.deepEqual(d.get(`${TEXT} New.`), fixture(`${TEXT} New.`));
    assert.equal(d.get(texts[15]), undefined);
    // And this cache reads its entries from the file it wrote.
    assert.deepEqual(c.get(texts[0], 'file:///0'), fixture(texts[0]));
    assert.deepEqual(c.get(`${TEXT} New.`, 'file:///new'), fixture(`${TEXT} New.`));
    assert.deepEqual(logs, []);
  });

  it('never reads entries from a file that replaced the one it read; writes what it holds', async () => {
    written();
    const c = open();
    for (let i = 0; i < 5; i++) c.get(texts[i], `file:///${i}`);
    c.markComplete();
    // Another writer replaces the file (same size, other content: another order of entries).
    const foreign = new AnalysisCache(fs.mkdtempSync(path.join(os.tmpdir(), 'sl-cache-foreign-')), { log: () => undefined });
    for (let i = texts.length - 1; i >= 0; i--) foreign.set(texts[i], fixture(texts[i]));
    foreign.close();
    fs.copyFileSync(foreign.file, path.join(dir, CACHE_FILE_NAME));
    fs.rmSync(foreign.dir, { recursive: true, force: true });
    assert.equal(c.get(texts[1], 'file:///1'), undefined, 'a miss, not a misread');
    assert.ok(logs.some((l) => l.includes('changed since it was read')), logs.join('\n'));
    c.set(`${TEXT} Held.`, fixture(`${TEXT} Held.`), 'file:///held');
    await c.flush();
    const d = open();
    assert.deepEqual(d.get(`${TEXT} Held.`), fixture(`${TEXT} Held.`));
    assert.equal(d.stats.loaded, 1, 'only what was held in memory');
  });
});

describe('analysis cache, the end of a first pass saved in steps', () => {
  const texts = Array.from({ length: 12 }, (_, i) => `${TEXT} ${i}`);

  it('completeAndFlush writes what the pass stored from memory, not read back from the file an earlier write of the pass made', async () => {
    const c = open();
    // The first half of the pass, saved by a write in the middle of it (maxWaitMs).
    for (let i = 0; i < 6; i++) c.set(texts[i], fixture(texts[i]), `file:///${i}`);
    await c.flush();
    for (let i = 6; i < 12; i++) c.set(texts[i], fixture(texts[i]), `file:///${i}`);
    // The file that write made is replaced meanwhile: a read back from it would lose the first half.
    const other = new AnalysisCache(fs.mkdtempSync(path.join(os.tmpdir(), 'sl-cache-other-')), { log: () => undefined });
    other.set('Ana Lopez visited Lima.', { mentions: [], claims: [] });
    other.close();
    fs.copyFileSync(other.file, path.join(dir, CACHE_FILE_NAME));
    fs.rmSync(other.dir, { recursive: true, force: true });
    await c.completeAndFlush();
    const d = open();
    assert.equal(d.stats.loaded, 12);
    for (let i = 0; i < 12; i++) assert.deepEqual(d.get(texts[i]), fixture(texts[i]), `entry ${i}`);
    assert.deepEqual(logs, []);
    // Let go after the write, as after markComplete: an entry is read from the file now.
    assert.deepEqual(c.get(texts[2], 'file:///2'), fixture(texts[2]));
    fs.rmSync(path.join(dir, CACHE_FILE_NAME));
    assert.equal(c.get(texts[3], 'file:///3'), undefined, 'not held in memory any more');
  });

  it('completeAndFlush drops entries no document used, as markComplete does', async () => {
    const w = open();
    texts.forEach((t, i) => w.set(t, fixture(t), `file:///${i}`));
    w.close();
    const c = open();
    for (let i = 0; i < 4; i++) assert.deepEqual(c.get(texts[i], `file:///${i}`), fixture(texts[i]));
    await c.completeAndFlush();
    const d = open();
    assert.equal(d.stats.loaded, 4);
    assert.deepEqual(d.get(texts[3]), fixture(texts[3]));
    assert.equal(d.get(texts[4]), undefined);
  });
});

describe('analysis cache, lazy', () => {
  it('reads its file on first use, not when opened, and closing unused writes nothing', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-cache-lazy-'));
    try {
      const first = new AnalysisCache(dir, { log: () => undefined });
      first.set('Ana Lopez visited Lima.', { mentions: [], claims: [] });
      first.close();
      const before = fs.statSync(path.join(dir, CACHE_FILE_NAME)).mtimeMs;
      const lazy = new AnalysisCache(dir, { log: () => undefined, lazy: true });
      assert.equal(lazy.stats.loaded, 0, 'not read yet');
      lazy.close();
      assert.equal(fs.statSync(path.join(dir, CACHE_FILE_NAME)).mtimeMs, before, 'an unused cache writes nothing');
      const again = new AnalysisCache(dir, { log: () => undefined, lazy: true });
      assert.deepEqual(again.get('Ana Lopez visited Lima.'), { mentions: [], claims: [] });
      assert.equal(again.stats.loaded, 1, 'read on first use');
      again.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('analysis cache and unsaved editor text', () => {
  it('an update with cache: false neither stores nor releases the article’s disk entry', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-cache-editor-'));
    try {
      const cache = new AnalysisCache(dir, { log: () => undefined });
      const index = new WorkspaceIndex({ cache });
      const disk = 'Ana Lopez visited Lima on Monday.';
      index.update({ uri: 'file:///a.txt', text: disk, version: 0 });
      assert.equal(cache.stats.stored, 1);
      index.update({ uri: 'file:///a.txt', text: disk + ' Marta Ruiz agreed.', version: 3 }, { cache: false });
      assert.equal(cache.stats.stored, 1, 'the unsaved text is not stored');
      cache.markComplete();
      cache.close();
      const again = new AnalysisCache(dir, { log: () => undefined });
      assert.ok(again.get(disk), 'the disk text’s entry survives the rewrite');
      again.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('analysis cache, flushSync', () => {
  const texts = Array.from({ length: 12 }, (_, i) => `${TEXT} ${i}`);

  it('writes what is pending at once, reads it back from the file, and a new cache loads it', () => {
    const first = open();
    texts.slice(0, 6).forEach((t, i) => first.set(t, fixture(t), `file:///${i}`));
    first.close();
    const c = open();
    for (let i = 0; i < 4; i++) assert.deepEqual(c.get(texts[i], `file:///${i}`), fixture(texts[i]));
    for (let i = 6; i < 12; i++) c.set(texts[i], fixture(texts[i]), `file:///${i}`);
    c.markComplete();
    const writes = c.stats.writes;
    assert.equal(c.flushSync(), true);
    assert.equal(c.stats.writes, writes + 1);
    assert.equal(c.flushSync(), false, 'nothing pending');
    // This cache now reads its entries from the file it wrote (old and new ones alike).
    for (const i of [0, 3, 6, 11]) assert.deepEqual(c.get(texts[i], `file:///${i}`), fixture(texts[i]), `entry ${i}`);
    const d = open();
    assert.equal(d.stats.loaded, 10, 'the 4 used entries of the old file and the 6 new ones');
    for (const i of [0, 3, 6, 11]) assert.deepEqual(d.get(texts[i]), fixture(texts[i]), `entry ${i} in the new file`);
    assert.equal(d.get(texts[5]), undefined, 'unused: dropped once the pass was complete');
    assert.deepEqual(logs, []);
  });

  it('does nothing while a background write is in flight; that write still lands', async () => {
    const c = open();
    texts.forEach((t, i) => c.set(t, fixture(t), `file:///${i}`));
    const flushing = c.flush();
    assert.equal(c.flushSync(), false);
    await flushing;
    const d = open();
    assert.equal(d.stats.loaded, texts.length);
    assert.deepEqual(logs, []);
  });

  it('cannot write: says so, keeps the entries, and a later write saves them', async () => {
    const c = open();
    c.set(texts[0], fixture(texts[0]), 'file:///0');
    const blocker = path.join(dir, CACHE_FILE_NAME);
    fs.mkdirSync(blocker, { recursive: true }); // a directory where the file goes: the rename fails
    assert.equal(c.flushSync(), false);
    assert.ok(logs.some((l) => l.includes('could not write')), logs.join('\n'));
    assert.deepEqual(c.get(texts[0], 'file:///0'), fixture(texts[0]), 'still held');
    fs.rmSync(blocker, { recursive: true });
    logs.length = 0;
    assert.equal(c.flushSync(), true);
    assert.equal(open().stats.loaded, 1);
    assert.deepEqual(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp')), []);
  });
});

describe('analysis cache, the checks of encode', () => {
  it('isSliceOf answers as text.slice(start, end) === s, offsets in range or not', () => {
    const text = 'Seoul, Astana: 12% up.';
    const offsets = fc.oneof(fc.integer({ min: -3, max: text.length + 3 }), fc.constantFrom(NaN, 1.5, Infinity, -Infinity));
    const pieces = fc.oneof(
      fc.tuple(fc.nat(text.length), fc.nat(text.length)).map(([a, b]) => text.slice(Math.min(a, b), Math.max(a, b))),
      fc.string({ maxLength: 4 }),
    );
    fc.assert(
      fc.property(pieces, offsets, offsets, (s, start, end) => isSliceOf(text, s, start, end) === (text.slice(start, end) === s)),
      { numRuns: 20000, seed: 11 },
    );
    // what is not a string is never equal to a slice, even one it would coerce to
    assert.equal(isSliceOf(text, ['Seoul'] as unknown as string, 0, 1), false); // (a one-element array: its length fits, and startsWith would take it as 'Seoul')
    assert.equal(isSliceOf(text, 'Seoul', 0, 5), true);
  });
  it('hasExactKeys: the same own keys in any order, nothing more or less', () => {
    const keys = new Set(['start', 'end', 'text', 'type']);
    assert.equal(hasExactKeys({ type: 'place', text: 'x', end: 1, start: 0 }, keys), true);
    assert.equal(hasExactKeys({ start: 0, end: 1, text: 'x' }, keys), false);
    assert.equal(hasExactKeys({ start: 0, end: 1, text: 'x', type: 'place', note: 1 }, keys), false);
    assert.equal(hasExactKeys({ start: 0, end: 1, text: 'x', kind: 'place' }, keys), false);
    const hidden = { start: 0, end: 1, text: 'x' };
    Object.defineProperty(hidden, 'type', { value: 'place', enumerable: false });
    assert.equal(hasExactKeys(hidden, keys), false);
  });
  it('a mention or claim with another field, or a text that is not the slice, is kept whole', () => {
    const a = fixture();
    a.mentions[0] = { ...a.mentions[0], note: 'kept' } as (typeof a.mentions)[0];
    a.mentions.push({ ...a.mentions[1], text: 'Astana!' });
    a.claims[0] = { ...a.claims[0], sentence: 'Another sentence.' };
    const back = decode(encode(a, TEXT), TEXT);
    assert.deepEqual(back, a);
    const payload = JSON.parse(encode(a, TEXT).toString('utf8'));
    assert.ok(!Array.isArray(payload.m[0]) && Array.isArray(payload.m[1]) && !Array.isArray(payload.m[2]));
    assert.ok(!Array.isArray(payload.c[0]));
  });
});
