/**
 * Big reference lists serialised once (server/src/handlers/serializedResult.ts), built ahead of
 * the first request for the corpus's most mentioned entities (handlers/referenceWarmer.ts), and
 * the same answer over stdio as the service gives.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import { ReferenceWarmer, WARM_CARDS, WARM_LISTS } from '../../server/src/handlers/referenceWarmer';
import { hasEntityCard } from '../../server/src/service/hover';
import { entityReferencesOnce, isSerialized, rawAwareEncoder, SerializedResult } from '../../server/src/handlers/serializedResult';
import { RecentMap } from '../../server/src/service/entities/memo';
import { createLanguageService } from '../../server/src/service/languageService';
import { BIG_LIST_FROM } from '../../server/src/service/references';
import { WorkspaceIndex } from '../../server/src/service/workspaceIndex';
import { repoRoot } from '../helpers/paths';

const loc = (i: number, uri = `file:///corpus/${i % 7}/Tromsø ${i}.txt`) => ({
  uri,
  range: { start: { line: i, character: i % 13 }, end: { line: i, character: (i % 13) + 6 } },
});
const decode = async (msg: object) => JSON.parse(Buffer.from(await rawAwareEncoder.encode(msg as never)).toString('utf8'));

test('entityReferencesOnce: a big list is kept as its JSON per entity, a small one is the list; an edit that re-links the entity gives its new list', () => {
  const index = new WorkspaceIndex();
  for (const a of articles(40)) index.update({ ...a, version: 1 });
  index.update({ uri: 'file:///w/lone.txt', text: 'Lone\n\nMarguerite Okonkwo-Ilesanmi visited Trondheim.\n', version: 1 });
  const service = createLanguageService({ index });
  const place = () => index.entities().find((e) => e.name === 'Tromsø')!;
  const lone = index.entities().find((e) => e.name.startsWith('Marguerite'))!;
  assert.ok(place() && place().mentions.length >= BIG_LIST_FROM, 'the place is a big entity');
  const small = entityReferencesOnce(service, lone, true);
  assert.ok(Array.isArray(small) && small.length === 1);
  assert.equal(isSerialized(lone), false);
  const big = entityReferencesOnce(service, place(), true);
  assert.ok(big instanceof SerializedResult);
  assert.equal(entityReferencesOnce(service, place(), true), big, 'the second ask reuses the bytes');
  assert.ok(isSerialized(place()) && !isSerialized(place(), false));
  assert.deepEqual(JSON.parse(big.json.toString('utf8')), service.entityReferences(place(), { includeDeclaration: true }));
  const noDecl = entityReferencesOnce(service, place(), false) as SerializedResult;
  assert.equal(JSON.parse(noDecl.json.toString('utf8')).length, place().mentions.length - 1);
  // Over a transport that serialises with JSON.stringify (IPC), it is the list.
  assert.equal(JSON.stringify({ id: 1, result: big }), JSON.stringify({ id: 1, result: service.entityReferences(place()) }));
  // An edit moves the place's first mention one line down: the next answer has it there.
  const before = place();
  index.update({ uri: 'file:///w/000.txt', text: 'Report 0\n\nMoved.\nQuentin Vasquez-Ortiz arrived in Tromsø on Monday.\nOfficials in Tromsø said the talks went well.\n', version: 2 });
  assert.notEqual(place(), before);
  const after = JSON.parse((entityReferencesOnce(service, place(), true) as SerializedResult).json.toString('utf8'));
  assert.equal(after[0].uri, 'file:///w/000.txt');
  assert.equal(after[0].range.start.line, 3);
});

test('entityReferencesJson: the same bytes as JSON.stringify of the list, for every entity, with and without the declaration', () => {
  const index = new WorkspaceIndex();
  for (const a of articles(30)) index.update({ ...a, version: 1 });
  // Line numbers and characters past one, two and three digits; CRLF and lone CR line breaks; a
  // URI that JSON escapes (quote, backslash) with characters of two to four UTF-8 bytes.
  const long = Array.from({ length: 1205 }, (_, i) => (i % 37 === 3 ? `${' '.repeat(i % 40)}Officials in Tromsø met Quentin Vasquez-Ortiz.` : `and the record goes on (${i}).`));
  index.update({ uri: 'file:///w/long.txt', text: `Long record\r\n\r\n${long.join('\r\n')}\rTromsø at the end`, version: 1 });
  index.update({ uri: 'file:///w/"odd" \\ Tromsø — 🌍.txt', text: 'Odd\n\nQuentin Vasquez-Ortiz flew from Tromsø.\n', version: 1 });
  const service = createLanguageService({ index });
  const place = index.entities().find((e) => e.name === 'Tromsø');
  assert.ok(place && place.mentions.length >= BIG_LIST_FROM);
  const lines = service.entityReferences(place).map((l) => l.range.start.line);
  assert.ok([1, 10, 100, 1000].every((d) => lines.some((l) => l >= d && l < d * 10)), `line numbers of one to four digits: ${lines}`);
  assert.ok(service.entityReferences(place).some((l) => l.uri.includes('🌍')));
  let compared = 0;
  for (const e of index.entities()) {
    for (const includeDeclaration of [true, false]) {
      const bytes = service.entityReferencesJson(e, { includeDeclaration });
      assert.equal(Buffer.from(bytes).toString('utf8'), JSON.stringify(service.entityReferences(e, { includeDeclaration })), `${e.name} (${includeDeclaration})`);
      assert.equal(bytes.byteLength, bytes.buffer.byteLength, 'the bytes have a buffer of their own size');
      compared++;
    }
  }
  assert.ok(compared >= 6);
});

test('entityReferencesJson: numbers at every digit boundary, ranges across lines, offsets past the end', () => {
  // An entity made by hand over one article: lines and characters 0, 9, 10, 99, 100, 999 and 1000.
  const at = [0, 9, 10, 99, 100, 999, 1000];
  const lines = Array.from({ length: 1001 }, (_, i) => (at.includes(i) ? 'x'.repeat(1010) : ''));
  const text = lines.join('\n');
  const uri = 'file:///w/grid.txt';
  const index = new WorkspaceIndex();
  index.update({ uri, text, version: 1 });
  const starts = [0];
  for (let i = 0; i < lines.length - 1; i++) starts.push(starts[i] + lines[i].length + 1);
  const mentions = at.flatMap((l) => at.map((c) => ({ uri, start: starts[l] + c, end: starts[l] + c + 5, text: 'xxxxx' })));
  mentions.push({ uri, start: starts[9] + 1005, end: starts[10] + 3, text: 'xx' }); // across a line break
  mentions.push({ uri, start: text.length - 2, end: text.length + 40, text: 'xx' }); // past the end
  mentions.push({ uri: 'file:///w/not-indexed.txt', start: 5, end: 9, text: 'xxxx' }); // no line table: 0:0
  const entity = { id: 'grid', name: 'Grid', type: 'place' as const, aliases: ['Grid'], merges: [], mentions };
  const service = createLanguageService({ index });
  const list = service.entityReferences(entity, { includeDeclaration: true });
  assert.ok(list.some((l) => l.range.start.line === 1000 && l.range.start.character === 1000));
  assert.ok(list.some((l) => l.range.start.line === 9 && l.range.end.line === 10));
  for (const includeDeclaration of [true, false]) {
    const json = Buffer.from(service.entityReferencesJson(entity, { includeDeclaration })).toString('utf8');
    assert.equal(json, JSON.stringify(service.entityReferences(entity, { includeDeclaration })));
  }
});

test('rawAwareEncoder: a response with a serialised result decodes to the plain response; other messages as JSON.stringify', async () => {
  const big = Array.from({ length: 200 }, (_, i) => loc(i));
  const s = new SerializedResult(Buffer.from(JSON.stringify(big), 'utf8'));
  assert.deepEqual(await decode({ jsonrpc: '2.0', id: 42, result: s }), { jsonrpc: '2.0', id: 42, result: big });
  assert.deepEqual(await decode({ jsonrpc: '2.0', id: 'req-7', result: s }), { jsonrpc: '2.0', id: 'req-7', result: big });
  assert.deepEqual(await decode({ result: s }), { result: big }, 'an envelope with nothing else still reads');
  for (const msg of [
    { jsonrpc: '2.0', id: 3, result: null },
    { jsonrpc: '2.0', id: 4, result: big },
    { jsonrpc: '2.0', id: 5, error: { code: -32603, message: 'Sourcelens: references failed: ü' } },
    { jsonrpc: '2.0', method: 'window/logMessage', params: { type: 3, message: 'Kazakhstan — “quoted”' } },
  ]) {
    assert.equal(Buffer.from(await rawAwareEncoder.encode(msg as never)).toString('utf8'), JSON.stringify(msg));
  }
});

/** n articles, each naming the same place twice and a person once. */
function articles(n: number): Array<{ uri: string; text: string }> {
  return Array.from({ length: n }, (_, i) => ({
    uri: `file:///w/${String(i).padStart(3, '0')}.txt`,
    text: `Report ${i}\n\nQuentin Vasquez-Ortiz arrived in Tromsø on Monday.\nOfficials in Tromsø said the talks went well.\n`,
  }));
}

test('ReferenceWarmer: after an index change the biggest entities\' lists are built and serialised, the small ones are not', async () => {
  const index = new WorkspaceIndex();
  for (const a of articles(70)) index.update({ ...a, version: 1 });
  index.update({ uri: 'file:///w/lone.txt', text: 'Lone\n\nMarguerite Okonkwo-Ilesanmi visited Trondheim.\n', version: 1 });
  const service = createLanguageService({ index });
  const biggest = service.biggestEntities(WARM_LISTS);
  assert.ok(biggest.length >= 2, `${biggest.length} entities with at least ${BIG_LIST_FROM} mentions`);
  for (let i = 1; i < biggest.length; i++) assert.ok(biggest[i - 1].mentions.length <= biggest[i].mentions.length, 'fewest first');
  assert.ok(biggest.every((e) => e.mentions.length >= BIG_LIST_FROM));
  const lone = index.entities().find((e) => e.name.startsWith('Marguerite'));
  assert.ok(lone, 'the lone person is an entity');
  assert.ok(!biggest.includes(lone));

  const warmer = new ReferenceWarmer(service, () => index.linked, 0);
  assert.ok(!biggest.some(hasEntityCard));
  warmer.schedule();
  await warmer.whenWarm();
  for (const e of biggest) assert.ok(isSerialized(e), `${e.name}: list built and serialised ahead`);
  assert.ok(!isSerialized(lone));
  // Their hover cards too (WARM_CARDS of them), and the card is the one a hover shows.
  const carded = service.biggestEntities(WARM_CARDS);
  for (const e of carded) assert.ok(hasEntityCard(e), `${e.name}: card built ahead`);
  assert.ok(!hasEntityCard(lone));
  const top = biggest[biggest.length - 1];
  assert.ok(index.entities().includes(top), 'the biggest entity is still the index\'s');
  const at = top.mentions[0];
  const shown = service.doHover(at.uri, service.lines(at.uri)!.positionAt(at.start + 1))!;
  assert.ok((shown.contents as { value: string }).value.includes(`**${top.name}**`));
  // An edit makes new entity objects: the next schedule has their lists ready again.
  index.update({ uri: 'file:///w/000.txt', text: 'Changed\n\nTromsø and Tromsø again; Quentin Vasquez-Ortiz left.\n', version: 2 });
  const after = service.biggestEntities(WARM_LISTS);
  assert.ok(after.some((e) => !biggest.includes(e)), 'the edit re-linked the big entities');
  warmer.schedule();
  await warmer.whenWarm();
  for (const e of after) assert.ok(isSerialized(e), `${e.name}: rebuilt after the edit`);
  warmer.dispose();
});

test('biggestEntities: the `max` most mentioned, fewest first, ties by id, without sorting the entity list', () => {
  const index = new WorkspaceIndex();
  // Five places mentioned 70, 70, 80, 90 and 100 times (one per line), one person 3 times.
  const counts: [string, number][] = [['Tromsø', 100], ['Trondheim', 90], ['Bergen', 80], ['Narvik', 70], ['Alta', 70]];
  let i = 0;
  for (const [place, n] of counts) {
    for (let k = 0; k < n; k++) index.update({ uri: `file:///b/${String(i++).padStart(4, '0')}.txt`, text: `Note ${k}\n\nOfficials in ${place} said the talks went well.\n`, version: 1 });
  }
  for (let k = 0; k < 3; k++) index.update({ uri: `file:///b/p${k}.txt`, text: `Note\n\nQuentin Vasquez-Ortiz arrived on Monday.\n`, version: 1 });
  const service = createLanguageService({ index });
  const byName = (name: string) => index.entities().find((e) => e.name === name)!;
  for (const [place, n] of counts) assert.equal(byName(place).mentions.length, n, place);
  const full = (index as unknown as { linker: { sortCounts: { full: number } } }).linker.sortCounts.full;
  const top3 = service.biggestEntities(3);
  assert.deepEqual(top3.map((e) => e.name), ['Bergen', 'Trondheim', 'Tromsø']);
  // Narvik and Alta tie at 70: the smaller id is the bigger one.
  const top4 = service.biggestEntities(4);
  const tied = [byName('Narvik'), byName('Alta')].sort((a, b) => (a.id < b.id ? -1 : 1));
  assert.deepEqual(top4.map((e) => e.id), [tied[0].id, ...top3.map((e) => e.id)]);
  assert.deepEqual(service.biggestEntities(10).map((e) => e.name).slice(0, 2).sort(), ['Alta', 'Narvik']);
  assert.equal((index as unknown as { linker: { sortCounts: { full: number } } }).linker.sortCounts.full, full, 'no sort of the entity list');
});

test('server over stdio: references on a big entity equal every occurrence on disk, asked twice', async () => {
  const serverJs = path.join(repoRoot, 'dist', 'server.js');
  assert.ok(fs.existsSync(serverJs), 'dist/server.js is built (npm test builds it)');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-serialized-'));
  const work = path.join(dir, 'articles');
  fs.mkdirSync(work);
  const docs = articles(45).map((a) => ({ file: path.join(work, path.basename(a.uri)), text: a.text }));
  for (const d of docs) fs.writeFileSync(d.file, d.text);
  // Where "Tromsø" is, from the texts alone.
  const expected: Array<{ uri: string; line: number; character: number }> = [];
  for (const d of docs) {
    d.text.split('\n').forEach((lineText, line) => {
      for (let c = lineText.indexOf('Tromsø'); c >= 0; c = lineText.indexOf('Tromsø', c + 1)) expected.push({ uri: pathToFileURL(d.file).href, line, character: c });
    });
  }
  expected.sort((a, b) => (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : a.line - b.line || a.character - b.character));
  assert.ok(expected.length >= BIG_LIST_FROM);

  const proc = spawn(process.execPath, [serverJs, '--stdio'], { cwd: dir, stdio: ['pipe', 'pipe', 'pipe'] });
  const conn = createMessageConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
  let indexed!: () => void;
  const done = new Promise<void>((r) => (indexed = r));
  conn.onNotification('sourcelens/indexChanged', (p: { indexing?: boolean; articles?: number }) => {
    if (p.indexing === false && (p.articles ?? 0) >= docs.length) indexed();
  });
  conn.onRequest(() => null);
  conn.listen();
  try {
    const root = pathToFileURL(work).href;
    await conn.sendRequest('initialize', { processId: process.pid, rootUri: root, workspaceFolders: [{ uri: root, name: 'w' }], capabilities: {}, initializationOptions: { cacheDir: path.join(dir, '.cache') } });
    await conn.sendNotification('initialized', {});
    await done;
    const ask = () =>
      conn.sendRequest('textDocument/references', {
        textDocument: { uri: expected[5].uri },
        position: { line: expected[5].line, character: expected[5].character + 2 },
        context: { includeDeclaration: true },
      }) as Promise<Array<{ uri: string; range: { start: { line: number; character: number }; end: { line: number; character: number } } }>>;
    const first = await ask();
    const second = await ask();
    const got = first.map((l) => ({ uri: l.uri, line: l.range.start.line, character: l.range.start.character }));
    assert.deepEqual(got, expected);
    assert.ok(first.every((l) => l.range.end.character - l.range.start.character === 'Tromsø'.length));
    assert.deepEqual(second, first, 'the answer from the kept bytes is the same');
    await conn.sendRequest('shutdown');
    await conn.sendNotification('exit');
  } finally {
    conn.dispose();
    proc.kill();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('RecentMap with a weight: the most recently used entries while their bytes fit the budget, the newest always', () => {
  const r = new RecentMap<string, Uint8Array>(100, (v) => v.byteLength);
  const b = (n: number) => new Uint8Array(n);
  r.set('a', b(40));
  r.set('b', b(40));
  assert.equal(r.total, 80);
  assert.ok(r.get('a'), 'a used: now the most recent');
  r.set('c', b(40)); // 120 > 100: the least recently used (b) goes
  assert.deepEqual([r.peek('a') !== undefined, r.peek('b') !== undefined, r.peek('c') !== undefined], [true, false, true]);
  assert.equal(r.total, 80);
  r.set('c', b(10)); // replaced, not added
  assert.equal(r.total, 50);
  r.set('big', b(500)); // over the budget alone: kept, everything older goes
  assert.equal(r.size, 1);
  assert.equal(r.total, 500);
  r.set('d', b(1));
  assert.equal(r.peek('big'), undefined);
  assert.equal(r.total, 1);
  assert.equal(r.delete('d'), true);
  assert.equal(r.total, 0);
  // Without a weight: the last `cap` entries.
  const n = new RecentMap<string, number>(2);
  n.set('x', 1);
  n.set('y', 2);
  n.get('x');
  n.set('z', 3);
  assert.deepEqual([n.peek('x'), n.peek('y'), n.peek('z')], [1, undefined, 3]);
});
