/**
 * The server's view of the workspace: which files are articles (settings + folders), reading
 * them from disk, keeping open editors in front of disk content, the project dictionary, the
 * first indexing pass with progress, debounced re-analysis of edits and file events. Owns the
 * WorkspaceIndex; features read it through the language service.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  DiagnosticSeverity,
  FileChangeType,
  MessageType,
  ShowMessageNotification,
  type Connection,
  type FileEvent,
  type TextDocuments,
  type WorkspaceFolder,
} from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { IndexChangedNotification, type IndexStats } from '../protocol';
import type { AnalysisCache } from '../service/analysisCache';
import { contentKey, IndexSnapshot, openSnapshotFile, writeIndexSnapshot, type SnapshotFileInfo, type SnapshotFile } from '../service/indexSnapshot';
import type { AnalysisPool, PoolPurpose } from './analysisPool';
import { BackgroundPause } from './backgroundPause';
import { ReferenceWarmer } from './referenceWarmer';
import { EDIT_REWARM_IDLE_MS, WorkerWarmth } from './workerWarmth';
import type { AnalysisJob } from '../worker/analysisJob';
import type { CorpusDocument } from '../service/corpus';
import type { TokenCategory } from '../service/context';
import { parseDictionary, type Dictionary } from '../service/entities';
import { Memo } from '../service/entities/memo';
import { DEFAULT_EXCLUDE, DEFAULT_INCLUDE, inCorpus } from '../service/glob';
import { createLanguageService, type LanguageService } from '../service/languageService';
import { DEFAULT_MAX_FILE_SIZE, decodeArticle, formatBytes, listCorpusFiles } from '../service/loader';
import { DICTIONARY_PATH } from '../service/report';
import type { DocumentAnalysis } from '../service/types';
import { WorkspaceIndex } from '../service/workspaceIndex';
import type { CollectionPoint } from './fullCollection';
import type { Logger } from './guard';

/**
 * Jobs queued per analysis worker in the indexing pass while this thread helps (see indexAll).
 * With two, the worker waited for work whenever this thread was busy with an article of its
 * own and the results that came in meanwhile. At 20,000 generated articles on two cores, with
 * the worker analysing only (AnalysisJob.analyseOnly), the pass took 67-71 s with two, 55-63 s
 * with four and 45-56 s with six, in runs interleaved over half an hour (bench/README.md, item
 * 41; six had gained nothing in item 30, when the worker still resolved and packed). With six
 * the worker still waited 3.1-3.3 s of a pass (the server logs its waits as the pass ends), with
 * twelve 1.5-2.3 s; the pass's own time was within the machine's spread.
 */
export const QUEUED_PER_WORKER = 12;

/**
 * Jobs given to each worker just before the full collection 90% into the pass (see indexAll):
 * the collection holds this thread for about half a second at 20,000 articles, and a worker with
 * its usual QUEUED_PER_WORKER jobs ran out of work within a few dozen milliseconds of it and
 * waited through the rest (its waits are logged as the pass ends). An article takes a worker
 * 3-4 ms here, so this is about that half second's work; this thread helps with the articles
 * after them while the worker works through them.
 */
export const COLLECTION_TOP_UP = 160;

/**
 * The largest article (in bytes on disk) this thread analyses itself while it helps the workers
 * (see indexAll): news articles are a few kilobytes; at about 3.5 MB/s one of 64 KB holds the
 * thread for some 20 ms.
 */
export const HELP_MAX_BYTES = 64 * 1024;

/**
 * Runs `step` until it returns true (done) or `go` turns false, with a turn of the event loop
 * between two steps. The first step begins with a full collection (1.4-3.2 s at 20,000
 * articles), which must not come between a request and its answer: a request sent while the
 * caller held the thread waits in its pipe, and one sent right after the search for components
 * (whose steps answered requests from their articles alone) is the first to get the linked
 * answer. So the first step waits until the thread has been free for `quietMs`
 * and no request has started or ended for as long (`sinceRequest`, see
 * `BackgroundPause.sinceLastRequest`), at most `maxWaitMs`, checking after a turn of the event
 * loop. A fixed few milliseconds were not enough: vscode-jsonrpc 8.2 takes several immediates
 * to read a message (its read lock, then its message queue) and one more to write the answer
 * (its write lock), other I/O may come first, and a hover that links its article's components
 * first takes longer than that (test/unit/link-steps.test.ts).
 */
export async function inSteps(
  step: () => boolean,
  go: () => boolean,
  sinceRequest: () => number = () => Infinity,
  quietMs = 20,
  maxWaitMs = 2000,
): Promise<void> {
  const start = performance.now();
  for (;;) {
    // After a turn: whatever the connection had queued before this check has run.
    await nextTurn();
    if (!go()) return;
    const waited = performance.now() - start;
    const quiet = Math.min(waited, sinceRequest());
    if (quiet >= quietMs || waited >= maxWaitMs) break;
    await sleep(Math.min(quietMs - quiet, maxWaitMs - waited) + 1);
  }
  while (!step()) {
    await nextTurn();
    if (!go()) return;
  }
}

/** An article read from disk (`readArticle`): its text and size in bytes, or why it was not read. */
type ArticleRead = { ok: true; text: string; size: number } | { ok: false; reason: string };

/** How long one step of the link's last stage runs before requests are answered (see indexAll). */
const LINK_STEP_MS = 30;
/** How long one step of the search for the link's components runs before requests are answered (see indexAll). */
const SEARCH_STEP_MS = 20;

export interface Settings {
  include: string[];
  exclude: string[];
  /** Bytes. */
  maxFileSize: number;
  entityTypes: TokenCategory[];
}

export const DEFAULT_SERVER_SETTINGS: Settings = {
  include: [...DEFAULT_INCLUDE],
  exclude: [],
  maxFileSize: DEFAULT_MAX_FILE_SIZE,
  entityTypes: ['person', 'organization', 'place', 'event', 'claim'],
};

const CATEGORIES: readonly TokenCategory[] = ['person', 'organization', 'place', 'event', 'claim'];

/** Validates a `sourcelens` settings object from the client; bad values fall back to defaults. */
export function normalizeSettings(raw: unknown): Settings {
  const s = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const strings = (v: unknown) => (Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : undefined);
  const include = strings(s.include);
  const exclude = strings(s.exclude);
  const max = typeof s.maxFileSize === 'number' && Number.isFinite(s.maxFileSize) && s.maxFileSize > 0 ? s.maxFileSize : undefined;
  // entityTypes: either `{ person: true, claim: false, … }` (the contributed setting) or a list.
  let types: TokenCategory[] | undefined;
  if (Array.isArray(s.entityTypes)) {
    types = strings(s.entityTypes)?.filter((t): t is TokenCategory => (CATEGORIES as readonly string[]).includes(t));
  } else if (s.entityTypes && typeof s.entityTypes === 'object') {
    const o = s.entityTypes as Record<string, unknown>;
    types = CATEGORIES.filter((c) => o[c] !== false);
  }
  return {
    include: include && include.length > 0 ? include : [...DEFAULT_INCLUDE],
    exclude: exclude ?? [],
    maxFileSize: max ?? DEFAULT_MAX_FILE_SIZE,
    entityTypes: types ?? [...DEFAULT_SERVER_SETTINGS.entityTypes],
  };
}

interface Folder {
  uri: string;
  path: string;
}

export interface WorkspaceOptions {
  connection: Connection;
  documents: TextDocuments<TextDocument>;
  log: Logger;
  untrusted: boolean;
  folders: WorkspaceFolder[];
  /** Client capabilities that matter here. */
  capabilities: { configuration: boolean; semanticTokensRefresh: boolean };
  /** Debounce for re-analysing an edited document, ms. */
  editDelay?: number;
  analyse?: (text: string) => DocumentAnalysis;
  /** On-disk cache of analyses (initializationOptions.cacheDir). */
  cache?: AnalysisCache;
  /**
   * Starts worker threads (at most `size`, default one per core) for an indexing pass (they are
   * stopped when the pass ends, so their memory is not held while the server only answers
   * requests) and one for edits (see prepareForEdits); without it, or when it gives none,
   * articles are analysed in process.
   */
  pool?: (size?: number, purpose?: PoolPurpose) => AnalysisPool | undefined;
  /** Where the linked index is saved for the next start, and what must match to reuse it. */
  snapshot?: { file: string; fingerprint: string };
  /** Files analysed per slice before yielding to the event loop (at most ~30 ms per slice). */
  batchSize?: number;
  /** Forces full collections near the end of the indexing pass and during the first link pass (see fullCollection.ts). */
  collectGarbage?: (at: CollectionPoint) => void;
  /**
   * Lets this thread's analyser go (the model's tables, about 45 MB) when a pass that ran in
   * worker threads ends: from then on edits have a worker of their own, and what is analysed
   * here after all (a failed job, no edit worker) loads it again.
   */
  releaseAnalyser?: () => void;
  /**
   * This thread analyses articles too during a pass in workers, whenever the workers have two
   * jobs queued each (see `indexAll`), and lets its analyser go at the end (`releaseAnalyser`).
   */
  helpIndexing?: boolean;
  /**
   * How long the edit worker may be idle before activity on an open article warms it again
   * (see WorkerWarmth; default EDIT_REWARM_IDLE_MS).
   */
  editRewarmIdleMs?: number;
}

/**
 * Normalises a client URI so that disk-loaded and editor URIs of one file compare equal. Every
 * request asks for its document's; up to 1,024 answers are kept (at least the last 512 distinct URIs), since
 * parsing and rebuilding a URL per request was a tenth of what answering a hover allocated.
 */
export function canonicalUri(uri: string): string {
  return uri.startsWith('file:') ? canonical.get(uri, canonicalFileUri) : uri;
}
const canonical = new Memo<string>(1024);

function canonicalFileUri(uri: string): string {
  try {
    return pathToFileURL(fileURLToPath(uri)).href;
  } catch {
    return uri;
  }
}

export class Workspace {
  readonly index: WorkspaceIndex;
  readonly service: LanguageService;
  /** Builds the biggest entities' reference lists ahead of the first request for them. */
  readonly referenceWarmer: ReferenceWarmer;
  settings: Settings = { ...DEFAULT_SERVER_SETTINGS };
  /** True from start-up until the first indexing pass ends (the pass starts after `initialized`). */
  indexing = true;
  private folders: Folder[] = [];
  private readonly skipped = new Map<string, string>();
  private readonly loggedSkips = new Set<string>();
  private readonly editTimers = new Map<string, NodeJS.Timeout>();
  private generation = 0;
  /** The last good dictionary of each folder that has one. */
  private readonly dictionaries = new Map<string, Dictionary>();
  private readonly dictionaryProblems = new Set<string>();
  private refreshTimer: NodeJS.Timeout | undefined;
  private notifyTimer: NodeJS.Timeout | undefined;
  private readonly changedUris = new Set<string>();
  private readonly conn: Connection;
  private readonly log: Logger;
  private readonly editDelay: number;
  private readonly batchSize: number;
  /** Resolves when the running indexing pass ends. */
  private running: Promise<void> = Promise.resolve();

  constructor(private readonly opts: WorkspaceOptions) {
    this.conn = opts.connection;
    this.log = opts.log;
    this.editDelay = opts.editDelay ?? 150;
    this.editWarmth = new WorkerWarmth(opts.editRewarmIdleMs ?? EDIT_REWARM_IDLE_MS);
    this.batchSize = opts.batchSize ?? 25;
    // Texts read from disk are not kept in memory: the index reads one back when a feature needs
    // it, and reports a file that no longer holds the text indexed, which is then loaded again.
    this.index = new WorkspaceIndex({ analyse: opts.analyse, cache: opts.cache, readText: (uri) => this.readBack(uri), collectGarbage: opts.collectGarbage });
    this.index.onStaleText((uri) => this.reloadStale(uri));
    // Until the first pass has linked the corpus, requests are answered without linking it.
    this.index.deferLinking(true);
    if (opts.snapshot) {
      this.gate = new Promise<void>((resolve) => (this.openGate = resolve));
      const t = setTimeout(() => this.releaseGate(), STARTUP_GATE_MAX_MS);
      t.unref?.();
      this.snapshotFile = openSnapshotFile(opts.snapshot.file).catch((err: NodeJS.ErrnoException) => {
        if (err.code !== 'ENOENT') this.log.info(`[snapshot] could not read ${opts.snapshot!.file}: ${String(err)}`);
        this.releaseGate(); // nothing to wait for (a first start)
        return undefined;
      });
    }
    this.service = createLanguageService({ index: this.index, settings: () => ({ entityTypes: this.settings.entityTypes }) });
    this.referenceWarmer = new ReferenceWarmer(this.service, () => this.index.linked && !this.indexing, 500, () => this.background.pause());
    this.setFolders(opts.folders);
    this.index.onDidChange((e) => {
      this.indexEpoch++;
      for (const uri of e.uris) this.changedUris.add(uri);
      this.scheduleIndexNotification();
    });
  }

  // ---- folders and settings --------------------------------------------------------------

  setFolders(folders: readonly WorkspaceFolder[]): void {
    this.folders = [];
    for (const f of folders) {
      try {
        this.folders.push({ uri: canonicalUri(f.uri), path: fileURLToPath(f.uri) });
      } catch {
        this.log.warn(`Workspace folder ${f.uri} is not on disk; its articles are not indexed.`);
      }
    }
    // Deepest folder first, so nested folders win when looking up a file's folder.
    this.folders.sort((a, b) => b.path.length - a.path.length);
  }

  addFolders(added: readonly WorkspaceFolder[], removed: readonly WorkspaceFolder[]): void {
    const gone = new Set(removed.map((f) => canonicalUri(f.uri)));
    const keep = this.folders.filter((f) => !gone.has(f.uri)).map((f) => ({ uri: f.uri, name: path.basename(f.path) }));
    this.setFolders([...keep, ...added]);
  }

  async readSettings(pushed?: unknown): Promise<Settings> {
    let raw: unknown = pushed;
    if (this.opts.capabilities.configuration) {
      try {
        raw = await this.conn.workspace.getConfiguration({ section: 'sourcelens' });
      } catch (err) {
        this.log.warn(`Could not read settings (${String(err)}); using defaults.`);
      }
    }
    return normalizeSettings(raw);
  }

  private folderOf(uri: string): Folder | undefined {
    let p: string;
    try {
      p = fileURLToPath(uri);
    } catch {
      return undefined;
    }
    return this.folders.find((f) => p === f.path || p.startsWith(f.path.endsWith(path.sep) ? f.path : f.path + path.sep));
  }

  /** Whether `uri` is an article of the corpus under the current settings. */
  isArticle(uri: string): boolean {
    const folder = this.folderOf(uri);
    const filter = { include: this.settings.include, exclude: [...DEFAULT_EXCLUDE, ...this.settings.exclude] };
    if (!folder) {
      // Outside every folder (or no folder open): judge the file by its name.
      if (this.folders.length > 0 && uri.startsWith('file:')) return false;
      const name = uri.slice(uri.lastIndexOf('/') + 1);
      return inCorpus(decodeURIComponentSafe(name), filter);
    }
    const rel = path.relative(folder.path, fileURLToPath(uri)).split(path.sep).join('/');
    if (rel === '' || rel.startsWith('..')) return false;
    return inCorpus(rel, filter);
  }

  // ---- indexing ------------------------------------------------------------------------

  /**
   * Indexes every article of every folder from disk (open editors win), in slices that yield to
   * the event loop, reporting progress. A newer pass supersedes a running one.
   */
  async indexAll(): Promise<void> {
    const gen = ++this.generation;
    const previous = this.running;
    let done!: () => void;
    this.running = new Promise((r) => (done = r));
    await previous.catch(() => undefined);
    if (gen !== this.generation) return done();
    this.indexing = true;
    const passStart = performance.now();
    // Requests during the pass are answered from each article alone; one link pass at the end.
    this.index.deferLinking(true);
    const progress = await this.conn.window.createWorkDoneProgress().catch(() => undefined);
    try {
      const files: string[] = [];
      for (const f of [...this.folders].reverse()) {
        const opts = { include: this.settings.include, exclude: this.settings.exclude };
        for (const rel of listCorpusFiles(f.path, opts)) {
          const uri = pathToFileURL(path.join(f.path, rel)).href;
          // Nested folders: the deepest folder owns the file.
          if (this.folderOf(uri) === f) files.push(uri);
        }
      }
      const wanted = new Set(files);
      // The workers start after the snapshot is loaded: loading their taggers on a small machine
      // slowed it (measured at 20,000 articles on two cores); the pass gains little from an early start.
      await this.loadSnapshot(files);
      this.releaseGate();
      // Articles open in editors first: they may have been left to the snapshot (see didOpen).
      const open = new Set(this.documents().all().map((d) => canonicalUri(d.uri)));
      if (open.size > 0) files.sort((a, b) => Number(open.has(b)) - Number(open.has(a)));
      const pool = files.length > 1 ? this.opts.pool?.() : undefined;
      this.activePool = pool;
      // Requests that waited for the snapshot are answered before the pass starts working: two
      // turns, since a response is written in a turn of its own after its handler has run.
      await new Promise<void>((r) => setImmediate(() => setImmediate(r)));
      if (gen !== this.generation) return;
      progress?.begin('Sourcelens', 0, `Indexing ${files.length} ${files.length === 1 ? 'article' : 'articles'}`, false);
      // Drop what is no longer part of the corpus (settings changed, files gone).
      for (const d of [...this.index.documents()]) {
        if (!wanted.has(d.uri) && !(this.documents().get(d.uri) && this.isArticle(d.uri))) this.removeFromIndex(d.uri);
      }
      for (const uri of [...this.skipped.keys()]) if (!wanted.has(uri)) this.skipped.delete(uri);
      const helps = !!pool && this.opts.helpIndexing === true;
      let here = 0;
      if (pool) this.log.info(`Indexing ${files.length} articles with ${pool.size} analysis ${pool.size === 1 ? 'worker' : 'workers'}${helps ? ' and this thread' : ''}.`);
      const inFlight = new Set<Promise<void>>();
      const track = (job: Promise<void>) => {
        const p = job.then(
          () => void inFlight.delete(p),
          () => void inFlight.delete(p),
        );
        inFlight.add(p);
      };
      let lastReport = 0;
      const collectAt = Math.ceil(files.length * 0.9);
      let collected = false;
      for (let i = 0; i < files.length; ) {
        if (gen !== this.generation) return; // superseded
        const sliceStart = Date.now();
        let n = 0;
        // (A slice stops at the 90% point: the collection and the workers' extra work come there.)
        while (i < files.length && n < this.batchSize && Date.now() - sliceStart < 30 && (collected || i < collectAt)) {
          const uri = files[i];
          i++;
          n++;
          if (!pool) {
            this.loadFromDisk(uri);
            continue;
          }
          // QUEUED_PER_WORKER jobs queued per worker keep them busy. Then a helping thread analyses
          // the next article itself, in process (its result crosses no thread), and yields: the
          // workers' results and requests are handled between its articles.
          // A long article (over HELP_MAX_BYTES) goes to the workers all the same: analysed here,
          // it would hold up the requests for as long (a 5 MB file, the largest read, takes seconds).
          let read: ArticleRead | undefined;
          if (helps && inFlight.size >= QUEUED_PER_WORKER * pool.size && !this.documents().get(uri)) {
            read = this.readArticle(uri);
            if (!read.ok || read.size <= HELP_MAX_BYTES) {
              this.loadFromDisk(uri, read);
              if (read.ok) here++;
              break;
            }
          }
          const job = this.loadForPool(uri, pool, read);
          if (!job) continue;
          track(job);
          if (inFlight.size >= QUEUED_PER_WORKER * Math.max(1, pool.size) + (helps ? 1 : 0)) await Promise.race(inFlight);
        }
        if (!collected && i >= collectAt) {
          collected = true;
          // The workers get the collection's length of work first (see COLLECTION_TOP_UP).
          if (pool && this.opts.collectGarbage) {
            let queued = 0;
            for (let k = 0; k < COLLECTION_TOP_UP * pool.size && i < files.length; k++) {
              const job = this.loadForPool(files[i++], pool);
              if (job) (track(job), queued++);
            }
            if (queued > 0) this.log.info(`Gave the analysis ${pool.size === 1 ? 'worker' : 'workers'} ${queued} more articles ahead of a full collection.`);
          }
          this.opts.collectGarbage?.('pass');
        }
        if (Date.now() - lastReport > 100 || i === files.length) {
          lastReport = Date.now();
          progress?.report(Math.round((i / Math.max(1, files.length)) * 100), `${i}/${files.length} articles`);
        }
        // No index-change events mid-pass: each would re-link the partial corpus for its stats.
        // Requests on open articles are still answered between slices.
        await nextTurn();
      }
      await Promise.all(inFlight);
      if (pool) {
        // While a worker has no job, its core does nothing for the pass: what is left to balance.
        const waited = pool.waitedMs();
        const passMs = performance.now() - passStart;
        this.log.info(`The analysis ${pool.size === 1 ? 'worker' : 'workers'} waited ${Math.round(waited)} ms for work during the pass (${((100 * waited) / Math.max(1, passMs * Math.max(1, pool.size))).toFixed(1)}% of it).`);
      }
      pool?.dispose();
      if (gen !== this.generation) return;
      // Open articles the disk pass did not see (unsaved, or outside every folder).
      for (const doc of this.documents().all()) {
        const uri = canonicalUri(doc.uri);
        if (this.isArticle(uri)) this.safeUpdate(uri, doc.getText(), doc.version);
      }
      // Saved now, before the link pass: the rewrite's buffers are gone before it starts. Written
      // on libuv's thread pool and waited for, so requests are answered meanwhile (written
      // synchronously, at 20,000 articles, it held them for 0.8-1 s, 0.55 s of it the write).
      // Not written beside the search instead: each of its writes then waited for a step of the
      // search, the write took 1.9-3.3 s, and the buffers it held raised the search's peak RSS by
      // 70-106 MB (two cold starts at 20,000 articles, 2026-12-02, bench/README.md item 47).
      // The first pass is complete: the save writes the payloads the cache still holds (see
      // AnalysisCache.completeAndFlush), then lets them go.
      const savingSince = performance.now();
      await this.opts.cache?.completeAndFlush();
      const savingMs = Math.round(performance.now() - savingSince);
      if (savingMs > 100) this.log.info(`Saved the analysis cache in ${savingMs} ms.`);
      // The workers analysed the corpus; an article opened meanwhile may have loaded the analyser
      // here too. Not held through the link pass, the memory peak (edits get a worker next).
      if (pool && this.opts.releaseAnalyser) {
        this.opts.releaseAnalyser();
        this.analyserReleased = true;
        this.log.info('The analysis workers indexed the corpus: this thread lets its analyser go until it needs it again.');
      }
      this.log.info(
        `Indexed ${this.index.size} articles${this.skipped.size ? `, skipped ${this.skipped.size}` : ''} in ${Math.round(performance.now() - passStart)} ms${here ? ` (${here} analysed on this thread)` : ''}.`,
      );
    } finally {
      this.releaseGate();
      this.activePool?.dispose();
      this.activePool = undefined;
      const linkStart = performance.now();
      // Superseded: the next pass's link finishes what is left (any query would, too). Shut down:
      // the rest of the link is not worth finishing.
      const go = () => !this.disposed && gen === this.generation;
      // The search for the link's components, in steps between which requests are answered as
      // during the pass (article-local cards, or the snapshot's): it took 13-16 s in one go at
      // 20,000 articles, and the server answered nothing meanwhile.
      let searched = false;
      if (go() && this.index.beginLinkSearch()) {
        searched = true;
        progress?.report(100, 'Finding what to link across articles');
        // Requests that came while the end of the pass held the thread (the analysis cache is
        // saved then) are answered before the full collection that opens the search.
        await inSteps(() => this.index.linkSearchStep(SEARCH_STEP_MS), go, () => this.background.sinceLastRequest());
      }
      if (go()) {
        this.indexing = false;
        this.index.deferLinking(false);
        // The corpus-wide link pass. Its last stage, linking each component, runs in steps that
        // yield to requests: a hover on an article links that article's components first.
        if (this.index.startLink()) {
          this.log.info(`Found what to link in ${Math.round(performance.now() - linkStart)} ms; linking it in steps (the articles asked about first).`);
          progress?.report(100, 'Linking entities across articles');
          // Requests come first (see inSteps). Those that came during the search got their
          // articles' own entities: the next ones get linked answers before the collection that
          // opens the first step (a quiet of REQUEST_QUIET_MS, at most 2 s, after a search in steps).
          await inSteps(
            () => this.index.linkRest(LINK_STEP_MS),
            go,
            () => this.background.sinceLastRequest(),
            searched ? REQUEST_QUIET_MS : undefined,
          );
        }
        // (Shut down meanwhile: the rest of the link is not worth finishing.)
        if (!this.disposed) {
          const counts = this.index.entityCounts(); // (what is left of the link, if the loop stopped)
          const linkMs = Math.round(performance.now() - linkStart);
          if (linkMs > 100) this.log.info(`Linked ${counts.person + counts.organization + counts.place + counts.event} entities in ${linkMs} ms.`);
          // Always tell the client the pass is over, even if nothing changed.
          if (!this.flushPending()) {
            this.conn.sendNotification(IndexChangedNotification, { ...this.stats(), uris: [] });
            this.indexSettled();
          }
          const open = this.documents().all().find((d) => this.isArticle(canonicalUri(d.uri)));
          if (open) this.prepareForEdits(canonicalUri(open.uri));
        }
      }
      progress?.done();
      done();
    }
  }

  /** Waits for the running indexing pass (tests). */
  whenIdle(): Promise<void> {
    return this.running;
  }

  private documents(): { get(uri: string): TextDocument | undefined; all(): TextDocument[] } {
    const docs = this.opts.documents;
    return {
      get: (uri) => docs.get(uri) ?? docs.all().find((d) => canonicalUri(d.uri) === uri),
      all: () => docs.all(),
    };
  }

  /**
   * Reads one article from disk and hands its analysis to the worker pool; resolves when the result
   * is in the index. Undefined when there is nothing to analyse (open in an editor, unchanged, or
   * unreadable: handled here as `loadFromDisk` would). A job that fails in the pool, or whose
   * result no longer applies, is redone in process; a newer load of the same article (an editor,
   * a file event) wins over a late result.
   */
  private loadForPool(uri: string, pool: AnalysisPool, read?: ArticleRead): Promise<void> | undefined {
    if (this.documents().get(uri)) return undefined;
    const r = read ?? this.readArticle(uri);
    if (!r.ok) {
      this.loadFromDisk(uri, r);
      return undefined;
    }
    this.skipped.delete(uri);
    const doc = { uri, text: r.text, version: 0 };
    if (!this.index.needsUpdate(doc)) return undefined;
    const cached = this.opts.cache?.payloadOf(r.text, uri);
    // A copy: the cached payload is a view into the whole cache file, which must not be cloned.
    // A fresh article's analysis comes back to be resolved here (see AnalysisJob.analyseOnly); a
    // cached one is decoded and resolved in the worker.
    const job = { uri, text: r.text, cached: cached ? new Uint8Array(cached) : undefined, dictionary: this.index.getDictionary(), analyseOnly: !cached };
    return this.runInWorker(pool, job, doc, true);
  }

  /**
   * Runs `job`, the analysis of `doc`, in `pool` and applies its result unless a newer text of the
   * article was loaded meanwhile (see tickets). A job that fails, or whose result no longer applies
   * (the dictionary changed meanwhile), is redone in process. `cache: false` keeps the result out
   * of the analysis cache (unsaved editor text).
   */
  private runInWorker(pool: AnalysisPool, job: AnalysisJob, doc: CorpusDocument, cache: boolean): Promise<void> {
    const ticket = this.nextTicket(doc.uri);
    const dictionaryVersion = this.index.dictionaryVersion;
    /** Whether this job's text is still the newest load of the article (and, if so, the ticket is spent). */
    const current = () => {
      if (this.tickets.get(doc.uri) !== ticket || this.disposed) return false;
      this.tickets.delete(doc.uri);
      return true;
    };
    const inProcess = (why?: string) => {
      if (why) this.log.warn(`Worker analysis of ${doc.uri} ${why}; analysing in process.`);
      this.safeUpdate(doc.uri, doc.text, doc.version);
    };
    return pool.run(job).then(
      (res) => {
        if (!current()) return;
        // An `analyseOnly` job: the analysis is resolved here.
        if (!res.local) return this.safeUpdate(doc.uri, doc.text, doc.version, { payload: res.payload, fresh: cache && res.fresh });
        try {
          if (!this.index.applyAnalysed({ ...doc, payload: res.payload, local: res.local, fresh: cache && res.fresh, dictionaryVersion })) inProcess();
        } catch (err) {
          inProcess(`could not be applied (${String(err)})`);
        }
      },
      (err) => {
        if (current()) inProcess(`failed (${String(err).split('\n')[0]})`);
      },
    );
  }

  private removeFromIndex(uri: string): void {
    this.tickets.delete(uri); // a worker result still on its way must not bring it back
    this.index.remove(uri);
  }

  /** Every load of an article takes a ticket; a worker result is applied only if its ticket is the newest. */
  private readonly tickets = new Map<string, number>();
  private ticketCounter = 0;
  private nextTicket(uri: string): number {
    const t = ++this.ticketCounter;
    this.tickets.set(uri, t);
    return t;
  }

  /** Reads one article from disk (unless `read` is its reading) into the index, unless an editor has it open. */
  private loadFromDisk(uri: string, read?: ArticleRead): void {
    if (this.documents().get(uri)) return;
    const r = read ?? this.readArticle(uri);
    if (r.ok) {
      this.skipped.delete(uri);
      this.safeUpdate(uri, r.text, 0);
    } else {
      this.removeFromIndex(uri);
      if (r.reason === 'missing') {
        this.skipped.delete(uri);
        return;
      }
      this.skipped.set(uri, r.reason);
      const key = `${uri}\u0000${r.reason}`;
      if (!this.loggedSkips.has(key)) {
        this.loggedSkips.add(key);
        this.log.warn(`Skipped ${fileURLToPath(uri)}: ${r.reason}`);
      }
    }
  }

  /**
   * Analyses one document into the index. A failing analysis (a bug, a broken model) skips that
   * article with a logged reason instead of aborting the indexing pass.
   */
  private safeUpdate(uri: string, text: string, version: number, analysed?: { payload: Uint8Array; fresh: boolean }): void {
    // Anything loaded here is newer than a worker result still on its way.
    this.tickets.delete(uri);
    try {
      // An analysis from a worker (an `analyseOnly` job) is resolved here; one that cannot be read is redone.
      const applied = !!analysed && this.index.applyPayload({ uri, text, version }, analysed.payload, analysed.fresh);
      if (!applied) {
        if (analysed) this.log.warn(`Worker analysis of ${uri} could not be read; analysing in process.`);
        if (this.analyserReleased && this.index.needsUpdate({ uri, text, version })) {
          this.analyserReleased = false;
          this.log.info(`Analysing ${uri} on this thread: its analyser is loaded again.`);
        }
        // Version 0 is text read from disk; editors count from 1 (their text may be unsaved).
        this.index.update({ uri, text, version }, { cache: version === 0 });
      }
      if (this.skipped.get(uri)?.startsWith('analysis failed')) this.skipped.delete(uri);
    } catch (err) {
      const reason = `analysis failed (${err instanceof Error ? err.message : String(err)})`;
      this.removeFromIndex(uri);
      this.skipped.set(uri, reason);
      const key = `${uri}\u0000${reason}`;
      if (!this.loggedSkips.has(key)) {
        this.loggedSkips.add(key);
        this.log.error(`Skipped ${uri}: ${reason}${err instanceof Error && err.stack ? `\n${err.stack}` : ''}`);
      }
    }
  }

  /** An article's text from disk now, for the index (see IndexOptions.readText); undefined if unreadable. */
  private readBack(uri: string): string | undefined {
    if (!uri.startsWith('file:')) return undefined;
    const r = this.readArticle(uri);
    return r.ok ? r.text : undefined;
  }

  /**
   * An indexed article's file no longer holds the text indexed (changed or gone, and no file event
   * has said so yet): load it again, once the request that noticed has been answered.
   */
  private reloadStale(uri: string): void {
    if (this.staleReloads.has(uri) || this.disposed) return;
    this.staleReloads.add(uri);
    setImmediate(() => {
      this.staleReloads.delete(uri);
      if (this.disposed || !this.index.isIndexed(uri)) return;
      this.log.info(`${uri} changed on disk since it was indexed; indexing it again.`);
      this.loadFromDisk(uri);
      this.flushPending();
    });
  }
  private readonly staleReloads = new Set<string>();

  private readArticle(uri: string): ArticleRead {
    const file = fileURLToPath(uri);
    let bytes: Buffer;
    try {
      const st = fs.statSync(file);
      if (!st.isFile()) return { ok: false, reason: 'missing' };
      if (st.size > this.settings.maxFileSize) {
        return { ok: false, reason: `too large (${formatBytes(st.size)} > limit ${formatBytes(this.settings.maxFileSize)})` };
      }
      bytes = fs.readFileSync(file);
      this.fileInfo.set(uri, { size: st.size, mtimeMs: st.mtimeMs });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return { ok: false, reason: 'missing' };
      return { ok: false, reason: `unreadable (${code ?? String(err)})` };
    }
    const r = decodeArticle(bytes, this.settings.maxFileSize);
    if (!r.ok) return r;
    this.checkSnapshot(uri, r.text);
    return { ok: true, text: r.text, size: bytes.length };
  }

  // ---- the snapshot of the linked index ------------------------------------------------------

  /** Size and time of each article file when it was last read (what a snapshot records). */
  private readonly fileInfo = new Map<string, SnapshotFileInfo>();
  private snapshotTimer: NodeJS.Timeout | undefined;
  /** Bumped by every index change: a snapshot write in progress stops if it moves. */
  private indexEpoch = 0;
  private snapshotLoaded = false;
  /** The worker pool of the running pass, if any. */
  private activePool: AnalysisPool | undefined;
  /** The snapshot file, opened from start-up on (undefined: none). */
  private snapshotFile: Promise<SnapshotFile | undefined> = Promise.resolve(undefined);

  private snapshotFingerprint(): string {
    const dict = this.index.getDictionary();
    return `${this.opts.snapshot!.fingerprint}+${dict ? contentKey(JSON.stringify(dict)) : 'no-dictionary'}`;
  }

  /**
   * At the first pass of a second start: the previous session's linked index answers while this
   * pass rebuilds, if it covers exactly these files, unchanged (same size and time).
   */
  private async loadSnapshot(files: readonly string[]): Promise<void> {
    if (!this.opts.snapshot || this.snapshotLoaded) return;
    this.snapshotLoaded = true;
    const t0 = performance.now();
    const file = this.opts.snapshot.file;
    const src = await this.snapshotFile;
    this.snapshotFile = Promise.resolve(undefined); // not kept
    if (!src) return;
    const t1 = performance.now();
    const snap = await IndexSnapshot.fromFile(src, file, this.snapshotFingerprint(), (m) => this.log.info(`[snapshot] ${m}`));
    if (!snap) return;
    const t2 = performance.now();
    if (snap.docs.length !== files.length || this.disposed) {
      if (!this.disposed) this.log.info(`[snapshot] not used: it has ${snap.docs.length} articles, the workspace ${files.length}`);
      snap.close();
      return;
    }
    // Every file unchanged (same size and time). Synchronous stats: 20,000 took about 0.1–0.3 s,
    // three to four times faster than one promise per file (each resolved by this thread).
    for (const uri of files) {
      const d = snap.doc(uri);
      const st = d && statInfo(uri);
      if (!d || !st || st.size !== d.size || st.mtimeMs !== d.mtimeMs) {
        this.log.info(`[snapshot] not used: ${uri} ${d ? 'changed' : 'is new'} since it was written`);
        snap.close();
        return;
      }
    }
    this.index.useSnapshot(snap, (uri) => this.readBack(uri));
    const ms = (a: number, b: number) => Math.round(b - a);
    const t3 = performance.now();
    this.log.info(
      `[snapshot] answering from the last session's index (${snap.docs.length} articles) while indexing; ` +
        `ready in ${ms(t0, t3)} ms (waited ${ms(t0, t1)} ms for the file, ${ms(t1, t2)} ms to check it, ${ms(t2, t3)} ms for the articles' sizes and times)`,
    );
  }

  /** An article read during the pass whose text is not the snapshot's: the snapshot stops answering. */
  private checkSnapshot(uri: string, text: string): void {
    const key = this.index.snapshotKey(uri);
    if (key !== undefined && key !== contentKey(text)) {
      this.log.info(`[snapshot] ${uri} differs from the snapshot; answering from each article alone until indexing ends`);
      this.index.dropSnapshot();
    }
  }

  /** Writes the snapshot once the index has been linked and quiet for a while. */
  private scheduleSnapshot(delay = 5000): void {
    if (!this.opts.snapshot || this.disposed || this.indexing) return;
    if (this.snapshotTimer) clearTimeout(this.snapshotTimer);
    this.snapshotTimer = setTimeout(() => {
      this.snapshotTimer = undefined;
      // The related figures are built after the write (not on top of its memory), unless another is due.
      void this.writeSnapshot().finally(() => {
        if (!this.snapshotTimer) this.prepareRelatedFigures();
      });
    }, delay);
    this.snapshotTimer.unref?.();
  }

  private async writeSnapshot(): Promise<void> {
    if (!this.opts.snapshot || this.disposed || this.indexing) return;
    // Not while someone types: the writer starts by taking the linked entity list, which would
    // run the corpus-wide link pass that edits put off until a pause (a third of a second at
    // 1,000 articles, measured as the slowest keystroke), and a write would be stale at once.
    const sinceEdit = Date.now() - this.lastEditAt;
    if (sinceEdit < SNAPSHOT_QUIET_MS || !this.index.linked) {
      this.scheduleSnapshot(Math.max(1000, SNAPSHOT_QUIET_MS - sinceEdit));
      return;
    }
    const epoch = this.indexEpoch;
    const t0 = performance.now();
    try {
      const wrote = await writeIndexSnapshot(
        this.opts.snapshot.file,
        this.snapshotFingerprint(),
        this.index,
        (uri) => this.fileInfo.get(uri) ?? statInfo(uri),
        () => epoch === this.indexEpoch && !this.disposed && !this.indexing,
        () => this.background.pause(),
      );
      if (wrote) this.log.info(`[snapshot] wrote ${this.index.size} articles in ${Math.round(performance.now() - t0)} ms`);
    } catch (err) {
      this.log.warn(`[snapshot] could not write ${this.opts.snapshot.file}: ${String(err)}`);
    }
  }

  /** Background work waits between slices while requests come in (see BackgroundPause). */
  private readonly background = new BackgroundPause(REQUEST_QUIET_MS, BACKGROUND_MAX_WAIT_MS, () => this.disposed);

  /** Called by every request handler on the index. */
  noteRequest(): void {
    this.background.noteRequest();
  }

  /** Sends the change event if anything changed; returns whether one was sent. */
  flushPending(): boolean {
    let sent = false;
    const d = this.index.onDidChange(() => (sent = true));
    try {
      this.index.flush();
    } finally {
      d.dispose();
    }
    return sent;
  }

  // ---- editors ---------------------------------------------------------------------------

  didOpen(doc: TextDocument): void {
    const uri = canonicalUri(doc.uri);
    if (!this.isArticle(uri)) return;
    this.cancelEdit(uri);
    this.takeEditorText(uri);
    this.prepareForEdits(uri);
    this.rewarmEditWorker(uri);
  }

  /**
   * Brings the editor's text of `uri` into the index. At start-up it first waits for the
   * snapshot to be loaded; while the snapshot answers for exactly this text, the article is left
   * to the pass (which takes open articles first): analysing it here would load the tagger on
   * this thread and hold up the first answers (measured: a quarter of a second at 20,000 articles).
   */
  private takeEditorText(uri: string): void {
    if (this.gate) {
      void this.gate.then(() => this.disposed || this.takeEditorText(uri));
      return;
    }
    const doc = this.documents().get(uri);
    if (!doc) return;
    const text = doc.getText();
    if (this.index.answeringFromSnapshot && !this.index.isIndexed(uri) && this.index.snapshotKey(uri) === contentKey(text)) return;
    // A text to analyse goes to the edit worker when there is one, like an edit: this thread has
    // let its analyser go after the pass (releaseAnalyser), and would load it again for it.
    const edited = { uri, text, version: doc.version };
    if (this.editPool && this.editPool.size > 0 && this.index.needsUpdate(edited)) {
      this.startEditJob(edited);
      return;
    }
    this.safeUpdate(uri, text, doc.version);
    this.flushPending();
  }

  /**
   * An open article may be edited next. Once the first pass is over (its link pass is the peak of
   * memory, and its workers are gone by then), edits get a worker of their own, warmed up there
   * (see warmUpEditWorker). Without workers (one core, SOURCELENS_WORKERS=0, a test's analyser)
   * edits are analysed on this thread, which has not loaded the tagger when workers indexed the
   * corpus (about half a second, most of it the gazetteer): it is loaded a moment after the first
   * article opens, so that the first keystroke does not pay for it.
   */
  private prepareForEdits(uri: string): void {
    this.warmUpUri = uri;
    if (this.indexing || this.editPool) return; // the end of the pass calls this again
    if (!this.editWorkerTried) {
      this.editWorkerTried = true;
      const pool = this.opts.pool?.(1, 'edits');
      if (pool) {
        this.editPool = pool;
        this.warmUpEditWorker(pool);
        return;
      }
    }
    this.scheduleWarmUp();
  }
  private editWorkerTried = false;
  /** The edit worker's warm-up while it runs (settles, never rejects). */
  private editWarmUp: Promise<void> | undefined;

  /** Loads the analyser on this thread a moment from now (see prepareForEdits). */
  private scheduleWarmUp(): void {
    if (this.warmUpTimer || this.warmedUp) return;
    this.warmUpTimer = setTimeout(() => {
      this.warmUpTimer = undefined;
      this.warmedUp = true;
      try {
        const t0 = performance.now();
        // The article itself runs the very code paths its edits will (a sentence would load the
        // tagger but leave most of that code cold); twice, so the engine optimises the hot loops.
        const text = this.documents().get(this.warmUpUri)?.getText().slice(0, WARM_UP_MAX_CHARS) || WARM_UP_TEXT;
        this.index.warmUp(text);
        this.index.warmUp(text);
        this.log.info(`Analyser ready for edits in ${Math.round(performance.now() - t0)} ms.`);
      } catch (err) {
        this.log.warn(`Could not load the analyser: ${String(err)}`);
      }
    }, WARM_UP_DELAY_MS);
    this.warmUpTimer.unref?.();
  }
  private warmUpUri = '';
  private warmUpTimer: NodeJS.Timeout | undefined;
  private warmedUp = false;

  /**
   * Until the first pass has decided whether the last session's snapshot answers (a second or
   * so at 20,000 articles; never longer than STARTUP_GATE_MAX_MS), requests on the index wait
   * for it, so the first answers come from the snapshot rather than from articles analysed
   * one by one on this thread meanwhile. Undefined once open (and with no snapshot at all).
   */
  get startupGate(): Promise<void> | undefined {
    return this.gate;
  }
  private gate: Promise<void> | undefined;
  private openGate: () => void = () => undefined;

  private releaseGate(): void {
    if (!this.gate) return;
    this.gate = undefined;
    this.openGate();
  }

  didChange(doc: TextDocument): void {
    const uri = canonicalUri(doc.uri);
    if (!this.isArticle(uri)) return;
    this.cancelEdit(uri);
    this.editTimers.set(
      uri,
      setTimeout(() => {
        this.editTimers.delete(uri);
        this.applyEditor(uri);
      }, this.editDelay),
    );
  }

  didClose(doc: TextDocument): void {
    const uri = canonicalUri(doc.uri);
    this.cancelEdit(uri);
    // Back to the disk content (or out of the index if the file is gone or not an article).
    if (this.isArticle(uri) && uri.startsWith('file:') && this.folderOf(uri)) {
      // The editor is still registered during this event; read disk directly.
      const r = this.readArticle(uri);
      if (r.ok) this.safeUpdate(uri, r.text, 0);
      else this.removeFromIndex(uri);
    } else {
      this.removeFromIndex(uri);
    }
    this.flushPending();
  }

  /**
   * Applies a pending (debounced) edit of `uri` now, so a request sees the current text. When the
   * edit is being analysed in the edit worker, returns a promise that settles (never rejects) once
   * its result is in the index; the request waits for it.
   */
  ensureFresh(uri: string): Promise<void> | undefined {
    const c = canonicalUri(uri);
    if (this.editTimers.has(c)) {
      this.cancelEdit(c);
      this.applyEditor(c);
    } else if (!this.index.document(c) && !this.editJobs.has(c)) {
      const doc = this.documents().get(c) ?? this.opts.documents.get(uri);
      if (doc && this.isArticle(c)) {
        this.safeUpdate(c, doc.getText(), doc.version);
        this.flushPending();
      }
    }
    // A request on an open article: it may be edited next (see rewarmEditWorker).
    this.rewarmEditWorker(c);
    return this.editJobs.get(c);
  }

  private applyEditor(uri: string): void {
    const doc = this.documents().get(uri);
    if (!doc) return;
    this.lastEditAt = Date.now();
    if (this.editPool && this.editPool.size === 0) {
      this.log.warn('The edit worker is gone; edits are analysed on the main thread from now on.');
      this.editPool.dispose();
      this.editPool = undefined;
      this.scheduleWarmUp();
    }
    if (this.editPool && !this.gate) this.analyseInEditWorker(uri, doc);
    else this.takeEditorText(uri);
  }

  /**
   * Edits are analysed in the edit worker, warmed up when it started (see warmUpEditWorker), where
   * this thread's first keystrokes ran the analyser cold (62–100 ms for the first edit of a 10 KB
   * article at 10,000 articles, against about 10 ms warm); this thread keeps answering meanwhile.
   * The result is applied only if no newer text of the article (another edit, a close, a file
   * event) was loaded since; a failed job is redone here. Unsaved text is not cached.
   */
  private analyseInEditWorker(uri: string, doc: TextDocument): void {
    const edited = { uri, text: doc.getText(), version: doc.version };
    if (!this.index.needsUpdate(edited)) {
      this.takeEditorText(uri); // same text: only the version is recorded
      return;
    }
    this.startEditJob(edited);
  }

  /** Analyses `edited` (a text that changes the index) in the edit worker; requests on it wait for the job. */
  private startEditJob(edited: { uri: string; text: string; version: number }): void {
    const { uri, text } = edited;
    this.editWarmth.begin();
    const job: Promise<void> = this.runInWorker(this.editPool!, { uri, text, dictionary: this.index.getDictionary() }, edited, false).then(() => {
      this.editWarmth.end();
      if (this.editJobs.get(uri) === job) this.editJobs.delete(uri);
      if (!this.disposed) this.flushPending();
    });
    this.editJobs.set(uri, job);
  }

  /** The edit of `uri` being analysed in the edit worker, if any (settles, never rejects). */
  pendingEdit(uri: string): Promise<void> | undefined {
    return this.editJobs.get(canonicalUri(uri));
  }

  /** This thread let its analyser go after a pass in workers and has not needed it since (see releaseAnalyser). */
  private analyserReleased = false;

  /** Edits waiting for the edit worker, by URI (see ensureFresh). */
  private readonly editJobs = new Map<string, Promise<void>>();
  /** The worker that analyses edits, started after the first pass (see prepareForEdits). */
  private editPool: AnalysisPool | undefined;

  /**
   * A fresh worker runs the analyser cold: the first edits of a 10 KB article took 60–110 ms there
   * against 10–20 ms once the engine has compiled it, which takes a second or so of analysis
   * (measured in a fresh process: 10–30 articles). So the worker first analyses the open article
   * twice, then a few indexed articles from disk, one job at a time so that an edit queues behind
   * one article at most; the results are discarded.
   */
  private warmUpEditWorker(pool: AnalysisPool): void {
    const open = this.documents().get(this.warmUpUri)?.getText() ?? '';
    const texts = [open, open].filter((t) => t.length > 0);
    for (const d of this.index.documents()) {
      if (texts.length >= WARM_UP_ARTICLES) break;
      const text = d.uri === this.warmUpUri ? undefined : this.readBack(d.uri);
      if (text) texts.push(text);
    }
    if (texts.length === 0) texts.push(WARM_UP_TEXT);
    const t0 = performance.now();
    let i = 0;
    const next = (): Promise<void> =>
      i < texts.length && this.editPool === pool ? warmUpJob(pool, texts[i++]).then(next) : Promise.resolve();
    this.editWarmth.begin();
    this.editWarmUp = next()
      .then(
        () => {
          if (this.editPool === pool) this.log.info(`Edit worker ready in ${Math.round(performance.now() - t0)} ms (${i} articles analysed).`);
        },
        (err) => this.log.warn(`Could not warm up the edit worker: ${String(err).split('\n')[0]}`),
      )
      .finally(() => this.editWarmth.end());
  }

  /**
   * Activity on the open article `uri` (opened, or a request on it) after the edit worker has been
   * idle for `editWarmth.idleMs`: the worker analyses the article once more, result dropped, so
   * that its next edit does not pay for a cold worker (see WorkerWarmth: 50-107 ms for the first
   * job after 90 s idle, 15-27 ms warm). One such job at a time, never while an edit or the
   * first warm-up is in the worker: an edit waits behind one analysis at most.
   */
  private rewarmEditWorker(uri: string): void {
    const pool = this.editPool;
    if (!pool || pool.size === 0 || this.disposed || this.gate || !this.editWarmth.cold || this.editJobs.size > 0) return;
    const text = this.documents().get(uri)?.getText();
    if (!text || !this.isArticle(uri)) return;
    const idle = this.editWarmth.idleFor();
    const t0 = performance.now();
    this.editWarmth.begin();
    void warmUpJob(pool, text)
      .then(
        () => this.noteRewarm(idle, performance.now() - t0),
        () => undefined, // a failed warm-up changes nothing; the next edit reports a dead worker
      )
      .finally(() => this.editWarmth.end());
  }

  /** Logs a re-warm of the edit worker: the first, then at most one line a minute (with how many since). */
  private noteRewarm(idleMs: number, ms: number): void {
    this.rewarms++;
    const now = performance.now();
    if (this.rewarmLoggedAt !== undefined && now - this.rewarmLoggedAt < 60_000) return;
    this.log.info(
      `Edit worker warmed again after ${(idleMs / 1000).toFixed(1)} s idle, in ${Math.round(ms)} ms` +
        (this.rewarms > 1 ? ` (${this.rewarms} times since the last such line).` : '.'),
    );
    this.rewarmLoggedAt = now;
    this.rewarms = 0;
  }
  private rewarms = 0;
  private rewarmLoggedAt: number | undefined;
  /** The edit worker's jobs in flight and how long it has been idle (see rewarmEditWorker). */
  private readonly editWarmth: WorkerWarmth;

  private cancelEdit(uri: string): void {
    const t = this.editTimers.get(uri);
    if (t) clearTimeout(t);
    this.editTimers.delete(uri);
  }

  // ---- files on disk ---------------------------------------------------------------------

  didChangeWatchedFiles(changes: readonly FileEvent[]): void {
    const dictionaryFolders = new Set<string>();
    for (const change of changes) {
      const uri = canonicalUri(change.uri);
      const folder = this.folderOf(uri);
      if (folder && this.isDictionaryFile(folder, uri)) {
        dictionaryFolders.add(folder.path);
        continue;
      }
      if (change.type === FileChangeType.Deleted) {
        // A deleted folder comes as one event: drop everything under it.
        const prefix = uri.endsWith('/') ? uri : uri + '/';
        for (const d of [...this.index.documents()]) {
          if ((d.uri === uri || d.uri.startsWith(prefix)) && !this.documents().get(d.uri)) this.removeFromIndex(d.uri);
        }
        for (const s of [...this.skipped.keys()]) if (s === uri || s.startsWith(prefix)) this.skipped.delete(s);
        continue;
      }
      if (!this.isArticle(uri)) {
        // A created folder (e.g. a moved directory) brings its articles along.
        if (change.type === FileChangeType.Created && folder) this.loadDirectory(folder, uri);
        continue;
      }
      this.loadFromDisk(uri);
    }
    for (const f of dictionaryFolders) this.loadDictionary(f);
    this.flushPending();
  }

  private loadDirectory(folder: Folder, uri: string): void {
    let dir: string;
    try {
      dir = fileURLToPath(uri);
      if (!fs.statSync(dir).isDirectory()) return;
    } catch {
      return;
    }
    for (const f of listCorpusFiles(dir, { include: ['**/*'], exclude: this.settings.exclude })) {
      const fileUri = pathToFileURL(path.join(dir, f)).href;
      if (this.folderOf(fileUri) === folder && this.isArticle(fileUri)) this.loadFromDisk(fileUri);
    }
  }

  // ---- the project dictionary ------------------------------------------------------------

  private isDictionaryFile(folder: Folder, uri: string): boolean {
    return uri === pathToFileURL(path.join(folder.path, DICTIONARY_PATH)).href;
  }

  /** Loads the dictionaries of all folders (not in untrusted mode). */
  loadDictionaries(): void {
    if (this.opts.untrusted) {
      this.log.info('Untrusted workspace: the project dictionary is not read.');
      return;
    }
    for (const f of [...this.folders].reverse()) this.loadDictionary(f.path);
  }

  /**
   * (Re)loads `<folder>/.sourcelens/entities.json`. A malformed file is reported (message,
   * diagnostic at its line) and the last good dictionary stays in force.
   */
  loadDictionary(folderPath: string): void {
    if (this.opts.untrusted) return;
    const file = path.join(folderPath, DICTIONARY_PATH);
    const uri = pathToFileURL(file).href;
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        this.clearProblem(uri);
        if (this.dictionaries.delete(folderPath)) {
          this.log.info(`${file} removed; its entries no longer apply.`);
          this.applyDictionaries();
        }
        return;
      }
      this.reportProblem(folderPath, uri, file, 1, 1, `unreadable (${String(err)})`);
      return;
    }
    const parsed = parseDictionary(text);
    if (!parsed.ok) {
      const e = parsed.error;
      this.reportProblem(folderPath, uri, file, e.line, e.column, e.message);
      return;
    }
    this.clearProblem(uri);
    for (const w of parsed.warnings) this.log.warn(`${file}: ${w}`);
    this.dictionaries.set(folderPath, parsed.dictionary);
    this.log.info(`Loaded ${file}.`);
    this.applyDictionaries();
  }

  /** Multi-root: the folders' dictionaries apply together. */
  private applyDictionaries(): void {
    const all = [...this.dictionaries.values()];
    if (all.length === 0) return this.index.setDictionary(undefined);
    if (all.length === 1) return this.index.setDictionary(all[0]);
    this.index.setDictionary({
      version: 1,
      entities: all.flatMap((d) => d.entities),
      ignore: all.flatMap((d) => d.ignore),
      merge: all.flatMap((d) => d.merge),
      separate: all.flatMap((d) => d.separate),
    });
  }

  private reportProblem(folderPath: string, uri: string, file: string, line: number, column: number, message: string): void {
    const kept = this.dictionaries.has(folderPath) ? 'the last valid dictionary stays in force' : 'no dictionary is used';
    const reason = message.replace(/^Line \d+, column \d+: /, '');
    const text = `Sourcelens: ${file} line ${line}, column ${column}: ${reason} (${kept}).`;
    this.log.warn(text);
    // A notification, not showMessageRequest: nothing waits for the user to dismiss it.
    this.conn.sendNotification(ShowMessageNotification.type, { type: MessageType.Warning, message: text });
    this.dictionaryProblems.add(uri);
    const l = Math.max(0, line - 1);
    const c = Math.max(0, column - 1);
    this.conn.sendDiagnostics({
      uri,
      diagnostics: [
        {
          range: { start: { line: l, character: c }, end: { line: l, character: c + 1 } },
          severity: DiagnosticSeverity.Error,
          source: 'sourcelens',
          message: `${reason} (${kept})`,
        },
      ],
    });
  }

  private clearProblem(uri: string): void {
    if (!this.dictionaryProblems.delete(uri)) return;
    this.conn.sendDiagnostics({ uri, diagnostics: [] });
  }

  // ---- notifications -------------------------------------------------------------------

  stats(): IndexStats {
    return this.service.stats({
      skipped: [...this.skipped].map(([uri, reason]) => ({ uri, reason })),
      indexing: this.indexing,
    });
  }

  /**
   * The index-change notification carries corpus-wide statistics, which need the corpus-wide
   * link pass; it is sent a moment after the last change (edits come in bursts), so requests on
   * the edited article are answered first from its own analysis.
   */
  private scheduleIndexNotification(): void {
    if (this.notifyTimer) return;
    this.notifyTimer = setTimeout(() => {
      this.notifyTimer = undefined;
      if (this.disposed) return;
      // While someone types, the corpus-wide link pass (seconds on a big corpus) waits for a
      // pause: requests on the edited article are answered from its own analysis meanwhile.
      const sinceEdit = Date.now() - this.lastEditAt;
      if (sinceEdit < EDIT_PAUSE_MS) {
        this.notifyTimer = setTimeout(() => {
          this.notifyTimer = undefined;
          this.scheduleIndexNotification();
        }, EDIT_PAUSE_MS - sinceEdit);
        return;
      }
      const uris = [...this.changedUris];
      this.changedUris.clear();
      this.conn.sendNotification(IndexChangedNotification, { ...this.stats(), uris });
      this.scheduleSemanticRefresh();
      this.indexSettled();
    }, NOTIFY_DELAY_MS);
  }

  /** After the index-change notification: the background work that follows a settled index. */
  private indexSettled(): void {
    this.scheduleSnapshot();
    this.referenceWarmer.schedule();
    // With a snapshot to write, after it (see scheduleSnapshot): not on top of its memory.
    if (!this.opts.snapshot) this.prepareRelatedFigures();
  }

  private relatedGeneration = 0;
  private relatedBuiltOnce = false;

  /**
   * Builds the related-figures index once the index has settled (and the snapshot and the edit
   * worker's warm-up are done), in slices between requests, so that the first hover on a figure
   * does not build it (about 2 s at 20,000 articles). A change to the index stops it; the next
   * settled index starts it again.
   */
  private prepareRelatedFigures(): void {
    const gen = ++this.relatedGeneration;
    const ok = () => gen === this.relatedGeneration && !this.disposed && !this.indexing && this.index.linked;
    void Promise.resolve(this.editWarmUp)
      .then(async () => {
        if (!ok()) return;
        if (!this.relatedBuiltOnce) {
          // The first build comes right after the snapshot write: its garbage goes first (see fullCollection.ts).
          await this.background.pause();
          if (!ok()) return;
          this.opts.collectGarbage?.('related');
        }
        const t0 = performance.now();
        if (await this.service.prepareRelatedFigures(() => this.background.pause(), ok)) {
          this.relatedBuiltOnce = true;
          this.log.info(`Related figures ready in ${Math.round(performance.now() - t0)} ms.`);
        }
      })
      .catch((err) => this.log.warn(`Could not prepare the related figures: ${String(err).split('\n')[0]}`));
  }

  private scheduleSemanticRefresh(): void {
    if (!this.opts.capabilities.semanticTokensRefresh || this.refreshTimer) return;
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      this.conn.languages.semanticTokens.refresh();
    }, 300);
  }

  private disposed = false;
  /** When an editor's change was last applied (see scheduleIndexNotification). */
  private lastEditAt = 0;

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.releaseGate();
    this.referenceWarmer.dispose();
    this.opts.cache?.close();
    this.activePool?.dispose();
    this.editPool?.dispose();
    this.editPool = undefined;
    for (const t of this.editTimers.values()) clearTimeout(t);
    this.editTimers.clear();
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    if (this.notifyTimer) clearTimeout(this.notifyTimer);
    if (this.snapshotTimer) clearTimeout(this.snapshotTimer);
    this.generation++;
  }
}

/** How long after the last index change its notification (with corpus statistics) is sent. */
const NOTIFY_DELAY_MS = 60;
/** …and at least this long after the last edit in an editor. */
const EDIT_PAUSE_MS = 750;
/** Requests wait at most this long at start-up for the snapshot to be loaded (see startupGate). */
const STARTUP_GATE_MAX_MS = 3000;
/** A snapshot is written only this long after the last edit in an editor. */
const SNAPSHOT_QUIET_MS = 5000;
/** Background work waits for this long without a request (see BackgroundPause)… */
const REQUEST_QUIET_MS = 300;
/** …but for no longer than this at a time. */
const BACKGROUND_MAX_WAIT_MS = 5000;
/** How long after the first article opens the analyser is loaded on this thread (see scheduleWarmUp). */
const WARM_UP_DELAY_MS = 1500;
/** At most this much of the article is analysed for the warm-up (a huge one would only hold things up). */
const WARM_UP_MAX_CHARS = 20_000;
/** One warm-up analysis of `text` (at most WARM_UP_MAX_CHARS of it) in `pool`; its result is dropped. */
const warmUpJob = (pool: AnalysisPool, text: string) => pool.run({ uri: 'sourcelens-warm-up:', text: text.slice(0, WARM_UP_MAX_CHARS) });
/** How many analyses warm up the edit worker: the open article twice, then other articles. */
const WARM_UP_ARTICLES = 24;
/** A sentence that runs every stage of the analysis once (names, a figure, a date): used when the article is gone by then. */
const WARM_UP_TEXT = 'Anna Smith of the Northwind Trading Company said in Lisbon on 3 May that exports rose 4.5% to $12 million.';

/**
 * Size and time of an article's file now (undefined: missing or not a file). Checks the snapshot
 * against the workspace at start-up, and gives the snapshot writer the file of an article open
 * in an editor (never read from disk): the snapshot records it with the key of the text as
 * indexed; if that was unsaved text, the next start sees the key differ from the file's and
 * stops using the snapshot.
 */
function statInfo(uri: string): SnapshotFileInfo | undefined {
  try {
    const st = fs.statSync(fileURLToPath(uri));
    return st.isFile() ? { size: st.size, mtimeMs: st.mtimeMs } : undefined;
  } catch {
    return undefined;
  }
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
