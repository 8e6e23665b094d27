/**
 * Figures in other articles about the same quantity as a claim: same kind and unit (for counts,
 * the same counted noun), sharing context entities — entities mentioned in the claim's sentence
 * or the one before it.
 *
 * Index: claims are grouped by quantity key (kept up to date per changed document), and for
 * each (quantity key, context entity) there is a posting list of the claims with that entity in
 * context. Entity ids come from corpus-wide linking, so the posting lists are rebuilt lazily,
 * once per link generation, in one linear sweep; a query then reads only the posting lists of
 * its own context entities within its own group, rarest entity first, with a work budget —
 * never every claim of the corpus.
 */
import { articleCount } from './context';
import { describeDifference, quantityKey, relativeDistance } from './claimReading';
import { compareStrings, previousSentenceStart } from './text';
import type { Entity, RawClaim } from './types';
import type { IndexedDocument, ResolvedMention, WorkspaceIndex } from './workspaceIndex';

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
 * The claims of one (quantity key, entity) pair and their articles, as two parallel arrays:
 * a few million postings at 20,000 articles, where an object per posting cost 48 bytes more.
 */
interface Postings {
  uris: string[];
  claims: RawClaim[];
}

/** Postings read per query before the more common entities are skipped (once enough candidates exist). */
const POSTING_BUDGET = 20_000;
/** Hard cap on postings read per query (a single very common entity in a huge corpus). */
const POSTING_CAP = 60_000;

export class ClaimIndex {
  /** quantity key → uri → claims of that document with that key. */
  private readonly groups = new Map<string, Map<string, RawClaim[]>>();
  /** What was grouped per document (by identity), to find what changed. */
  private readonly indexed = new Map<string, IndexedDocument>();
  private groupedFor: readonly Entity[] | undefined;
  /** Quantity key → entity id → claims with that entity in context; valid for `postingsFor`. */
  private postings = new Map<string, Map<string, Postings>>();
  private postingsFor: readonly Entity[] | undefined;
  private contextCache = new WeakMap<RawClaim, string[]>();
  private readonly windowCache = new WeakMap<RawClaim, number>();
  private readonly wordsCache = new WeakMap<RawClaim, ReadonlySet<string>>();
  /** Postings read by the last query (tests, diagnostics). */
  lastQueryCost = 0;

  constructor(private readonly index: WorkspaceIndex) {}

  /** Brings the quantity groups up to date with the index (only changed documents are regrouped). */
  sync(): void {
    const entities = this.index.entities();
    if (entities === this.groupedFor) return;
    this.groupedFor = entities;
    this.contextCache = new WeakMap();
    const seen = new Set<string>();
    for (const doc of this.index.documents()) {
      seen.add(doc.uri);
      const prev = this.indexed.get(doc.uri);
      if (prev === doc) continue;
      if (prev) this.removeDoc(prev);
      this.addDoc(doc);
    }
    for (const [uri, prev] of [...this.indexed]) if (!seen.has(uri)) this.removeDoc(prev);
  }

  /** Number of claims in the group of `key`. */
  groupSize(key: string): number {
    this.sync();
    let n = 0;
    for (const list of this.groups.get(key)?.values() ?? []) n += list.length;
    return n;
  }

  /** Every quantity group: key → (uri → claims). */
  allGroups(): ReadonlyMap<string, ReadonlyMap<string, readonly RawClaim[]>> {
    this.sync();
    return this.groups;
  }

  /** Entity ids mentioned in the claim's sentence or the preceding one. */
  contextEntities(uri: string, claim: RawClaim): string[] {
    this.sync();
    let ids = this.contextCache.get(claim);
    if (!ids) {
      ids = this.computeContext(uri, claim, this.index.mentionsIn(uri));
      this.contextCache.set(claim, ids);
    }
    return ids;
  }

  /** Figures in other articles about the same quantity, best first. */
  related(uri: string, claim: RawClaim, opts: RelatedOptions = {}): RelatedClaim[] {
    this.sync();
    this.ensurePostings();
    const limit = opts.limit ?? 10;
    const key = quantityKey(claim);
    const mine = this.contextEntities(uri, claim);
    this.lastQueryCost = 0;
    if (mine.length === 0) return [];
    const totalArticles = Math.max(1, this.index.size);
    const weighted: Array<{ id: string; weight: number }> = [];
    for (const id of mine) {
      const e = this.index.entity(id);
      // Rarer entities say more about which quantity is meant.
      if (e) weighted.push({ id, weight: Math.log(1 + totalArticles / Math.max(1, articleCount(e))) + 0.1 });
    }
    weighted.sort((a, b) => b.weight - a.weight || compareStrings(a.id, b.id));

    const acc = new Map<RawClaim, { uri: string; claim: RawClaim; weight: number; shared: string[] }>();
    let cost = 0;
    for (const { id, weight } of weighted) {
      if (cost >= POSTING_BUDGET && acc.size >= limit) break;
      const p = this.postings.get(key)?.get(id);
      for (let i = 0; p && i < p.claims.length; i++) {
        if (++cost > POSTING_CAP) break;
        if (p.uris[i] === uri) continue;
        const c = p.claims[i];
        let a = acc.get(c);
        if (!a) acc.set(c, (a = { uri: p.uris[i], claim: c, weight: 0, shared: [] }));
        a.weight += weight;
        a.shared.push(id);
      }
    }
    this.lastQueryCost = cost;
    const myWords = this.quantityWords(claim);
    const scored = [...acc.values()].map((a) => ({
      ...a,
      score: a.weight + VALUE_WEIGHT * (1 - relativeDistance(claim, a.claim)) + WORD_WEIGHT * wordOverlap(myWords, this.quantityWords(a.claim)),
    }));
    scored.sort((a, b) => b.score - a.score || compareStrings(a.uri, b.uri) || a.claim.start - b.claim.start);
    return scored.slice(0, limit).map((a) => ({
      uri: a.uri,
      claim: a.claim,
      score: a.score,
      shared: a.shared.map((id) => this.index.entity(id)).filter((e): e is Entity => !!e),
      difference: describeDifference(claim, a.claim),
    }));
  }

  /** Rebuilds the posting lists after the entities were re-linked: one sweep over all claims. */
  private ensurePostings(): void {
    const entities = this.index.entities();
    if (entities === this.postingsFor) return;
    this.postingsFor = entities;
    // Context entities of every claim, one article at a time: its mentions are listed once and
    // not kept (`sweepMentionsIn`), and its text, read back for the sentence windows the first
    // time, is read once.
    for (const [uri, doc] of this.indexed) {
      let mentions: readonly ResolvedMention[] | undefined;
      for (const claim of doc.claims) {
        if (this.contextCache.has(claim)) continue;
        mentions ??= this.index.sweepMentionsIn(uri);
        this.contextCache.set(claim, this.computeContext(uri, claim, mentions));
      }
    }
    const postings = new Map<string, Map<string, Postings>>();
    for (const [key, byUri] of this.groups) {
      const byEntity = new Map<string, Postings>();
      postings.set(key, byEntity);
      for (const [uri, claims] of byUri) {
        for (const claim of claims) {
          let ids = this.contextCache.get(claim);
          if (!ids) {
            ids = this.computeContext(uri, claim, this.index.sweepMentionsIn(uri));
            this.contextCache.set(claim, ids);
          }
          for (const id of ids) {
            let list = byEntity.get(id);
            if (!list) byEntity.set(id, (list = { uris: [], claims: [] }));
            list.uris.push(uri);
            list.claims.push(claim);
          }
        }
      }
    }
    // Arrays grown by push keep room for 17 elements from the first on (V8's growth rule), and
    // most lists hold a few claims: at 2,000 articles the 124,543 lists' elements took 38 MB
    // before this copy to exact size (sliced, a list of one or three claims takes ~60 bytes,
    // not ~185).
    for (const byEntity of postings.values()) {
      for (const list of byEntity.values()) {
        list.uris = list.uris.slice();
        list.claims = list.claims.slice();
      }
    }
    this.postings = postings;
  }

  /** Content words around the figure in its sentence ("trade", "turnover", "investment"), cached. */
  private quantityWords(claim: RawClaim): ReadonlySet<string> {
    let words = this.wordsCache.get(claim);
    if (!words) this.wordsCache.set(claim, (words = quantityWords(claim)));
    return words;
  }

  private computeContext(uri: string, claim: RawClaim, mentions: readonly ResolvedMention[]): string[] {
    const from = this.windowStart(uri, claim);
    const set = new Set<string>();
    for (let i = lowerBound(mentions, from); i < mentions.length && mentions[i].start < claim.sentenceEnd; i++) set.add(mentions[i].entityId);
    return [...set];
  }

  private windowStart(uri: string, claim: RawClaim): number {
    let from = this.windowCache.get(claim);
    if (from === undefined) {
      const text = this.index.document(uri)?.text ?? '';
      from = previousSentenceStart(text, claim.sentenceStart);
      this.windowCache.set(claim, from);
    }
    return from;
  }

  private addDoc(doc: IndexedDocument): void {
    this.indexed.set(doc.uri, doc);
    for (const c of doc.claims) {
      const key = quantityKey(c);
      let group = this.groups.get(key);
      if (!group) this.groups.set(key, (group = new Map()));
      let list = group.get(doc.uri);
      if (!list) group.set(doc.uri, (list = []));
      list.push(c);
    }
  }

  private removeDoc(doc: IndexedDocument): void {
    this.indexed.delete(doc.uri);
    for (const c of doc.claims) {
      const key = quantityKey(c);
      const group = this.groups.get(key);
      if (!group) continue;
      group.delete(doc.uri);
      if (group.size === 0) this.groups.delete(key);
    }
  }
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

/** First mention ending after `offset` (mentions sorted by start, non-overlapping). */
function lowerBound(list: readonly ResolvedMention[], offset: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid].end <= offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
