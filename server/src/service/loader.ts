/**
 * Reads the articles of a folder from disk: every file the include globs admit, minus the
 * exclude globs (node_modules and .git always skipped). Files that cannot be articles
 * (unreadable, binary, not UTF-8, over the size limit) are reported, never thrown.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DEFAULT_EXCLUDE, DEFAULT_INCLUDE, inCorpus } from './glob';

export interface LoaderOptions {
  include?: readonly string[];
  exclude?: readonly string[];
  /** Bytes; larger files are skipped. Default 5 MB. */
  maxFileSize?: number;
}

export const DEFAULT_MAX_FILE_SIZE = 5 * 1024 * 1024;

export interface LoadedFile {
  /** Relative to the folder, with forward slashes. */
  path: string;
  uri: string;
  text: string;
}

export interface SkippedFile {
  path: string;
  reason: string;
}

export interface LoadResult {
  files: LoadedFile[];
  skipped: SkippedFile[];
}

export type DecodeResult = { ok: true; text: string } | { ok: false; reason: string };

/** Decodes a file's bytes as an article, or says why it is not one. */
export function decodeArticle(bytes: Uint8Array, maxFileSize = DEFAULT_MAX_FILE_SIZE): DecodeResult {
  if (bytes.length > maxFileSize) {
    return { ok: false, reason: `too large (${formatBytes(bytes.length)} > limit ${formatBytes(maxFileSize)})` };
  }
  if (bytes.indexOf(0) >= 0) return { ok: false, reason: 'binary file (contains NUL bytes)' };
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { ok: false, reason: 'not valid UTF-8' };
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return { ok: true, text };
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1)} MB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${n} B`;
}

/** Lists corpus files under `folder` (relative paths, sorted) without reading them. */
export function listCorpusFiles(folder: string, opts: LoaderOptions = {}): string[] {
  const filter = {
    include: opts.include ?? DEFAULT_INCLUDE,
    exclude: [...DEFAULT_EXCLUDE, ...(opts.exclude ?? [])],
  };
  const out: string[] = [];
  const walk = (dir: string, rel: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (e.name === 'node_modules' || e.name === '.git') continue;
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(path.join(dir, e.name), r);
      // Links to files are articles too; a broken link is listed and then reported as unreadable.
      else if ((e.isFile() || (e.isSymbolicLink() && !isDirectory(path.join(dir, e.name)))) && inCorpus(r, filter)) out.push(r);
    }
  };
  walk(folder, '');
  return out.sort();
}

function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** Loads every article under `folder`. Throws only if `folder` itself is missing. */
export function loadFolder(folder: string, opts: LoaderOptions = {}): LoadResult {
  const abs = path.resolve(folder);
  let st: fs.Stats;
  try {
    st = fs.statSync(abs);
  } catch {
    throw new Error(`folder not found: ${folder}`);
  }
  if (!st.isDirectory()) throw new Error(`not a folder: ${folder}`);
  const maxFileSize = opts.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  const result: LoadResult = { files: [], skipped: [] };
  for (const rel of listCorpusFiles(abs, opts)) {
    const full = path.join(abs, rel);
    let bytes: Buffer;
    try {
      const size = fs.statSync(full).size;
      if (size > maxFileSize) {
        result.skipped.push({ path: rel, reason: `too large (${formatBytes(size)} > limit ${formatBytes(maxFileSize)})` });
        continue;
      }
      bytes = fs.readFileSync(full);
    } catch (err) {
      result.skipped.push({ path: rel, reason: `unreadable (${(err as NodeJS.ErrnoException).code ?? String(err)})` });
      continue;
    }
    const decoded = decodeArticle(bytes, maxFileSize);
    if (!decoded.ok) {
      result.skipped.push({ path: rel, reason: decoded.reason });
      continue;
    }
    result.files.push({ path: rel, uri: pathToFileURL(full).href, text: decoded.text });
  }
  return result;
}
