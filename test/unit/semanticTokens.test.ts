import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createLanguageService } from '../../server/src/service/languageService';
import { decodeSemanticTokens, semanticTokensLegend } from '../../server/src/service/semanticTokens';
import { fixture } from '../helpers/serviceFixture';

const TEXT = 'Kotra report\n\nYerkin Tukumov said Kotra plans $5 billion in Astana.\nThe Astana Forum hosts 12% of trade.\n';

function tokensAsText(text: string, data: number[]) {
  const lines = text.split('\n');
  return decodeSemanticTokens(data).map((t) => `${t.type}${t.modifiers.length ? '+' + t.modifiers.join('+') : ''}:${lines[t.line].slice(t.character, t.character + t.length)}`);
}

test('semantic tokens: legend and full tokens with types and checkworthy modifier', () => {
  assert.deepEqual(semanticTokensLegend.tokenTypes, ['person', 'organization', 'place', 'event', 'claim']);
  assert.deepEqual(semanticTokensLegend.tokenModifiers, ['checkworthy']);
  const f = fixture({ 'a.txt': TEXT });
  const { data } = f.service.getSemanticTokens(f.uri('a.txt'));
  assert.deepEqual(tokensAsText(TEXT, data), [
    'organization:Kotra',
    'person:Yerkin Tukumov',
    'organization:Kotra',
    'claim+checkworthy:$5 billion',
    'place:Astana',
    'event:Astana Forum',
    'claim:12%',
  ]);
});

test('semantic tokens: range request returns only tokens in the range', () => {
  const f = fixture({ 'a.txt': TEXT });
  const { data } = f.service.getSemanticTokens(f.uri('a.txt'), { start: { line: 3, character: 0 }, end: { line: 4, character: 0 } });
  assert.deepEqual(tokensAsText(TEXT, data), ['event:Astana Forum', 'claim:12%']);
});

test('semantic tokens: the entityTypes setting selects what is shown', () => {
  let types: Array<'person' | 'organization' | 'place' | 'event' | 'claim'> = ['person', 'claim'];
  const f = fixture({ 'a.txt': TEXT });
  const service = createLanguageService({ index: f.index, settings: () => ({ entityTypes: types }) });
  assert.deepEqual(tokensAsText(TEXT, service.getSemanticTokens(f.uri('a.txt')).data), ['person:Yerkin Tukumov', 'claim+checkworthy:$5 billion', 'claim:12%']);
  types = ['place'];
  assert.deepEqual(tokensAsText(TEXT, service.getSemanticTokens(f.uri('a.txt')).data), ['place:Astana']);
});

test('semantic tokens: a mention across a line break is split per line; overlaps are dropped', () => {
  const text = 'Met Yerkin\nTukumov today and $5 billion.\n';
  const f = fixture(
    { 'a.txt': text },
    {
      analyse: (t) => ({
        mentions: [
          { start: 4, end: 18, text: t.slice(4, 18), type: 'person' },
          { start: t.indexOf('$5'), end: t.indexOf('$5') + 2, text: '$5', type: 'organization' },
        ],
        claims: [
          {
            start: t.indexOf('$5'),
            end: t.indexOf('$5') + 10,
            text: '$5 billion',
            kind: 'money',
            value: 5e9,
            unit: 'USD',
            qualifier: 'exact',
            checkworthy: false,
            sentence: t.trim(),
            sentenceStart: 0,
            sentenceEnd: t.trim().length,
          },
        ],
      }),
    },
  );
  const decoded = decodeSemanticTokens(f.service.getSemanticTokens(f.uri('a.txt')).data);
  assert.deepEqual(
    decoded.map((d) => [d.line, d.character, d.length, d.type]),
    [
      [0, 4, 6, 'person'],
      [1, 0, 7, 'person'],
      [1, 18, 10, 'claim'],
    ],
  );
});
