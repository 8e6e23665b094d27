/**
 * A stored claim (indexedDocument.ts) packs some fields into one integer and derives others; it
 * must read back exactly as the claim the analyser made, and serialise as stored claims always
 * did (every field but `sentence`, in CLAIM_FIELDS order), whether it packs or not.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { extractClaims } from '../../server/src/service/claims';
import { intern } from '../../server/src/service/entities/memo';
import { CLAIM_FIELDS, packClaim, packClaims, StoredClaim, storedClaim, type IndexedDocument } from '../../server/src/service/indexedDocument';
import type { RawClaim } from '../../server/src/service/types';
import { previousSentenceStart } from '../../server/src/service/text';
import { plainClaim } from '../helpers/claims';
import { repoRoot } from '../helpers/paths';

/** A document whose text can be swapped, as a document read back from disk sees it change. */
function docOf(text: string): IndexedDocument & { text: string } {
  return { uri: 'file:///t.txt', version: 1, text, claims: [], local: undefined!, lineStarts: new Uint32Array(), textLength: text.length };
}

/** The JSON a stored claim has always had: its fields but `sentence`, in CLAIM_FIELDS order. */
function storedJson(c: RawClaim): string {
  return JSON.stringify(Object.fromEntries(CLAIM_FIELDS.filter((k) => k !== 'sentence').map((k) => [k, c[k]])));
}

function assertSame(stored: RawClaim, c: RawClaim, what: string) {
  assert.ok(stored instanceof StoredClaim, what);
  assert.deepEqual(plainClaim(stored), plainClaim(c), what);
  for (const k of CLAIM_FIELDS) assert.equal(stored[k], c[k], `${what}: ${k}`);
  assert.equal(JSON.stringify(stored), storedJson(c), what);
}

test('stored claim: every claim of the samples reads back as the analyser made it', () => {
  const dir = path.join(repoRoot, 'samples');
  let n = 0;
  const kinds = new Set<string>();
  let strings = 0;
  for (const f of fs.readdirSync(dir).sort()) {
    const text = fs.readFileSync(path.join(dir, f), 'utf8');
    const doc = docOf(text);
    for (const c of extractClaims(text)) {
      const stored = storedClaim(doc, packClaim(c, text), intern);
      assertSame(stored, c, `${f}@${c.start}`);
      assert.equal(Object.getPrototypeOf(stored), StoredClaim.prototype, `${f}@${c.start} packs`);
      assert.equal((stored as StoredClaim).windowStart, previousSentenceStart(text, c.sentenceStart), `${f}@${c.start} window`);
      kinds.add(c.kind);
      if (typeof c.value === 'string') strings++;
      n++;
    }
  }
  assert.ok(n > 40 && kinds.size === 8 && strings > 0, `${n} claims, kinds ${[...kinds]}, ${strings} string values`);
});

const TEXT = 'Intro. Exports rose by over 12% in 2024, said the ministry. Then nothing.';
const claim = (over: Partial<RawClaim> = {}): RawClaim => ({
  start: 27,
  end: 30,
  text: '12%',
  kind: 'percent',
  value: 12,
  unit: '%',
  qualifier: 'over',
  checkworthy: true,
  sentence: TEXT.slice(7, 59),
  sentenceStart: 7,
  sentenceEnd: 59,
  ...over,
});

test('stored claim: claims that do not pack keep every field as given', () => {
  const doc = docOf(TEXT);
  const long = 'x'.repeat(5000);
  const longDoc = docOf(long + TEXT + long);
  // [what, claim, document, whether it packs]
  const cases: Array<[string, RawClaim, IndexedDocument, boolean]> = [
    ['packs', claim(), doc, true],
    ['string value, not checkworthy, every qualifier bit', claim({ kind: 'date', value: '2024-05', unit: null, qualifier: 'at-most', checkworthy: false }), doc, true],
    ['its own sentence', claim({ sentence: 'Another sentence altogether.' }), doc, false],
    ['text not the length of its span', claim({ end: 31 }), doc, false],
    ['unknown kind', claim({ kind: 'weight' as RawClaim['kind'] }), doc, false],
    ['unknown qualifier', claim({ qualifier: 'roughly' as RawClaim['qualifier'] }), doc, false],
    ['sentence starting after the claim', claim({ sentenceStart: 28, sentence: TEXT.slice(28, 59) }), doc, false],
  ];
  // The sentence's offsets pack up to 2,047 characters before the claim and 4,095 after it.
  for (const [lead, trail, packs] of [[2047, 4095, true], [2048, 0, false], [0, 4096, false], [4000, 4500, false]] as const) {
    const start = 5000 + 27;
    const c = claim({ start, end: start + 3, sentenceStart: start - lead, sentenceEnd: start + 3 + trail });
    cases.push([`sentence ${lead} before and ${trail} after`, { ...c, sentence: (long + TEXT + long).slice(c.sentenceStart, c.sentenceEnd) }, longDoc, packs]);
  }
  for (const [what, c, d, packs] of cases) {
    const packed = packClaim(c, d.text);
    assert.ok(Array.isArray(packed), what);
    const stored = storedClaim(d, packed, intern);
    assertSame(stored, c, what);
    assert.equal(Object.getPrototypeOf(stored) === StoredClaim.prototype, packs, `${what}: packs`);
  }
});

test('stored claim: the sentence is read from the document when asked for, not kept', () => {
  const doc = docOf(TEXT);
  const stored = storedClaim(doc, packClaim(claim(), TEXT), intern);
  assert.equal(stored.sentence, 'Exports rose by over 12% in 2024, said the ministry.');
  doc.text = ''; // the file changed: the index reads back ''
  assert.equal(stored.sentence, '');
  assert.equal(stored.text, '12%');
  // A claim with its own sentence keeps it.
  const own = storedClaim(docOf(TEXT), packClaim(claim({ sentence: 'Said elsewhere.' }), TEXT), intern);
  assert.equal(own.sentence, 'Said elsewhere.');
});

test('stored claim: a claim with fields beyond a RawClaim is kept as the object itself', () => {
  const c = { ...claim(), extra: 1 };
  assert.equal(storedClaim(docOf(TEXT), packClaim(c, TEXT), intern), c);
});

test('stored claim: it knows where the sentence before its own starts, made where the text is', () => {
  const doc = docOf(TEXT);
  const packed = packClaim(claim(), TEXT);
  assert.ok(Array.isArray(packed));
  const stored = storedClaim(doc, packed, intern) as StoredClaim;
  assert.equal(stored.windowStart, 0, 'the window starts at "Intro."');
  doc.text = ''; // known without the text
  assert.equal(stored.windowStart, 0);
  // A claim in the first sentence: its window is its own sentence.
  const first = storedClaim(docOf('Up 5% today. Then more.'), packClaim(claim({ start: 3, end: 5, text: '5%', value: 5, sentenceStart: 0, sentenceEnd: 12, sentence: 'Up 5% today.' }), 'Up 5% today. Then more.'), intern) as StoredClaim;
  assert.equal(first.windowStart, 0);
  // A packed window that cannot be (after the sentence, negative, not a number) is not known (-1): the text is used instead.
  for (const bad of [40, -3, 1.5, 'x']) {
    const t = [...packed] as unknown[];
    t[10] = bad;
    const c = storedClaim(docOf(TEXT), t as typeof packed, intern) as StoredClaim;
    assert.equal(c.windowStart, -1, String(bad));
    assert.equal(c.sentence, 'Exports rose by over 12% in 2024, said the ministry.');
  }
  // The form without the window (an older cache) is refused as malformed: the article is analysed again.
  assert.throws(() => storedClaim(docOf(TEXT), packed.slice(0, 10) as typeof packed, intern), /malformed claim/);
});

test('packClaims: the same as packClaim of each claim, the window found once per sentence', () => {
  // The samples' claims (several to a sentence in places), and one with a field of its own.
  const dir = path.join(repoRoot, 'samples');
  let shared = 0;
  for (const f of fs.readdirSync(dir).sort()) {
    if (!f.endsWith('.txt')) continue;
    const text = fs.readFileSync(path.join(dir, f), 'utf8');
    const claims: RawClaim[] = extractClaims(text);
    claims.splice(1, 0, { ...claims[0], extra: true } as RawClaim);
    assert.deepEqual(packClaims(claims, text), claims.map((c) => packClaim(c, text)), f);
    for (let i = 1; i < claims.length; i++) if (claims[i].sentenceStart === claims[i - 1].sentenceStart) shared++;
  }
  assert.ok(shared > 0, 'some claims share a sentence');
  // Claims of one sentence, then of another sentence, then of the first again: each gets its own sentence's window.
  const text = 'Intro here. Exports rose 12% and imports 5%. Then 7% fell.';
  const at = (t: string, from: number, sentence: string): RawClaim => {
    const start = text.indexOf(t, from);
    const sentenceStart = text.indexOf(sentence);
    return claim({ start, end: start + t.length, text: t, value: Number.parseFloat(t), sentenceStart, sentenceEnd: sentenceStart + sentence.length, sentence });
  };
  const s1 = 'Exports rose 12% and imports 5%.';
  const s2 = 'Then 7% fell.';
  const list = [at('12%', 0, s1), at('5%', 0, s1), at('7%', 0, s2), at('5%', 0, s1)];
  const windows = packClaims(list, text).map((p) => (Array.isArray(p) ? p[10] : undefined));
  assert.deepEqual(windows, [0, 0, 12, 0]);
  assert.deepEqual(windows, list.map((c) => previousSentenceStart(text, c.sentenceStart)));
});
