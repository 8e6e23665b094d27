/**
 * Figures in other articles about the same quantity as a claim: same kind and unit (for counts,
 * the same counted noun), sharing context entities — entities mentioned in the claim's sentence
 * or the one before it.
 *
 * Index: for each (quantity key, context entity) there is a posting list of the claims with that
 * key and that entity in context. Entity ids come from corpus-wide linking, so the posting
 * lists are rebuilt lazily, once per link generation, in one linear sweep; a query then reads
 * only the posting lists of its own context entities within its own quantity key, rarest entity
 * first, with a work budget — never every claim of the corpus.
 */
import { articleCount } from './context';
import { describeDifference, quantityKey, relativeDistance } from './claimReading';
import { compareStrings, previousSentenceStart } from './text';
import { StoredClaim } from './indexedDocument';
import type { Entity, RawClaim } from './types';
import type { IndexedDocument, WorkspaceIndex } from './workspaceIndex';

export interface RelatedClaim {
  uri: string;
  claim: RawClaim;
  score: number;
  /** Context entities the two figures share, most specific first. */
  shared: Entity[];
  /** How the related figure differs from the queried one ("+2.4%"). */
  difference: string;
}

export interface RelatedOptions {
  limit?: number;
}

/**
 * The posting lists of one link generation, over claims numbered once per build: article by
 * article in `indexed` order, each article's claims in their order. Every list is a run of
 * claim numbers in one flat Int32Array, found through the sorted entity numbers of its quantity
 * key. At 2,000 articles a heap snapshot after the first claim hover gave the index 38.6 MB
 * when the lists were a Map of Maps of two-array objects (26.5 MB, 124,543 lists), beside
 * claims grouped per key and article (7.9 MB) and per-claim WeakMap caches (context ids,
 * sentence window, words); laid out this way it retains 5.6 MB (1.8 MB of it the entity
 * numbers' Map), plus about 3 MB of typed-array stores outside the heap. At 10,000 articles
 * the heap after a full GC went from 878 to 683 MB.
 */
interface PostingIndex {
  /** Claim number → claim. */
  readonly claims: readonly RawClaim[];
  /** Claim number → article number. */
  readonly claimDoc: Int32Array;
  /** Article number → uri, and back, and the document indexed (to carry work over to the next build). */
  readonly docUris: readonly string[];
  readonly docs: readonly IndexedDocument[];
  /** Article number → its first claim number (one extra entry at the end). */
  readonly docStart: Int32Array;
  readonly docNums: ReadonlyMap<string, number>;
  /** Entity id → entity number (only entities some claim has in context). */
  readonly entityNums: ReadonlyMap<string, number>;
  /** Quantity key → key number k; the key's lists are the pairs keyPairs[k] .. keyPairs[k + 1] - 1. */
  readonly keyNums: ReadonlyMap<string, number>;
  readonly keyPairs: Int32Array;
  /** Pair → its entity number (ascending within a key). */
  readonly pairEntity: Int32Array;
  /** Pair p → its list is postings[pairStart[p]] .. postings[pairStart[p + 1] - 1] (one extra entry at the end). */
  readonly pairStart: Int32Array;
  /** Claim numbers; each list ascending (articles in `indexed` order, each article's claims in order). */
  readonly postings: Int32Array;
  /** Claim number → where its words are in `words` plus one (0: not read yet); words[at - 1] is their count. */
  readonly wordsAt: Int32Array;
  /** Quantity words of the claims read so far, as numbers (`vocabulary`), in runs of count then words. */
  words: Int32Array<ArrayBuffer>;
  wordsUsed: number;
  readonly vocabulary: Map<string, number>;
}

/** Postings read per query before the more common entities are skipped (once enough candidates exist). */
const POSTING_BUDGET = 20_000;
/** Hard cap on postings read per query (a single very common entity in a huge corpus). */
const POSTING_CAP = 60_000;

export class ClaimIndex {
  /**
   * The documents indexed, by uri, in the order they came in: a changed document moves to the
   * end. The posting lists follow this order, which only matters where the work budget cuts a
   * query short (the claims grouped per key and article that this replaced were in this order
   * too: a changed article was removed from its groups and appended again).
   */
  private readonly indexed = new Map<string, IndexedDocument>();
  private syncedFor: readonly Entity[] | undefined;
  /** The posting lists, valid for `postingsFor`. */
  private postings: PostingIndex | undefined;
  private postingsFor: readonly Entity[] | undefined;
  /** A build of the posting lists under way (see prepare), for the entities it was started for. */
  private building: { for: readonly Entity[]; steps: Generator<void, void> } | undefined;
  /**
   * Scratch lists for one article's mentions (see loadSpans), and the distinct entity ids of one
   * claim's context (see contextIds); emptied after each use (clearSpans).
   */
  private readonly spans = { start: [] as number[], end: [] as number[], id: [] as string[], seen: [] as string[] };
  private spanCount = 0;
  private readonly addSpan = (start: number, end: number, id: string): void => {
    const n = this.spanCount++;
    this.spans.start[n] = start;
    this.spans.end[n] = end;
    this.spans.id[n] = id;
  };
  /** Builds of the posting lists finished (tests, diagnostics). */
  buildsDone = 0;
  /** Postings read by the last query (tests, diagnostics). */
  lastQueryCost = 0;
  /** Candidates whose words the last query compared (the others could not reach its answer; tests, diagnostics). */
  lastWordsCompared = 0;

  constructor(private readonly index: WorkspaceIndex) {}

  /** Brings the list of documents up to date with the index (changed ones move to the end). */
  sync(): void {
    const entities = this.index.entities();
    if (entities === this.syncedFor) return;
    this.syncedFor = entities;
    const seen = new Set<string>();
    for (const doc of this.index.documents()) {
      seen.add(doc.uri);
      const prev = this.indexed.get(doc.uri);
      if (prev === doc) continue;
      if (prev) this.indexed.delete(doc.uri);
      this.indexed.set(doc.uri, doc);
    }
    for (const uri of [...this.indexed.keys()]) if (!seen.has(uri)) this.indexed.delete(uri);
  }

  /** Number of claims with quantity key `key` (tests: counts every claim). */
  groupSize(key: string): number {
    this.sync();
    let n = 0;
    for (const doc of this.indexed.values()) for (const c of doc.claims) if (quantityKey(c) === key) n++;
    return n;
  }

  /**
   * Entity ids mentioned in the claim's sentence or the preceding one, in no particular order.
   * Not cached: a query asks once, and reading one article's mentions is cheap; the posting
   * lists hold the same ids for every claim (found the same way in the build).
   */
  contextEntities(uri: string, claim: RawClaim): string[] {
    this.sync();
    const n = this.loadSpans(uri);
    const ids = this.spans.seen.slice(0, this.contextIds(n, windowOf(claim, () => this.index.document(uri)?.text ?? ''), claim.sentenceEnd));
    this.clearSpans();
    return ids;
  }

  /** Loads the mentions of `uri` (offsets and entity ids) into the scratch lists; returns how many. */
  private loadSpans(uri: string): number {
    this.spanCount = 0;
    this.index.sweepMentionSpans(uri, this.addSpan);
    return this.spanCount;
  }

  /**
   * The entities of the first `n` loaded mentions that reach into [from, to), each once, into
   * `spans.seen`; returns how many.
   */
  private contextIds(n: number, from: number, to: number): number {
    const { start, end, id, seen } = this.spans;
    let ids = 0;
    for (let j = 0; j < n; j++) {
      if (end[j] <= from || start[j] >= to) continue;
      let dup = false;
      for (let x = 0; x < ids && !dup; x++) dup = seen[x] === id[j];
      if (!dup) seen[ids++] = id[j];
    }
    return ids;
  }

  /** Lets the entity ids in the scratch lists go. */
  private clearSpans(): void {
    const spans = this.spans;
    spans.start.length = spans.end.length = spans.id.length = spans.seen.length = 0;
  }

  /** Figures in other articles about the same quantity, best first. */
  related(uri: string, claim: RawClaim, opts: RelatedOptions = {}): RelatedClaim[] {
    this.sync();
    const ix = this.ensurePostings();
    const limit = opts.limit ?? 10;
    const k = ix.keyNums.get(quantityKey(claim));
    const mine = this.contextEntities(uri, claim);
    this.lastQueryCost = 0;
    this.lastWordsCompared = 0;
    if (mine.length === 0) return [];
    const totalArticles = Math.max(1, this.index.size);
    const weighted: Array<{ id: string; weight: number }> = [];
    for (const id of mine) {
      const e = this.index.entity(id);
      // Rarer entities say more about which quantity is meant.
      if (e) weighted.push({ id, weight: Math.log(1 + totalArticles / Math.max(1, articleCount(e))) + 0.1 });
    }
    weighted.sort((a, b) => b.weight - a.weight || compareStrings(a.id, b.id));

    // Articles not in the index (-1) are never skipped, as no posting has that article.
    const myDoc = ix.docNums.get(uri) ?? -1;
    const acc = new Map<number, { c: number; weight: number; shared: string[] }>();
    let cost = 0;
    for (const { id, weight } of weighted) {
      if (cost >= POSTING_BUDGET && acc.size >= limit) break;
      const pair = k === undefined ? -1 : findPair(ix, k, ix.entityNums.get(id));
      if (pair < 0) continue;
      for (let i = ix.pairStart[pair], end = ix.pairStart[pair + 1]; i < end; i++) {
        if (++cost > POSTING_CAP) break;
        const c = ix.postings[i];
        if (ix.claimDoc[c] === myDoc) continue;
        let a = acc.get(c);
        if (!a) acc.set(c, (a = { c, weight: 0, shared: [] }));
        a.weight += weight;
        a.shared.push(id);
      }
    }
    this.lastQueryCost = cost;
    // The score without its word term first. Shared words add at most WORD_WEIGHT, so a
    // candidate whose score cannot reach the limit-th best one without words is out whatever
    // its words, and its sentence (its article's text) is not read: at 20,000 articles the
    // first hover on a figure read 5,430 candidates' articles back, about 108 MB of strings.
    const candidates = [...acc.values()].map((a) => ({
      uri: ix.docUris[ix.claimDoc[a.c]],
      c: a.c,
      claim: ix.claims[a.c],
      shared: a.shared,
      score: a.weight + VALUE_WEIGHT * (1 - relativeDistance(claim, ix.claims[a.c])),
    }));
    const bar = limitthBest(candidates, limit);
    const scored = candidates.filter((a) => a.score + WORD_WEIGHT >= bar);
    this.lastWordsCompared = scored.length;
    const myWords = scored.length > 0 ? internWords(ix, quantityWords(claim)) : new Int32Array(0);
    for (const a of scored) a.score = a.score + WORD_WEIGHT * overlapOf(myWords, this.wordsOf(ix, a.c));
    scored.sort((a, b) => b.score - a.score || compareStrings(a.uri, b.uri) || a.claim.start - b.claim.start);
    return scored.slice(0, limit).map((a) => ({
      uri: a.uri,
      claim: a.claim,
      score: a.score,
      shared: a.shared.map((id) => this.index.entity(id)).filter((e): e is Entity => !!e),
      difference: describeDifference(claim, a.claim),
    }));
  }

  /**
   * The posting lists, rebuilt after the entities were re-linked: one sweep over the claims,
   * article by article (each article's mentions listed once and not kept), then per quantity
   * key a counting sort of its (entity, claim) pairs into runs per entity. A claim's context
   * window is where it was stored (StoredClaim.windowStart); the words read so far of an article
   * that did not change are taken over from the previous build (reading them needs the
   * article's text, which for most articles is read back from disk, and an edit re-links the
   * corpus).
   */
  private ensurePostings(): PostingIndex {
    const entities = this.index.entities();
    if (entities === this.postingsFor && this.postings) return this.postings;
    // Finishes a build `prepare` began for these entities, or builds anew.
    const steps = this.builder(entities);
    while (!steps.next().done);
    return this.postings!;
  }

  /**
   * Builds the posting lists ahead of the first query (the first hover on a figure: about 2 s at
   * 20,000 articles), in slices of about `sliceMs` with `pause()` awaited before each, so that
   * requests are answered in between. Gives up when `ok()` turns false (a query finishes what was
   * built so far); an index that changes meanwhile starts the build over. Resolves to whether the
   * lists are ready.
   */
  async prepare(pause: () => Promise<unknown>, ok: () => boolean, sliceMs = 10): Promise<boolean> {
    for (;;) {
      await pause();
      if (!ok()) return false;
      this.sync();
      const entities = this.index.entities();
      if (entities === this.postingsFor && this.postings) return true;
      const steps = this.builder(entities);
      const t0 = performance.now();
      do {
        if (steps.next().done) return true;
      } while (performance.now() - t0 < sliceMs);
    }
  }

  /** The build under way for `entities`, or a new one (one for other entities is dropped). */
  private builder(entities: readonly Entity[]): Generator<void, void> {
    if (this.building?.for !== entities) this.building = { for: entities, steps: this.build(entities) };
    return this.building.steps;
  }

  /** The build of the posting lists for `entities` (see ensurePostings), yielding every few articles and keys. */
  private *build(entities: readonly Entity[]): Generator<void, void> {
    // The previous build's lists answer nothing now (another link generation); their words are
    // taken over below.
    const prev = this.postings;

    const keyNums = new Map<string, number>();
    let claimCount = 0;
    for (const doc of this.indexed.values()) claimCount += doc.claims.length;
    const claims: RawClaim[] = new Array(claimCount);
    const claimDoc = new Int32Array(claimCount);
    const claimKey = new Int32Array(claimCount);
    const docUris: string[] = [];
    const docs: IndexedDocument[] = [];
    const docNums = new Map<string, number>();
    const docStart: number[] = [];
    const entityNums = new Map<string, number>();
    // Context entity numbers of claim c: ctx[ctxStart[c]] .. ctx[ctxStart[c + 1] - 1]. Only
    // for the build: as many entries as there are postings.
    const ctxStart = new Int32Array(claimCount + 1);
    const wordsAt = new Int32Array(claimCount);
    let words = new Int32Array(1024);
    let wordsUsed = 0;
    let ctx = new Int32Array(Math.max(16, claimCount * 4));
    let ctxUsed = 0;
    let c = 0;
    for (const [uri, doc] of this.indexed) {
      if (doc.claims.length === 0) continue;
      const d = docUris.length;
      docUris.push(uri);
      docs.push(doc);
      docNums.set(uri, d);
      docStart.push(c);
      const spanCount = this.loadSpans(uri);
      const pd = prev?.docNums.get(uri);
      // The same document in the previous build: its claims are numbered from `from` there (their words are taken over).
      const from = prev && pd !== undefined && prev.docs[pd] === doc ? prev.docStart[pd] : -1;
      // The text only for claims made without their window (see StoredClaim.windowStart).
      let text: string | undefined;
      const textOf = () => (text ??= this.index.document(uri)?.text ?? '');
      for (let i = 0; i < doc.claims.length; i++) {
        const claim = doc.claims[i];
        claims[c] = claim;
        claimDoc[c] = d;
        const key = quantityKey(claim);
        let k = keyNums.get(key);
        if (k === undefined) keyNums.set(key, (k = keyNums.size));
        claimKey[c] = k;
        ctxStart[c] = ctxUsed;
        const at = from < 0 ? 0 : prev!.wordsAt[from + i];
        if (at !== 0) {
          const n = prev!.words[at - 1];
          while (wordsUsed + n + 1 > words.length) words = grow(words);
          words.set(prev!.words.subarray(at - 1, at + n), wordsUsed);
          wordsAt[c] = wordsUsed + 1;
          wordsUsed += n + 1;
        }
        const ids = this.contextIds(spanCount, windowOf(claim, textOf), claim.sentenceEnd);
        for (let x = 0; x < ids; x++) {
          const id = this.spans.seen[x];
          let e = entityNums.get(id);
          if (e === undefined) entityNums.set(id, (e = entityNums.size));
          if (ctxUsed === ctx.length) ctx = grow(ctx);
          ctx[ctxUsed++] = e;
        }
        c++;
      }
      if (docUris.length % 64 === 0) yield;
    }
    this.clearSpans();
    ctxStart[c] = ctxUsed;
    docStart.push(c);

    // The claims of each key in claim order: byKey[keyClaims[k]] .. byKey[keyClaims[k + 1] - 1].
    const keyCount = keyNums.size;
    const keyClaims = new Int32Array(keyCount + 1);
    for (let i = 0; i < c; i++) keyClaims[claimKey[i] + 1]++;
    for (let k = 0; k < keyCount; k++) keyClaims[k + 1] += keyClaims[k];
    const byKey = new Int32Array(c);
    const fill = keyClaims.slice(0, keyCount);
    for (let i = 0; i < c; i++) byKey[fill[claimKey[i]]++] = i;

    // Per key: count its postings per entity, order the entities, then place each claim (in
    // claim order) in its entities' runs. `count` is shared by all keys and cleared after each.
    // Typed arrays throughout (as JS arrays, the pair lists and each key's entity list cost the
    // build about 46 MB of heap at 20,000 articles); the pair lists are copied to size at the end.
    const postings = new Int32Array(ctxUsed);
    const keyPairs = new Int32Array(keyCount + 1);
    let pairEntity = new Int32Array(ctxUsed + 1);
    let pairStart = new Int32Array(ctxUsed + 1);
    let pairs = 0;
    const count = new Int32Array(entityNums.size);
    const next = new Int32Array(entityNums.size);
    const used = new Int32Array(entityNums.size);
    let placed = 0;
    for (let k = 0; k < keyCount; k++) {
      if (k % 256 === 255) yield;
      keyPairs[k] = pairs;
      let usedCount = 0;
      for (let x = keyClaims[k]; x < keyClaims[k + 1]; x++) {
        const i = byKey[x];
        for (let j = ctxStart[i]; j < ctxStart[i + 1]; j++) if (count[ctx[j]]++ === 0) used[usedCount++] = ctx[j];
      }
      const keyUsed = used.subarray(0, usedCount).sort();
      for (let u = 0; u < usedCount; u++) {
        const e = keyUsed[u];
        pairEntity[pairs] = e;
        pairStart[pairs++] = placed;
        next[e] = placed;
        placed += count[e];
        count[e] = 0;
      }
      for (let x = keyClaims[k]; x < keyClaims[k + 1]; x++) {
        const i = byKey[x];
        for (let j = ctxStart[i]; j < ctxStart[i + 1]; j++) postings[next[ctx[j]]++] = i;
      }
    }
    keyPairs[keyCount] = pairs;
    pairStart[pairs] = placed;
    pairEntity = pairEntity.slice(0, pairs);
    pairStart = pairStart.slice(0, pairs + 1);

    this.postings = {
      claims,
      claimDoc,
      docUris,
      docs,
      docStart: Int32Array.from(docStart),
      docNums,
      entityNums,
      keyNums,
      keyPairs,
      pairEntity,
      pairStart,
      postings,
      wordsAt,
      words,
      wordsUsed,
      // Kept across builds: the words taken over are numbered in it.
      vocabulary: prev?.vocabulary ?? new Map(),
    };
    this.postingsFor = entities;
    this.building = undefined;
    this.buildsDone++;
  }

  /**
   * Content words around claim `c` as numbers, read on first need and kept with the lists (a
   * claim's sentence comes from its article's text, which may have to be read back).
   */
  private wordsOf(ix: PostingIndex, c: number): Int32Array {
    let at = ix.wordsAt[c];
    if (at === 0) {
      const ids = internWords(ix, quantityWords(ix.claims[c]));
      while (ix.wordsUsed + ids.length + 1 > ix.words.length) ix.words = grow(ix.words);
      at = ix.wordsUsed + 1;
      ix.words[ix.wordsUsed] = ids.length;
      ix.words.set(ids, at);
      ix.wordsUsed += ids.length + 1;
      ix.wordsAt[c] = at;
    }
    return ix.words.subarray(at, at + ix.words[at - 1]);
  }
}

/**
 * The `limit`-th highest score of `candidates` (-Infinity when there are fewer). With words a
 * score only grows (by at most WORD_WEIGHT), so at least `limit` candidates end at or above it.
 */
function limitthBest(candidates: ReadonlyArray<{ score: number }>, limit: number): number {
  if (limit <= 0) return Infinity;
  if (candidates.length < limit) return -Infinity;
  const scores = Float64Array.from(candidates, (a) => a.score).sort();
  return scores[scores.length - limit];
}

/** The pair of entity `e` in key `k`'s lists, or -1 (binary search: the key's entities are ascending). */
function findPair(ix: PostingIndex, k: number, e: number | undefined): number {
  if (e === undefined) return -1;
  let lo = ix.keyPairs[k];
  let hi = ix.keyPairs[k + 1];
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ix.pairEntity[mid] < e) lo = mid + 1;
    else hi = mid;
  }
  return lo < ix.keyPairs[k + 1] && ix.pairEntity[lo] === e ? lo : -1;
}

/** Where the claim's context window starts: the start of the sentence before its own (read from the text only when the claim does not know it). */
function windowOf(claim: RawClaim, text: () => string): number {
  const known = claim instanceof StoredClaim ? claim.windowStart : -1;
  return known >= 0 ? known : previousSentenceStart(text(), claim.sentenceStart);
}

function internWords(ix: PostingIndex, words: ReadonlySet<string>): Int32Array {
  const out = new Int32Array(words.size);
  let i = 0;
  for (const w of words) {
    let n = ix.vocabulary.get(w);
    if (n === undefined) ix.vocabulary.set(w, (n = ix.vocabulary.size));
    out[i++] = n;
  }
  return out;
}

/** `wordOverlap` of two interned word sets (each without repeats). */
function overlapOf(a: Int32Array, b: Int32Array): number {
  if (a.length === 0 || b.length === 0) return 0;
  let shared = 0;
  for (let i = 0; i < a.length; i++) if (b.includes(a[i])) shared++;
  return shared / Math.min(a.length, b.length);
}

function grow(a: Int32Array): Int32Array<ArrayBuffer> {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}

/** How much a shared word near the figure counts, beside shared entities (≈ one rare entity). */
const WORD_WEIGHT = 3;
/** How much closeness of the two values counts (same quantity, reported twice, differs little). */
const VALUE_WEIGHT = 1.5;
/** Content words on each side of the figure that describe what it measures. */
const WORD_WINDOW = 4;

const FUNCTION_WORDS = new Set(
  ('the a an and or but of in on at to for from by with as into over under about than then that this these those ' +
    'is are was were be been being has have had will would could should may might can its it their his her our ' +
    'which who whom whose while also more most less least some any each other such only same both between during ' +
    'after before since until per year years said says told noted added according last next first new total worth ' +
    'around nearly almost some up down out there here when where what how all not no').split(' '),
);

/**
 * The content words within a few words of the figure in its sentence, lower-cased and with a
 * plural -s dropped: what distinguishes "trade turnover reached $X" from "investments worth $X".
 */
export function quantityWords(claim: RawClaim): ReadonlySet<string> {
  const at = Math.max(0, claim.start - claim.sentenceStart);
  const before = claim.sentence.slice(0, at).split(/[^\p{L}]+/u).filter(Boolean);
  const after = claim.sentence.slice(at + claim.text.length).split(/[^\p{L}]+/u).filter(Boolean);
  // The sentence's first word is capitalised as such, not as a name.
  const firstWord = before.length > 0 && claim.sentence.trimStart().startsWith(before[0]) ? before[0] : undefined;
  const content = (w: string) => {
    const lw = w.toLowerCase();
    if (lw.length < 4 || FUNCTION_WORDS.has(lw)) return undefined;
    if (w[0] !== lw[0] && w !== firstWord) return undefined; // names are context entities already
    return stem(lw);
  };
  const near = [
    ...before.map(content).filter((w): w is string => !!w).slice(-WORD_WINDOW),
    ...after.map(content).filter((w): w is string => !!w).slice(0, WORD_WINDOW),
  ];
  return new Set(near);
}

/**
 * A crude stem: the first six letters of a longer word, so that "invested", "investment" and
 * "investments" meet, as do "exported" and "exports"; shorter words lose a plural -s.
 */
export function stem(word: string): string {
  if (word.length > 6) return word.slice(0, 6);
  return word.length > 4 && word.endsWith('s') && !word.endsWith('ss') ? word.slice(0, -1) : word;
}

/**
 * Overlap coefficient of two word sets (shared ÷ the smaller set; 0 when either is empty): a
 * terse "Korea has invested $4.2 billion" fully matches the wordier sentence it agrees with.
 */
export function wordOverlap(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let shared = 0;
  for (const w of a) if (b.has(w)) shared++;
  return shared / Math.min(a.size, b.size);
}
