/**
 * Batch analysis of a folder into the JSON report the CLI prints (`sourcelens analyze --json`).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { claimIdOf } from './claimList';
import { InMemoryCorpus } from './corpus';
import { parseDictionary, type Dictionary } from './entities';
import { loadFolder, type LoaderOptions, type SkippedFile } from './loader';
import { compareStrings as cmp } from './text';
import type { EntityType, RawClaim } from './types';
import { WorkspaceIndex } from './workspaceIndex';

export interface ReportMention {
  path: string;
  start: number;
  end: number;
  text: string;
}

export interface ReportEntity {
  id: string;
  name: string;
  type: EntityType;
  aliases: string[];
  mentions: ReportMention[];
}

/** A claim as the report prints it: the document's path and an id, then the claim's own fields. */
export type ReportClaim = { id: string; path: string } & Pick<
  RawClaim,
  'start' | 'end' | 'text' | 'kind' | 'value' | 'unit' | 'qualifier' | 'checkworthy' | 'sentence'
>;

export interface Report {
  version: 1;
  documents: Array<{ path: string; length: number }>;
  entities: ReportEntity[];
  claims: ReportClaim[];
}

export interface FolderAnalysis {
  report: Report;
  skipped: SkippedFile[];
  /** Problems that did not stop the analysis (e.g. a malformed dictionary). */
  warnings: string[];
  index: WorkspaceIndex;
}

export const DICTIONARY_PATH = '.sourcelens/entities.json';

/** Reads `<folder>/.sourcelens/entities.json` if present. A broken file becomes a warning. */
export function readDictionary(folder: string): { dictionary?: Dictionary; warning?: string } {
  const file = path.join(folder, DICTIONARY_PATH);
  if (!fs.existsSync(file)) return {};
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    return { warning: `${DICTIONARY_PATH}: unreadable (${String(err)}); dictionary not used` };
  }
  const parsed = parseDictionary(text);
  if (!parsed.ok) {
    const e = parsed.error;
    return { warning: `${DICTIONARY_PATH}:${e.line}:${e.column}: ${e.message}; dictionary not used` };
  }
  return { dictionary: parsed.dictionary };
}

export function analyzeFolder(folder: string, opts: LoaderOptions = {}): FolderAnalysis {
  const abs = path.resolve(folder);
  const loaded = loadFolder(abs, opts);
  const warnings: string[] = [];
  const dict = readDictionary(abs);
  if (dict.warning) warnings.push(dict.warning);
  const corpus = new InMemoryCorpus(loaded.files.map((f) => ({ uri: f.uri, text: f.text, version: 1 })));
  const index = new WorkspaceIndex({ dictionary: dict.dictionary });
  index.fill(corpus);
  const relPath = new Map(loaded.files.map((f) => [f.uri, f.path]));
  return { report: buildReport(index, (uri) => relPath.get(uri) ?? relativeFromUri(abs, uri)), skipped: loaded.skipped, warnings, index };
}

function relativeFromUri(folder: string, uri: string): string {
  try {
    return path.relative(folder, fileURLToPath(uri)).split(path.sep).join('/');
  } catch {
    return uri;
  }
}

export function buildReport(index: WorkspaceIndex, pathOf: (uri: string) => string): Report {
  const docs = [...index.documents()].sort((a, b) => cmp(pathOf(a.uri), pathOf(b.uri)));
  const documents = docs.map((d) => ({ path: pathOf(d.uri), length: d.textLength }));
  const entities: ReportEntity[] = index.entities().map((e) => ({
    id: e.id,
    name: e.name,
    type: e.type,
    aliases: [...e.aliases],
    mentions: e.mentions
      .map((m) => ({ path: pathOf(m.uri), start: m.start, end: m.end, text: m.text }))
      .sort((a, b) => cmp(a.path, b.path) || a.start - b.start),
  }));
  const claims: ReportClaim[] = [];
  for (const d of docs) {
    const p = pathOf(d.uri);
    for (const c of d.claims) {
      claims.push({
        id: claimIdOf(p, c),
        path: p,
        start: c.start,
        end: c.end,
        text: c.text,
        kind: c.kind,
        value: c.value,
        unit: c.unit,
        qualifier: c.qualifier,
        checkworthy: c.checkworthy,
        sentence: c.sentence,
      });
    }
  }
  return { version: 1, documents, entities, claims };
}

