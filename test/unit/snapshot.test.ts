/**
 * The linked-index snapshot: written from a linked index and read back, it answers exactly as
 * the live index does (mentions, entities, hover cards, references), for articles indexed with
 * the same text and for articles not indexed yet; it never answers for an article whose text
 * differs; a damaged or foreign file is refused with a message. A second start of the real
 * server answers a corpus-wide hover from it before its own indexing pass ends.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { LspClient } from '../../bench/lsp-client';
import { contentKey, headerPieces, idTable, IndexSnapshot, openSnapshotFile, writeIndexSnapshot, type Header } from '../../server/src/service/indexSnapshot';
import { createLanguageService } from '../../server/src/service/languageService';
import { WorkspaceIndex } from '../../server/src/service/workspaceIndex';
import { corpus, indexedAll, serverWorkspace } from '../helpers/serverWorkspace';

const FINGERPRINT = 'test-fingerprint';
const info = () => ({ size: 1, mtimeMs: 2 });

async function written(): Promise<{ docs: ReturnType<typeof corpus>; live: WorkspaceIndex; file: string; dir: string }> {
  const docs = corpus();
  const live = new WorkspaceIndex();
  for (const d of docs) live.update(d);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-snapshot-'));
  const file = path.join(dir, 'index.bin');
  assert.equal(await writeIndexSnapshot(file, FINGERPRINT, live, info), true);
  return { docs, live, file, dir };
}

/** Every hover card over every mention of `uri`, as text. */
function hovers(index: WorkspaceIndex, uri: string): string[] {
  const service = createLanguageService({ index });
  const li = service.lines(uri)!;
  return index.mentionsIn(uri).map((m) => JSON.stringify(service.doHover(uri, li.positionAt(m.start))));
}

test('snapshot writer: after a pause that requests kept going (pause resolves to true) it works in short slices, else in long ones', async (t) => {
  const docs = corpus();
  const live = new WorkspaceIndex();
  for (const d of docs) live.update(d);
  live.entities(); // linked before the clock is faked
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-snapshot-'));
  try {
    // A clock that moves 4 ms per reading: the slices are counted in readings, not in real time
    // (a long slice ends at the third reading after a pause, a short one at the first).
    const pausesWith = async (busy: boolean) => {
      let now = 0;
      const clock = t.mock.method(Date, 'now', () => (now += 4));
      let pauses = 0;
      try {
        const ok = await writeIndexSnapshot(path.join(dir, `${busy}.bin`), FINGERPRINT, live, info, () => true, async () => {
          pauses++;
          return busy;
        });
        assert.equal(ok, true);
      } finally {
        clock.mock.restore();
      }
      return pauses;
    };
    const quiet = await pausesWith(false);
    const busy = await pausesWith(true);
    assert.ok(quiet >= 2, `several slices (${quiet})`);
    assert.ok(busy >= 2 * quiet, `short slices while requests come: ${busy} pauses against ${quiet}`);
    // Both files are the same snapshot.
    assert.deepEqual(fs.readFileSync(path.join(dir, 'true.bin')), fs.readFileSync(path.join(dir, 'false.bin')));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('snapshot writer: the id table finds each entity as a Map of the ids would (the last of a repeated id), and -1 for an unknown id', () => {
  // Ids of every length, many sharing a prefix, some repeated: the table is probed past collisions.
  const ids: string[] = [];
  let seed = 7;
  const next = () => (seed = (Math.imul(seed, 48271) >>> 0) % 2147483647);
  for (let i = 0; i < 5000; i++) ids.push(next() % 10 === 0 && ids.length > 0 ? ids[next() % ids.length] : `person:name-${next() % 20000}`);
  const entities = ids.map((id) => ({ id, name: id, type: 'person' as const, aliases: [], merges: [], mentions: [] }));
  const byMap = new Map<string, number>();
  entities.forEach((e, i) => byMap.set(e.id, i));
  const find = idTable(entities);
  for (const [id, i] of byMap) assert.equal(find(id), i, id);
  assert.ok(byMap.size < ids.length, 'some ids repeat');
  for (const id of ['', 'person:name-20000', 'place:name-1', 'person:name-1x']) assert.equal(find(id), byMap.get(id) ?? -1, id);
  assert.equal(idTable([])('x'), -1);
});

test('snapshot header: written in pieces, it is exactly JSON.stringify of the header', () => {
  const ids = Array.from({ length: 700 }, (_, i) => (i % 3 === 0 ? `person:"q"\\${i}` : i % 3 === 1 ? `place:almaty-${i}` : `organization:kazmunaigaz\u0131-${i}`));
  const docs: Header['docs'] = [
    ['file:///a/Öskemen "notes".txt', 'ab12', 1043, 1732000000000.5],
    ['file:///b/x.txt', 'cd34', 0, 0],
  ];
  const counts = { person: 3, organization: 1, place: 0, event: 2 };
  for (const header of [
    { format: 1, fingerprint: 'v9\u0000x', crc32: 4294967295, docs, ids, counts },
    { format: 1, fingerprint: '', crc32: 0, docs: [], ids: [], counts },
    { format: 1, fingerprint: 'f', crc32: 7, docs: docs.slice(0, 1), ids: ids.slice(0, 256), counts },
    { format: 1, fingerprint: 'f', crc32: 7, docs, ids: ids.slice(0, 257), counts },
  ] satisfies Header[]) {
    assert.equal([...headerPieces(header)].join(''), JSON.stringify(header));
  }
});

test('snapshot: read back, it answers as the live index does', async () => {
  const { docs, live, file, dir } = await written();
  try {
    const logs: string[] = [];
    const snap = IndexSnapshot.load(file, FINGERPRINT, (m) => logs.push(m));
    assert.ok(snap, logs.join('\n'));
    assert.equal(snap.docs.length, docs.length);
    assert.deepEqual(snap.entityCounts(), live.entityCounts());
    assert.deepEqual(snap.entities(), live.entities());

    // A second start: one article open (indexed with the same text), the rest not indexed yet.
    const index = new WorkspaceIndex();
    index.deferLinking(true);
    const [open, ...rest] = docs;
    index.update(open);
    index.useSnapshot(snap, (uri) => docs.find((d) => d.uri === uri)?.text);
    assert.equal(index.answeringFromSnapshot, true);
    assert.equal(index.linked, false, 'nothing was linked');
    assert.deepEqual(index.mentionsIn(open.uri), live.mentionsIn(open.uri));
    assert.deepEqual(hovers(index, open.uri), hovers(live, open.uri));
    for (const d of rest) assert.deepEqual(index.mentionsIn(d.uri), live.mentionsIn(d.uri), d.uri);
    // References from the open article reach articles not indexed yet, at the same places.
    const service = createLanguageService({ index });
    const liveService = createLanguageService({ index: live });
    for (const m of live.mentionsIn(open.uri).slice(0, 40)) {
      const pos = liveService.lines(open.uri)!.positionAt(m.start);
      assert.deepEqual(service.findReferences(open.uri, pos), liveService.findReferences(open.uri, pos));
    }
    assert.equal(index.linked, false, 'answering did not link the corpus');

    // A second start before any article is indexed (an editor's article waits for the pass
    // when the snapshot has its text): the snapshot answers already.
    const empty = new WorkspaceIndex();
    empty.deferLinking(true);
    empty.useSnapshot(snap, (uri) => docs.find((d) => d.uri === uri)?.text);
    assert.equal(empty.answeringFromSnapshot, true);
    assert.equal(empty.snapshotKey(open.uri), snap.doc(open.uri)?.key);
    assert.ok(empty.snapshotKey(open.uri));
    assert.deepEqual(empty.mentionsIn(open.uri), live.mentionsIn(open.uri));
    assert.deepEqual(hovers(empty, open.uri), hovers(live, open.uri));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('snapshot: read from the open file (not held in memory), it answers the same; closed when linking resumes', async () => {
  const { docs, live, file, dir } = await written();
  try {
    const logs: string[] = [];
    const snap = await IndexSnapshot.fromFile(await openSnapshotFile(file), file, FINGERPRINT, (m) => logs.push(m));
    assert.ok(snap, logs.join('\n'));
    assert.deepEqual(snap.entityCounts(), live.entityCounts());
    assert.deepEqual(snap.entities(), live.entities());
    for (const d of docs) {
      assert.deepEqual(snap.mentionsIn(d.uri), live.mentionsIn(d.uri), d.uri);
      assert.deepEqual([...snap.lines(d.uri)!.lineStarts], [...live.document(d.uri)!.lineStarts], d.uri);
    }
    snap.close();
    // Read in small windows (records cut at every window's end), the list is the same.
    for (const w of [1, 200, 5000]) {
      const small = (await IndexSnapshot.fromFile(await openSnapshotFile(file), file, FINGERPRINT, () => undefined))!;
      assert.deepEqual(small.entities(w), live.entities(), `window ${w}`);
      small.close();
    }

    // Used by an index: the file is let go when linking resumes, and nothing is read after that.
    const src = await openSnapshotFile(file);
    let closed = 0;
    let reads = 0;
    const spy = { size: src.size, crc32: src.crc32, read: (pos: number, len: number) => (reads++, src.read(pos, len)), close: () => (closed++, src.close()) };
    const second = (await IndexSnapshot.fromFile(spy, file, FINGERPRINT, () => undefined))!;
    const index = new WorkspaceIndex();
    index.deferLinking(true);
    index.useSnapshot(second, (uri) => docs.find((d) => d.uri === uri)?.text);
    assert.deepEqual(index.mentionsIn(docs[1].uri), live.mentionsIn(docs[1].uri));
    index.deferLinking(false);
    assert.equal(closed, 1);
    const before = reads;
    assert.equal(second.mentionsIn(docs[2].uri), undefined, 'a closed snapshot reads nothing');
    assert.equal(reads, before + 1);
    assert.equal(src.read(0, 8).length, 0);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('snapshot: let go as the search for the link\'s components begins; its articles are then answered from themselves until the link', async () => {
  const { docs, live, file, dir } = await written();
  try {
    const src = await openSnapshotFile(file);
    let closed = 0;
    const spy = { size: src.size, crc32: src.crc32, read: (pos: number, len: number) => src.read(pos, len), close: () => (closed++, src.close()) };
    const snap = (await IndexSnapshot.fromFile(spy, file, FINGERPRINT, () => undefined))!;
    const index = new WorkspaceIndex({ searchCheck: 1 });
    index.deferLinking(true);
    index.useSnapshot(snap, (uri) => docs.find((d) => d.uri === uri)?.text);
    for (const d of docs) index.update(d);
    assert.equal(index.answeringFromSnapshot, true);
    assert.deepEqual(index.mentionsIn(docs[1].uri), live.mentionsIn(docs[1].uri));
    assert.equal(index.beginLinkSearch(), true);
    assert.equal(closed, 1);
    assert.equal(index.answeringFromSnapshot, false);
    const during = index.mentionsIn(docs[1].uri);
    assert.ok(during.length > 0 && during.every((m) => index.isProvisional(m.entityId)), 'article-local entities during the search');
    while (!index.linkSearchStep(0));
    index.deferLinking(false);
    assert.equal(index.startLink(), true);
    while (!index.linkRest(0));
    assert.deepEqual(index.entities(), live.entities());
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('snapshot: an article indexed with other text is answered from itself, never from the snapshot', async () => {
  const { docs, file, dir } = await written();
  try {
    const snap = IndexSnapshot.load(file, FINGERPRINT, () => undefined)!;
    const index = new WorkspaceIndex();
    index.deferLinking(true);
    const edited = { ...docs[0], text: docs[0].text + '\nMaria Quintero spoke in Valparaiso.\n', version: 2 };
    index.update(edited);
    index.useSnapshot(snap, () => undefined);
    assert.notEqual(snap.doc(edited.uri)?.key, contentKey(edited.text));
    const ms = index.mentionsIn(edited.uri);
    assert.ok(ms.length > 0);
    assert.ok(ms.every((m) => index.isProvisional(m.entityId)));
    // Linking resumes: the snapshot is gone and the live index answers.
    index.deferLinking(false);
    assert.equal(index.answeringFromSnapshot, false);
    assert.ok(index.mentionsIn(edited.uri).every((m) => !index.isProvisional(m.entityId)));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('snapshot: a damaged, truncated or foreign file is refused with a message', async () => {
  const { file, dir } = await written();
  try {
    const good = fs.readFileSync(file);
    const cases: Array<[string, Buffer, string, RegExp]> = [
      ['flipped byte', Buffer.from(good.map((b, i) => (i === 20 ? b ^ 0xff : b))), FINGERPRINT, /checksum/],
      ['truncated', good.subarray(0, good.length - 100), FINGERPRINT, /header|truncated/],
      ['not ours', Buffer.from('hello world, not an index'), FINGERPRINT, /not a Sourcelens index/],
      ['other version', good, 'another-fingerprint', /another analyser/],
    ];
    for (const [what, bytes, fp, why] of cases) {
      fs.writeFileSync(file, bytes);
      const logs: string[] = [];
      assert.equal(IndexSnapshot.load(file, fp, (m) => logs.push(m)), undefined, what);
      assert.match(logs.join('\n'), why, what);
      // The same read from the open file, which is closed again.
      const src = await openSnapshotFile(file);
      const fileLogs: string[] = [];
      assert.equal(await IndexSnapshot.fromFile(src, file, fp, (m) => fileLogs.push(m)), undefined, what);
      assert.match(fileLogs.join('\n'), why, what);
      assert.equal(src.read(0, 8).length, 0, `${what}: closed`);
    }
    fs.rmSync(file);
    const logs: string[] = [];
    assert.equal(IndexSnapshot.load(file, FINGERPRINT, (m) => logs.push(m)), undefined);
    assert.deepEqual(logs, [], 'a missing file is not a problem');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('snapshot: a second start of the server answers a corpus-wide hover before its indexing ends', async () => {
  // Twenty copies of the corpus, so that the second start's pass (reading from the cache) takes
  // long enough, on any machine, for the test to see answers given before it ends.
  const COPIES = 20;
  const { serverJs, dir, cacheDir, work, docs, uri, text } = serverWorkspace('sl-warm-', COPIES);
  const clients: LspClient[] = [];
  const indexedCopies = indexedAll(docs.length * COPIES);
  try {
    // First start with two analysis workers, second in process (both paths through the server
    // must agree): index, then wait for the snapshot file.
    const first = new LspClient({ serverJs, env: { SOURCELENS_WORKERS: '2' } });
    clients.push(first);
    await first.initialize(work, { cacheDir });
    assert.ok(await first.waitFor(indexedCopies, 120_000), 'first start indexed');
    assert.ok(first.notifications.some((n) => n.method === 'window/logMessage' && /with 2 analysis workers/.test(n.params?.message)), 'the first start used the worker pool');
    const snapshotFile = path.join(cacheDir, 'index.bin');
    for (let i = 0; i < 600 && !fs.existsSync(snapshotFile); i++) await new Promise((r) => setTimeout(r, 100));
    assert.ok(fs.existsSync(snapshotFile), 'the snapshot was written');
    await first.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'article', version: 1, text } });
    const mention = text.indexOf('Kazakhstan');
    assert.ok(mention > 0);
    const before = text.slice(0, mention).split('\n');
    const position = { line: before.length - 1, character: before[before.length - 1].length + 2 };
    const liveCard = JSON.stringify(await first.request('textDocument/hover', { textDocument: { uri }, position }));
    await first.stop(30_000);

    // Second start: hover until the card is corpus-wide; it must come before indexing ends and equal the live card.
    const second = new LspClient({ serverJs, env: { SOURCELENS_WORKERS: '0' } });
    clients.push(second);
    await second.initialize(work, { cacheDir });
    await second.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'article', version: 1, text } });
    let card = '';
    let firstCard = '';
    for (let i = 0; i < 400; i++) {
      card = JSON.stringify(await second.request('textDocument/hover', { textDocument: { uri }, position }));
      firstCard ||= card;
      if (!card.includes('not linked yet') && card !== 'null') break;
      await new Promise((r) => setTimeout(r, 25));
    }
    const endedBefore = second.notifications.some(indexedCopies);
    assert.equal(card, liveCard);
    // Requests wait for the snapshot at start-up, so even the first one is answered from it.
    assert.equal(firstCard, liveCard, 'the very first hover is the corpus-wide card');
    assert.equal(endedBefore, false, 'the corpus-wide card came before the indexing pass ended');
    assert.ok(await second.waitFor(indexedCopies, 120_000));
    assert.equal(JSON.stringify(await second.request('textDocument/hover', { textDocument: { uri }, position })), liveCard);
    await second.stop(30_000);
  } finally {
    for (const c of clients) if (c.proc.exitCode === null && c.proc.signalCode === null) c.kill();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('snapshot: not written while someone types (it would run the deferred link pass), written after the pause; the edit worker is warmed up before the first edit', async () => {
  const ws = serverWorkspace('sl-typing-', 1);
  const { serverJs, dir, cacheDir, work, docs, uri } = ws;
  let text = ws.text;
  const logged = (re: RegExp) => (n: { method: string; params: any }) => n.method === 'window/logMessage' && re.test(n.params?.message);
  const c = new LspClient({ serverJs, env: { SOURCELENS_WORKERS: '2' } });
  try {
    await c.initialize(work, { cacheDir });
    const indexed = await c.waitFor(indexedAll(docs.length), 120_000);
    assert.ok(indexed, 'indexed');
    await c.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'article', version: 1, text } });
    assert.ok(await c.waitFor(logged(/Edit worker ready/), 20_000, indexed.at), 'the edit worker was warmed up after the article opened');
    // Type for longer than the snapshot's delay after indexing (5 s), a keystroke every 250 ms.
    const typingStart = performance.now();
    let version = 1;
    while (performance.now() - typingStart < 7000) {
      const at = text.length;
      text += ' Anna';
      const pos = { line: text.slice(0, at).split('\n').length - 1, character: at - text.lastIndexOf('\n', at - 1) - 1 };
      await c.notify('textDocument/didChange', { textDocument: { uri, version: ++version }, contentChanges: [{ range: { start: pos, end: pos }, text: ' Anna' }] });
      await c.request('textDocument/semanticTokens/full', { textDocument: { uri } });
      await new Promise((r) => setTimeout(r, 250));
    }
    const typingEnd = performance.now();
    const early = c.notifications.find((n) => logged(/\[snapshot\] wrote/)(n) && n.at < typingEnd);
    assert.equal(early, undefined, `a snapshot was written ${early ? Math.round(early.at - typingStart) : 0} ms into the typing`);
    assert.ok(await c.waitFor(logged(/\[snapshot\] wrote/), 30_000, typingEnd), 'the snapshot was written after the pause');
    assert.ok(fs.existsSync(path.join(cacheDir, 'index.bin')));
  } finally {
    await c.stop(30_000).catch(() => c.kill());
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('related figures: built ahead once the snapshot is written (or once indexed, without a snapshot); a hover on a figure then answers from them', async () => {
  const logged = (re: RegExp) => (n: { method: string; params: any }) => n.method === 'window/logMessage' && re.test(n.params?.message);
  for (const withSnapshot of [true, false]) {
    const ws = serverWorkspace('sl-related-ahead-', 1);
    const { serverJs, dir, cacheDir, work, docs, uri, text } = ws;
    const c = new LspClient({ serverJs, env: { SOURCELENS_WORKERS: '2' } });
    try {
      await c.initialize(work, withSnapshot ? { cacheDir } : {});
      const indexed = await c.waitFor(indexedAll(docs.length), 120_000);
      assert.ok(indexed, 'indexed');
      const ready = await c.waitFor(logged(/Related figures ready/), 30_000, indexed.at);
      assert.ok(ready, `the related figures were built ahead (snapshot: ${withSnapshot})`);
      const wrote = c.notifications.find(logged(/\[snapshot\] wrote/));
      if (withSnapshot) assert.ok(wrote && wrote.at <= ready.at, 'after the snapshot was written');
      else assert.equal(wrote, undefined);
      await c.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'article', version: 1, text } });
      const groups = (await c.request('sourcelens/claims', { groupBy: 'article', uri })) as any;
      const claim = groups?.[0]?.claims?.find((x: any) => x.range);
      assert.ok(claim, 'a claim to hover');
      const hover = (await c.request('textDocument/hover', { textDocument: { uri }, position: claim.range.start })) as any;
      assert.ok(JSON.stringify(hover).length > 50, 'the figure has a hover card');
    } finally {
      await c.stop(30_000).catch(() => c.kill());
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
});

test('snapshot writer: the first entity list after a link pass (every entity sorted at once) waits for a pause with no request coming in', async () => {
  const live = new WorkspaceIndex();
  for (const d of corpus()) live.update(d);
  assert.equal(live.entitiesListed, false, 'not listed yet');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-snapshot-'));
  try {
    const seen: boolean[] = [];
    let pauses = 0;
    const ok = await writeIndexSnapshot(path.join(dir, 'index.bin'), FINGERPRINT, live, info, () => true, async () => {
      seen.push(live.entitiesListed);
      return ++pauses <= 3; // requests keep coming through the first three pauses
    });
    assert.equal(ok, true);
    assert.deepEqual(seen.slice(0, 4), [false, false, false, false], 'not sorted while requests came, nor before the quiet pause ended');
    assert.equal(live.entitiesListed, true);
    // Listed already: no wait (a pause that never ends quietly does not hold the write).
    const again = await writeIndexSnapshot(path.join(dir, 'again.bin'), FINGERPRINT, live, info, () => true, async () => true);
    assert.equal(again, true);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
