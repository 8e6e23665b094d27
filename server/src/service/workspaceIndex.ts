/**
 * The corpus index: analyses every document once, then one document per change. Entity
 * identity across documents is kept by an incremental CorpusLinker fed with the cached
 * per-document results: an edit re-links only the components of the corpus it can influence
 * (lazily, on the next query), and the sorted entity list is rebuilt only when asked for.
 */
import { analyseText } from './analyse';
import { decode, type AnalysisCache } from './analysisCache';
import type { Corpus, CorpusDocument } from './corpus';
import { contentKey, type IndexSnapshot } from './indexSnapshot';
import { packClaims, StoredDocument, storedClaim, type ArticleData, type IndexedDocument, type TextSource } from './indexedDocument';
import { lineStartsOf } from './position';
import {
  CorpusLinker,
  findDictionaryMentions,
  resolveDocument,
  type Dictionary,
  type LinkerOptions,
  type LocalResult,
  clusterAnchor,
  clusterForms,
  forEachOf,
  listAt,
  listOf,
} from './entities';
import { intern, RecentMap, releaseInternPool } from './entities/memo';
import type { DocumentAnalysis, Entity, EntityMentionRef, EntityType, RawClaim, RawMention } from './types';

export type { IndexedDocument } from './indexedDocument';

/** An article analysed elsewhere (a worker thread, see analysisJob.ts), with the text it was given. */
export interface AnalysedDocument extends CorpusDocument {
  /** The analysis in the cache's encoding. */
  payload: Uint8Array;
  /** What the index keeps of the article, as the worker made it (`packArticle`) and the pool rebuilt it (`ArticleReceiver`). */
  local: ArticleData;
  /** `dictionaryVersion` when the job was made; a result made under another dictionary is not applied. */
  dictionaryVersion: number;
  /** Whether the payload was computed now (stored in the cache) or came from the cache. */
  fresh: boolean;
}

export interface IndexOptions {
  /** Replaces the per-document analysis (tests, caches). */
  analyse?: (text: string) => DocumentAnalysis;
  dictionary?: Dictionary;
  /** On-disk cache of analyses, consulted before `analyse` (see analysisCache.ts). */
  cache?: AnalysisCache;
  /**
   * Reads a document's current text from where version 0 of it came from (disk); undefined if it
   * cannot. With it, the texts of documents indexed at version 0 are not kept in memory but read
   * back when needed, and used only if they are still the text indexed (see `textOf`). Texts
   * of other versions (editors) are kept.
   */
  readText?: (uri: string) => string | undefined;
  /** Passed to the corpus linker (LinkerOptions.collectGarbage): forces a full collection between the phases of its first, bulk build. */
  collectGarbage?: LinkerOptions['collectGarbage'];
  /** Passed to the corpus linker (LinkerOptions.searchCheck; tests). */
  searchCheck?: LinkerOptions['searchCheck'];
}

export interface IndexChange {
  /** Documents added, updated or removed since the last event. */
  uris: string[];
}

/** A mention together with the entity it belongs to. */
export interface ResolvedMention extends EntityMentionRef {
  entityId: string;
}

export class WorkspaceIndex implements TextSource {
  private readonly docs = new Map<string, StoredDocument>();
  private readonly analyse: (text: string) => DocumentAnalysis;
  private dictionary: Dictionary | undefined;
  private readonly linker: CorpusLinker;
  /** Per-document mention views, valid while the linker's version is unchanged. */
  private byDoc = new Map<string, readonly ResolvedMention[]>();
  private byDocVersion = -1;
  private readonly listeners = new Set<(e: IndexChange) => void>();
  private pending = new Set<string>();
  private readonly cache: AnalysisCache | undefined;
  private readonly readText: ((uri: string) => string | undefined) | undefined;
  /** Texts read back lately, most recent last (features often ask for one article's text many times in a row). */
  private readonly texts = new RecentMap<StoredDocument, string>(TEXTS_KEPT);
  private readonly staleListeners = new Set<(uri: string) => void>();
  private dictVersion = 0;
  /** See `deferLinking`. */
  private deferred = false;
  /** Article-local entities handed out while linking is deferred, by id. */
  private provisionalEntities = new Map<string, Entity>();
  /** The previous session's linked index, answering while linking is deferred (see `useSnapshot`). */
  private snapshot:
    | { data: IndexSnapshot; readText: (uri: string) => string | undefined; mentions: Map<string, ResolvedMention[]>; docs: Map<string, StoredDocument> }
    | undefined;

  constructor(opts: IndexOptions = {}) {
    this.analyse = opts.analyse ?? analyseText;
    this.dictionary = opts.dictionary;
    this.cache = opts.cache;
    this.readText = opts.readText;
    this.linker = new CorpusLinker(opts.dictionary, { collectGarbage: opts.collectGarbage, searchCheck: opts.searchCheck });
  }

  /** Analyses every document of the corpus (documents already indexed at the same version are kept). */
  fill(corpus: Corpus): void {
    const seen = new Set<string>();
    for (const doc of corpus.all()) {
      seen.add(doc.uri);
      this.update(doc);
    }
    for (const uri of [...this.docs.keys()]) if (!seen.has(uri)) this.remove(uri);
    this.cache?.markComplete();
  }

  /**
   * Re-analyses one document if its text changed (a new version of the same text is only
   * recorded). Returns whether anything changed. `cache: false` leaves the disk cache alone
   * (unsaved editor text: worth nothing at the next start, and each burst of typing would
   * otherwise rewrite the cache file).
   */
  update(doc: CorpusDocument, opts: { cache?: boolean; analysis?: DocumentAnalysis } = {}): boolean {
    const prev = this.docs.get(doc.uri);
    if (prev && this.sameText(prev, doc.text)) {
      // Same text under a new version (an editor opening a file indexed from disk): keep the
      // analysis and the linked entities; re-linking the whole corpus here cost a full link pass.
      if (prev.version !== doc.version) {
        prev.version = doc.version;
        prev.keep(this.keepsText(doc.version) ? doc.text : undefined);
      }
      return false;
    }
    const analysis = opts.analysis ? this.withDictionary(doc.text, opts.analysis) : this.analyseWithDictionary(doc.text, doc.uri, opts.cache !== false);
    const local = resolveDocument({ uri: doc.uri, text: doc.text, mentions: analysis.mentions });
    const keep = this.keepsText(doc.version);
    const stored = new StoredDocument(this, doc.uri, doc.version, local, lineStartsOf(doc.text), doc.text.length, {
      text: keep ? doc.text : undefined,
      key: keep ? undefined : contentKey(doc.text),
    });
    stored.claims = packClaims(analysis.claims, doc.text).map((c) => storedClaim(stored, c, intern));
    this.store(stored);
    return true;
  }

  /**
   * `update` with an analysis made elsewhere (an analysis worker's `analyseOnly` job), in the
   * cache's encoding: decoded, stored in the cache when `fresh` (unless the caller keeps it out),
   * then resolved and indexed here as `update` does. False, and nothing changed, when the payload
   * cannot be read or does not fit the text: the caller analyses in process.
   */
  applyPayload(doc: CorpusDocument, payload: Uint8Array, fresh: boolean): boolean {
    const raw = Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
    const analysis = decode(raw, doc.text);
    if (!analysis) return false;
    if (fresh) this.cache?.storePayload(doc.text, raw, doc.uri);
    this.update(doc, { analysis });
    return true;
  }

  /**
   * Analyses and resolves `text` as `update` would, storing nothing: loads the tagger on this
   * thread and lets the engine compile the code an edit runs, so the first edit is not the one
   * that pays for both.
   */
  warmUp(text: string): void {
    const analysis = this.analyseWithDictionary(text, undefined, false);
    resolveDocument({ uri: 'sourcelens-warm-up:', text, mentions: analysis.mentions });
  }

  /** Whether `uri` has been analysed into the index (not only covered by the snapshot). */
  isIndexed(uri: string): boolean {
    return this.docs.has(uri);
  }

  /** Whether `doc` would change the index (its text differs from the indexed one, or it is new). */
  needsUpdate(doc: CorpusDocument): boolean {
    const prev = this.docs.get(doc.uri);
    return !prev || !this.sameText(prev, doc.text);
  }

  /** Bumped by every dictionary change (see AnalysedDocument). */
  get dictionaryVersion(): number {
    return this.dictVersion;
  }

  /**
   * Adds an article analysed elsewhere. Returns false, changing nothing, when the result does not
   * apply (made under another dictionary, or its payload does not fit the text): the caller then
   * calls `update`.
   */
  applyAnalysed(doc: AnalysedDocument): boolean {
    const a = doc.local;
    if (doc.dictionaryVersion !== this.dictVersion || a.textLength !== doc.text.length || a.local.uri !== doc.uri) return false;
    const keep = this.keepsText(doc.version);
    const stored = new StoredDocument(this, doc.uri, doc.version, a.local, a.lineStarts, a.textLength, { text: keep ? doc.text : undefined, key: a.key });
    try {
      // The receiver has interned every string already.
      stored.claims = a.claims.map((c) => storedClaim(stored, c, same));
    } catch {
      return false; // malformed: the caller analyses in process
    }
    if (doc.fresh) this.cache?.storePayload(doc.text, Buffer.from(doc.payload.buffer, doc.payload.byteOffset, doc.payload.byteLength), doc.uri);
    this.store(stored);
    return true;
  }

  private store(doc: StoredDocument): void {
    const prev = this.docs.get(doc.uri);
    if (prev) this.texts.delete(prev);
    this.docs.set(doc.uri, doc);
    if (this.provisionalEntities.size > 0) this.provisionalEntities = new Map(); // ids name clusters of the old text
    this.linker.add(doc.local);
    this.invalidate(doc.uri);
  }

  remove(uri: string): boolean {
    const prev = this.docs.get(uri);
    if (!prev) return false;
    this.docs.delete(uri);
    this.texts.delete(prev);
    this.linker.remove(uri);
    this.cache?.forget(uri);
    this.invalidate(uri);
    return true;
  }

  /**
   * Replaces the project dictionary; every document's mentions are re-resolved against it. A text
   * that is not kept is read back (its current content: re-analysed, it is indexed as it is now);
   * a document that cannot be read any more is dropped, and reported stale (see `onStaleText`).
   */
  setDictionary(dictionary: Dictionary | undefined): void {
    this.dictionary = dictionary;
    this.dictVersion++;
    this.linker.setDictionary(dictionary);
    for (const d of [...this.docs.values()]) {
      const text = d.keptText ?? this.readText?.(d.uri);
      if (text === undefined) {
        this.remove(d.uri);
        this.reportStale(d.uri);
        continue;
      }
      this.docs.delete(d.uri);
      this.texts.delete(d);
      this.update({ uri: d.uri, text, version: d.version });
    }
  }

  /**
   * The text of a stored document whose text is not kept: read back and used only if it is still
   * the text indexed (same content key). If not (the file changed or went away and the index has
   * not been told yet), '' stands in and listeners of `onStaleText` hear of it, so that the
   * document can be loaded again.
   */
  textOf(doc: StoredDocument): string {
    const kept = doc.keptText;
    if (kept !== undefined) return kept;
    const hit = this.texts.get(doc);
    if (hit !== undefined) return hit;
    // An article the snapshot answers for is read with the snapshot's reader (see useSnapshot).
    const read = this.snapshot && this.snapshot.docs.get(doc.uri) === doc ? this.snapshot.readText : this.readText;
    const text = read?.(doc.uri);
    if (text === undefined || text.length !== doc.textLength || contentKey(text) !== doc.key) {
      // A superseded document object (kept by some caller) says nothing about the file.
      if (this.docs.get(doc.uri) === doc) this.reportStale(doc.uri);
      return '';
    }
    this.texts.set(doc, text);
    return text;
  }

  /** Listens for documents whose text could not be read back as indexed (see `textOf`). */
  onStaleText(listener: (uri: string) => void): { dispose(): void } {
    this.staleListeners.add(listener);
    return { dispose: () => this.staleListeners.delete(listener) };
  }

  private reportStale(uri: string): void {
    for (const l of this.staleListeners) l(uri);
  }

  /** Whether the text of a document at `version` stays in memory (see IndexOptions.readText). */
  private keepsText(version: number): boolean {
    return version !== 0 || !this.readText;
  }

  /** Whether `text` is the text of `doc` (by content key when the text is not kept). */
  private sameText(doc: StoredDocument, text: string): boolean {
    const kept = doc.keptText;
    if (kept !== undefined) return kept === text;
    return text.length === doc.textLength && contentKey(text) === doc.key;
  }

  getDictionary(): Dictionary | undefined {
    return this.dictionary;
  }

  onDidChange(listener: (e: IndexChange) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** Sends one change event for everything updated since the last flush. */
  flush(): void {
    if (this.pending.size === 0) return;
    const e = { uris: [...this.pending] };
    this.pending = new Set();
    for (const l of this.listeners) l(e);
  }

  // ---- queries -------------------------------------------------------------------------

  get size(): number {
    return this.docs.size;
  }

  documents(): Iterable<IndexedDocument> {
    return this.docs.values();
  }

  /**
   * The indexed document; while the snapshot answers, also an article not indexed yet that the
   * snapshot covers (its text read on first use; no claims or local clusters until indexed).
   */
  document(uri: string): IndexedDocument | undefined {
    const doc = this.docs.get(uri);
    if (doc || !this.snapshot || !this.provisional) return doc;
    const snap = this.snapshot;
    const cached = snap.docs.get(uri);
    if (cached) return cached;
    const lines = snap.data.lines(uri);
    const key = snap.data.doc(uri)?.key;
    if (!lines || key === undefined) return undefined;
    // Its text is read back on use, as an indexed article's (checked against the snapshot's key);
    // no claims or local clusters until indexed.
    const out = new StoredDocument(this, uri, 0, { version: 0, uri, clusters: [] }, lines.lineStarts, lines.length, { key });
    snap.docs.set(uri, out);
    return out;
  }

  /**
   * While the first indexing pass runs, linking the partial corpus for every request would cost
   * a corpus-wide pass each time (and do work the end of the pass redoes). With linking deferred,
   * queries never link: an article's mentions resolve to provisional entities made from the
   * article alone (`isProvisional`), the corpus-wide lists are empty, and the counts are zero.
   * Turning it off leaves linking to the next query, as usual.
   */
  deferLinking(on: boolean): void {
    this.deferred = on;
    if (!on) {
      this.provisionalEntities = new Map();
      this.dropSnapshot();
      releaseInternPool(); // the bulk load is over (see releaseInternPool)
    }
  }

  /**
   * While linking is deferred, answers from the previous session's linked index instead of
   * article-local entities, for every article whose indexed text is the one in the snapshot (or
   * that is not indexed yet: the caller has checked the files against it). `readText` gives an
   * article's text for one not indexed yet. Dropped by `dropSnapshot` (an article turned out
   * to differ) or when linking resumes.
   */
  useSnapshot(data: IndexSnapshot, readText: (uri: string) => string | undefined): void {
    this.snapshot = { data, readText, mentions: new Map(), docs: new Map() };
  }

  dropSnapshot(): void {
    this.snapshot?.data.close();
    this.snapshot = undefined;
  }

  /** The snapshot's content key of `uri`, while the snapshot answers. */
  snapshotKey(uri: string): string | undefined {
    return this.answeringFromSnapshot ? this.snapshot?.data.doc(uri)?.key : undefined;
  }

  /** Whether the previous session's index is answering right now. */
  get answeringFromSnapshot(): boolean {
    return this.provisional && this.snapshot !== undefined;
  }

  /** The snapshot, if it is answering and covers `uri` as indexed now. */
  private snapshotFor(uri: string): IndexSnapshot | undefined {
    if (!this.provisional || !this.snapshot) return undefined;
    const sd = this.snapshot.data.doc(uri);
    if (!sd) return undefined;
    const doc = this.docs.get(uri);
    if (doc && this.contentKeyOf(doc) !== sd.key) return undefined;
    return this.snapshot.data;
  }

  /** Whether queries are answered without corpus-wide linking right now. */
  private get provisional(): boolean {
    // With a snapshot, also before the first article is indexed (the linker is not dirty yet):
    // the snapshot answers from the start, and an editor's article that the snapshot covers
    // with the same text is left to the pass instead of analysed on this thread at once.
    return this.deferred && (this.linker.dirty || this.snapshot !== undefined);
  }

  /** Whether `id` names a provisional, article-local entity (see `deferLinking`). */
  isProvisional(id: string): boolean {
    return id.startsWith(PROVISIONAL);
  }

  /** Whether `entities()` answers from a sorted list it keeps (see CorpusLinker.listed). */
  get entitiesListed(): boolean {
    return this.provisional || this.linker.listed;
  }

  /** All entities sorted by id (built lazily; an edit does not rebuild it until someone asks). */
  entities(): readonly Entity[] {
    if (this.provisional) return this.snapshot?.data.entities() ?? [];
    return this.linker.entities();
  }

  /** Every entity of `entities()` with at least `minMentions` mentions, in no particular order (no sorted list is made for it). */
  forEachEntity(fn: (e: Entity) => void, minMentions = 0): void {
    if (this.provisional) (this.snapshot?.data.entities() ?? []).forEach((e) => e.mentions.length >= minMentions && fn(e));
    else this.linker.forEachEntity(fn, minMentions);
  }

  entity(id: string): Entity | undefined {
    if (id.startsWith(PROVISIONAL)) return this.provisionalEntities.get(id);
    if (this.provisional) return this.snapshot?.data.entity(id);
    return this.linker.entity(id);
  }

  /** Entities per type (cheap: no sorted list is built). */
  entityCounts(): Record<EntityType, number> {
    if (this.provisional) return this.snapshot?.data.entityCounts() ?? { person: 0, organization: 0, place: 0, event: 0 };
    return this.linker.countByType();
  }

  /** Mentions of one document with their entity ids, sorted by offset. Touches only this document. */
  mentionsIn(uri: string): readonly ResolvedMention[] {
    if (this.provisional) {
      const snap = this.snapshotFor(uri);
      if (snap && this.snapshot) {
        let list = this.snapshot.mentions.get(uri);
        if (!list) {
          list = snap.mentionsIn(uri) ?? [];
          this.snapshot.mentions.set(uri, list);
        }
        return list;
      }
      return this.provisionalMentions(uri);
    }
    this.linker.flush(); // applies pending changes (re-links only what they touch)
    if (this.byDocVersion !== this.linker.version) {
      this.byDoc = new Map();
      this.byDocVersion = this.linker.version;
    }
    let out = this.byDoc.get(uri);
    if (!out) {
      out = this.linkedMentionsOf(uri);
      this.byDoc.set(uri, out);
    }
    return out;
  }

  /**
   * Like `mentionsIn`, for walks over every article: a list made for it is not kept (the lists
   * of every article would double the linker's mention objects for as long as the link lasts).
   */
  sweepMentionsIn(uri: string): readonly ResolvedMention[] {
    if (this.provisional) return this.mentionsIn(uri);
    this.linker.flush();
    const kept = this.byDocVersion === this.linker.version ? this.byDoc.get(uri) : undefined;
    return kept ?? this.linkedMentionsOf(uri);
  }

  /**
   * Calls `fn` with each mention of `uri` (its offsets and its entity's id), in no particular
   * order: for walks over every article (the related-figures index), without an object per
   * mention or a sort once linked.
   */
  sweepMentionSpans(uri: string, fn: (start: number, end: number, entityId: string) => void): void {
    if (this.provisional) {
      for (const m of this.mentionsIn(uri)) fn(m.start, m.end, m.entityId);
      return;
    }
    this.linker.forEachForm(uri, (entity, mentions) => {
      if (!Array.isArray(mentions)) fn(mentions.start, mentions.end, entity.id);
      else for (let i = 0; i < mentions.length; i++) fn(mentions[i].start, mentions[i].end, entity.id);
    });
  }

  /** The content key (`contentKey`) of an indexed document's text, computed once per version. */
  contentKeyOf(doc: IndexedDocument): string {
    if (doc instanceof StoredDocument) return doc.key;
    let k = docKeys.get(doc);
    if (k === undefined) {
      k = contentKey(doc.text);
      docKeys.set(doc, k);
    }
    return k;
  }

  /** The linker's mentions of `uri` with their entities, sorted by offset (for walks over every article: nothing is copied). */
  linkedPairsOf(uri: string): ReadonlyArray<{ mention: EntityMentionRef; entity: Entity }> {
    return this.linker.mentionsOf(uri);
  }

  /** Like `mentionsIn`, straight from the linker and not kept (for walks over every article). */
  linkedMentionsOf(uri: string): ResolvedMention[] {
    this.linker.flush();
    return this.linker.mentionsOf(uri).map(({ mention, entity }) => ({ ...mention, entityId: entity.id }));
  }

  /**
   * The typed mentions of one document for highlighting. When edits wait to be linked across
   * the corpus, the document's own analysis answers at once (types as resolved inside the
   * article) instead of paying for the corpus-wide link pass; once linked, the entity types
   * (which may carry a corpus-wide type vote) answer. The server refreshes highlighting after
   * linking, so a stale answer lives for one refresh at most.
   */
  typedMentionsIn(uri: string): ReadonlyArray<{ start: number; end: number; type: EntityType }> {
    if (!this.linker.dirty) {
      const out: Array<{ start: number; end: number; type: EntityType }> = [];
      for (const m of this.mentionsIn(uri)) {
        const e = this.entity(m.entityId);
        if (e) out.push({ start: m.start, end: m.end, type: e.type });
      }
      return out;
    }
    const doc = this.docs.get(uri);
    if (!doc) return [];
    const out: Array<{ start: number; end: number; type: EntityType }> = [];
    for (const c of doc.local.clusters) {
      // A cluster is one entity within the article: its anchor form's type names it.
      const type = listAt(clusterForms(c), clusterAnchor(c))?.type;
      if (!type) continue;
      forEachOf(clusterForms(c), (f) => forEachOf(f.mentions, (m) => out.push({ start: m.start, end: m.end, type })));
    }
    return out.sort((a, b) => a.start - b.start);
  }

  /** Whether cross-document linking is up to date with every change. */
  get linked(): boolean {
    return !this.linker.dirty;
  }

  /**
   * Starts the corpus-wide link after the first pass (`deferLinking(false)`) without finishing
   * it: the components are found, and `linkRest` links them in steps. Meanwhile `mentionAt`
   * links an article's own components first, and any other query finishes the link. False when
   * nothing is left to do in steps.
   */
  startLink(): boolean {
    return !this.provisional && this.linker.startLink();
  }

  /**
   * Starts the search for components of the first corpus-wide link, to be run in steps
   * (`linkSearchStep`) while linking is still deferred: until `deferLinking(false)` queries are
   * answered as during the pass (article-local entities, or the snapshot), and the server stays
   * responsive instead of spending the whole search (13-16 s at 20,000 articles) in one go.
   * False when there is no first link to search for (then `startLink` does what is left).
   */
  beginLinkSearch(): boolean {
    if (!this.linker.beginSearch()) return false;
    // The previous session's index (a second start) is let go now, as the end of deferral would
    // let it go: kept through the search, it stood beside the link's growing tables (peak RSS
    // 1,490 and 1,525 MB at 20,000 articles, against 1,454 and 1,485 with it dropped first).
    // Requests are answered from their own articles meanwhile, as in a cold start.
    this.dropSnapshot();
    releaseInternPool(); // the bulk load is over (see releaseInternPool), before the link's growth
    return true;
  }

  /** Searches for about `budgetMs` (see beginLinkSearch); true when the search has ended. */
  linkSearchStep(budgetMs: number): boolean {
    return this.linker.searchStep(budgetMs);
  }

  /** Links for about `budgetMs` (see startLink); true when the link is complete. */
  linkRest(budgetMs: number): boolean {
    return this.linker.linkRest(budgetMs);
  }

  /** The mention (and its entity) covering `offset` in `uri`, if any. */
  mentionAt(uri: string, offset: number): { mention: ResolvedMention; entity: Entity } | undefined {
    if (!this.provisional && this.linker.linking) {
      // The link runs in steps (startLink): this article's components are linked now, ahead of
      // the others. Not kept: the ids may still be renumbered when the link ends.
      const pairs = this.linker.mentionsOfFirst(uri);
      const pair = findCovering(
        pairs.map((p) => ({ start: p.mention.start, end: p.mention.end, p })),
        offset,
      )?.p;
      return pair ? { mention: { ...pair.mention, entityId: pair.entity.id }, entity: pair.entity } : undefined;
    }
    const list = this.mentionsIn(uri);
    const m = findCovering(list, offset);
    if (!m) return undefined;
    const entity = this.entity(m.entityId);
    return entity ? { mention: m, entity } : undefined;
  }

  claimsIn(uri: string): readonly RawClaim[] {
    return this.docs.get(uri)?.claims ?? [];
  }

  claimAt(uri: string, offset: number): RawClaim | undefined {
    return findCovering(this.claimsIn(uri), offset);
  }

  // ---- internals -----------------------------------------------------------------------

  /** The article's mentions resolved to its own clusters only (see `deferLinking`). */
  private provisionalMentions(uri: string): readonly ResolvedMention[] {
    const doc = this.docs.get(uri);
    if (!doc) return [];
    const out: ResolvedMention[] = [];
    doc.local.clusters.forEach((c, i) => {
      const forms = listOf(clusterForms(c));
      const anchor = forms[clusterAnchor(c)] ?? forms[0];
      if (!anchor) return;
      const id = `${PROVISIONAL}${i}:${uri}`;
      const mentions: EntityMentionRef[] = [];
      for (const f of forms) forEachOf(f.mentions, (m) => mentions.push(m));
      mentions.sort((a, b) => a.start - b.start);
      if (!this.provisionalEntities.has(id)) {
        const aliases = [...new Set(forms.map((f) => f.surface))];
        this.provisionalEntities.set(id, { id, name: anchor.surface, type: anchor.type, aliases, merges: forms.flatMap((f) => f.merges), mentions });
      }
      for (const m of mentions) out.push({ ...m, entityId: id });
    });
    return out.sort((a, b) => a.start - b.start);
  }

  private analyseWithDictionary(text: string, uri?: string, useCache = true): DocumentAnalysis {
    return this.withDictionary(text, this.cache && useCache ? this.cache.getOrCompute(text, this.analyse, uri) : this.analyse(text));
  }

  /** The analysis with the project dictionary's mentions merged in. */
  private withDictionary(text: string, analysis: DocumentAnalysis): DocumentAnalysis {
    const mentions = withDictionaryMentions(text, analysis.mentions, this.dictionary);
    return mentions === analysis.mentions ? analysis : { ...analysis, mentions };
  }

  private invalidate(uri: string): void {
    this.pending.add(uri);
  }
}

const docKeys = new WeakMap<IndexedDocument, string>();
const same = (s: string) => s;

/** How many texts read back are kept (`textOf`): enough for the articles a few requests in a row touch. */
const TEXTS_KEPT = 16;


/** Prefix of provisional entity ids (never produced by the linker, whose ids start with a type). */
const PROVISIONAL = 'provisional:';

/** Binary search for the span containing `offset` (end inclusive, so a cursor just after a word counts). */
export function findCovering<T extends { start: number; end: number }>(list: readonly T[], offset: number): T | undefined {
  let lo = 0;
  let hi = list.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = list[mid];
    if (offset < s.start) hi = mid - 1;
    else if (offset > s.end) lo = mid + 1;
    else return s;
  }
  return undefined;
}

/** The tagger's mentions with the project dictionary's merged in (the same array when it adds none). */
export function withDictionaryMentions(text: string, mentions: RawMention[], dictionary: Dictionary | undefined): RawMention[] {
  if (!dictionary) return mentions;
  const extra = findDictionaryMentions(text, dictionary);
  return extra.length === 0 ? mentions : mergeMentions(mentions, extra);
}

/** Tagger mentions plus dictionary mentions; where they overlap, the dictionary wins. */
export function mergeMentions(tagged: readonly RawMention[], dict: readonly RawMention[]): RawMention[] {
  const out = dict.slice();
  for (const m of tagged) {
    if (!dict.some((d) => d.start < m.end && m.start < d.end)) out.push(m);
  }
  return out.sort((a, b) => a.start - b.start);
}
