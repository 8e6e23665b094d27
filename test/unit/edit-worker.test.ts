/**
 * Edits analysed in the edit worker (started once the first pass is over): a burst of edits sent
 * without waiting ends with the index holding the last text, and what the server answers for it
 * equals what a server analysing in process answers for the same text opened directly.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import { LspClient } from '../../bench/lsp-client';
import { offsetOf, positionAt } from '../helpers/caret';
import { indexedAll, serverWorkspace } from '../helpers/serverWorkspace';

const logged = (re: RegExp) => (n: { method: string; params: any }) => n.method === 'window/logMessage' && re.test(n.params?.message);
const indexChanged = (uri: string) => (n: { method: string; params: any }) => n.method === 'sourcelens/indexChanged' && (n.params?.uris ?? []).includes(uri);

/** Names that no model or gazetteer knows, so each edit brings a person of its own. */
const NAMES = ['Dravik Olunsen', 'Merith Kavrosa', 'Tobren Ashvale', 'Quilla Farnholt', 'Osvin Kettledrum'];

test('edit worker: a burst of edits ends at the last text, answered as an in-process server answers it', async () => {
  const ws = serverWorkspace('sl-edit-worker-', 1);
  const clients: LspClient[] = [];
  const start = async (workers: string) => {
    const c = new LspClient({ serverJs: ws.serverJs, env: { SOURCELENS_WORKERS: workers } });
    clients.push(c);
    await c.initialize(ws.work, {});
    const done = await c.waitFor(indexedAll(ws.docs.length), 120_000);
    assert.ok(done, `the server with ${workers} workers indexed the corpus`);
    return c;
  };
  try {
    const withWorker = await start('1');
    await withWorker.notify('textDocument/didOpen', { textDocument: { uri: ws.uri, languageId: 'article', version: 1, text: ws.text } });
    assert.ok(await withWorker.waitFor(logged(/Edit worker ready/), 30_000), 'the pass kept a worker for edits and warmed it up');
    assert.ok(withWorker.notifications.some(logged(/lets its analyser go/)), 'the main thread let its analyser go when the workers were done');
    // An article opened after the pass with a text to analyse (here one not on disk) goes to the
    // edit worker too: the main thread does not load its analyser again for it.
    const fresh = pathToFileURL(path.join(ws.work, 'copy-0', 'zz-unsaved-note.txt')).href;
    const freshText = `${NAMES[0]} met ${NAMES[1]} in Astana on Monday.\n`;
    await withWorker.notify('textDocument/didOpen', { textDocument: { uri: fresh, languageId: 'article', version: 1, text: freshText } });
    const freshSymbols = JSON.stringify(await withWorker.request('textDocument/documentSymbol', { textDocument: { uri: fresh } }));
    assert.ok(freshSymbols.includes(NAMES[0]) && freshSymbols.includes(NAMES[1]), `the opened article was analysed: ${freshSymbols}`);
    await withWorker.notify('textDocument/didClose', { textDocument: { uri: fresh } });
    assert.ok(!withWorker.notifications.some(logged(/analyser is loaded again/)), 'the opened article was analysed in the edit worker');

    // Five edits back to back, each inserting a sentence after the first paragraph and followed
    // by a request not waited for (so each edit's job starts while the last may still run, and
    // its late result must be dropped); the request after the burst must see the fifth edit.
    let text = ws.text;
    const at = offsetOf(text, '\n\n', 2);
    let version = 1;
    const inFlight: Promise<unknown>[] = [];
    for (const name of NAMES) {
      const insert = `${name} told reporters in Astana that the talks went well.\n\n`;
      const pos = positionAt(text, at);
      await withWorker.notify('textDocument/didChange', {
        textDocument: { uri: ws.uri, version: ++version },
        contentChanges: [{ range: { start: pos, end: pos }, text: insert }],
      });
      inFlight.push(withWorker.request('textDocument/semanticTokens/full', { textDocument: { uri: ws.uri } }));
      text = text.slice(0, at) + insert + text.slice(at);
    }
    for (const r of await Promise.all(inFlight)) assert.ok((r as { data?: number[] }).data?.length, 'every request during the burst was answered');
    const symbols = (await withWorker.request('textDocument/documentSymbol', { textDocument: { uri: ws.uri } })) as Array<{ name: string }>;
    const answeredAt = performance.now();
    const names = JSON.stringify(symbols);
    for (const n of NAMES) assert.ok(names.includes(n), `the answer after the burst knows ${n}`);
    assert.equal(withWorker.notifications.filter(logged(/Worker analysis of .*analysing in process/)).length, 0, 'no edit fell back to this thread');

    // Once linked, the same answers as a server that analyses in process and opens that text.
    // (The change notification comes at least 750 ms after the last edit: after this answer.)
    assert.ok(await withWorker.waitFor(indexChanged(ws.uri), 30_000, answeredAt), 'the edits reached the corpus-wide index');
    const inProcess = await start('0');
    await inProcess.notify('textDocument/didOpen', { textDocument: { uri: ws.uri, languageId: 'article', version: 1, text } });
    const ask = async (c: LspClient) => {
      const hoverAt = positionAt(text, offsetOf(text, NAMES[4], 3));
      return JSON.stringify({
        symbols: await c.request('textDocument/documentSymbol', { textDocument: { uri: ws.uri } }),
        tokens: await c.request('textDocument/semanticTokens/full', { textDocument: { uri: ws.uri } }),
        hover: await c.request('textDocument/hover', { textDocument: { uri: ws.uri }, position: hoverAt }),
      });
    };
    assert.ok(await inProcess.waitFor(indexChanged(ws.uri), 30_000), 'the in-process server linked the opened text');
    assert.equal(await ask(withWorker), await ask(inProcess));
    assert.ok(!inProcess.notifications.some(logged(/lets its analyser go/)), 'without workers the analyser stays');
  } finally {
    for (const c of clients) await c.stop(30_000).catch(() => c.kill());
    fs.rmSync(ws.dir, { recursive: true, force: true });
  }
});
