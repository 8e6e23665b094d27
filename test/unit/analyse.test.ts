import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyseText, withoutClaimParts } from '../../server/src/service/analyse';
import type { RawClaim, RawMention } from '../../server/src/service/types';

const mention = (start: number, end: number, text: string): RawMention => ({ start, end, text, type: 'organization' });
const claim = (start: number, end: number, text: string) => ({ start, end, text }) as RawClaim;

test('withoutClaimParts drops only mentions contained in a claim span', () => {
  const ms = [mention(0, 3, 'Eni'), mention(10, 13, 'NOK'), mention(20, 30, 'Oslo Bors'), mention(40, 45, 'Wien')];
  const cs = [claim(10, 25, 'NOK 4.5 billion'), claim(41, 44, '4.4')];
  assert.deepEqual(
    withoutClaimParts(ms, cs).map((m) => m.text),
    ['Eni', 'Oslo Bors', 'Wien'],
    'a mention that merely overlaps a claim, or contains one, stays',
  );
});

test('analyseText: a currency code is part of the figure, not an organisation', () => {
  const text = 'Statoil will invest NOK 4.5 billion in the Johan Castberg field, the company said in Stavanger.';
  const a = analyseText(text);
  const money = a.claims.find((c) => c.kind === 'money');
  assert.ok(money, 'the money claim is found');
  assert.equal(money.text, 'NOK 4.5 billion');
  assert.ok(!a.mentions.some((m) => m.text === 'NOK'), `mentions: ${a.mentions.map((m) => m.text).join(', ')}`);
  assert.ok(a.mentions.some((m) => m.text === 'Stavanger'));
});
