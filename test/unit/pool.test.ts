/**
 * The worker-thread path of indexing: a job run in a worker gives the index exactly what the
 * in-process path gives; a result made under another dictionary, or for other text, is refused;
 * the pool survives a missing bundle and rejects what it cannot run. Also the packed line tables
 * the index keeps per article.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { spawnSync } from 'node:child_process';
import { AnalysisPool, EDIT_WORKER_YOUNG_MB } from '../../server/src/handlers/analysisPool';
import { AnalysisCache, decode } from '../../server/src/service/analysisCache';
import { analyseText } from '../../server/src/service/analyse';
import { receiveArticle } from '../../server/src/service/indexedDocument';
import { parseDictionary } from '../../server/src/service/entities';
import { createLanguageService } from '../../server/src/service/languageService';
import { LineIndex, lineStartsOf } from '../../server/src/service/position';
import { WorkspaceIndex } from '../../server/src/service/workspaceIndex';
import { runAnalysisJob, type AnalysisJob, type AnalysisJobResult } from '../../server/src/worker/analysisJob';
import { repoRoot, sharedCorpusDir } from '../helpers/paths';
import { plainClaim } from '../helpers/claims';

function corpus(): Array<{ uri: string; text: string; version: number }> {
  const dirs = [sharedCorpusDir(), path.join(repoRoot, 'samples')];
  const out = [];
  for (const d of dirs) {
    for (const f of fs.readdirSync(d).sort()) {
      if (f.endsWith('.txt')) out.push({ uri: `file://${path.join(d, f)}`, text: fs.readFileSync(path.join(d, f), 'utf8'), version: 0 });
    }
  }
  return out;
}

/** Everything a feature can read from the index, as plain data. */
function snapshot(index: WorkspaceIndex) {
  const docs = [...index.documents()].sort((a, b) => (a.uri < b.uri ? -1 : 1));
  return {
    entities: index.entities(),
    docs: docs.map((d) => ({
      uri: d.uri,
      claims: d.claims.map(plainClaim),
      mentions: index.mentionsIn(d.uri),
      lines: [...d.lineStarts],
      length: d.textLength,
      key: index.contentKeyOf(d),
    })),
  };
}

function ensureBuilt(): string {
  const dist = path.join(repoRoot, 'dist');
  if (!fs.existsSync(path.join(dist, 'analysisWorker.js'))) {
    const r = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: repoRoot, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
  }
  return dist;
}

/**
 * The corpus's articles run as jobs (`job` adds to each) in a pool of two workers; each result,
 * in reverse order (the linked result must not depend on arrival order), applied by `apply` to a
 * fresh index, which must then equal the index of analysing in process.
 */
async function sameAsInProcess(job: Partial<AnalysisJob>, apply: (index: WorkspaceIndex, doc: ReturnType<typeof corpus>[number], res: AnalysisJobResult) => boolean): Promise<void> {
  const docs = corpus();
  const inProcess = new WorkspaceIndex();
  for (const d of docs) inProcess.update(d);
  const pool = AnalysisPool.create(() => undefined, 2, ensureBuilt());
  assert.ok(pool, 'the pool starts from dist/');
  try {
    const viaPool = new WorkspaceIndex();
    const results = await Promise.all(docs.map((d) => pool.run({ uri: d.uri, text: d.text, ...job })));
    for (let i = docs.length - 1; i >= 0; i--) {
      assert.equal(results[i].fresh, true);
      assert.ok(apply(viaPool, docs[i], results[i]), `applied ${docs[i].uri}`);
    }
    assert.deepEqual(snapshot(viaPool), snapshot(inProcess));
  } finally {
    pool.dispose();
  }
}

test('pool: worker results give the same index as analysing in process', async () => {
  await sameAsInProcess({}, (index, d, res) => index.applyAnalysed({ ...d, payload: res.payload, local: res.local!, fresh: res.fresh, dictionaryVersion: 0 }));
});

test('pool: the edit worker runs with a small young generation, the indexing workers with the default', async () => {
  const edits = AnalysisPool.create(() => undefined, 1, ensureBuilt(), 'edits');
  const indexing = AnalysisPool.create(() => undefined, 1, ensureBuilt());
  assert.ok(edits && indexing);
  try {
    // Both analyse (the limit leaves the worker able to do its work).
    const [d] = corpus();
    for (const pool of [edits, indexing]) assert.ok((await pool.run({ uri: d.uri, text: d.text })).fresh);
    assert.equal(edits.resourceLimits()[0].maxYoungGenerationSizeMb, EDIT_WORKER_YOUNG_MB);
    assert.notEqual(indexing.resourceLimits()[0].maxYoungGenerationSizeMb, EDIT_WORKER_YOUNG_MB);
  } finally {
    edits.dispose();
    indexing.dispose();
  }
});

test('pool: a cached payload is decoded, not recomputed, and gives the same result', () => {
  const d = corpus()[0];
  const first = runAnalysisJob(d);
  const second = runAnalysisJob({ ...d, cached: first.payload }, () => {
    throw new Error('the analyser must not run on a cache hit');
  });
  assert.equal(second.fresh, false);
  assert.deepEqual(second.local, first.local);
  assert.ok(first.local, 'a job that is not analyse-only resolves and packs');
  // An unreadable payload (a damaged cache) is recomputed.
  const third = runAnalysisJob({ ...d, cached: new TextEncoder().encode('{"m":[oops') });
  assert.equal(third.fresh, true);
  assert.deepEqual(third.local, first.local);
});

test('pool: a result made under an older dictionary, or for another text, is refused', () => {
  const [d] = corpus();
  const index = new WorkspaceIndex();
  const job = runAnalysisJob(d);
  const res = { ...job, local: receiveArticle(job.local!, d.uri) };
  const parsed = parseDictionary('{ "version": 1, "entities": [{ "name": "Qazaq Example Board", "type": "organization" }] }');
  assert.ok(parsed.ok);
  index.setDictionary(parsed.dictionary);
  assert.equal(index.applyAnalysed({ ...d, payload: res.payload, local: res.local, fresh: res.fresh, dictionaryVersion: 0 }), false);
  assert.equal(index.size, 0);
  assert.equal(index.applyAnalysed({ ...d, text: d.text + ' extra', payload: res.payload, local: res.local, fresh: res.fresh, dictionaryVersion: index.dictionaryVersion }), false);
  assert.equal(index.applyAnalysed({ ...d, uri: 'file:///elsewhere.txt', payload: res.payload, local: res.local, fresh: res.fresh, dictionaryVersion: index.dictionaryVersion }), false);
  assert.equal(index.size, 0);
  // A damaged packed article cannot be rebuilt.
  const packed = job.local!;
  assert.throws(() => receiveArticle({ ...packed, data: packed.data.slice(0, packed.data.length - 3) }, d.uri), /ends early/);
});

test('pool: no bundle means no pool; a disposed pool rejects jobs', async () => {
  const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-pool-'));
  try {
    assert.equal(AnalysisPool.create(() => undefined, 2, empty), undefined);
  } finally {
    fs.rmSync(empty, { recursive: true, force: true });
  }
  const pool = AnalysisPool.create(() => undefined, 1, ensureBuilt());
  assert.ok(pool);
  pool.dispose();
  await assert.rejects(pool.run({ uri: 'file:///a.txt', text: 'Ana Lopez visited Lima.' }), /no analysis worker/);
});

test('line tables: packed starts equal a character-by-character scan for every kind of break', () => {
  const scan = (t: string) => {
    const starts = [0];
    for (let i = 0; i < t.length; i++) {
      const c = t.charCodeAt(i);
      if (c === 13) {
        if (t.charCodeAt(i + 1) === 10) i++;
        starts.push(i + 1);
      } else if (c === 10) starts.push(i + 1);
    }
    return starts;
  };
  for (const t of ['', 'one line', 'a\nb', 'a\r\nb\r\n', 'a\rb\rc', '\n\n\r\r\n', 'x\r', 'mixed\r\nlines\nand\rbreaks\n\r']) {
    assert.deepEqual([...lineStartsOf(t)], scan(t), JSON.stringify(t));
    const li = new LineIndex(t, lineStartsOf(t));
    const plain = new LineIndex(t);
    for (let o = 0; o <= t.length; o++) assert.deepEqual(li.positionAt(o), plain.positionAt(o));
  }
});

test('deferred linking: during the first pass queries answer from each article alone, then link once', () => {
  const docs = corpus();
  const fresh = new WorkspaceIndex();
  for (const d of docs) fresh.update(d);

  const index = new WorkspaceIndex();
  index.deferLinking(true);
  for (const d of docs) index.update(d);
  const uri = docs[0].uri;
  const mentions = index.mentionsIn(uri);
  assert.ok(mentions.length > 0);
  assert.equal(index.linked, false, 'a query did not link the partial corpus');
  for (const m of mentions) {
    assert.ok(index.isProvisional(m.entityId));
    const e = index.entity(m.entityId);
    assert.ok(e, m.entityId);
    assert.ok(e.mentions.every((x) => x.uri === uri), 'a provisional entity lives in one article');
    assert.ok(e.mentions.some((x) => x.start === m.start && x.end === m.end));
  }
  // Same spans as the linked answer; only the entity ids differ.
  assert.deepEqual(
    mentions.map((m) => [m.start, m.end]),
    fresh.mentionsIn(uri).map((m) => [m.start, m.end]),
  );
  assert.deepEqual(index.entities(), []);
  assert.equal(index.entityCounts().person, 0);
  const service = createLanguageService({ index });
  const hover = service.doHover(uri, service.lines(uri)!.positionAt(mentions[0].start));
  assert.match(JSON.stringify(hover?.contents), /Indexing the workspace: other articles are not linked yet/);

  index.deferLinking(false);
  assert.deepEqual(snapshot(index), snapshot(fresh));
  assert.equal(index.isProvisional(index.mentionsIn(uri)[0].entityId), false);
});

test('pool: a fresh worker result is stored in the cache, and a later job gets it back from there', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-pool-cache-'));
  try {
    const cache = new AnalysisCache(dir, { log: () => undefined });
    const [d] = corpus();
    const index = new WorkspaceIndex({ cache });
    const fresh = runAnalysisJob(d);
    assert.ok(index.applyAnalysed({ ...d, payload: fresh.payload, local: receiveArticle(fresh.local!, d.uri), fresh: fresh.fresh, dictionaryVersion: 0 }));
    assert.equal(cache.stats.stored, 1);
    const cached = cache.payloadOf(d.text, d.uri);
    assert.ok(cached, 'the fresh payload is in the cache');
    const again = runAnalysisJob({ ...d, cached: new Uint8Array(cached) });
    assert.equal(again.fresh, false);
    assert.deepEqual(again.local, fresh.local);
    cache.close();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('pool: an analyse-only job sends the analysis alone, and resolving it here gives the same index as analysing in process', async () => {
  await sameAsInProcess({ analyseOnly: true }, (index, d, res) => {
    assert.equal(res.local, undefined, 'nothing resolved in the worker');
    return index.applyPayload(d, res.payload, res.fresh);
  });
});

test('pool: an analyse-only job decodes nothing on a cache hit; a payload that does not fit is refused', () => {
  const [d] = corpus();
  const first = runAnalysisJob({ ...d, analyseOnly: true });
  assert.equal(first.local, undefined);
  assert.deepEqual(decode(Buffer.from(first.payload), d.text), analyseText(d.text));
  const again = runAnalysisJob({ ...d, cached: first.payload, analyseOnly: true }, () => {
    throw new Error('the analyser must not run on a cache hit');
  });
  assert.equal(again.fresh, false);
  assert.equal(again.payload, first.payload);

  const index = new WorkspaceIndex();
  assert.equal(index.applyPayload(d, new TextEncoder().encode('{"m":[oops'), true), false);
  // (The payload's offsets are all it can be checked by: a worker's result comes back to the job that carried the text.)
  assert.equal(index.applyPayload({ ...d, text: d.text.slice(0, 200) }, first.payload, true), false, 'offsets past the end of the text');
  assert.equal(index.size, 0);
  assert.ok(index.applyPayload(d, first.payload, true));
  assert.equal(index.size, 1);
});

test('pool: an analysis resolved here goes into the cache when fresh, and only then', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-pool-cache-'));
  try {
    const cache = new AnalysisCache(dir, { log: () => undefined });
    const [d, e] = corpus();
    const index = new WorkspaceIndex({ cache });
    assert.ok(index.applyPayload(d, runAnalysisJob({ ...d, analyseOnly: true }).payload, true));
    assert.equal(cache.stats.stored, 1);
    assert.ok(cache.payloadOf(d.text, d.uri), 'the fresh payload is in the cache');
    // Kept out (unsaved editor text, or a payload that came from the cache): not stored again.
    assert.ok(index.applyPayload(e, runAnalysisJob({ ...e, analyseOnly: true }).payload, false));
    assert.equal(cache.stats.stored, 1);
    cache.close();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('pool: the workers report how long they waited for work, and a job queued behind another is no wait', async () => {
  const pool = AnalysisPool.create(() => undefined, 1, ensureBuilt());
  assert.ok(pool);
  try {
    const [a, b] = corpus();
    // The first job loads the tagger; what the worker waited before it is its start-up's gap.
    await pool.run({ uri: a.uri, text: a.text, analyseOnly: true });
    const first = pool.waitedMs();
    assert.ok(first >= 0);
    // Nothing to do for a while: that time is waited.
    const idle = 300;
    const t0 = performance.now();
    await new Promise((r) => setTimeout(r, idle));
    await pool.run({ uri: b.uri, text: b.text, analyseOnly: true });
    const gap = performance.now() - t0;
    const afterIdle = pool.waitedMs();
    assert.ok(afterIdle - first >= idle - 20, `waited ${afterIdle - first} ms of an idle ${idle} ms`);
    assert.ok(afterIdle - first <= gap + 20, `waited ${afterIdle - first} ms, longer than the ${gap} ms between the jobs`);
    // Ten jobs sent at once: each after the first was queued when the one before it ended.
    const jobs = Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b));
    await Promise.all(jobs.map((d) => pool.run({ uri: d.uri, text: d.text, analyseOnly: true })));
    const queued = pool.waitedMs() - afterIdle;
    assert.ok(queued < 100, `waited ${queued} ms with ten jobs queued`);
  } finally {
    pool.dispose();
  }
});
