import { test, describe } from 'node:test';
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { wordInfo, reserveWordCache, hashString } from '../../server/src/service/ner/features';
import { recognizeEntities, setReferencePath } from '../../server/src/service/ner/index';

describe('ner word table (features.ts wordInfo)', () => {
  test('one record per distinct word, the same record for an equal string', () => {
    const words = fc.sample(fc.string({ minLength: 1, maxLength: 12, unit: 'grapheme' }), { numRuns: 3000, seed: 11 });
    const first = new Map<string, ReturnType<typeof wordInfo>>();
    for (const w of words) {
      // a fresh copy: the table must compare contents, not string identity
      const r = wordInfo((' ' + w).slice(1));
      assert.equal(r.norm, w);
      const seen = first.get(w);
      if (seen) assert.equal(r, seen);
      else first.set(w, r);
    }
    const records = new Set(first.values());
    assert.equal(records.size, first.size);
  });

  test('hashes keep the bits of hashString (stored as int32)', () => {
    for (const w of ['Paris', 'naïve', 'ÉLYSÉE', 'x', '2024', 'Kassym-Jomart']) {
      const r = wordInfo(w);
      assert.equal(r.lowerH >>> 0, hashString(w.toLowerCase()));
      assert.equal(r.lowerH, r.lowerH | 0);
      assert.equal(r.shapeH, r.shapeH | 0);
      assert.equal(r.sshapeH, r.sshapeH | 0);
      assert.equal(r.lowerLen, r.lower.length);
    }
  });

  test('emptying the table between documents changes no output', () => {
    const text = 'Kassym-Jomart Tokayev met the French Ambassador in Astana on Monday. THE UNITED NATIONS SAID.';
    const before = recognizeEntities(text);
    // a document too big for what is left empties the word cache (and the tagger's word pool)
    assert.equal(reserveWordCache(1 << 20), true);
    assert.deepEqual(recognizeEntities(text), before);
    setReferencePath(true);
    try {
      assert.deepEqual(recognizeEntities(text), before);
    } finally {
      setReferencePath(false);
    }
  });
});
