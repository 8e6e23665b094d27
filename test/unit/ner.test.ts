import { test, describe } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { recognizeEntities, recognizerLoaded, releaseRecognizer, tokenize, setReferencePath } from '../../server/src/service/ner/index';
import { scoreFixture } from '../../server/src/service/ner/fixture-score';
import { sharedCorpusDir, repoRoot } from '../helpers/paths';
import { carets } from '../helpers/caret';
import type { RawMention } from '../../server/src/service/types';

const toks = (s: string) => tokenize(s).map((t) => t.text);
const has = (ms: RawMention[], text: string, type?: string) => ms.some((m) => m.text === text && (!type || m.type === type));
const show = (ms: RawMention[]) => ms.map((m) => `${m.type}:${m.text}`).join(' | ');

function assertValid(text: string, ms: RawMention[]): void {
  let last = -1;
  for (const m of ms) {
    assert.ok(Number.isInteger(m.start) && Number.isInteger(m.end));
    assert.ok(m.start >= 0 && m.end <= text.length && m.start < m.end, `bad span ${m.start}-${m.end}`);
    assert.equal(text.slice(m.start, m.end), m.text);
    assert.ok(m.start >= last, 'sorted and non-overlapping');
    last = m.end;
    assert.ok(['person', 'organization', 'place', 'event'].includes(m.type));
  }
}

describe('tokenizer', () => {
  test('offsets index the original text', () => {
    const text = 'Mr.\u00a0Jean-Claude Juncker’s “plan” costs $4.2 billion (U.S.),said Reuters.';
    for (const t of tokenize(text)) assert.equal(text.slice(t.start, t.end), t.text);
    assert.deepEqual(toks(text), ['Mr.', 'Jean-Claude', 'Juncker', '’s', '“', 'plan', '”', 'costs', '$', '4.2', 'billion', '(', 'U.S.', ')', ',', 'said', 'Reuters', '.']);
  });
  test('a text of many thousands of tokens, then a short one: every boundary and line start', () => {
    // (The boundaries go into scratch arrays kept between calls, grown past 4,096 tokens here.)
    const line = (k: number) => `Line ${k}, said Kim.\n`;
    let text = '';
    for (let k = 0; k < 3000; k++) text += line(k);
    const ts = tokenize(text);
    assert.equal(ts.length, 3000 * 6);
    for (let k = 0; k < 3000; k++) {
      const six = ts.slice(k * 6, k * 6 + 6);
      assert.deepEqual(six.map((t) => t.text), ['Line', String(k), ',', 'said', 'Kim', '.']);
      assert.deepEqual(six.map((t) => t.lineStart), [true, false, false, false, false, false]);
      for (const t of six) assert.equal(text.slice(t.start, t.end), t.text);
    }
    const short = tokenize('Seoul\nAstana');
    assert.deepEqual(short.map((t) => [t.text, t.start, t.end, t.lineStart]), [['Seoul', 0, 5, true], ['Astana', 6, 12, true]]);
  });
  test('splits like CoNLL: possessives, clitics, abbreviations', () => {
    assert.deepEqual(toks("Germany's economy"), ['Germany', "'s", 'economy']);
    assert.deepEqual(toks('They don’t know.'), ['They', 'do', 'n’t', 'know', '.']);
    assert.deepEqual(toks('Hong-seok met Lee in the U.S. on Jan. 5.'), ['Hong-seok', 'met', 'Lee', 'in', 'the', 'U.S.', 'on', 'Jan.', '5', '.']);
    assert.deepEqual(toks('Zapad-2021 began'), ['Zapad-2021', 'began']);
    assert.deepEqual(toks('OSLO – Norway'), ['OSLO', '–', 'Norway']);
  });
  test('normalises typography for features and marks sentence starts', () => {
    const t = tokenize('He left.\u201d Then Norway’s turn');
    assert.deepEqual(t.map((x) => x.norm), ['He', 'left', '.', '"', 'Then', 'Norway', "'s", 'turn']);
    assert.deepEqual(t.filter((x) => x.sentStart).map((x) => x.text), ['He', 'Then']);
  });
  test('caret offsets of a token', () => {
    const { text, offsets } = carets('Talks in ^Oslo^ ended.');
    const t = tokenize(text).find((x) => x.text === 'Oslo')!;
    assert.deepEqual([t.start, t.end], offsets);
  });
});

describe('typography', () => {
  test('curly possessive is not part of the name', () => {
    const text = 'Angela Merkel’s government met in Berlin on Tuesday.';
    const ms = recognizeEntities(text);
    assertValid(text, ms);
    assert.ok(has(ms, 'Angela Merkel', 'person'), show(ms));
    assert.ok(has(ms, 'Berlin', 'place'), show(ms));
  });
  test('hyphenated given names stay whole', () => {
    const ms = recognizeEntities('European Commission President Jean-Claude Juncker arrived in Warsaw on Monday.');
    assert.ok(has(ms, 'Jean-Claude Juncker', 'person'), show(ms));
    assert.ok(has(ms, 'Warsaw', 'place'), show(ms));
  });
  test('no-break spaces separate tokens', () => {
    const text = 'Prime Minister\u00a0Boris\u00a0Johnson spoke in London.';
    const ms = recognizeEntities(text);
    assertValid(text, ms);
    assert.ok(has(ms, 'Boris\u00a0Johnson', 'person'), show(ms));
  });
  test('all-caps dateline', () => {
    const ms = recognizeEntities('NAIROBI – Kenya’s president said on Friday that talks with Ethiopia would resume.');
    assert.ok(has(ms, 'NAIROBI', 'place'), show(ms));
    assert.ok(has(ms, 'Kenya', 'place'), show(ms));
    assert.ok(has(ms, 'Ethiopia', 'place'), show(ms));
    const ms2 = recognizeEntities('TOKYO, June 3 (Reuters) -- Japan will raise rates, the Bank of Japan said.');
    assert.ok(has(ms2, 'TOKYO', 'place'), show(ms2));
    assert.ok(has(ms2, 'Bank of Japan', 'organization'), show(ms2));
  });
  test('title-case headline and byline', () => {
    const text = 'Norway Signs Gas Deal With Poland\n\nBy Maria Jensen\n\nOSLO – Norway agreed on Monday to supply gas to Poland.';
    const ms = recognizeEntities(text);
    assertValid(text, ms);
    assert.ok(has(ms, 'Norway', 'place') && has(ms, 'Poland', 'place'), show(ms));
    assert.ok(has(ms, 'Maria Jensen', 'person'), show(ms));
    assert.ok(!has(ms, 'Signs') && !has(ms, 'Gas Deal'), show(ms));
  });
});

describe('mention conventions', () => {
  test('titles are stripped from person names', () => {
    const ms = recognizeEntities('On Monday, Mr. John Smith met Foreign Minister Anna Berg and President Emmanuel Macron in Paris.');
    assert.ok(has(ms, 'John Smith', 'person'), show(ms));
    assert.ok(has(ms, 'Anna Berg', 'person'), show(ms));
    assert.ok(has(ms, 'Emmanuel Macron', 'person'), show(ms));
    assert.ok(!ms.some((m) => /^(Mr|Foreign|Minister|President)\b/.test(m.text)), show(ms));
  });
  test('leading "The" is dropped', () => {
    const ms = recognizeEntities('The story was first reported by The Washington Post on Sunday.');
    assert.ok(has(ms, 'Washington Post', 'organization'), show(ms));
    assert.ok(!ms.some((m) => m.text.startsWith('The ')), show(ms));
  });
  test('nationality adjectives are not entities', () => {
    const ms = recognizeEntities('French officials and German diplomats discussed Polish exports with Italian firms.');
    assert.deepEqual(ms, [], show(ms));
  });
  test('a country adjective fused to a body stays in the name', () => {
    const ms = recognizeEntities('The French Ministry of Foreign Affairs summoned the ambassador on Tuesday.');
    assert.ok(has(ms, 'French Ministry of Foreign Affairs', 'organization'), show(ms));
    const ms2 = recognizeEntities('He thanked the Consulate General of Germany in Chicago for its help.');
    assert.ok(has(ms2, 'Consulate General of Germany', 'organization'), show(ms2));
  });
  test('the portfolio of an office is not an organisation', () => {
    const ms = recognizeEntities('The Minister of Finance and Economy, Peter Novak, spoke in Prague.');
    assert.ok(!has(ms, 'Finance and Economy'), show(ms));
    assert.ok(has(ms, 'Peter Novak', 'person'), show(ms));
  });
  test('events: expos, summits, exercises, congresses', () => {
    const ms = recognizeEntities('Officials met at the Global Energy Summit 2025 in Lisbon before the Zapad-2021 exercises.');
    assert.ok(has(ms, 'Global Energy Summit 2025', 'event'), show(ms));
    assert.ok(has(ms, 'Zapad-2021', 'event'), show(ms));
    const ms2 = recognizeEntities('Exhibitors from 40 countries attended the Hannover Battery Expo, and later the World Congress of Engineers and Architects.');
    assert.ok(has(ms2, 'Hannover Battery Expo', 'event'), show(ms2));
    assert.ok(has(ms2, 'World Congress of Engineers and Architects', 'event'), show(ms2));
  });
});

describe('releasing the model', () => {
  test('releaseRecognizer lets the model go; the next call loads it again and tags the same', () => {
    const text = 'Yerkin Tukumov, director of the Kazakhstan Institute for Strategic Studies, met officials in Seoul.';
    const before = recognizeEntities(text);
    assert.ok(before.length > 0);
    assert.equal(recognizerLoaded(), true);
    releaseRecognizer();
    assert.equal(recognizerLoaded(), false);
    assert.deepEqual(recognizeEntities(text), before);
    assert.equal(recognizerLoaded(), true);
  });
});

describe('robustness', () => {
  test('arbitrary Unicode never throws and spans are valid', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (s) => {
        assertValid(s, recognizeEntities(s));
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('Paris', 'U.S.', 'Kassym-Jomart', '’s', ' ', '\u00a0', '\n', '“', '”', '.', ',', 'Mr.', 'THE', 'Expo', '2024', '-', 'of', '😀', 'é'), { maxLength: 60 }),
        (parts) => {
          const s = parts.join('');
          assertValid(s, recognizeEntities(s));
          for (const t of tokenize(s)) assert.equal(s.slice(t.start, t.end), t.text);
        },
      ),
      { numRuns: 300 },
    );
  });
  test('the fast tagging path gives exactly the reference path\'s mentions', () => {
    const dir = sharedCorpusDir();
    const texts = fs.readdirSync(dir).filter((f) => f.endsWith('.txt')).map((f) => fs.readFileSync(path.join(dir, f), 'utf8'));
    texts.push('NAIROBI – Kenya’s president said on Friday that talks with Ethiopia would resume.\nTOKYO, June 3 (Reuters) -- Japan will raise rates, the Bank of Japan said.');
    const parts = ['Paris', 'U.S.', 'Kassym-Jomart', '’s', ' ', '\u00a0', '\n', '“', '”', '.', ',', 'Mr.', 'THE', 'Expo', '2024', '-', 'of', '😀', 'é', 'Bank', 'French', 'Embassy', 'Times'];
    texts.push(...fc.sample(fc.array(fc.constantFrom(...parts), { maxLength: 80 }).map((p) => p.join('')), { numRuns: 200, seed: 7 }));
    for (const t of texts) {
      const fast = recognizeEntities(t);
      setReferencePath(true);
      try {
        assert.deepEqual(fast, recognizeEntities(t), JSON.stringify(t.slice(0, 80)));
      } finally {
        setReferencePath(false);
      }
    }
  });
  test('empty and whitespace input', () => {
    assert.deepEqual(recognizeEntities(''), []);
    assert.deepEqual(recognizeEntities(' \n\u00a0 '), []);
  });
});

describe('shared corpus fixture', () => {
  // Measured 0.918 on the shipped model (see server/src/service/ner/README.md). Fails if the
  // recogniser regresses by more than a couple of points.
  const THRESHOLD = Number(process.env.NER_FIXTURE_MIN_F1 ?? '0.89');
  test(`mention F1 on the hand-annotated shared corpus ≥ ${THRESHOLD}`, () => {
    const fixture = JSON.parse(fs.readFileSync(path.join(repoRoot, 'test', 'fixtures', 'entities-shared-corpus.json'), 'utf8'));
    const dir = sharedCorpusDir();
    assert.equal(Object.keys(fixture).length, fs.readdirSync(dir).filter((f) => f.endsWith('.txt')).length);
    const s = scoreFixture(fixture, dir, recognizeEntities);
    assert.ok(s.f >= THRESHOLD, `mention F1 ${s.f.toFixed(3)} < ${THRESHOLD}\n${s.errors.slice(0, 30).join('\n')}`);
  });
});
