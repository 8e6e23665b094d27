import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { splitSentences, splitSentencesIn } from '../../server/src/service/text/sentences';
import { readSharedArticle } from '../helpers/paths';

function split(text: string): string[] {
  return splitSentences(text).map((s) => text.slice(s.start, s.end));
}

test('abbreviations, initials and decimals do not end sentences', () => {
  assert.deepEqual(split('Mr. Koo met Dr. Lee in Seoul. They talked.'), ['Mr. Koo met Dr. Lee in Seoul.', 'They talked.']);
  assert.deepEqual(split('He visited S. Korea last week. It went well.'), ['He visited S. Korea last week.', 'It went well.']);
  assert.deepEqual(split('Trade with the U.S. grew 4.2 percent. Exports led.'), ['Trade with the U.S. grew 4.2 percent.', 'Exports led.']);
  assert.deepEqual(split('It opened on Jan. 5, 2024 in Astana. Sales began.'), ['It opened on Jan. 5, 2024 in Astana.', 'Sales began.']);
  assert.deepEqual(split('Prices rose 3.5% in Sept. 2023 and fell.'), ['Prices rose 3.5% in Sept. 2023 and fell.']);
  assert.deepEqual(split('J. Smith of Acme Inc. said so.'), ['J. Smith of Acme Inc. said so.']);
  assert.deepEqual(split('He works for Acme Inc. The firm is big.'), ['He works for Acme Inc.', 'The firm is big.']);
  assert.deepEqual(split('He moved to the U.S. The move was hard.'), ['He moved to the U.S.', 'The move was hard.']);
  assert.deepEqual(split('The project costs Rs. 500 crore. Work starts soon.'), ['The project costs Rs. 500 crore.', 'Work starts soon.']);
});

test('quotes, question marks and exclamations', () => {
  assert.deepEqual(split('“It is not a secret.” He smiled. Why? Because!'), ['“It is not a secret.”', 'He smiled.', 'Why?', 'Because!']);
  assert.deepEqual(split('He said: "We agree." Then he left.'), ['He said: "We agree."', 'Then he left.']);
  assert.deepEqual(split('It grew (by a lot.) Then it fell.'), ['It grew (by a lot.)', 'Then it fell.']);
  assert.deepEqual(split('prices rose. he said so.'), ['prices rose. he said so.'], 'a lower-case word after a period is not a new sentence');
});

test('line breaks: paragraphs and headlines are boundaries, hard wraps are not', () => {
  assert.deepEqual(split('Kazakhstan needs drones\n\nMay 14, 2024 - 13:57 By Sanjay Kumar\n\nThe minister spoke.'), [
    'Kazakhstan needs drones',
    'May 14, 2024 - 13:57 By Sanjay Kumar',
    'The minister spoke.',
  ]);
  assert.deepEqual(split('Q-How important is Asia?\nA-Asia is the best region.\nAsian countries trade more.'), [
    'Q-How important is Asia?',
    'A-Asia is the best region.',
    'Asian countries trade more.',
  ]);
  assert.deepEqual(split('the company said net profit rose to 75 mln\ndlrs from 62 mln dlrs in the\nfirst quarter.'), [
    'the company said net profit rose to 75 mln\ndlrs from 62 mln dlrs in the\nfirst quarter.',
  ]);
  assert.deepEqual(split('Shares of the Bank of\nEngland rose.'), ['Shares of the Bank of\nEngland rose.']);
  assert.deepEqual(split('Trade and Investment Prospects\nAccording to data, trade grew.'), ['Trade and Investment Prospects', 'According to data, trade grew.']);
  assert.deepEqual(split('One.\r\n\r\nTwo.'), ['One.', 'Two.']);
  assert.deepEqual(split('Line one\n \nLine two'), ['Line one', 'Line two']);
});

test('the shared corpus splits sensibly', () => {
  const { text } = readSharedArticle('000');
  const s = split(text);
  assert.ok(s.includes('Beispekov was in Korea to attend the Korea Drone Expo 2024.'));
  assert.ok(s.includes('Azamat Beispekov proposes enhanced cooperation with S. Korea to make the Central Asian country a drone hub'));
  assert.ok(s.includes('All five Central Asian militaries have drones.'));
  const four = readSharedArticle('004').text;
  assert.ok(split(four).includes('Tajikistan’s armed forces number only 9,000 men.'));
});

test('property: ranges are sorted, disjoint, trimmed, non-empty and inside the text', () => {
  const piece = fc.constantFrom('Mr.', 'U.S.', 'S.', 'Korea', 'said', '4.2', '.', '!', '?', '…', '"', '“', '”', '(', ')', '\n', '\n\n', ' ', 'the', 'Inc.', 'Jan.', 'a', 'B', '\r\n', '\u00a0', '\ud800', '\u0000');
  fc.assert(
    fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), fc.array(piece, { maxLength: 80 }).map((a) => a.join(' '))), (text) => {
      const ranges = splitSentences(text);
      let prev = 0;
      for (const r of ranges) {
        assert.ok(r.start >= prev && r.start < r.end && r.end <= text.length);
        assert.equal(text.slice(r.start, r.end).trim(), text.slice(r.start, r.end).replace(/^[\s\u00a0\ufeff]+|[\s\u00a0\ufeff]+$/g, ''));
        assert.ok(!/^\s/.test(text[r.start]) && !/\s$/.test(text[r.end - 1]), 'trimmed');
        prev = r.end;
      }
      // every non-space character is inside some sentence
      let k = 0;
      for (let i = 0; i < text.length; i++) {
        if (/[\s\u00a0\u2000-\u200b\u2028\u2029\u202f\u3000\ufeff]/.test(text[i])) continue;
        while (k < ranges.length && ranges[k].end <= i) k++;
        assert.ok(k < ranges.length && ranges[k].start <= i, `character ${i} (${JSON.stringify(text[i])}) is in no sentence`);
      }
    }),
    { numRuns: 500 },
  );
});

test('property: splitting one paragraph equals the global split restricted to it', () => {
  const para = fc.array(fc.constantFrom('Mr. Koo said.', 'Prices rose 4.2%.', 'Why?', 'the U.S. grew', 'S. Korea', '\n', 'Headline', 'A.', 'b.'), { minLength: 1, maxLength: 12 }).map((a) => a.join(' '));
  fc.assert(
    fc.property(fc.array(para, { minLength: 1, maxLength: 5 }), (paras) => {
      const text = paras.join('\n\n');
      const all = splitSentences(text);
      let from = 0;
      for (const p of paras) {
        const to = from + p.length;
        const local = splitSentencesIn(text, from, to);
        const global = all.filter((r) => r.start >= from && r.end <= to);
        assert.deepEqual(local, global);
        from = to + 2;
      }
    }),
    { numRuns: 300 },
  );
});

test('linear on pathological input', () => {
  const inputs = ['.'.repeat(1 << 20), 'a. '.repeat(300000), '\n'.repeat(1 << 20), ' \n'.repeat(500000), 'U.S. '.repeat(200000), 'Mr. '.repeat(200000)];
  for (const s of inputs) {
    const t0 = performance.now();
    splitSentences(s);
    assert.ok(performance.now() - t0 < 2000, `${JSON.stringify(s.slice(0, 10))}… took too long`);
  }
});
