import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { extractClaims } from '../../server/src/service/claims';
import type { RawClaim } from '../../server/src/service/types';
import { repoRoot, readSharedArticle, sharedCorpusDir } from '../helpers/paths';

// ----------------------------------------------------------------------------- helpers

interface Expect {
  text?: string;
  kind?: RawClaim['kind'];
  value: number | string;
  unit?: string | null;
  qualifier?: RawClaim['qualifier'];
  checkworthy?: boolean;
}

function sameValue(a: number | string, b: number | string): boolean {
  if (typeof a === 'number' && typeof b === 'number') return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
  return a === b;
}

function show(claims: RawClaim[]): string {
  return claims.map((c) => `${JSON.stringify(c.text)}:${c.kind}=${c.value} ${c.unit ?? ''} (${c.qualifier}${c.checkworthy ? '' : ', not checkworthy'})`).join('; ');
}

/** Asserts that `text` yields a claim matching every field given in `e`. */
function expectClaim(text: string, e: Expect): RawClaim {
  const claims = extractClaims(text);
  const hit = claims.find(
    (c) =>
      sameValue(c.value, e.value) &&
      (e.unit === undefined || c.unit === e.unit) &&
      (e.kind === undefined || c.kind === e.kind) &&
      (e.text === undefined || c.text === e.text) &&
      (e.qualifier === undefined || c.qualifier === e.qualifier) &&
      (e.checkworthy === undefined || c.checkworthy === e.checkworthy),
  );
  assert.ok(hit, `in ${JSON.stringify(text)} expected ${JSON.stringify(e)}, got: ${show(claims) || 'no claims'}`);
  return hit;
}

function invariants(text: string, claims: RawClaim[]): void {
  let prevEnd = -1;
  for (const c of claims) {
    assert.ok(Number.isInteger(c.start) && Number.isInteger(c.end), 'integer offsets');
    assert.ok(c.start >= 0 && c.end <= text.length && c.start < c.end, `span inside text: ${c.start}-${c.end} of ${text.length}`);
    assert.equal(text.slice(c.start, c.end), c.text, 'text === slice(start, end)');
    assert.ok(c.start >= prevEnd, `sorted and non-overlapping (${c.start} < ${prevEnd})`);
    prevEnd = c.end;
    assert.ok(c.sentenceStart <= c.start && c.end <= c.sentenceEnd, 'claim inside its sentence');
    assert.equal(text.slice(c.sentenceStart, c.sentenceEnd), c.sentence, 'sentence === slice');
    if (c.kind === 'date') assert.equal(typeof c.value, 'string');
    else assert.ok(typeof c.value === 'number' && Number.isFinite(c.value), `finite value ${c.value}`);
  }
}

// ----------------------------------------------------------------------------- shared corpus

interface FixtureItem {
  text: string;
  at?: string;
  kind: RawClaim['kind'];
  value: number | string;
  unit: string | null;
  qualifier: RawClaim['qualifier'];
  checkworthy: boolean;
}

const fixture = JSON.parse(fs.readFileSync(path.join(repoRoot, 'test/fixtures/claims-shared-corpus.json'), 'utf8')) as Record<string, FixtureItem[] | string>;

function isBoundary(s: string, i: number): boolean {
  if (i <= 0 || i >= s.length) return true;
  const a = s[i - 1];
  const b = s[i];
  return !(/[\p{L}\p{N}]/u.test(a) && /[\p{L}\p{N}]/u.test(b));
}

/** Locates every fixture item in the article (items are in document order). */
function locate(doc: string, items: FixtureItem[]): Array<{ item: FixtureItem; start: number; end: number }> {
  let cursor = 0;
  return items.map((item) => {
    const needle = item.at ?? item.text;
    let pos = doc.indexOf(needle, cursor);
    while (pos >= 0 && !(isBoundary(doc, pos) && isBoundary(doc, pos + needle.length))) pos = doc.indexOf(needle, pos + 1);
    assert.ok(pos >= 0, `fixture item ${JSON.stringify(needle)} not found after offset ${cursor}`);
    const off = item.at ? item.at.indexOf(item.text) : 0;
    assert.ok(off >= 0, `fixture item: "${item.text}" is not inside its context "${item.at}"`);
    cursor = pos + 1;
    return { item, start: pos + off, end: pos + off + item.text.length };
  });
}

test('shared corpus: hand annotation recall ≥95% (check-worthy, value+unit) and precision ≥90%', (t) => {
  const files = fs.readdirSync(sharedCorpusDir()).filter((f) => f.endsWith('.txt')).sort();
  assert.ok(files.length >= 5, 'the shared corpus has its five articles');
  let cwTotal = 0;
  let cwFound = 0;
  let reported = 0;
  let correct = 0;
  let exactSpans = 0;
  let allItems = 0;
  let qualRight = 0;
  let cwFlagRight = 0;
  const misses: string[] = [];
  const falsePos: string[] = [];
  for (const name of files) {
    const items = fixture[name];
    assert.ok(Array.isArray(items), `fixture has an entry for ${name}`);
    const doc = readSharedArticle(name.slice(0, 3)).text;
    const claims = extractClaims(doc);
    invariants(doc, claims);
    const located = locate(doc, items);
    for (const { item, start, end } of located) {
      allItems++;
      const c = claims.find((x) => x.start < end && start < x.end);
      const ok = !!c && sameValue(c.value, item.value) && c.unit === item.unit;
      if (c && c.start === start && c.end === end) exactSpans++;
      if (ok && c.qualifier === item.qualifier) qualRight++;
      if (ok && c.checkworthy === item.checkworthy) cwFlagRight++;
      if (item.checkworthy) {
        cwTotal++;
        if (ok) cwFound++;
        else misses.push(`${name}: ${item.text} → ${c ? show([c]) : 'not found'}`);
      }
    }
    for (const c of claims) {
      reported++;
      const m = located.find((l) => c.start < l.end && l.start < c.end);
      if (m && sameValue(c.value, m.item.value)) correct++;
      else falsePos.push(`${name}: ${show([c])} in ${JSON.stringify(c.sentence.slice(0, 80))}`);
    }
  }
  const recall = cwFound / cwTotal;
  const precision = correct / reported;
  t.diagnostic(`check-worthy recall ${(recall * 100).toFixed(1)}% (${cwFound}/${cwTotal}), precision ${(precision * 100).toFixed(1)}% (${correct}/${reported})`);
  t.diagnostic(`exact spans ${exactSpans}/${allItems}, qualifier right ${qualRight}/${allItems}, checkworthy flag right ${cwFlagRight}/${allItems}`);
  if (misses.length) t.diagnostic('misses: ' + misses.join(' | '));
  if (falsePos.length) t.diagnostic('false positives: ' + falsePos.join(' | '));
  assert.ok(recall >= 0.95, `recall ${recall}: ${misses.join(' | ')}`);
  assert.ok(precision >= 0.9, `precision ${precision}: ${falsePos.join(' | ')}`);
  assert.ok(exactSpans / allItems >= 0.9, `exact spans ${exactSpans}/${allItems}`);
  assert.ok(qualRight / allItems >= 0.9, `qualifiers ${qualRight}/${allItems}`);
  assert.ok(cwFlagRight / allItems >= 0.85, `checkworthy flags ${cwFlagRight}/${allItems}`);
});

test('repo samples (if present): invariants hold and money/percent claims are normalised', (t) => {
  const dir = path.join(repoRoot, 'samples');
  const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.txt')) : [];
  if (files.length === 0) {
    t.skip('samples/*.txt not written yet');
    return;
  }
  for (const f of files) {
    const text = fs.readFileSync(path.join(dir, f), 'utf8');
    const claims = extractClaims(text);
    invariants(text, claims);
    for (const c of claims) {
      if (c.kind === 'money') assert.match(c.unit ?? '', /^[A-Z]{3}$/, `${f}: money has an ISO code: ${show([c])}`);
      if (c.kind === 'percent') assert.ok(['%', 'pp', 'bp', '‰'].includes(c.unit ?? ''), `${f}: percent unit ${c.unit}`);
    }
    const annotated = path.join(repoRoot, 'test/fixtures', `claims-samples.json`);
    if (fs.existsSync(annotated)) {
      const fx = JSON.parse(fs.readFileSync(annotated, 'utf8')) as Record<string, Expect[]>;
      for (const e of fx[f] ?? []) expectClaim(text, e);
    }
  }
});

// ----------------------------------------------------------------------------- the spec's examples

test('spec: money with signs, codes, scale words and abbreviations', () => {
  expectClaim('Projects worth $854.4 million will start.', { text: '$854.4 million', kind: 'money', value: 854.4e6, unit: 'USD', qualifier: 'exact' });
  expectClaim('Investment exceeded 4.3 billion USD over the period.', { text: '4.3 billion USD', value: 4.3e9, unit: 'USD', qualifier: 'over' });
  expectClaim('The fund raised US$300m last year.', { text: 'US$300m', value: 300e6, unit: 'USD' });
  expectClaim('It is a €1.2bn deal.', { text: '€1.2bn', value: 1.2e9, unit: 'EUR' });
  expectClaim('The budget allots KZT 500 billion to roads.', { text: 'KZT 500 billion', value: 500e9, unit: 'KZT' });
  expectClaim('The budget allots 500 billion tenge to roads.', { text: '500 billion tenge', value: 500e9, unit: 'KZT' });
});

test('spec: counts carry the counted noun in the singular, qualifiers stay outside the span', () => {
  expectClaim('The minister listed 15 joint investment projects worth a lot.', { text: '15', kind: 'count', value: 15, unit: 'project' });
  expectClaim('Currently, more than 500 joint ventures are operating.', { text: '500', value: 500, unit: 'venture', qualifier: 'over' });
  expectClaim('The plants will create over 4.7 thousand jobs.', { text: '4.7 thousand', value: 4700, unit: 'job', qualifier: 'over' });
  expectClaim('The plant made cars. Twenty-seven units were delivered.', { text: 'Twenty-seven', value: 27, unit: 'unit' });
  expectClaim('The city hired 1,200 new teachers.', { value: 1200, unit: 'teacher' });
  expectClaim('Some 40 people were hurt.', { value: 40, unit: 'person', qualifier: 'approx' });
  expectClaim('The firm has 300 employees, 12 factories and 3 UAVs.', { value: 3, unit: 'UAV' });
  expectClaim('The firm has 300 employees, 12 factories and 3 UAVs.', { value: 12, unit: 'factory' });
  expectClaim('It bought 40 buses and 12 boxes.', { value: 40, unit: 'bus' });
  expectClaim('It bought 40 buses and 12 boxes.', { value: 12, unit: 'box' });
  expectClaim('Nearly 2,000 children were vaccinated.', { value: 2000, unit: 'child', qualifier: 'approx' });
});

test('spec: measures, ranks, durations, years and dates', () => {
  expectClaim('a 66-kilometre six-lane ring road', { text: '66-kilometre', kind: 'measure', value: 66, unit: 'km' });
  expectClaim('a 66-kilometre six-lane ring road', { text: 'six-lane', kind: 'count', value: 6, unit: 'lane' });
  expectClaim('Exports reached 34.1 thousand tons of ferroalloys.', { text: '34.1 thousand tons', kind: 'measure', value: 34100, unit: 't' });
  expectClaim('The field covers 1,500 square kilometres.', { kind: 'measure', value: 1500, unit: 'km2' });
  expectClaim('Output hit 1.6 million barrels per day.', { kind: 'measure', value: 1.6e6, unit: 'bbl/d' });
  expectClaim('a 300MW solar plant', { kind: 'measure', value: 300, unit: 'MW' });
  expectClaim('The ranking placed the country in 58th place out of 145.', { text: '58th', kind: 'rank', value: 58 });
  assert.ok(!extractClaims('The ranking placed the country in 58th place out of 145.').some((c) => c.value === 145), '"out of 145" belongs to the rank');
  expectClaim('Korea ranks sixth in terms of investment volume.', { text: 'sixth', kind: 'rank', value: 6 });
  expectClaim("Busan is the world's second-largest port.", { text: 'second', kind: 'rank', value: 2 });
  expectClaim('Investments over the past 32 years have grown.', { text: '32 years', kind: 'duration', value: 32, unit: 'year', qualifier: 'exact' });
  expectClaim('He was sentenced to up to three years.', { text: 'three years', kind: 'duration', value: 3, unit: 'year', qualifier: 'at-most' });
  expectClaim('a 28-year-old resident', { text: '28-year-old', kind: 'duration', value: 28, unit: 'year' });
  expectClaim('The treaty was signed in 1995.', { text: '1995', kind: 'year', value: 1995, checkworthy: true });
  expectClaim('The treaty was signed on May 16, 1995.', { text: 'May 16, 1995', kind: 'date', value: '1995-05-16', checkworthy: true });
  expectClaim('The treaty was signed on 16 May 1995 in Almaty.', { text: '16 May 1995', kind: 'date', value: '1995-05-16' });
  expectClaim('It happened in August 2021.', { text: 'August 2021', kind: 'date', value: '2021-08' });
  expectClaim('The report is dated 2024-05-14.', { text: '2024-05-14', kind: 'date', value: '2024-05-14' });
  expectClaim('Prices rose in Sept. 2023 again.', { kind: 'date', value: '2023-09' });
  expectClaim('Penalties range from two to five years.', { text: 'two', kind: 'duration', value: 2, unit: 'year', qualifier: 'at-least' });
  expectClaim('Penalties range from two to five years.', { text: 'five years', value: 5, unit: 'year', qualifier: 'at-most' });
  expectClaim('Inflation will be 10-15% this year.', { text: '10', kind: 'percent', value: 10, unit: '%' });
  expectClaim('Inflation will be 10-15% this year.', { text: '15%', kind: 'percent', value: 15, unit: '%' });
});

test('spec: qualifiers', () => {
  const cases: Array<[string, RawClaim['qualifier']]> = [
    ['Sales were more than $5 million.', 'over'],
    ['Sales were over $5 million.', 'over'],
    ['Sales exceeded $5 million.', 'over'],
    ['Sales were about $5 million.', 'approx'],
    ['Sales were around $5 million.', 'approx'],
    ['Sales were nearly $5 million.', 'approx'],
    ['Sales were almost $5 million.', 'approx'],
    ['Sales were approximately $5 million.', 'approx'],
    ['Sales were up to $5 million.', 'at-most'],
    ['Sales were at least $5 million.', 'at-least'],
    ['Sales were no more than $5 million.', 'at-most'],
    ['Sales were less than $5 million.', 'under'],
    ['Sales were under $5 million.', 'under'],
    ['Sales were $5 million.', 'exact'],
    ['Sales were $5 million or more.', 'at-least'],
  ];
  for (const [text, q] of cases) expectClaim(text, { value: 5e6, unit: 'USD', qualifier: q, text: '$5 million' });
  // a preposition, not a qualifier
  expectClaim('He left comments under four videos.', { value: 4, unit: 'video', qualifier: 'exact' });
});

// ----------------------------------------------------------------------------- phrasings the articles never use

const NEWSWIRE: Array<[string, Expect]> = [
  ['the company said net profit rose to 75 mln dlrs from 62 mln dlrs', { value: 75e6, unit: 'USD', kind: 'money' }],
  ['the company said net profit rose to 75 mln dlrs from 62 mln dlrs', { value: 62e6, unit: 'USD', kind: 'money' }],
  ['it raised $ 75 million in a bond issue', { value: 75e6, unit: 'USD', text: '$ 75 million' }],
  ['sales rose 12 pct to 1.2 billion yen', { value: 12, unit: '%', kind: 'percent' }],
  ['sales rose 12 pct to 1.2 billion yen', { value: 1.2e9, unit: 'JPY' }],
  ['the deal is worth 420 million finnish markka', { value: 420e6, unit: 'FIM' }],
  ['volkswagen paid DM 1.5 million for the site', { value: 1.5e6, unit: 'DEM', text: 'DM 1.5 million' }],
  ['the contract was valued at 1.2 million marks', { value: 1.2e6, unit: 'DEM' }],
  ['bp sold the assets for Stg 40 million', { value: 40e6, unit: 'GBP' }],
  ['the province will borrow C$ 3.5 billion', { value: 3.5e9, unit: 'CAD', text: 'C$ 3.5 billion' }],
  ['westpac raised A$ 250 mln in new capital', { value: 250e6, unit: 'AUD' }],
  ['swire pacific paid HK$ 1.8 billion', { value: 1.8e9, unit: 'HKD' }],
  ['the group reported profits of 30 billion yen', { value: 30e9, unit: 'JPY' }],
  ['a loan of 500 million roubles was agreed', { value: 500e6, unit: 'RUB' }],
  ['the court imposed a fine of 2 billion rubles', { value: 2e9, unit: 'RUB' }],
  ['exports reached 3.2 trillion won last year', { value: 3.2e12, unit: 'KRW' }],
  ['earnings of 15 mln pounds sterling were reported', { value: 15e6, unit: 'GBP', text: '15 mln pounds sterling' }],
  ['unemployment fell to 7.2 per cent in march', { value: 7.2, unit: '%', text: '7.2 per cent' }],
  ['the bank expects a 3 percent rise in lending', { value: 3, unit: '%' }],
  ['inflation was 4.5 pct in january', { value: 4.5, unit: '%' }],
  ['the stake is worth 1.5 billion swiss francs', { value: 1.5e9, unit: 'CHF' }],
  ['the bid was 200 mln french francs', { value: 200e6, unit: 'FRF' }],
  ['the unit was sold for 40 mln stg', { value: 40e6, unit: 'GBP' }],
  ['the shares rose 25 cts to close higher', { value: 0.25, unit: 'USD' }],
  ['the company paid a dividend of 10 cents a share', { value: 0.1, unit: 'USD' }],
  ['the trade deficit was 5.6 billion U.S. dlrs', { value: 5.6e9, unit: 'USD' }],
  ['the deficit narrowed to 1.2 billion dlrs', { value: 1.2e9, unit: 'USD' }],
  ['the sale raised 240 mln Australian dlrs', { value: 240e6, unit: 'AUD' }],
  ['the bond raised 3.5 billion Canadian dollars', { value: 3.5e9, unit: 'CAD' }],
  ['net income was 12.5 mln dlrs vs 10.1 mln', { value: 10.1e6, unit: 'USD' }],
  ['the project costs Rs 500 crore', { value: 5e9, unit: 'INR' }],
  ['the club paid £5.2m for the striker', { value: 5.2e6, unit: 'GBP' }],
  ['the stimulus is worth ¥12 trillion', { value: 12e12, unit: 'JPY' }],
  ['samsung will invest ₩1.5 trillion', { value: 1.5e12, unit: 'KRW' }],
  ['the plan costs two billion dlrs', { value: 2e9, unit: 'USD' }],
  ['growth slowed to nine pct', { value: 9, unit: '%' }],
  ['the state sold 1.1 trillion lire of bonds', { value: 1.1e12, unit: 'ITL' }],
  ['the order is worth 30 mln swedish crowns', { value: 30e6, unit: 'SEK' }],
  ['statoil paid 100 mln Norwegian crowns', { value: 100e6, unit: 'NOK' }],
  ['the bank lent 2 billion Danish crowns', { value: 2e9, unit: 'DKK' }],
  ['nestle raised SFr 500 million', { value: 500e6, unit: 'CHF' }],
  ['the dairy group borrowed NZ$ 400 mln', { value: 400e6, unit: 'NZD' }],
  ['temasek invested S$2 billion', { value: 2e9, unit: 'SGD' }],
  ['petrobras raised R$ 3 billion', { value: 3e9, unit: 'BRL' }],
  ['the tycoon paid 250 million Hong Kong dollars', { value: 250e6, unit: 'HKD' }],
  ['the loan totals 1.8 billion yuan', { value: 1.8e9, unit: 'CNY' }],
  ['the subsidy costs 4 billion rupees', { value: 4e9, unit: 'INR' }],
  ['the fund holds 1 billion euros', { value: 1e9, unit: 'EUR' }],
  ['the firm earned about 2.5 mln dlrs', { value: 2.5e6, unit: 'USD', qualifier: 'approx' }],
  ['it bought a 15 pct stake', { value: 15, unit: '%' }],
  ['the bill cost 300 mln U.S. dollars', { value: 300e6, unit: 'USD' }],
  ['the utility raised dm 250 mln', { value: 250e6, unit: 'DEM' }],
  ['the tenge bond raised ₸500 million', { value: 500e6, unit: 'KZT' }],
  ['they lent 10 million South Korean won', { value: 10e6, unit: 'KRW' }],
  ['a fine of more than 1.2 million rubles', { value: 1.2e6, unit: 'RUB', qualifier: 'over' }],
  ['rates rose by 50 basis points', { value: 50, unit: 'bp', kind: 'percent' }],
  ['the central bank sold 1.5 billion dollars', { value: 1.5e9, unit: 'USD' }],
  ['PROFIT ROSE 7.5 PERCENT TO 4.2 BLN DLRS', { value: 4.2e9, unit: 'USD' }],
  ['PROFIT ROSE 7.5 PERCENT TO 4.2 BLN DLRS', { value: 7.5, unit: '%' }],
  ['the guilder fell; the firm lost 500 mln guilders', { value: 500e6, unit: 'NLG' }],
  ['the discount rate rose 3-1/2 pct', { value: 3.5, unit: '%', text: '3-1/2 pct' }],
  ['bond yields fell 1/2 pct', { value: 0.5, unit: '%' }],
  ['the utility announced a $1.2-billion expansion', { value: 1.2e9, unit: 'USD' }],
  ['the miner raised $US5m', { value: 5e6, unit: 'USD' }],
  ['the index gained 7.5 pct from 7.0', { value: 7, unit: '%' }],
  ['profit rose to 5.1 mln dlrs from 4.2 mln', { value: 4.2e6, unit: 'USD' }],
  ['the dividend is 12percent higher', { value: 12, unit: '%' }],
  ['a fine of 1.2 million Kazakhstani tenge', { value: 1.2e6, unit: 'KZT' }],
  ['the loan of 3 billion Russian roubles', { value: 3e9, unit: 'RUB' }],
  ['the bank raised EUR1.2bn', { value: 1.2e9, unit: 'EUR' }],
];

test(`newswire phrasings (${NEWSWIRE.length} cases): money and percentages normalised`, () => {
  assert.ok(NEWSWIRE.length >= 40);
  const failures: string[] = [];
  for (const [text, e] of NEWSWIRE) {
    try {
      expectClaim(text, e);
    } catch (err) {
      failures.push((err as Error).message);
    }
  }
  assert.deepEqual(failures, []);
});

// ----------------------------------------------------------------------------- negatives

test('numbers inside names, times, phone numbers and versions are not claims', () => {
  const none = [
    'Beispekov attended the Korea Drone Expo 2024.',
    'South Korea is a member of the G20 and the G-20 summit.',
    'The army has T-72 and MiG-29 units.',
    'The impact of COVID-19 was felt.',
    'The exercise Birlestik-2024 starts soon.',
    'He recovered the phone Samsung Galaxy A53.',
    'WRAPUP 4-G20 reviews resolution condemning invasion',
    'Busan wants to host the 2030 World Expo.',
    'Astana held the “2024 Kazakhstan-Korea Drone Roadshow,” focusing on UAVs.',
    'The meeting started at 13:57 sharp.',
    'Call +7 701 555 1234 for details.',
    'Call 555-123-4567 for details.',
    'Update to version 1.2.3 now.',
    'The 5G network and a 3D printer.',
    'The two countries signed the deal.',
    'One of the largest firms opened its first plant.',
    'It was popular in the 1990s.',
    'The index passed the 10,000 mark.',
    'Article 5 of the treaty applies.',
    'The Second World War ended.',
    'In the 21st century, trade grew.',
  ];
  for (const text of none) {
    const claims = extractClaims(text);
    assert.deepEqual(claims.map((c) => c.text), [], `no claims expected in ${JSON.stringify(text)}: ${show(claims)}`);
  }
});

test('scores, clock times and appositive ages', () => {
  const score = extractClaims('He scored two goals in the 3-1 win.');
  assert.ok(!score.some((c) => c.qualifier !== 'exact'), `a score is no range: ${show(score)}`);
  assert.ok(!extractClaims('The talks began at 10 a.m. local time.').some((c) => c.value === 10), 'clock time');
  expectClaim('Prime Minister Han Duck-soo, 74, said so.', { text: '74', kind: 'duration', value: 74, unit: 'year' });
  expectClaim('Hong died in 1943 at the age of 75.', { text: '75', kind: 'duration', value: 75, unit: 'year' });
});

test('datelines, photo captions and vague spans are not check-worthy', () => {
  const dateline = 'Kazakhstan needs drones\n\nMay 14, 2024 - 13:57 By Sanjay Kumar\n\nThe minister spoke on May 9.';
  expectClaim(dateline, { text: 'May 14, 2024', value: '2024-05-14', checkworthy: false });
  // the dateline gives the year to a date written without one
  expectClaim(dateline, { text: 'May 9', value: '2024-05-09', checkworthy: false });
  expectClaim('LONDON, March 3 - Shares rose 5 pct.', { kind: 'date', value: '--03-03', checkworthy: false });
  expectClaim('Nobody could imagine Korea 50 years ago.', { text: '50 years', kind: 'duration', value: 50, checkworthy: false });
  expectClaim('The ambassador has served since 2020. Photo credit: Embassy', { value: 2020, checkworthy: false });
  expectClaim('The minister (eighth from left) visits a university on Wednesday. (Embassy in Seoul)', { value: 8, kind: 'rank', checkworthy: false });
  expectClaim('The minister visits a university with 300 students. (Embassy in Seoul)', { value: 300, checkworthy: false });
  // same sentence outside a caption is check-worthy
  expectClaim('The ambassador has served since 2020. He likes it.', { value: 2020, checkworthy: true });
  expectClaim('The university has 300 students.', { value: 300, unit: 'student', checkworthy: true });
});

test('claims carry their sentence', () => {
  const text = 'Mr. Koo arrived in the U.S. on Monday. Trade rose 5% to $4.2 billion. Nothing else.';
  const c = expectClaim(text, { value: 4.2e9, unit: 'USD' });
  assert.equal(c.sentence, 'Trade rose 5% to $4.2 billion.');
  assert.equal(text.slice(c.sentenceStart, c.sentenceEnd), c.sentence);
});

// ----------------------------------------------------------------------------- robustness

test('property: arbitrary Unicode never throws; spans are exact, sorted, non-overlapping', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (s) => {
      invariants(s, extractClaims(s));
    }),
    { numRuns: 400 },
  );
  fc.assert(
    fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (s) => {
      invariants(s, extractClaims(s));
    }),
    { numRuns: 200 },
  );
});

test('property: adversarial mixtures of figures, signs and keywords', () => {
  const piece = fc.constantFrom(
    '$', '€', 'US', 'C', 'HK', '1', '12', '2024', '4.2', '1,000', ',', '.', '-', '–', ' ', '\n', '\n\n', '%', 'per', 'cent',
    'million', 'mln', 'bn', 'm', 'k', 'thousand', 'twenty', '-seven', 'two', 'hundred', 'and', 'more', 'than', 'over',
    'about', 'up', 'to', 'from', 'between', 'May', 'March', 'Jan.', '23rd', 'th', 'st', 'years', 'old', 'ago', 'the',
    'Expo', 'G', 'T-', 'dollars', 'dlrs', 'yen', 'won', 'marks', 'finnish', 'markka', 'pounds', 'sterling', 'tons',
    'km', 'kilometre', 'place', 'out', 'of', 'ranked', 'sixth', 'Photo credit:', '(', ')', '“', '”', '\u0000', '\ud800',
    '\udc00', '😀', 'a', 'Mr.', 'U.S.', ':', '+', '/', 'x', 'DM', 'KZT', 'USD', 'pct', 'number', 'people', 'projects',
  );
  fc.assert(
    fc.property(fc.array(piece, { maxLength: 60 }), fc.array(fc.constantFrom('', ' '), { maxLength: 60 }), (parts, seps) => {
      const s = parts.map((p, i) => p + (seps[i] ?? ' ')).join('');
      invariants(s, extractClaims(s));
    }),
    { numRuns: 1500 },
  );
});

test('property: a claim is found the same way wherever its sentence stands', () => {
  const sentences = [
    'Trade reached $4.2 billion last year.',
    'Some 40 people were hurt.',
    'Exports grew 12 pct in 2023.',
    'The plant employs 1,200 workers.',
  ];
  fc.assert(
    fc.property(fc.constantFrom(...sentences), fc.string({ maxLength: 50 }), (sentence, pre) => {
      const prefix = pre.replace(/[\s\S]*/, (x) => x.replace(/[0-9$€£¥₩₸%]/g, 'x')) + '\n\n';
      const base = extractClaims(sentence).map((c) => [c.text, c.value, c.unit, c.kind]);
      const moved = extractClaims(prefix + sentence)
        .filter((c) => c.start >= prefix.length)
        .map((c) => [c.text, c.value, c.unit, c.kind]);
      assert.deepEqual(moved, base);
    }),
    { numRuns: 300 },
  );
});

function timeIt(fn: () => void): number {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

test('pathological inputs stay linear and never throw', () => {
  const digits = (n: number): string => {
    let s = '';
    let seed = 7;
    while (s.length < n) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      s += seed % 4 === 0 ? ',' : String(seed % 10);
    }
    return s;
  };
  const inputs = [
    digits(1 << 20),
    '1,000,'.repeat(200000),
    '$'.repeat(50000) + '5 million',
    '$ '.repeat(50000),
    'US$'.repeat(30000) + '1',
    '1.'.repeat(300000),
    '-1'.repeat(300000),
    'more than '.repeat(50000) + '5',
    'twenty-'.repeat(50000) + 'seven people',
    '5 '.repeat(200000),
    'May 5, '.repeat(50000),
    '\u0000'.repeat(100000) + '$5',
    '\ud800'.repeat(100000) + '5%',
    '1'.repeat(1 << 20),
  ];
  for (const s of inputs) {
    const claims = extractClaims(s);
    invariants(s, claims.slice(0, 2000));
  }
  // linear: doubling the input must not quadruple the time
  const half = digits(1 << 19) + ' $'.repeat(20000) + ' 12 pct '.repeat(20000);
  const full = half + half;
  extractClaims(half);
  // (The least of three runs each: on a busy two-core machine one run of either can be slowed several times over.)
  const least = (f: () => void) => Math.min(timeIt(f), timeIt(f), timeIt(f));
  const t1 = least(() => extractClaims(half));
  const t2 = least(() => extractClaims(full));
  assert.ok(t2 < t1 * 3.5 + 20, `doubling input: ${t1.toFixed(1)} ms → ${t2.toFixed(1)} ms`);
  assert.ok(t2 < 3000, `2 MB of garbage took ${t2.toFixed(0)} ms`);
});

test('non-string input returns no claims instead of throwing', () => {
  assert.deepEqual(extractClaims(undefined as unknown as string), []);
  assert.deepEqual(extractClaims(''), []);
});
