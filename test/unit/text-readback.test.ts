/**
 * An index that reads texts back (IndexOptions.readText) keeps no text read from disk, and
 * answers exactly as one that keeps every text; a text is read once for a run of uses; a file
 * that no longer holds the text indexed is never used (its document is reported stale); editor
 * texts stay in memory; a dictionary change re-reads what it must re-analyse.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { parseDictionary } from '../../server/src/service/entities';
import { StoredClaim, StoredDocument } from '../../server/src/service/indexedDocument';
import { contentKey, writeIndexSnapshot } from '../../server/src/service/indexSnapshot';
import { createLanguageService } from '../../server/src/service/languageService';
import { ClaimIndex } from '../../server/src/service/relatedClaims';
import { WorkspaceIndex } from '../../server/src/service/workspaceIndex';
import { corpus } from '../helpers/serverWorkspace';
import { plainClaim } from '../helpers/claims';

/** A "disk" the index reads back from, counting reads. */
function disk(docs: Array<{ uri: string; text: string }>) {
  const files = new Map(docs.map((d) => [d.uri, d.text]));
  const reads: string[] = [];
  return { files, reads, readText: (uri: string) => (reads.push(uri), files.get(uri)) };
}

/** The first `n` articles indexed from a `disk`, texts read back from it; `stale` collects the index's stale-text reports. */
function indexedOnDisk(n: number) {
  const docs = corpus().slice(0, n);
  const d = disk(docs);
  const index = new WorkspaceIndex({ readText: d.readText });
  for (const doc of docs) index.update(doc);
  const stale: string[] = [];
  index.onStaleText((uri) => stale.push(uri));
  return { docs, d, index, stale };
}

/** Every answer of the language service that depends on article texts, as plain data. */
function answers(index: WorkspaceIndex) {
  const service = createLanguageService({ index });
  const out: unknown[] = [];
  const uris = [...index.documents()].map((d) => d.uri).sort();
  for (const uri of uris) {
    const li = service.lines(uri)!;
    const doc = index.document(uri)!;
    out.push(uri, doc.text, doc.textLength, [...doc.lineStarts], index.contentKeyOf(doc));
    out.push(index.claimsIn(uri).map(plainClaim));
    out.push(service.getSemanticTokens(uri), service.findDocumentSymbols(uri));
    for (const m of index.mentionsIn(uri).slice(0, 12)) out.push(service.doHover(uri, li.positionAt(m.start)), service.findReferences(uri, li.positionAt(m.start)));
    for (const c of index.claimsIn(uri).slice(0, 6)) out.push(service.doHover(uri, li.positionAt(c.start)), service.relatedClaims(uri, li.positionAt(c.start)));
  }
  for (const e of index.entities().slice(0, 40)) out.push(service.entityMentions(e.id));
  out.push(service.listClaims({ groupBy: 'article' }), service.listClaims({ groupBy: 'quantity' }), service.stats());
  return out;
}

test('read back: no text read from disk is kept, and every answer is the same', async () => {
  const docs = corpus();
  const kept = new WorkspaceIndex();
  const d = disk(docs);
  const lean = new WorkspaceIndex({ readText: d.readText });
  for (const doc of docs) {
    kept.update(doc);
    lean.update(doc);
  }
  for (const doc of lean.documents()) {
    assert.ok(doc instanceof StoredDocument);
    assert.equal(doc.keptText, undefined, `${doc.uri} keeps no text`);
    assert.equal(lean.contentKeyOf(doc), contentKey(docs.find((x) => x.uri === doc.uri)!.text));
    for (const c of doc.claims) assert.ok(c instanceof StoredClaim, 'claims keep their sentence as offsets');
  }
  assert.deepEqual(answers(lean), answers(kept));
  assert.ok(d.reads.length > 0, 'texts were read back');

  // The snapshot written from either is the same file.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-readback-'));
  try {
    const info = () => ({ size: 1, mtimeMs: 2 });
    assert.ok(await writeIndexSnapshot(path.join(dir, 'kept.bin'), 'fp', kept, info));
    assert.ok(await writeIndexSnapshot(path.join(dir, 'lean.bin'), 'fp', lean, info));
    assert.ok(fs.readFileSync(path.join(dir, 'kept.bin')).equals(fs.readFileSync(path.join(dir, 'lean.bin'))));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('read back: a text is read once for a run of uses', () => {
  const { docs, d, index } = indexedOnDisk(3);
  const service = createLanguageService({ index });
  d.reads.length = 0;
  const uri = docs[0].uri;
  service.getSemanticTokens(uri);
  for (const c of index.claimsIn(uri)) assert.equal(typeof c.sentence, 'string');
  service.findDocumentSymbols(uri);
  assert.deepEqual(d.reads, [uri]);
});

test('read back: a file that no longer holds the text indexed is not used; the document is reported stale', () => {
  const { docs, d, index, stale } = indexedOnDisk(2);
  const [a, b] = docs;
  const claim = index.claimsIn(a.uri)[0];
  assert.ok(claim, 'the article has a claim');
  // Changed on disk, and no file event yet: same length, other text.
  d.files.set(a.uri, a.text.replace(/[a-z]/, (ch) => (ch === 'x' ? 'y' : 'x')));
  d.files.delete(b.uri); // and one gone
  assert.equal(index.document(a.uri)!.text, '');
  assert.equal(claim.sentence, '');
  assert.equal(index.document(b.uri)!.text, '');
  assert.deepEqual([...new Set(stale)].sort(), [a.uri, b.uri].sort());
  // Indexed again (what the server does on that report), the document answers from the new text.
  index.update({ uri: a.uri, text: d.files.get(a.uri)!, version: 0 });
  assert.equal(index.document(a.uri)!.text, d.files.get(a.uri));
  // A superseded document object says nothing about the file.
  stale.length = 0;
  d.files.set(a.uri, 'something else');
  const old = claim.sentence;
  assert.equal(old, '');
  assert.deepEqual(stale, []);
});

test('read back: editor texts are kept; the same text back on disk is not re-analysed', () => {
  const [doc] = corpus();
  const d = disk([doc]);
  const index = new WorkspaceIndex({ readText: d.readText });
  index.update(doc);
  const stored = index.document(doc.uri) as StoredDocument;
  assert.equal(stored.keptText, undefined);
  // Opened in an editor: same text, version 1: nothing re-analysed, the text is kept now.
  assert.equal(index.needsUpdate({ ...doc, version: 1 }), false);
  assert.equal(index.update({ ...doc, version: 1 }), false);
  assert.equal(index.document(doc.uri), stored, 'the same document');
  assert.equal(stored.keptText, doc.text);
  assert.equal(stored.version, 1);
  // An unsaved edit is kept as typed.
  const edited = doc.text.replace('the', 'THE');
  assert.equal(index.update({ uri: doc.uri, text: edited, version: 2 }), true);
  assert.equal((index.document(doc.uri) as StoredDocument).keptText, edited);
  // Closed: back to the disk text, which is read back from then on.
  assert.equal(index.update(doc), true);
  const back = index.document(doc.uri) as StoredDocument;
  assert.equal(back.keptText, undefined);
  assert.equal(back.text, doc.text);
  assert.equal(index.needsUpdate(doc), false);
  assert.equal(index.needsUpdate({ ...doc, text: edited }), true);
});

test('read back: a dictionary change re-reads the texts; a file gone by then leaves the index', () => {
  const { docs, d, index, stale } = indexedOnDisk(3);
  d.files.delete(docs[2].uri);
  const parsed = parseDictionary('{ "version": 1, "entities": [{ "name": "Qazaq Example Board", "type": "organization" }] }');
  assert.ok(parsed.ok);
  index.setDictionary(parsed.dictionary);
  const fresh = new WorkspaceIndex({ dictionary: parsed.dictionary });
  for (const doc of docs.slice(0, 2)) fresh.update(doc);
  assert.equal(index.size, 2);
  assert.deepEqual(stale, [docs[2].uri]);
  for (const doc of docs.slice(0, 2)) assert.deepEqual(index.mentionsIn(doc.uri), fresh.mentionsIn(doc.uri));
});

test('read back: the related-figures index is built without reading the articles back; a query reads its own and its candidates’ articles only', () => {
  const { docs, d, index } = indexedOnDisk(corpus().length);
  const claims = new ClaimIndex(index);
  let withCandidates = 0;
  let queried = 0;
  for (const doc of docs) {
    for (const claim of index.claimsIn(doc.uri)) {
      d.reads.length = 0;
      const related = claims.related(doc.uri, claim, { limit: 1000 });
      queried++;
      // Only the query's and the candidates' words need their sentences (every candidate is in a 1,000-long answer).
      const candidates = new Set([doc.uri, ...related.map((r) => r.uri)]);
      for (const uri of d.reads) assert.ok(candidates.has(uri), `${doc.uri}@${claim.start}: read ${uri}, not a candidate`);
      if (related.length > 0) withCandidates++;
    }
  }
  assert.ok(queried > 20 && withCandidates > 0 && withCandidates < queried, `${withCandidates} of ${queried} queries have candidates`);
});
