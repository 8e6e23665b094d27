/**
 * LSP-level test: builds dist/server.js if needed, spawns `node dist/server.js --stdio` on a
 * temporary folder (three articles of the shared corpus, an invented note, a binary file and a
 * project dictionary) and speaks JSON-RPC to it like an editor would.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  WorkDoneProgress,
  type MessageConnection,
  type ProtocolConnection,
} from 'vscode-languageserver-protocol/node';
import type { IndexStats } from '../../server/src/protocol';
import { decodeSemanticTokens } from '../../server/src/service/semanticTokens';
import { repoRoot, sharedCorpusDir } from '../helpers/paths';

const TIMEOUT = 60_000;

function newestMtime(dir: string): number {
  let newest = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

/** Builds dist/server.js when it is missing or older than the server sources. */
function ensureBuilt(): string {
  const out = path.join(repoRoot, 'dist', 'server.js');
  const stale = !fs.existsSync(out) || fs.statSync(out).mtimeMs < newestMtime(path.join(repoRoot, 'server', 'src'));
  if (stale) {
    const r = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: repoRoot, encoding: 'utf8' });
    assert.equal(r.status, 0, `build failed:\n${r.stdout}\n${r.stderr}`);
  }
  assert.ok(fs.existsSync(out), 'dist/server.js exists');
  return out;
}

type Notification = { method: string; params: any };

class TestClient {
  readonly conn: ProtocolConnection;
  readonly notifications: Notification[] = [];
  private waiters: Array<{ pred: (n: Notification) => boolean; resolve: (n: Notification) => void }> = [];
  stderr = '';
  exited = false;

  constructor(readonly proc: ChildProcess) {
    proc.stderr!.on('data', (d) => (this.stderr += String(d)));
    proc.on('exit', () => (this.exited = true));
    this.conn = createProtocolConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
    // Catch-all handlers: supported by the underlying JSON-RPC connection, not in ProtocolConnection's types.
    const raw = this.conn as unknown as MessageConnection;
    raw.onNotification((method: string, params: any) => this.record({ method, params }));
    raw.onRequest((method: string, params: any) => {
      this.record({ method: `request:${method}`, params });
      if (method === 'window/workDoneProgress/create') {
        // $/progress is routed by token, not to the catch-all notification handler.
        this.conn.onProgress(WorkDoneProgress.type, params.token, (value) => this.record({ method: '$/progress', params: { token: params.token, value } }));
        return null;
      }
      if (method === 'workspace/configuration') return (params.items ?? []).map(() => ({ include: ['**/*.txt', '**/*.md'], maxFileSize: 1_000_000 }));
      return null; // window/workDoneProgress/create, client/registerCapability, semanticTokens/refresh
    });
    this.conn.listen();
  }

  /** Records a message from the server (notification or request) and wakes matching waiters. */
  private record(n: Notification): void {
    this.notifications.push(n);
    this.waiters = this.waiters.filter((w) => {
      if (!w.pred(n)) return true;
      w.resolve(n);
      return false;
    });
  }

  /** Resolves with the first notification (already received after `since`, or future) matching `pred`. */
  waitFor(pred: (n: Notification) => boolean, what: string, since = 0): Promise<Notification> {
    const seen = this.notifications.slice(since).find(pred);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}; stderr:\n${this.stderr}`)), TIMEOUT);
      this.waiters.push({
        pred,
        resolve: (n) => {
          clearTimeout(timer);
          resolve(n);
        },
      });
    });
  }

  waitForIndexChange(pred: (p: IndexStats & { uris: string[] }) => boolean, what: string, since = this.notifications.length) {
    return this.waitFor((n) => n.method === 'sourcelens/indexChanged' && pred(n.params), what, since).then((n) => n.params as IndexStats & { uris: string[] });
  }

  /** Sends a request; fails (instead of hanging) if the server does not answer in time. */
  request<R = any>(method: string, params: unknown): Promise<R> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer to ${method} within ${TIMEOUT} ms; stderr:\n${this.stderr}`)), TIMEOUT);
    });
    return Promise.race([this.conn.sendRequest(method, params) as Promise<R>, timeout]).finally(() => clearTimeout(timer));
  }
}

let dir: string;
let client: TestClient;
const uriOf = (name: string) => pathToFileURL(path.join(dir, name)).href;
const texts: Record<string, string> = {};
let names: Record<'a002' | 'a003' | 'a004', string>;

function positionOf(text: string, needle: string, delta = 0) {
  const i = text.indexOf(needle);
  assert.ok(i >= 0, `${needle} not found`);
  const before = text.slice(0, i + delta).split('\n');
  return { line: before.length - 1, character: before[before.length - 1].length };
}

const DICTIONARY = `{
  "version": 1,
  "entities": [
    { "name": "Zyxwar Trade Council", "type": "organization", "aliases": ["ZTC Zyxwar"] }
  ]
}
`;

before(async () => {
  const serverJs = ensureBuilt();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sourcelens-server-'));
  const corpus = sharedCorpusDir();
  const files = fs.readdirSync(corpus).sort();
  const pick = (p: string) => files.find((f) => f.startsWith(p))!;
  names = { a002: pick('002'), a003: pick('003'), a004: pick('004') };
  for (const n of Object.values(names)) {
    texts[n] = fs.readFileSync(path.join(corpus, n), 'utf8');
    fs.writeFileSync(path.join(dir, n), texts[n]);
  }
  texts['note.txt'] = 'Notes\n\nThe ZTC Zyxwar met today.\n';
  fs.writeFileSync(path.join(dir, 'note.txt'), texts['note.txt']);
  fs.writeFileSync(path.join(dir, 'bin.txt'), Buffer.from([1, 2, 0, 3, 4]));
  fs.mkdirSync(path.join(dir, '.sourcelens'));
  fs.writeFileSync(path.join(dir, '.sourcelens', 'entities.json'), DICTIONARY);

  const proc = spawn(process.execPath, [serverJs, '--stdio'], { cwd: dir, stdio: ['pipe', 'pipe', 'pipe'] });
  client = new TestClient(proc);
  const init = await client.request('initialize', {
    processId: process.pid,
    rootUri: pathToFileURL(dir).href,
    workspaceFolders: [{ uri: pathToFileURL(dir).href, name: 'ws' }],
    capabilities: {
      workspace: {
        configuration: true,
        workspaceFolders: true,
        didChangeWatchedFiles: { dynamicRegistration: true },
        didChangeConfiguration: { dynamicRegistration: true },
        semanticTokens: { refreshSupport: true },
      },
      window: { workDoneProgress: true },
      textDocument: { hover: { contentFormat: ['markdown'] }, documentSymbol: { hierarchicalDocumentSymbolSupport: true } },
    },
    initializationOptions: { untrusted: false },
  });
  const caps = init.capabilities;
  assert.ok(caps.hoverProvider && caps.definitionProvider && caps.referencesProvider && caps.documentHighlightProvider);
  assert.ok(caps.documentSymbolProvider && caps.workspaceSymbolProvider);
  assert.deepEqual(caps.semanticTokensProvider.legend.tokenTypes, ['person', 'organization', 'place', 'event', 'claim']);
  assert.equal(caps.semanticTokensProvider.full, true);
  assert.equal(caps.semanticTokensProvider.range, true);
  assert.equal(caps.textDocumentSync.change, 2, 'incremental sync');
  await client.conn.sendNotification('initialized', {});
  await client.waitForIndexChange((p) => !p.indexing, 'the first indexing pass', 0);
});

after(async () => {
  if (client && !client.exited) {
    await client.request('shutdown', null).catch(() => undefined);
    await client.conn.sendNotification('exit');
    await new Promise((r) => setTimeout(r, 100));
    if (!client.exited) client.proc.kill();
  }
  client?.conn.dispose();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

test('server: indexes every article on disk with progress, skips the binary file, registers watchers', async () => {
  const stats = await client.request<IndexStats>('sourcelens/stats', null);
  assert.equal(stats.articles, 4);
  assert.equal(stats.indexing, false);
  assert.ok(stats.entities > 20 && stats.claims > 20, JSON.stringify(stats));
  assert.deepEqual(stats.skipped.map((s) => [s.uri, s.reason]), [[uriOf('bin.txt'), 'binary file (contains NUL bytes)']]);
  const progress = client.notifications.filter((n) => n.method === '$/progress').map((n) => n.params.value);
  assert.ok(progress.some((v) => v.kind === 'begin' && /Indexing 5 articles/.test(v.message) /* 4 articles + bin.txt, a candidate until read */), JSON.stringify(progress));
  assert.ok(progress.some((v) => v.kind === 'end'));
  assert.ok(client.notifications.some((n) => n.method === 'request:workspace/configuration'));
  // One clear log line for the skipped file.
  const skippedLogs = client.notifications.filter((n) => n.method === 'window/logMessage' && /Skipped .*bin\.txt: binary file/.test(n.params.message));
  assert.equal(skippedLogs.length, 1);
  const reg = client.notifications.find((n) => n.method === 'request:client/registerCapability');
  assert.ok(reg && JSON.stringify(reg.params).includes('workspace/didChangeWatchedFiles'), 'file watchers registered');
});

test('server: hover, definition, references across spellings (Yerkin/Erkin Tukumov)', async () => {
  const uri003 = uriOf(names.a003);
  const pos = positionOf(texts[names.a003], 'Yerkin Tukumov', 2);
  const hover = await client.request('textDocument/hover', { textDocument: { uri: uri003 }, position: pos });
  assert.equal(hover.contents.kind, 'markdown');
  assert.match(hover.contents.value, /Tukumov/);
  assert.match(hover.contents.value, /person/);
  assert.ok(hover.contents.value.includes(`(${uriOf(names.a002)}#L`), 'links to the 002 article');

  const defs = await client.request('textDocument/definition', { textDocument: { uri: uri003 }, position: pos });
  assert.equal(defs[0].uri, uriOf(names.a002), '002 sorts first, so the first mention is there');

  const refs = await client.request<Array<{ uri: string }>>('textDocument/references', {
    textDocument: { uri: uri003 },
    position: pos,
    context: { includeDeclaration: true },
  });
  const uris = new Set(refs.map((r) => r.uri));
  assert.ok(uris.has(uri003) && uris.has(uriOf(names.a002)), [...uris].join(', '));

  const claimPos = positionOf(texts[names.a004], '$854.4 million', 1);
  const claimHover = await client.request('textDocument/hover', { textDocument: { uri: uriOf(names.a004) }, position: claimPos });
  assert.match(claimHover.contents.value, /US\\\$854\\\.4 million/);
});

test('server: document symbols, workspace symbols, highlights and semantic tokens', async () => {
  const uri003 = uriOf(names.a003);
  const symbols = await client.request<Array<{ name: string; children: Array<{ name: string }> }>>('textDocument/documentSymbol', { textDocument: { uri: uri003 } });
  const people = symbols.find((s) => s.name === 'People');
  assert.ok(people && people.children.some((c) => /Tukumov/.test(c.name)), JSON.stringify(symbols.map((s) => s.name)));
  assert.ok(symbols.some((s) => s.name === 'Claims'));

  const ws = await client.request<Array<{ name: string; location: { uri: string } }>>('workspace/symbol', { query: 'tukumov' });
  assert.ok(ws.length >= 1 && /Tukumov/.test(ws[0].name));

  const pos = positionOf(texts[names.a003], 'Yerkin Tukumov', 2);
  const hl = await client.request<unknown[]>('textDocument/documentHighlight', { textDocument: { uri: uri003 }, position: pos });
  assert.ok(hl.length >= 1);

  const tokens = await client.request<{ data: number[] }>('textDocument/semanticTokens/full', { textDocument: { uri: uri003 } });
  const decoded = decodeSemanticTokens(tokens.data);
  const lines = texts[names.a003].split('\n');
  const asText = decoded.map((t) => `${t.type}:${lines[t.line].slice(t.character, t.character + t.length)}`);
  assert.ok(asText.includes('person:Yerkin Tukumov'), asText.join(', '));
  assert.ok(decoded.some((t) => t.type === 'claim'));
  const ranged = await client.request<{ data: number[] }>('textDocument/semanticTokens/range', {
    textDocument: { uri: uri003 },
    range: { start: { line: pos.line, character: 0 }, end: { line: pos.line + 1, character: 0 } },
  });
  const rd = decodeSemanticTokens(ranged.data);
  assert.ok(rd.length > 0 && rd.length < decoded.length && rd.every((t) => t.line === pos.line));
});

test('server: custom requests (entities, mentions, entity at, claims, related claims)', async () => {
  const list = await client.request<Array<{ id: string; name: string; articleCount: number }>>('sourcelens/entities', { filter: 'tukumov' });
  assert.equal(list.length, 1);
  assert.equal(list[0].articleCount, 2);
  const mentions = await client.request('sourcelens/entityMentions', { id: list[0].id });
  assert.deepEqual(mentions.articles.map((a: { uri: string }) => a.uri), [uriOf(names.a002), uriOf(names.a003)]);
  assert.ok(mentions.articles[0].title.length > 0);
  assert.ok(mentions.articles[1].mentions[0].context.includes('Tukumov'));
  const at = await client.request('sourcelens/entityAt', { uri: uriOf(names.a003), position: positionOf(texts[names.a003], 'Yerkin Tukumov', 2) });
  assert.equal(at.id, list[0].id);
  const byArticle = await client.request<Array<{ uri: string; claims: Array<{ reading: string }> }>>('sourcelens/claims', { groupBy: 'article' });
  const g004 = byArticle.find((g) => g.uri === uriOf(names.a004));
  assert.ok(g004 && g004.claims.some((c) => c.reading === 'US$854.4 million'));
  const byQuantity = await client.request<Array<{ label: string }>>('sourcelens/claims', { groupBy: 'quantity' });
  assert.ok(byQuantity.some((g) => g.label === 'money · USD'));
  const related = await client.request('sourcelens/relatedClaims', { uri: uriOf(names.a004), position: positionOf(texts[names.a004], '$854.4 million', 1) });
  assert.equal(related.claim.reading, 'US$854.4 million');
  assert.ok(related.related.every((r: { uri: string }) => r.uri !== uriOf(names.a004)));
});

test('server: the project dictionary is loaded at start', async () => {
  const hover = await client.request('textDocument/hover', {
    textDocument: { uri: uriOf('note.txt') },
    position: positionOf(texts['note.txt'], 'ZTC Zyxwar', 1),
  });
  assert.ok(hover, 'dictionary alias is a mention');
  assert.match(hover.contents.value, /Zyxwar Trade Council/);
});

test('server: an edit (didOpen + incremental didChange) is reflected after the debounce', async () => {
  const uri = uriOf('note.txt');
  const text = texts['note.txt'];
  await client.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'plaintext', version: 1, text } });
  const insert = 'In his opening remarks, Yerkin Tukumov, Director of the KazISS under the President of Kazakhstan, noted that Kazakhstan is interested.\n';
  const mark = client.notifications.length;
  await client.conn.sendNotification('textDocument/didChange', {
    textDocument: { uri, version: 2 },
    contentChanges: [{ range: { start: { line: 2, character: 0 }, end: { line: 2, character: 0 } }, text: insert }],
  });
  const change = await client.waitForIndexChange((p) => p.uris.includes(uri), 'indexChanged for the edit', mark);
  assert.equal(change.articles, 4);
  const list = await client.request<Array<{ articleCount: number }>>('sourcelens/entities', { filter: 'tukumov' });
  assert.equal(list[0].articleCount, 3, 'the edited note now mentions Tukumov');
  // Other articles' tokens may change with the index: the client is asked to refresh them.
  await client.waitFor((n) => n.method === 'request:workspace/semanticTokens/refresh', 'a semantic tokens refresh', mark);
  const hover = await client.request('textDocument/hover', { textDocument: { uri }, position: { line: 2, character: 26 } });
  assert.match(hover.contents.value, /Tukumov/);
  // The unsaved text wins over the disk; closing reverts to the disk content.
  const mark2 = client.notifications.length;
  await client.conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
  await client.waitForIndexChange((p) => p.uris.includes(uri), 'indexChanged after close', mark2);
  const after = await client.request<Array<{ articleCount: number }>>('sourcelens/entities', { filter: 'tukumov' });
  assert.equal(after[0].articleCount, 2);
});

test('server: a request right after an edit sees the edit (pending analysis is applied first)', async () => {
  const uri = uriOf('fresh.md');
  await client.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'markdown', version: 1, text: '# Fresh\n\nNothing.\n' } });
  await client.conn.sendNotification('textDocument/didChange', {
    textDocument: { uri, version: 2 },
    contentChanges: [{ range: { start: { line: 2, character: 0 }, end: { line: 2, character: 8 } }, text: 'The ZTC Zyxwar agreed.' }],
  });
  const hover = await client.request('textDocument/hover', { textDocument: { uri }, position: { line: 2, character: 6 } });
  assert.ok(hover && /Zyxwar Trade Council/.test(hover.contents.value));
  await client.conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
});

test('server: a file deleted on disk leaves the index (didChangeWatchedFiles)', async () => {
  const uri002 = uriOf(names.a002);
  fs.rmSync(path.join(dir, names.a002));
  const mark = client.notifications.length;
  await client.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uri002, type: 3 }] });
  const change = await client.waitForIndexChange((p) => p.uris.includes(uri002), 'indexChanged for the deletion', mark);
  assert.equal(change.articles, 3);
  const refs = await client.request<Array<{ uri: string }>>('textDocument/references', {
    textDocument: { uri: uriOf(names.a003) },
    position: positionOf(texts[names.a003], 'Yerkin Tukumov', 2),
    context: { includeDeclaration: true },
  });
  assert.ok(refs.length > 0 && refs.every((r) => r.uri !== uri002));
  // And a created file comes in.
  fs.writeFileSync(path.join(dir, 'renamed.txt'), texts[names.a002]);
  const mark2 = client.notifications.length;
  await client.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf('renamed.txt'), type: 1 }] });
  const created = await client.waitForIndexChange((p) => p.uris.includes(uriOf('renamed.txt')), 'indexChanged for the creation', mark2);
  assert.equal(created.articles, 4);
});

test('server: an article changed on disk with no file event is noticed when its text is read back, and indexed again', async () => {
  // The server keeps no text read from disk: a request that needs one reads it back and checks it.
  const name = 'silent.txt';
  const before = 'Silent\n\nAzamat Beispekov visited Astana.\n';
  fs.writeFileSync(path.join(dir, name), before);
  const mark = client.notifications.length;
  await client.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(name), type: 1 }] });
  await client.waitForIndexChange((p) => p.uris.includes(uriOf(name)), 'indexChanged for the new file', mark);
  const symbolsBefore = await client.request<Array<{ name: string }>>('textDocument/documentSymbol', { textDocument: { uri: uriOf(name) } });
  assert.ok(JSON.stringify(symbolsBefore).includes('Beispekov'), JSON.stringify(symbolsBefore));

  // Rewritten behind the server's back (no didChangeWatchedFiles).
  const after = 'Silent\n\nYerkin Tukumov visited Kotra in Seoul.\n';
  fs.writeFileSync(path.join(dir, name), after);
  const mark2 = client.notifications.length;
  const hover = await client.request('textDocument/hover', { textDocument: { uri: uriOf(name) }, position: positionOf(before, 'Beispekov', 1) });
  assert.ok(hover === null || !JSON.stringify(hover).includes('Yerkin'), 'the old analysis is never shown with the new text');
  await client.waitFor((n) => n.method === 'window/logMessage' && n.params.message.includes(`${uriOf(name)} changed on disk since it was indexed`), 'the stale log line', mark2);
  await client.waitForIndexChange((p) => p.uris.includes(uriOf(name)), 'indexChanged for the re-read file', mark2);
  const symbolsAfter = await client.request<Array<{ name: string }>>('textDocument/documentSymbol', { textDocument: { uri: uriOf(name) } });
  assert.ok(JSON.stringify(symbolsAfter).includes('Tukumov'), JSON.stringify(symbolsAfter));
  assert.ok(!JSON.stringify(symbolsAfter).includes('Beispekov'), JSON.stringify(symbolsAfter));

  fs.rmSync(path.join(dir, name));
  const mark3 = client.notifications.length;
  await client.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(name), type: 3 }] });
  await client.waitForIndexChange((p) => p.uris.includes(uriOf(name)), 'indexChanged for the deletion', mark3);
});

test('server: a malformed dictionary gives a message and a diagnostic with its line; the last good one stays', async () => {
  const dictFile = path.join(dir, '.sourcelens', 'entities.json');
  const dictUri = pathToFileURL(dictFile).href;
  fs.writeFileSync(dictFile, '{\n  "version": 1,\n  "entities": [\n    { "name": "Broken" "type": "person" }\n  ]\n}\n');
  const mark = client.notifications.length;
  await client.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: dictUri, type: 2 }] });
  const msg = await client.waitFor((n) => n.method === 'window/showMessage', 'a warning message', mark);
  assert.equal(msg.params.type, 2, 'warning');
  assert.match(msg.params.message, /entities\.json line 4/);
  const diag = await client.waitFor((n) => n.method === 'textDocument/publishDiagnostics' && n.params.uri === dictUri, 'a diagnostic', mark);
  assert.equal(diag.params.diagnostics.length, 1);
  assert.equal(diag.params.diagnostics[0].range.start.line, 3);
  // The previous dictionary is still in force.
  const hover = await client.request('textDocument/hover', { textDocument: { uri: uriOf('note.txt') }, position: positionOf(texts['note.txt'], 'ZTC Zyxwar', 1) });
  assert.match(hover.contents.value, /Zyxwar Trade Council/);
  // Fixing it clears the diagnostic.
  fs.writeFileSync(dictFile, DICTIONARY);
  const mark2 = client.notifications.length;
  await client.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: dictUri, type: 2 }] });
  const cleared = await client.waitFor((n) => n.method === 'textDocument/publishDiagnostics' && n.params.uri === dictUri, 'cleared diagnostics', mark2);
  assert.deepEqual(cleared.params.diagnostics, []);
  // A reloaded dictionary re-resolves every article: one index change follows.
  await client.waitForIndexChange((p) => p.uris.includes(uriOf('note.txt')), 'indexChanged after the dictionary reload', mark2);
});

test('server: a settings change re-indexes without a restart', async () => {
  const mark = client.notifications.length;
  // The test client answers workspace/configuration with include **/*.txt + **/*.md; push an exclude.
  client.conn.onRequest('workspace/configuration', (params: any) =>
    params.items.map(() => ({ include: ['**/*.txt', '**/*.md'], exclude: ['note.txt'], maxFileSize: 1_000_000 })),
  );
  await client.conn.sendNotification('workspace/didChangeConfiguration', { settings: null });
  const change = await client.waitForIndexChange((p) => p.uris.includes(uriOf('note.txt')) && !p.indexing, 'indexChanged after settings', mark);
  assert.equal(change.articles, 3);
  const stats = await client.request<IndexStats>('sourcelens/stats', null);
  assert.equal(stats.articles, 3);
  const gone = await client.request('textDocument/hover', { textDocument: { uri: uriOf('note.txt') }, position: positionOf(texts['note.txt'], 'ZTC Zyxwar', 1) });
  assert.equal(gone, null, 'an excluded file is no longer indexed');
});

test('server: a handler error answers with an error and the server keeps serving', async () => {
  await assert.rejects(
    client.request('textDocument/hover', { textDocument: { uri: uriOf(names.a003) }, position: null }),
    (err: { code?: number; message?: string }) => err.code === -32603 && /hover failed/.test(err.message ?? ''),
  );
  const stats = await client.request<IndexStats>('sourcelens/stats', null);
  assert.equal(stats.articles, 3);
  assert.equal(client.exited, false);
});

test('server: in untrusted mode the workspace dictionary is not read', async () => {
  const serverJs = ensureBuilt();
  const udir = fs.mkdtempSync(path.join(os.tmpdir(), 'sourcelens-untrusted-'));
  fs.writeFileSync(path.join(udir, 'note.txt'), texts['note.txt']);
  fs.mkdirSync(path.join(udir, '.sourcelens'));
  fs.writeFileSync(path.join(udir, '.sourcelens', 'entities.json'), DICTIONARY);
  const proc = spawn(process.execPath, [serverJs, '--stdio'], { cwd: udir, stdio: ['pipe', 'pipe', 'pipe'] });
  const c = new TestClient(proc);
  try {
    await c.request('initialize', {
      processId: process.pid,
      rootUri: pathToFileURL(udir).href,
      workspaceFolders: [{ uri: pathToFileURL(udir).href, name: 'u' }],
      capabilities: {},
      initializationOptions: { untrusted: true },
    });
    await c.conn.sendNotification('initialized', {});
    const done = await c.waitForIndexChange((p) => !p.indexing, 'indexing in untrusted mode', 0);
    assert.equal(done.articles, 1, 'articles are still read');
    const uri = pathToFileURL(path.join(udir, 'note.txt')).href;
    const hover = await c.request('textDocument/hover', { textDocument: { uri }, position: positionOf(texts['note.txt'], 'ZTC Zyxwar', 1) });
    assert.ok(!hover || !/Zyxwar Trade Council/.test(hover.contents.value), 'the dictionary is not applied');
    assert.ok(c.notifications.some((n) => n.method === 'window/logMessage' && /Untrusted/.test(n.params.message)));
  } finally {
    await c.request('shutdown', null).catch(() => undefined);
    await c.conn.sendNotification('exit');
    c.conn.dispose();
    fs.rmSync(udir, { recursive: true, force: true });
  }
});
