import { test, describe } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { parseGazetteer, simpleWords } from '../../server/src/service/ner/gazetteer';
import { tokenize } from '../../server/src/service/ner/tokenizer';

const tokenWords = (name: string) => tokenize(name).map((t) => t.norm.toLowerCase());
const shipped = fs.readFileSync(path.join(__dirname, '../../server/model/gazetteer.tsv'), 'utf8');

describe('gazetteer loading (the direct split of simple names)', () => {
  test('every shipped name it splits gives exactly the tokenizer’s words', () => {
    let simple = 0;
    for (const line of shipped.split('\n')) {
      const name = line.slice(line.indexOf('\t') + 1);
      if (!line.includes('\t')) continue;
      const words = simpleWords(name);
      if (!words) continue;
      simple++;
      assert.deepEqual(words, tokenWords(name), name);
    }
    assert.ok(simple > 10_000, `only ${simple} simple names: the fast path is not being taken`);
  });

  test('names with punctuation, digits, other spaces or typography go to the tokenizer', () => {
    for (const name of ["'s-Hertogenbosch", 'Aix-en-Provence', 'Akkol’', 'St. Louis', 'Area 51', 'New  York', ' Lima', 'Lima ', 'Rio\u00a0Branco', 'O’Hare', 'Kazakh–Korean', 'Ngʼombe', '']) {
      assert.equal(simpleWords(name), undefined, name);
    }
    assert.deepEqual(simpleWords('São Tomé'), ['são', 'tomé']);
  });

  test('random strings: whenever it splits, the tokenizer agrees', () => {
    const letters = fc.constantFrom(...'aZéÅßİΣσςЖжʼ̧ ǅ𝐀-.’'.split(''), ' ', 'ΑΒΣ', 'İstanbul');
    fc.assert(
      fc.property(fc.array(letters, { minLength: 1, maxLength: 12 }).map((a) => a.join('')), (name) => {
        const words = simpleWords(name);
        if (words) assert.deepEqual(words, tokenWords(name));
      }),
      { numRuns: 3000, seed: 5 },
    );
  });

  test('the parsed gazetteer equals one built with the tokenizer alone', () => {
    const fast = parseGazetteer(shipped, tokenize);
    const slow = parseGazetteer(shipped, tokenize, { direct: false });
    assert.deepEqual([...fast.phrases].sort(), [...slow.phrases].sort());
    assert.deepEqual([...fast.prefixes].sort(), [...slow.prefixes].sort());
    assert.equal(fast.maxLen, slow.maxLen);
  });
});
