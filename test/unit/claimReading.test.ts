import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findAttribution, type AttributionMention } from '../../server/src/service/attribution';
import {
  describeDifference,
  formatDate,
  pluralize,
  quantityKey,
  quantityLabel,
  readClaim,
  relativeDistance,
} from '../../server/src/service/claimReading';
import { carets } from '../helpers/caret';

test('claimReading: money, counts, percentages, measures, ranks, years, dates', () => {
  assert.equal(readClaim({ kind: 'money', value: 854_400_000, unit: 'USD', qualifier: 'exact' }), 'US$854.4 million');
  assert.equal(readClaim({ kind: 'money', value: 4_300_000_000, unit: 'usd', qualifier: 'approx' }), 'about US$4.3 billion');
  assert.equal(readClaim({ kind: 'money', value: 12_500, unit: 'CHF', qualifier: 'exact' }), '12,500 CHF');
  assert.equal(readClaim({ kind: 'count', value: 4700, unit: 'job', qualifier: 'over' }), 'over 4,700 jobs');
  assert.equal(readClaim({ kind: 'count', value: 1, unit: 'company', qualifier: 'exact' }), '1 company');
  assert.equal(readClaim({ kind: 'count', value: 3, unit: 'company', qualifier: 'at-least' }), 'at least 3 companies');
  assert.equal(readClaim({ kind: 'count', value: 2_000_000, unit: 'person', qualifier: 'under' }), 'under 2 million people');
  assert.equal(readClaim({ kind: 'percent', value: 12.5, unit: '%', qualifier: 'exact' }), '12.5%');
  assert.equal(readClaim({ kind: 'measure', value: 3000, unit: 'km', qualifier: 'exact' }), '3,000 km');
  assert.equal(readClaim({ kind: 'measure', value: 40, unit: 'tonne', qualifier: 'at-most' }), 'at most 40 tonnes');
  assert.equal(readClaim({ kind: 'duration', value: 5, unit: 'year', qualifier: 'exact' }), '5 years');
  assert.equal(readClaim({ kind: 'rank', value: 3, unit: null, qualifier: 'exact' }), '3rd');
  assert.equal(readClaim({ kind: 'rank', value: 11, unit: null, qualifier: 'exact' }), '11th');
  assert.equal(readClaim({ kind: 'year', value: 2024, unit: null, qualifier: 'exact' }), '2024');
  assert.equal(readClaim({ kind: 'date', value: '2024-05-14', unit: null, qualifier: 'exact' }), '14 May 2024');
  assert.equal(formatDate('2024-11'), 'November 2024');
  assert.equal(formatDate('--11-11'), '11 November');
});

test('claimReading: plurals', () => {
  assert.equal(pluralize('job'), 'jobs');
  assert.equal(pluralize('company'), 'companies');
  assert.equal(pluralize('bus'), 'buses');
  assert.equal(pluralize('person'), 'people');
  assert.equal(pluralize('day'), 'days');
});

test('claimReading: quantity keys group kind and unit', () => {
  assert.equal(quantityKey({ kind: 'money', unit: 'usd' }), quantityKey({ kind: 'money', unit: 'USD' }));
  assert.notEqual(quantityKey({ kind: 'money', unit: 'USD' }), quantityKey({ kind: 'money', unit: 'EUR' }));
  assert.notEqual(quantityKey({ kind: 'count', unit: 'job' }), quantityKey({ kind: 'count', unit: 'worker' }));
  assert.equal(quantityLabel({ kind: 'money', unit: 'USD' }), 'money · USD');
  assert.equal(quantityLabel({ kind: 'percent', unit: '%' }), 'percentage');
});

test('claimReading: differences between figures of one quantity', () => {
  const base = { kind: 'money' as const, value: 4_200_000_000, unit: 'USD', qualifier: 'exact' as const };
  assert.equal(describeDifference(base, { ...base, value: 4_300_000_000 }), '+2.4%');
  assert.equal(describeDifference(base, { ...base, value: 2_100_000_000 }), '−50%');
  assert.equal(describeDifference(base, base), 'same figure');
  const pct = { kind: 'percent' as const, value: 3.5, unit: '%', qualifier: 'exact' as const };
  assert.equal(describeDifference(pct, { ...pct, value: 5 }), '+1.5 pp');
  const year = { kind: 'year' as const, value: 2020, unit: null, qualifier: 'exact' as const };
  assert.equal(describeDifference(year, { ...year, value: 2022 }), '+2 years');
  const date = { kind: 'date' as const, value: '2024-05-01', unit: null, qualifier: 'exact' as const };
  assert.equal(describeDifference(date, { ...date, value: '2024-05-11' }), '+10 days');
  assert.equal(relativeDistance(base, base), 0);
  assert.ok(relativeDistance(base, { ...base, value: 1 }) > 0.9);
});

function mentionsOf(text: string, spans: Array<[string, AttributionMention['type']]>): AttributionMention[] {
  return spans.map(([s, type]) => {
    const start = text.indexOf(s);
    assert.ok(start >= 0, s);
    return { start, end: start + s.length, text: s, type };
  });
}

test('attribution: said X, X said, according to X, X noted after an apposition', () => {
  let t = 'Exports will reach $5 billion, said Beispekov.';
  assert.equal(findAttribution(t, 0, mentionsOf(t, [['Beispekov', 'person']]))?.label, 'said Beispekov');
  t = 'Trade grew 12% last year, according to Kotra.';
  assert.equal(findAttribution(t, 0, mentionsOf(t, [['Kotra', 'organization']]))?.label, 'according to Kotra');
  t = 'Yerkin Tukumov, Director of the KazISS under the President of Kazakhstan, noted that trade grew 12%.';
  const a = findAttribution(t, 0, mentionsOf(t, [['Yerkin Tukumov', 'person'], ['KazISS', 'organization'], ['Kazakhstan', 'place']]));
  assert.equal(a?.speaker.text, 'Yerkin Tukumov');
  assert.equal(a?.verb, 'noted');
  t = 'Kazakhstan will invest $5 billion, Beispekov says.';
  assert.equal(findAttribution(t, 0, mentionsOf(t, [['Kazakhstan', 'place'], ['Beispekov', 'person']]))?.label, 'said Beispekov');
});

test('attribution: quoted speech and no attribution', () => {
  let t = 'Beispekov: “We will create 4,700 jobs.”';
  assert.equal(findAttribution(t, 0, mentionsOf(t, [['Beispekov', 'person']]))?.speaker.text, 'Beispekov');
  t = 'Trade between Kazakhstan and Korea grew 12%.';
  assert.equal(findAttribution(t, 0, mentionsOf(t, [['Kazakhstan', 'place'], ['Korea', 'place']])), undefined);
  // Offsets are document offsets: a sentence starting later in the document.
  const { text, offsets } = carets('First sentence. ^Growth was 4%, said Kotra.');
  const sentence = text.slice(offsets[0]);
  const m = { start: text.indexOf('Kotra'), end: text.indexOf('Kotra') + 5, text: 'Kotra', type: 'organization' as const, name: 'KOTRA' };
  const r = findAttribution(sentence, offsets[0], [m]);
  assert.equal(r?.label, 'said Kotra (KOTRA)');
});
