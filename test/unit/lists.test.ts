import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mentionContext } from '../../server/src/service/entityList';
import { fixture } from '../helpers/serviceFixture';

const ARTICLES = {
  'a.txt': '# Kotra and Kazakhstan\n\nYerkin Tukumov met Kotra. Tukumov said Kotra would invest $854.4 million in Kazakhstan.\n',
  'b.txt': '\n  The second title  \n\nErkin Tukumov said Kazakhstan plans $870 million and 12% growth.\n',
  'c.txt': 'Third\n\nKorea only.\n',
};

test('entity list: filter on name and aliases, sort by count or name', () => {
  const f = fixture(ARTICLES);
  const all = f.service.listEntities({});
  // By mention count, then article count, then name.
  assert.deepEqual(all.map((e) => [e.name, e.mentionCount, e.articleCount]).slice(0, 3), [
    ['Kazakhstan', 3, 2],
    ['Yerkin Tukumov', 3, 2],
    ['Kotra', 3, 1],
  ]);
  const tuk = all.find((e) => e.name === 'Yerkin Tukumov')!;
  assert.equal(tuk.type, 'person');
  assert.equal(tuk.mentionCount, 3);
  assert.equal(tuk.articleCount, 2);
  assert.ok(tuk.aliases.includes('Erkin Tukumov'));
  assert.deepEqual(f.service.listEntities({ filter: 'erkin' }).map((e) => e.name), ['Yerkin Tukumov']);
  assert.deepEqual(f.service.listEntities({ filter: 'ERKIN TUK' }).map((e) => e.name), ['Yerkin Tukumov']);
  assert.deepEqual(f.service.listEntities({ sort: 'name' }).map((e) => e.name), ['Kazakhstan', 'Kotra', 'South Korea', 'Yerkin Tukumov']);
});

test('entity mentions: grouped by article with titles and one line of context each', () => {
  const f = fixture(ARTICLES);
  const id = f.service.listEntities({ filter: 'tukumov' })[0].id;
  const r = f.service.entityMentions(id)!;
  assert.equal(r.id, id);
  assert.deepEqual(r.articles.map((a) => [a.uri, a.title]), [
    [f.uri('a.txt'), 'Kotra and Kazakhstan'],
    [f.uri('b.txt'), 'The second title'],
  ]);
  assert.deepEqual(r.articles[0].mentions.map((m) => m.text), ['Yerkin Tukumov', 'Tukumov']);
  assert.equal(r.articles[0].mentions[1].context, 'Yerkin Tukumov met Kotra. Tukumov said Kotra would invest $854.4 million in Kazakhstan.');
  assert.deepEqual(r.articles[1].mentions[0].range, { start: { line: 3, character: 0 }, end: { line: 3, character: 13 } });
  assert.equal(f.service.entityMentions('no-such-id'), null);
});

test('mention context: long lines are cut around the mention at word boundaries', () => {
  const line = 'word '.repeat(40) + 'Kotra' + ' tail'.repeat(40);
  const start = line.indexOf('Kotra');
  const ctx = mentionContext(line, 0, line.length, start, start + 5);
  assert.ok(ctx.startsWith('…word') && ctx.endsWith('tail…'), ctx);
  assert.ok(ctx.includes('Kotra') && ctx.length < 200, ctx);
});

test('entity at position', () => {
  const f = fixture(ARTICLES);
  assert.equal(f.service.entityAt(f.uri('b.txt'), { line: 3, character: 3 })?.name, 'Yerkin Tukumov');
  assert.equal(f.service.entityAt(f.uri('b.txt'), { line: 0, character: 0 }), null);
});

test('claim list: by article (title label, check-worthy first) and by quantity', () => {
  const f = fixture(ARTICLES);
  const byArticle = f.service.listClaims({ groupBy: 'article' });
  assert.deepEqual(byArticle.map((g) => [g.label, g.uri]), [
    ['Kotra and Kazakhstan', f.uri('a.txt')],
    ['The second title', f.uri('b.txt')],
  ]);
  // In b.txt the percentage is not check-worthy (fake analyser), so the money claim comes first.
  assert.deepEqual(byArticle[1].claims.map((c) => [c.reading, c.checkworthy]), [
    ['US$870 million', true],
    ['12%', false],
  ]);
  const c = byArticle[0].claims[0];
  assert.equal(c.id, `claim:${f.uri('a.txt')}:${f.text('a.txt').indexOf('$854')}-${f.text('a.txt').indexOf('$854') + 14}`);
  assert.equal(c.kind, 'money');
  assert.equal(c.unit, 'USD');
  assert.equal(c.value, 854_400_000);
  assert.match(c.sentence, /^Tukumov said/);
  const byQuantity = f.service.listClaims({ groupBy: 'quantity' });
  assert.deepEqual(byQuantity.map((g) => [g.label, g.claims.length]), [
    ['money · USD', 2],
    ['percentage', 1],
  ]);
  assert.deepEqual(f.service.listClaims({ groupBy: 'article', uri: f.uri('b.txt') }).map((g) => g.uri), [f.uri('b.txt')]);
});

test('stats: articles, entities, claims, per-type counts, skipped and indexing flag', () => {
  const f = fixture(ARTICLES);
  const s = f.service.stats({ skipped: [{ uri: 'file:///x.txt', reason: 'binary file' }], indexing: true });
  assert.equal(s.articles, 3);
  assert.equal(s.entities, 4);
  assert.equal(s.claims, 3);
  assert.deepEqual(s.byType, { person: 1, organization: 1, place: 2, event: 0 });
  assert.deepEqual(s.skipped, [{ uri: 'file:///x.txt', reason: 'binary file' }]);
  assert.equal(s.indexing, true);
  const r = f.service.relatedClaims(f.uri('a.txt'), { line: 2, character: f.text('a.txt').split('\n')[2].indexOf('$854') + 1 });
  assert.equal(r?.claim.reading, 'US$854.4 million');
  assert.deepEqual(r?.related.map((x) => [x.text, x.difference, x.shared.sort()]), [['$870 million', '+1.8%', ['Kazakhstan', 'Yerkin Tukumov']]]);
});

test('articleTitle: skips navigation, breadcrumbs and photo credits at the top of a scraped page', async () => {
  const { articleTitle } = await import('../../server/src/service/text');
  assert.equal(articleTitle('Send to\n\nOslo port expands container terminal\n\nBody text.'), 'Oslo port expands container terminal');
  assert.equal(articleTitle('Skip to content\nHome » Oslo port expands container terminal\nOslo port expands container terminal\n'), 'Oslo port expands container terminal');
  assert.equal(articleTitle('photo: Port of Oslo press office\nOslo port expands container terminal'), 'Oslo port expands container terminal');
  assert.equal(articleTitle('# Short\n'), 'Short', 'falls back to the first line');
  assert.equal(articleTitle(''), '');
});
