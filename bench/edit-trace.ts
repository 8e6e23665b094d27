/**
 * One server start on N generated articles (cold: its cache folder is emptied), then the edit
 * test of `npm run bench` alone: the 10 KB edit article opened, E edits each followed by polling
 * `semanticTokens/full` until it changes, then waiting for the index-change notification. Prints
 * the server's edit-worker log lines and each edit's time in ms. EDX_SERVER picks another
 * server bundle (for A/B runs), EDX_NODE_ARGS passes node flags to it.
 *   node --import tsx bench/edit-trace.ts 1000 20
 * As the bench's latency section edits, after its other rounds: EDX_PREOPEN=1 opens another
 * article first (the edit worker starts and warms up then), EDX_WAIT_MS=90000 waits that long
 * before the edited article is opened:
 *   EDX_PREOPEN=1 EDX_WAIT_MS=90000 node --import tsx bench/edit-trace.ts 10000 6
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureCorpus, variantOf } from './generate';
import { LspClient } from './lsp-client';
const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));
function positionAt(text: string, off: number) { const before = text.slice(0, off); const line = before.split('\n').length - 1; return { line, character: off - (before.lastIndexOf('\n') + 1) }; }
async function main() {
  const n = Number(process.argv[2] ?? 1000);
  const edits = Number(process.argv[3] ?? 40);
  const corpus = ensureCorpus(n, {});
  const cacheDir = process.env.EDX_CACHE ?? path.join(os.tmpdir(), `sourcelens-edit-trace-${n}`); fs.rmSync(cacheDir, { recursive: true, force: true });
  const nodeArgs = (process.env.EDX_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const c = new LspClient({ serverJs: process.env.EDX_SERVER ?? path.join(__dirname, '..', 'dist', 'server.js'), nodeArgs });
  const t0 = performance.now();
  await c.initialize(corpus.dir, { cacheDir });
  await c.waitFor((x) => x.method === 'sourcelens/indexChanged' && x.params?.indexing === false && x.params.articles >= corpus.manifest.files, 3_600_000);
  console.log(`indexed in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const file = corpus.manifest.editArticle;
  const uri = pathToFileURL(path.join(corpus.dir, file)).href;
  let text = fs.readFileSync(path.join(corpus.dir, file), 'utf8');
  let version = 1;
  // EDX_WAIT_MS: a pause between the end of indexing and opening the article (the bench edits
  // after its other latency rounds, a minute or more later).
  // EDX_PREOPEN=1: another article is opened before that pause, as the bench's latency round
  // opens its samples (the edit worker starts and warms up then, not when the edited one opens).
  if (process.env.EDX_PREOPEN === '1') {
    const sub = path.join('articles', fs.readdirSync(path.join(corpus.dir, 'articles')).sort()[0]);
    const otherPath = path.join(sub, fs.readdirSync(path.join(corpus.dir, sub)).sort()[0]);
    await c.notify('textDocument/didOpen', { textDocument: { uri: pathToFileURL(path.join(corpus.dir, otherPath)).href, languageId: 'plaintext', version: 1, text: fs.readFileSync(path.join(corpus.dir, otherPath), 'utf8') } });
  }
  await delay(Number(process.env.EDX_WAIT_MS ?? 0));
  await c.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'plaintext', version, text } });
  await delay(3000);
  const tokens = async () => JSON.stringify(((await c.request('textDocument/semanticTokens/full', { textDocument: { uri } })) as any)?.data ?? null);
  let before = await tokens();
  const at = text.indexOf('\n\n') + 2;
  const editsAt = performance.now();
  const times: number[] = [];
  for (let i = 0; i < edits; i++) {
    const name = `${variantOf('sourcelens-bench', 'Edit', i + 1)} ${variantOf('sourcelens-bench', 'Editson', i + 1)}`;
    const insert = `${name} told reporters in Kelmoria on Tuesday that ${name.split(' ')[1]} Holdings would invest $${(i % 9) + 1}.${i % 10} million in ${2026 + (i % 3)}.\n\n`;
    const change = { range: { start: positionAt(text, at), end: positionAt(text, at) }, text: insert };
    version++;
    const tSend = performance.now();
    await c.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [change] });
    let now = await tokens();
    let polls = 1;
    while (now === before && performance.now() - tSend < 5000) { await delay(2); now = await tokens(); polls++; }
    const ms = performance.now() - tSend;
    times.push(ms);
    before = now;
    const note = await c.waitFor((x) => x.method === 'sourcelens/indexChanged' && (x.params?.uris ?? []).includes(uri), 8000, tSend);
    text = text.slice(0, at) + insert + text.slice(at);
  }
  for (const x of c.notifications) if (x.method === 'window/logMessage' && /Edit worker|Analyser ready/.test(x.params.message)) console.log(`${(x.at - t0).toFixed(0)} ms: ${x.params.message}`);
  console.log(`first edit at ${(editsAt - t0).toFixed(0)} ms`);
  console.log(times.map((t) => t.toFixed(1)).join(' '));
  c.kill();
}
main().then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });
