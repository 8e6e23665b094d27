import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixture } from '../helpers/serviceFixture';

test('document highlights: the entity’s mentions in this article only, any spelling', () => {
  const f = fixture({
    'a.txt': 'Yerkin Tukumov met Kotra.\n^Tukumov said Kotra agreed. Erkin Tukumov left.\n',
    'b.txt': 'Tukumov elsewhere.\n',
  });
  const hl = f.service.findDocumentHighlights(f.uri('a.txt'), f.at('a.txt'));
  const lines = f.text('a.txt').split('\n');
  const got = hl.map((h) => lines[h.range.start.line].slice(h.range.start.character, h.range.end.character));
  assert.deepEqual(got, ['Yerkin Tukumov', 'Tukumov', 'Erkin Tukumov']);
  assert.ok(hl.every((h) => h.kind === 1));
});

test('document highlights: on a claim, the claim; elsewhere nothing', () => {
  const f = fixture({ 'a.txt': 'Kotra will invest ^$5 billion.\n' });
  const hl = f.service.findDocumentHighlights(f.uri('a.txt'), f.at('a.txt'));
  assert.deepEqual(hl.map((h) => h.range), [{ start: { line: 0, character: 18 }, end: { line: 0, character: 28 } }]);
  assert.deepEqual(f.service.findDocumentHighlights(f.uri('a.txt'), { line: 0, character: 8 }), []);
});
