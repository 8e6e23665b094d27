import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import type { DocumentSymbol } from 'vscode-languageserver-protocol';
import { WorkspaceIndex } from '../../server/src/service/workspaceIndex';
import { fuzzyScore, searchEntities } from '../../server/src/service/workspaceSymbols';
import { sharedCorpusDir } from '../helpers/paths';
import { fixture } from '../helpers/serviceFixture';

const ARTICLES = {
  'a.txt': 'Kazakhstan and Korea\n\nYerkin Tukumov of KazISS met Kotra at the Astana Forum in Astana.\nTukumov said Kotra plans $5 billion and over 4,700 jobs.\n',
  'b.txt': 'Other\n\nAzamat Beispekov visited Korea.\n',
};

function contains(outer: DocumentSymbol['range'], inner: DocumentSymbol['range']): boolean {
  const le = (a: { line: number; character: number }, b: { line: number; character: number }) => a.line < b.line || (a.line === b.line && a.character <= b.character);
  return le(outer.start, inner.start) && le(inner.end, outer.end);
}

test('document symbols: entities grouped by type, then claims, each with ranges', () => {
  const f = fixture(ARTICLES);
  const symbols = f.service.findDocumentSymbols(f.uri('a.txt'));
  assert.deepEqual(
    symbols.map((s) => s.name),
    ['People', 'Organizations', 'Places', 'Events', 'Claims'],
  );
  const names = (i: number) => symbols[i].children!.map((c) => c.name);
  assert.deepEqual(names(0), ['Yerkin Tukumov']);
  assert.equal(symbols[0].children![0].detail, '2 mentions');
  assert.deepEqual(names(1), ['KazISS', 'Kotra']);
  assert.deepEqual(names(2), ['Kazakhstan', 'South Korea', 'Astana']);
  assert.deepEqual(names(3), ['Astana Forum']);
  assert.deepEqual(names(4), ['US$5 billion', 'over 4,700 jobs']);
  const lines = f.text('a.txt').split('\n');
  const kotra = symbols[1].children![1];
  assert.equal(lines[kotra.range.start.line].slice(kotra.range.start.character, kotra.range.end.character), 'Kotra');
  for (const g of symbols) {
    assert.ok(contains(g.range, g.selectionRange), `${g.name}: selectionRange inside range`);
    for (const c of g.children!) assert.ok(contains(g.range, c.range), `${g.name}/${c.name} inside its group`);
  }
});

test('document symbols: an article without entities or claims has none', () => {
  const f = fixture({ 'empty.txt': 'nothing here\n' });
  assert.deepEqual(f.service.findDocumentSymbols(f.uri('empty.txt')), []);
});

test('fuzzy score: exact > prefix > word start > substring > subsequence; non-matches rejected', () => {
  const exact = fuzzyScore('kotra', 'Kotra')!;
  const prefix = fuzzyScore('tuk', 'Tukumov')!;
  const word = fuzzyScore('tuk', 'Yerkin Tukumov')!;
  const sub = fuzzyScore('kum', 'Yerkin Tukumov')!;
  const subseq = fuzzyScore('ytk', 'Yerkin Tukumov')!;
  assert.ok(exact > prefix && prefix > word && word > sub && sub > subseq, [exact, prefix, word, sub, subseq].join(' '));
  assert.equal(fuzzyScore('xyz', 'Yerkin Tukumov'), undefined);
  assert.equal(fuzzyScore('vomukut', 'Tukumov'), undefined);
});

test('workspace symbols: by name or alias, fuzzy and ranked; location is the first mention', () => {
  const f = fixture(ARTICLES);
  const bySurname = f.service.findWorkspaceSymbols('tukum');
  assert.equal(bySurname[0].name, 'Yerkin Tukumov');
  assert.equal(bySurname[0].location.uri, f.uri('a.txt'));
  assert.deepEqual(bySurname[0].location.range, { start: { line: 2, character: 0 }, end: { line: 2, character: 14 } });
  const fuzzy = f.service.findWorkspaceSymbols('azbsp');
  assert.deepEqual(fuzzy.map((s) => s.name), ['Azamat Beispekov']);
  // "Korea" is an alias of the country entity "South Korea"; a prefix match on the alias counts.
  const kor = f.service.findWorkspaceSymbols('ko');
  assert.deepEqual(kor.slice(0, 2).map((s) => s.name).sort(), ['Kotra', 'South Korea']);
  assert.match(kor.find((s) => s.name === 'South Korea')!.containerName!, /alias “Korea”/);
  assert.ok(f.service.findWorkspaceSymbols('').length >= 7);
  assert.deepEqual(f.service.findWorkspaceSymbols('qqq'), []);
  // Ranking is deterministic and favours the better match.
  const ranked = searchEntities(f.index.entities(), 'astana');
  assert.equal(ranked[0].entity.name, 'Astana');
});

test('workspace symbols: the character-set filter and the running top-k give what scoring every form gives', () => {
  // Entities built from the real corpus's linked names (many forms, punctuation, diacritics).
  const docs = fs.readdirSync(sharedCorpusDir()).sort().map((n) => ({ uri: `file:///c/${n}`, text: fs.readFileSync(path.join(sharedCorpusDir(), n), 'utf8'), version: 1 }));
  const index = new WorkspaceIndex();
  for (const d of docs) index.update(d);
  const entities = index.entities();
  assert.ok(entities.length > 50);
  const brute = (query: string, limit: number) => {
    const out: Array<{ name: string; score: number; matched: string }> = [];
    for (const e of entities) {
      let best: number | undefined;
      let matched = '';
      for (const form of [e.name, ...e.aliases.filter((a) => a !== e.name)]) {
        const s = fuzzyScore(query, form);
        if (s !== undefined && (best === undefined || s > best)) {
          best = s;
          matched = form;
        }
      }
      if (best !== undefined) out.push({ name: e.name, score: best + Math.log(1 + e.mentions.length) / 10, matched });
    }
    out.sort((a, b) => b.score - a.score || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return out.slice(0, limit);
  };
  const queries = ['', 'a', 'k', 'ka', 'kaz', 'korea', 'tuk', 'st', 'minister', '2', 'o’', "'s", 'é', 'ab c', 'zzz', 'president moon'];
  for (const e of entities.slice(0, 40)) queries.push(e.name.slice(0, 3), e.name);
  for (const q of queries) {
    for (const limit of [3, 200]) {
      const got = searchEntities(entities, q, limit).map((m) => ({ name: m.entity.name, score: m.score, matched: m.matched }));
      assert.deepEqual(got, brute(q, limit), `query ${JSON.stringify(q)} limit ${limit}`);
    }
  }
});
