import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixture } from '../helpers/serviceFixture';

const ARTICLES = {
  'b.txt': 'Later\n\nAs ^Tukumov said, Kazakhstan plans $870 million for Samruk Energy.\n',
  'a.txt': 'First\n\nYerkin Tukumov met Kotra. Tukumov said Kazakhstan would invest ^$854.4 million in Samruk Energy.\n',
  'c.txt': 'Other\n\nErkin Tukumov visited ^Korea, where Korea spent $5 billion.\n',
};

test('definition on an entity: its first mention in the corpus (sorted URI, then offset)', () => {
  const f = fixture(ARTICLES);
  // "Tukumov" in b.txt resolves to the person first mentioned in a.txt as "Yerkin Tukumov".
  const defs = f.service.findDefinition(f.uri('b.txt'), f.at('b.txt'));
  assert.deepEqual(defs, [{ uri: f.uri('a.txt'), range: { start: { line: 2, character: 0 }, end: { line: 2, character: 14 } } }]);
  // A transliterated spelling in another article lands on the same place.
  const c = f.service.findDefinition(f.uri('c.txt'), { line: 2, character: 2 });
  assert.deepEqual(c, defs);
});

test('definition on an entity first mentioned here points at itself', () => {
  const f = fixture(ARTICLES);
  const defs = f.service.findDefinition(f.uri('c.txt'), f.at('c.txt'));
  const text = f.text('c.txt');
  const o = text.indexOf('Korea');
  assert.deepEqual(defs, [{ uri: f.uri('c.txt'), range: { start: { line: 2, character: o - text.indexOf('Erkin') }, end: { line: 2, character: o - text.indexOf('Erkin') + 5 } } }]);
});

test('definition on a claim: related figures in other articles', () => {
  const f = fixture(ARTICLES);
  const defs = f.service.findDefinition(f.uri('a.txt'), f.at('a.txt'));
  // b.txt shares Tukumov, Kazakhstan and Samruk Energy and is close in value; c.txt shares only Tukumov.
  assert.deepEqual(defs.map((d) => d.uri), [f.uri('b.txt'), f.uri('c.txt')]);
  const line = f.text('b.txt').split('\n')[2];
  assert.equal(line.slice(defs[0].range.start.character, defs[0].range.end.character), '$870 million');
});

test('definition on plain text: nothing', () => {
  const f = fixture(ARTICLES);
  assert.deepEqual(f.service.findDefinition(f.uri('a.txt'), { line: 0, character: 2 }), []);
});
