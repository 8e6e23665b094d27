import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { Location } from 'vscode-languageserver-protocol';
import { entityReferencesOnce, SerializedResult } from '../../server/src/handlers/serializedResult';
import { InMemoryCorpus } from '../../server/src/service/corpus';
import { createLanguageService } from '../../server/src/service/languageService';
import { loadFolder } from '../../server/src/service/loader';
import { WorkspaceIndex } from '../../server/src/service/workspaceIndex';
import { offsetOf, positionAt } from '../helpers/caret';
import { sharedCorpusDir } from '../helpers/paths';
import { fixture } from '../helpers/serviceFixture';

const ARTICLES = {
  'a.txt': 'First\n\nYerkin Tukumov met Kotra. ^Tukumov said Kazakhstan would invest ^$854.4 million in Samruk Energy.\n',
  'b.txt': 'Later\n\nErkin Tukumov said Kazakhstan plans $870 million for Samruk Energy.\n',
  'c.txt': 'Other\n\nKorea spent $5 billion. Tukumov was not there.\n',
};

function show(f: ReturnType<typeof fixture>, locs: Array<{ uri: string; range: { start: { line: number; character: number }; end: { line: number; character: number } } }>) {
  return locs.map((l) => {
    const name = l.uri.slice(l.uri.lastIndexOf('/') + 1);
    const line = f.text(name).split('\n')[l.range.start.line];
    return `${name}:${line.slice(l.range.start.character, l.range.end.character)}`;
  });
}

test('references on an entity: every mention in every article, across spellings', () => {
  const f = fixture(ARTICLES);
  const refs = f.service.findReferences(f.uri('a.txt'), f.at('a.txt', 0), { includeDeclaration: true });
  const shown = show(f, refs);
  assert.deepEqual(shown.slice(0, 3), ['a.txt:Yerkin Tukumov', 'a.txt:Tukumov', 'b.txt:Erkin Tukumov']);
  // Without the declaration (the first mention in the corpus), one fewer.
  const noDecl = show(f, f.service.findReferences(f.uri('a.txt'), f.at('a.txt', 0), { includeDeclaration: false }));
  assert.deepEqual(noDecl, shown.slice(1));
});

test('references on a claim: related figures (and the claim itself as declaration)', () => {
  const f = fixture(ARTICLES);
  assert.deepEqual(show(f, f.service.findReferences(f.uri('a.txt'), f.at('a.txt', 1), { includeDeclaration: true })), [
    'a.txt:$854.4 million',
    'b.txt:$870 million',
  ]);
  assert.deepEqual(show(f, f.service.findReferences(f.uri('a.txt'), f.at('a.txt', 1), { includeDeclaration: false })), ['b.txt:$870 million']);
});

test('references on the real corpus: "Yerkin Tukumov" in 003 includes the 002 article ("Erkin Tukumov")', (t) => {
  let dir: string;
  try {
    dir = sharedCorpusDir();
  } catch (err) {
    t.skip(String(err));
    return;
  }
  const loaded = loadFolder(dir);
  const index = new WorkspaceIndex();
  index.fill(new InMemoryCorpus(loaded.files.map((f) => ({ uri: f.uri, text: f.text, version: 1 }))));
  const service = createLanguageService({ index });
  const file003 = loaded.files.find((f) => f.path.startsWith('003'))!;
  const file002 = loaded.files.find((f) => f.path.startsWith('002'))!;
  const pos = positionAt(file003.text, offsetOf(file003.text, 'Yerkin Tukumov', 2));
  const refs = service.findReferences(file003.uri, pos, { includeDeclaration: true });
  const uris = new Set(refs.map((r) => r.uri));
  assert.ok(uris.has(file003.uri), 'references include 003 itself');
  assert.ok(uris.has(file002.uri), `references include 002: ${[...uris].join(', ')}`);
  const texts = refs.map((r) => {
    const f = loaded.files.find((x) => x.uri === r.uri)!;
    const lines = f.text.split('\n');
    return lines[r.range.start.line].slice(r.range.start.character, r.range.end.character);
  });
  assert.ok(texts.includes('Erkin Tukumov'), texts.join(', '));
  assert.ok(fs.existsSync(path.join(dir, file002.path)) && file002.uri === pathToFileURL(path.join(dir, file002.path)).href);
});

test('references: a big entity\'s cached list follows an edit that moves its mentions', () => {
  const line = 'Quentin Vasquez-Ortiz spoke in Tromsø.\n';
  const a = 'Title\n\n' + line.repeat(40);
  const b = 'Other\n\n' + line.repeat(40);
  const index = new WorkspaceIndex();
  index.update({ uri: 'file:///a.txt', text: a, version: 1 });
  index.update({ uri: 'file:///b.txt', text: b, version: 1 });
  const service = createLanguageService({ index });
  const at = { line: 2, character: 3 };
  // As the server answers: the list of the entity at the position, its JSON kept (handlers/serializedResult.ts).
  const ask = () => entityReferencesOnce(service, service.mentionedEntity('file:///b.txt', at)!, true);
  const kept = ask();
  assert.ok(kept instanceof SerializedResult, 'enough references to be kept');
  assert.equal(ask(), kept, 'the second ask is served from the kept bytes');
  const first: Location[] = JSON.parse(kept.json.toString('utf8'));
  assert.deepEqual(first, service.findReferences('file:///b.txt', at));
  // Two lines inserted at the top of a.txt: its mentions move down two lines.
  index.update({ uri: 'file:///a.txt', text: 'New\n\n' + a, version: 2 });
  const again = ask();
  assert.ok(again instanceof SerializedResult);
  const after: Location[] = JSON.parse(again.json.toString('utf8'));
  const lines = (refs: Location[], uri: string) => refs.filter((r) => r.uri === uri).map((r) => r.range.start.line);
  assert.deepEqual(lines(after, 'file:///a.txt'), lines(first, 'file:///a.txt').map((l) => l + 2));
  assert.deepEqual(lines(after, 'file:///b.txt'), lines(first, 'file:///b.txt'));
});
