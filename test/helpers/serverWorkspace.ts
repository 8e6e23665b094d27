/** Workspaces on disk for tests that start the real, built server (dist/server.js). */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot, sharedCorpusDir } from './paths';

/** Notification predicate: the server's indexing pass is over with `articles` articles indexed. */
export const indexedAll =
  (articles: number) =>
  (n: { method: string; params: any }): boolean =>
    n.method === 'sourcelens/indexChanged' && n.params?.indexing === false && n.params.articles === articles;

/** The server's log messages received so far (`window/logMessage`), in order. */
export function logMessages(c: { notifications: ReadonlyArray<{ method: string; params: any }> }): string[] {
  return c.notifications.filter((n) => n.method === 'window/logMessage').map((n) => String(n.params?.message));
}

/** The shared corpus and the samples, as documents read from disk (version 0). */
export function corpus(): Array<{ uri: string; text: string; version: number }> {
  const out = [];
  for (const d of [sharedCorpusDir(), path.join(repoRoot, 'samples')]) {
    for (const f of fs.readdirSync(d).sort()) {
      if (f.endsWith('.txt')) out.push({ uri: pathToFileURL(path.join(d, f)).href, text: fs.readFileSync(path.join(d, f), 'utf8'), version: 0 });
    }
  }
  return out;
}

/**
 * A workspace for the real server: `copies` copies of the corpus under `articles/copy-<i>/`, a
 * cache folder beside it, and the first article of the first copy (URI and text).
 */
export function serverWorkspace(prefix: string, copies: number) {
  const serverJs = path.join(repoRoot, 'dist', 'server.js');
  assert.ok(fs.existsSync(serverJs), 'dist/server.js is built (npm test builds it)');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const cacheDir = path.join(dir, '.cache');
  const work = path.join(dir, 'articles');
  const docs = corpus();
  for (let c = 0; c < copies; c++) {
    fs.mkdirSync(path.join(work, `copy-${c}`), { recursive: true });
    for (const d of docs) fs.writeFileSync(path.join(work, `copy-${c}`, path.basename(new URL(d.uri).pathname)), d.text);
  }
  const target = path.join(work, 'copy-0', fs.readdirSync(path.join(work, 'copy-0')).sort()[0]);
  return { serverJs, dir, cacheDir, work, docs, uri: pathToFileURL(target).href, text: fs.readFileSync(target, 'utf8') };
}
