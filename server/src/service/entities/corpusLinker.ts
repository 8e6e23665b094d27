/**
 * Incremental corpus linking: the same result as `linkCorpus` over the current documents, but
 * an edit re-links only the part of the corpus it can influence.
 *
 * Design. Every form of every local cluster is a node. Two nodes are *related* when some rule of
 * `linkClusters` could look at both of them together, whatever the outcome:
 *   - same cluster (in-article edges, definitions);
 *   - same match key (type consensus, dictionary `ignore`/`separate` labels);
 *   - same dictionary key set (an entity's name/aliases, a `merge` group);
 *   - same effective join key (key groups; countries);
 *   - transliteration: key-group representatives in one non-oversized block that pass the static
 *     pair test; acronyms: a definition of an acronym anywhere;
 *   - *decisions*: a stand-alone acronym and the long forms its letters could abbreviate, a
 *     one-token person name and the full names ending in it. These rules unite only when all
 *     candidates found are one entity (other than the acronym's own).
 * A *component* is a connected set of clusters under these relations. Components do not
 * interact, so linking one component alone gives exactly its entities in the whole corpus
 * (`linkClusters` processes everything in an order that is stable under taking subsets; the
 * only corpus-wide inputs, the size of a transliteration block and the pruned decisions below,
 * are passed in).
 *
 * Pruned decisions. A few acronyms ("AP") and surnames ("Kim") have candidates all over the
 * corpus and would tie most of it into one component, which every edit would re-link whole. A
 * decision whose candidates lie in two or more components (other than the acronym's own) can
 * only find two or more entities (entities never cross components), so it never unites
 * anything: it is marked `amb`, relates nothing, and `linkClusters` is told to skip it. Which
 * decisions are pruned depends on the components and the components on the pruned decisions:
 * the build starts from none related and relates the decisions that are not ambiguous until
 * nothing changes; an edit re-evaluates every decision that touches the re-opened part. Any
 * partition with these two properties (related decisions inside one component, pruned ones
 * ambiguous) links exactly as the whole corpus does, so the output never depends on history.
 *
 * An edit touches the nodes of the changed documents, every node sharing a match key with them
 * (the type vote may change), the key groups they enter or leave (the representative may
 * change) and, when a block crosses its size limit, the groups in it. All components those
 * nodes were in before are re-opened; a search over the relations from there finds the new
 * components, which are linked again; everything else keeps its entities. Entity ids are
 * renumbered only within the base ids that changed. The sorted entity list is made on the first
 * `entities()` after a build; an edit's few new, dropped and renumbered entities are merged into it.
 */

import type { Entity, EntityMentionRef, EntityType } from '../types';
import { matchesAcronym } from './acronym';
import type { Dictionary } from './dictionary';
import {
  acronymIndexKeys,
  acronymShape,
  acronymMaskMatches,
  consensusType,
  expansionOf,
  groupEntity,
  linkClusters,
  longIndexKeys,
  MAX_VARIANT_BLOCK,
  prepareDictionary,
  prepareDocument,
  releaseLinkMemos,
  retypedJoin,
  single,
  transliterationBlocks,
  TYPE_INDEX,
  TYPE_LIST,
  variantCandidate,
  variantPair,
  type ClusterNodes,
  type ExpansionInfo,
  type ExpansionMask,
  type PreparedDictionary,
} from './link';
import { forEachOf, listAt, listLength, listOf, type LocalForm, type LocalResult, type OneOrList } from './model';
import { joined, NONE } from './memo';
import { cmp } from './normalize';

interface CDoc {
  uri: string;
  local: LocalResult;
  clusters: CCluster[];
  alive: boolean;
  /** Position in corpus (uri) order: compared instead of the uris. */
  ord: number;
}

/**
 * One local cluster: the prepared cluster itself (one object, not a wrapper around it) plus
 * the linker's bookkeeping. Its nodes form a linked list (most clusters have one form: a list
 * costs one field per node where an array cost an object per cluster).
 */
interface CCluster extends ClusterNodes {
  doc: CDoc;
  idx: number;
  first: CNode;
  comp: Comp | null;
  mark: number;
}

interface CNode {
  cl: CCluster;
  /** Index in the cluster's forms. */
  i: number;
  next: CNode | null;
  form: LocalForm;
  /**
   * The key group of a joinable node. Its effective (consensus) type and join key are the
   * group's (`Group.t`, `Group.join`); a node outside any group has its form's.
   */
  group: Group | null;
  rec: EntRec | null;
}

/**
 * Whether a node stands on its own and joins others by key: its cluster says so (a field of its
 * own cost 8 bytes on each of the 1.5 million nodes of a 20,000-article corpus).
 */
const joinable = (n: CNode): boolean => n.cl.joinable[n.i] === 1;

/** Whether node `m` comes before node `n` in corpus order (a key group's members are kept in it). */
const before = (m: CNode, n: CNode): boolean => (order(m.cl, n.cl) || m.i - n.i) < 0;

interface Group {
  join: string;
  /** Type index of every member (the join key implies the type). */
  t: number;
  /**
   * Its nodes in corpus order; one node (most groups) is held without a list (see OneOrList), and
   * an empty list is left only until the group is dropped.
   */
  members: OneOrList<CNode>;
  rep: CNode | null;
  /**
   * Whether `rep` is registered in the indexes. What it registered is recomputed from the
   * representative (`registration`): a pure function of its form and the group's type.
   */
  reg: boolean;
  /**
   * The letter tests of the registered long form's expansion (acronym candidates test it; null
   * otherwise). Its words are computed again for the pairs that pass (`candidates`).
   */
  info: ExpansionMask | null;
  /** A decision (acronym letters, surname) pruned as ambiguous: see the header. */
  amb: boolean;
  mark: number;
}

interface Reg {
  blocks: readonly string[];
  long: readonly string[];
  /** The long form's letter tests (its words are computed again where a pair passes them). */
  info: ExpansionMask | null;
  acr: readonly string[];
  surLong: string | null;
  surShort: string | null;
  key: string;
  acrGroup: boolean;
}

interface Comp {
  /** One cluster (the common case) or several. */
  clusters: CCluster | CCluster[];
}

interface EntRec {
  base: string;
  entity: Entity;
}

const first = (r: EntRec): EntityMentionRef => r.entity.mentions[0];
/** The order of `entities()`: by id, then base id, then first mention (ids are unique but for odd slugs: "x-2" may be a base). */
const entryOrder = (a: Entity, aBase: string, b: Entity, bBase: string): number =>
  cmp(a.id, b.id) || cmp(aBase, bBase) || cmp(a.mentions[0].uri, b.mentions[0].uri) || a.mentions[0].start - b.mentions[0].start;
const recOrder = (a: EntRec, b: EntRec): number => entryOrder(a.entity, a.base, b.entity, b.base);

/** The arrays one after another, copied by `concat` (in groups: it takes its parts as arguments). */
function joinArrays<T>(parts: T[][]): T[] {
  if (parts.length === 1) return parts[0];
  let out: T[] = [];
  for (let i = 0; i < parts.length; i += 4096) out = out.concat(...parts.slice(i, i + 4096));
  return out;
}

/** The first index in [0, n) for which `before(i)` is false (`before` holds for a prefix of the range). */
function firstNotBefore(n: number, before: (i: number) => boolean): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (before(mid)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The positions of `ids` in string order (code units, as `<` compares; equal ids by `tie`).
 * Comparing the strings themselves is slow for a few hundred thousand of them (each comparison
 * reads two strings spread over the heap, through a JavaScript comparator: 1.2 s at 10,000
 * articles). Each id gets one number read once, sorted natively (a Float64Array's own sort): the
 * rank of its part up to the first ':' (the type: few distinct values), its next three
 * characters (capped: characters past the cap share its value, and what follows one counts
 * nothing), and its position in the low bits. Only runs with equal leading parts are then sorted by comparing
 * the strings. A shorter string sorts before its extensions (a missing character counts 0, the
 * others their code + 1, capped), as with `<`.
 */
export function idOrder(ids: readonly string[], tie: (a: number, b: number) => number = () => 0): number[] {
  const n = ids.length;
  const byString = (a: number, b: number) => (ids[a] < ids[b] ? -1 : ids[a] > ids[b] ? 1 : tie(a, b));
  const colon = ids.map((s) => s.indexOf(':'));
  const heads = [...new Set(ids.map((s, i) => s.slice(0, colon[i] + 1)))].sort();
  const idxBits = Math.max(1, Math.ceil(Math.log2(n + 1)));
  const rankBits = Math.max(1, Math.ceil(Math.log2(heads.length + 1)));
  const charBits = Math.min(16, Math.floor((53 - idxBits - rankBits) / 3));
  if (colon.some((c) => c < 0) || charBits < 7) return Array.from({ length: n }, (_, i) => i).sort(byString);
  // Entity ids have four heads (their types): a few prefix tests beat slicing and hashing each.
  const headIndex = heads.length > 8 ? new Map(heads.map((h, i) => [h, i])) : null;
  const rankOf = (s: string, p: number): number => {
    if (headIndex) return headIndex.get(s.slice(0, p))!;
    for (let h = 0; h < heads.length; h++) if (heads[h].length === p && s.startsWith(heads[h])) return h;
    return -1; // (not reached: every head is in `heads`)
  };
  const C = 2 ** charBits;
  const I = 2 ** idxBits;
  const code = (s: string, i: number) => (i < s.length ? Math.min(s.charCodeAt(i) + 1, C - 1) : 0);
  const keys = new Float64Array(n);
  // The first six characters exactly (17 bits each), for the runs below.
  const next = new Float64Array(n);
  const first3 = new Float64Array(n);
  const exact = (s: string, i: number) => (i < s.length ? s.charCodeAt(i) + 1 : 0);
  for (let i = 0; i < n; i++) {
    const s = ids[i];
    const p = colon[i] + 1;
    // After a capped character the rest count 0: which of two capped characters comes first is
    // not known here, so what follows must not decide (the run's exact comparison does).
    const c0 = code(s, p);
    const c1 = c0 === C - 1 ? 0 : code(s, p + 1);
    const c2 = c0 === C - 1 || c1 === C - 1 ? 0 : code(s, p + 2);
    const lead = ((rankOf(s, p) * C + c0) * C + c1) * C + c2;
    keys[i] = lead * I + i;
    first3[i] = (exact(s, p) * 131072 + exact(s, p + 1)) * 131072 + exact(s, p + 2);
    next[i] = (exact(s, p + 3) * 131072 + exact(s, p + 4)) * 131072 + exact(s, p + 5);
  }
  keys.sort();
  const order: number[] = [];
  for (let i = 0; i < n; i++) order.push((keys[i] % I) | 0); // small integers, not doubles: they index arrays
  // Runs of equal leading parts: ordered by the strings.
  for (let i = 0; i < n; ) {
    const lead = Math.floor(keys[i] / I);
    let j = i + 1;
    while (j < n && Math.floor(keys[j] / I) === lead) j++;
    if (j - i > 1) {
      // (Capped characters tie in `lead` where they differ: `first3` has them exactly.)
      const run = order.slice(i, j).sort((a, b) => first3[a] - first3[b] || next[a] - next[b] || byString(a, b));
      for (let k = 0; k < run.length; k++) order[i + k] = run[k];
    }
    i = j;
  }
  return order;
}
/** Does the group's registration make a decision (stand-alone acronym letters, surname)? */
const isDecision = (reg: Reg): boolean => reg.acr.length > 0 || reg.surShort !== null;
const compClusters = (c: Comp): readonly CCluster[] => (Array.isArray(c.clusters) ? c.clusters : [c.clusters]);

/** The node at form index `i` of a cluster. */
function nodeAt(cl: CCluster, i: number): CNode {
  let n = cl.first;
  while (n.i !== i) n = n.next!;
  return n;
}

/**
 * A set of index entries under one key. Most keys hold one entry: it is stored as itself
 * (entries are plain objects, never arrays or Sets). Small bags are exact-size arrays
 * (insertion order, no duplicates: the same iteration order as a Set) and become a Set past
 * SMALL_BAG entries; a Set per key cost ~150 bytes even for one entry, an array 56.
 * Arrays are replaced, never mutated, so an iteration in progress sees a snapshot (nothing
 * here mutates a bag while iterating it); the one exception is the first build's first phase,
 * before anything reads them (`addNew`).
 */
type Bag<V extends object> = V | V[] | Set<V>;
const SMALL_BAG = 8;
const isMany = <V extends object>(s: Bag<V>): s is V[] | Set<V> => Array.isArray(s) || s instanceof Set;
const add = <K, V extends object>(m: Map<K, Bag<V>>, k: K, v: V) => {
  const s = m.get(k);
  if (s === undefined) m.set(k, v);
  else if (Array.isArray(s)) {
    if (s.includes(v)) return;
    m.set(k, s.length < SMALL_BAG ? [...s, v] : new Set([...s, v]));
  } else if (s instanceof Set) s.add(v);
  else if (s !== v) m.set(k, [s, v]);
};
const del = <K, V extends object>(m: Map<K, Bag<V>>, k: K, v: V) => {
  const s = m.get(k);
  if (s === undefined) return;
  if (Array.isArray(s)) {
    if (!s.includes(v)) return;
    const rest = s.filter((x) => x !== v);
    m.set(k, rest.length === 1 ? rest[0] : rest);
    return;
  }
  if (s instanceof Set) {
    s.delete(v);
    if (s.size === 0) m.delete(k);
    return;
  }
  if (s === v) m.delete(k);
};
/**
 * `add` for the first build's bulk phases (its nodes in the key index, its registrations), where
 * nothing reads the bags until the phase ends: a list grows in place and never becomes a Set
 * there (`add` copies a small bag's array for every entry, so that an iteration in progress sees
 * a snapshot, and looks for a duplicate anywhere in it). `settleBag` gives each bag its usual form
 * afterwards. Every entry is new, but one can come twice in a row (a group listing a key twice:
 * its keys are added together, each group once), so an entry already last is not added again.
 */
const addNew = <K, V extends object>(m: Map<K, Bag<V>>, k: K, v: V) => {
  const s = m.get(k);
  if (s === undefined) m.set(k, v);
  else if (Array.isArray(s)) {
    if (s[s.length - 1] !== v) s.push(v);
  } else if (s instanceof Set) s.add(v);
  else if (s !== v) m.set(k, [s, v]);
};
/**
 * The usual form of a bag grown by `addNew` (SMALL_BAG entries or fewer: an exact-size array; more:
 * a Set), put back under `k` when it changes; its entries in the same order.
 */
const settleBag = <K, V extends object>(m: Map<K, Bag<V>>, k: K, s: Bag<V>): void => {
  if (!Array.isArray(s) || s.length <= 2) return; // (a pair was made at its size)
  m.set(k, s.length > SMALL_BAG ? new Set(s) : s.slice());
};
const bagSize = <V extends object>(s: Bag<V> | undefined): number => (s === undefined ? 0 : Array.isArray(s) ? s.length : s instanceof Set ? s.size : 1);
/** Calls `fn` on each entry of a bag (no iterator objects). */
const each = <V extends object>(s: Bag<V> | undefined, fn: (v: V) => void): void => {
  if (s === undefined) return;
  if (Array.isArray(s)) for (let i = 0; i < s.length; i++) fn(s[i]);
  else if (s instanceof Set) s.forEach(fn);
  else fn(s);
};
/** The entries of a bag, for iteration. */
const items = <V extends object>(s: Bag<V> | undefined): Iterable<V> => (s === undefined ? (NONE as readonly V[]) : isMany(s) ? s : [s]);

/** The node's effective join key under the vote of its match key. */
function votedJoin(n: CNode, votes: Parameters<typeof consensusType>[0] | undefined): string {
  const own = TYPE_INDEX[n.form.type];
  const w = votes ? consensusType(votes, own) : own;
  return w === own ? n.form.join : retypedJoin(n.form, TYPE_LIST[w]).join;
}

/**
 * The type vote of a match key: mentions per type over every form with that key (the corpus
 * consensus input). Recounted from the key's nodes when needed rather than kept per key (the
 * caller visits those nodes anyway); undefined for a single node (it keeps its own type).
 */
function votesOf(nodes: Bag<CNode> | undefined): number[] | undefined {
  if (nodes === undefined || !isMany(nodes)) return undefined;
  const v = [0, 0, 0, 0];
  for (const n of nodes) v[TYPE_INDEX[n.form.type]] += listLength(n.form.mentions);
  return v;
}

/** The effective type index behind a join key made for `f` (`country\0…` only for places). */
function joinType(join: string, f: LocalForm): number {
  if (join === f.join) return TYPE_INDEX[f.type];
  return join.startsWith('country\u0000') ? TYPE_INDEX.place : TYPE_INDEX[join.slice(0, join.indexOf('\u0000')) as EntityType];
}

/** Entities with at least this many mentions are also kept in a set of their own (`forEachEntity`). */
export const BIG_ENTITY = 64;

/** Clusters linked per batch in the build (see `build`). */
const LINK_BATCH = 4000;

/** Clusters in corpus order: documents by uri, clusters in document order. */
function order(a: CCluster, b: CCluster): number {
  return a.doc.ord - b.doc.ord || a.idx - b.idx;
}

export interface LinkerOptions {
  /**
   * Called at the points of the first build (the bulk link of a whole corpus) where most of what
   * the process allocated since the last call is garbage: as the build starts (what loading the
   * articles left), before the components are linked (the registrations and tables that found
   * them) and as the build ends (what linking the components left: at 20,000 articles about 150
   * MB, which V8 would otherwise carry, with what came after, until its next full collection).
   * A caller that can force a full collection there keeps the build's memory peak down; the
   * result does not depend on it. Never called by edits.
   */
  collectGarbage?: (phase: 'start' | 'components' | 'end') => void;
  /** Clusters per batch of the first build's last stage (tests: small, for many batches). */
  linkBatch?: number;
  /**
   * Items the search for components handles between looks at the clock (a document of the first phase counts as SEARCH_CHECK)
   * (default SEARCH_CHECK; tests: 1, so that a step with no time left ends after one item).
   */
  searchCheck?: number;
  /** Nodes of a big key walked per step of the search (default BAG_SLICE; tests: small, for keys cut across steps). */
  searchSlice?: number;
}

/** How many items a step of the search for components handles between looks at the clock. */
const SEARCH_CHECK = 256;
/** A key with more nodes than this is walked this many a step by the search for components (see `Search.bag`). */
const BAG_SLICE = 1024;

/**
 * The first build's search for components while it runs in steps (`CorpusLinker.beginSearch`):
 * its phase and the position in it, and what each phase leaves for the next.
 */
interface Search {
  /** Stop before the components are linked (see `startLink`). */
  lazy: boolean;
  phase: number;
  i: number;
  /** The pending documents when the search began, in the order they came. */
  todo: Array<[string, LocalResult | null]>;
  /** Every cluster in corpus order; a cluster's number (its `mark` until the end) is its index. */
  clusters: CCluster[];
  /** Union-find over the cluster numbers. */
  parent: Int32Array;
  /** The documents in corpus order while their clusters are numbered, and how many are numbered. */
  sorted: CDoc[] | null;
  nc: number;
  /** The key index's node bags, for the walk over them. */
  bags: Array<Bag<CNode>>;
  /**
   * The key whose nodes are being walked, from `bagAt`, with its vote, its first cluster and its
   * last key group so far. One with more than BAG_SLICE nodes is walked BAG_SLICE nodes a step
   * (a common key has thousands at 20,000 articles: one walk held requests for up to 150-450 ms).
   */
  bag: CNode[] | null;
  bagAt: number;
  bagVotes: number[] | undefined;
  bagFirst: number;
  bagLast: Group | null;
  groupList: Group[];
  regs: Array<Reg | null>;
  /** Per group (by number): its representative's cluster number. */
  gc: Int32Array;
  flipped: Set<string>;
  blockList: Array<Bag<Group>>;
  /** The decisions (filled as the groups are united), then those of the current round; those left ambiguous in it, and whether it united anything. */
  round: number[];
  still: number[];
  changed: boolean;
  compIndex: Int32Array;
  /** Per cluster (by number): its component's number; per component: its size, then its list's fill. */
  compOf: Int32Array;
  sizes: Int32Array;
  nComps: number;
  comps: Comp[];
  batchOf: Int32Array;
  lists: CCluster[][];
}

function find(parent: Int32Array, i: number): number {
  while (parent[i] !== i) i = parent[i] = parent[parent[i]];
  return i;
}

function union(parent: Int32Array, a: number, b: number): boolean {
  const ra = find(parent, a);
  const rb = find(parent, b);
  if (ra === rb) return false;
  parent[ra < rb ? rb : ra] = ra < rb ? ra : rb;
  return true;
}

/** Corpus order of two nodes while the search numbers clusters by `mark`. */
const corpusOrder = (a: CNode, b: CNode): number => a.cl.mark - b.cl.mark || a.i - b.i;

export class CorpusLinker {
  private pd: PreparedDictionary;
  private readonly docs = new Map<string, CDoc>();
  /** The documents in uri order (`CDoc.ord` is the index). */
  private docOrder: CDoc[] = [];
  private readonly pending = new Map<string, LocalResult | null>();

  private readonly keyNodes = new Map<string, Bag<CNode>>();
  private readonly groups = new Map<string, Group>();
  private readonly blocks = new Map<string, Bag<Group>>();
  private readonly longIdx = new Map<string, Bag<Group>>();
  private readonly acrIdx = new Map<string, Bag<Group>>();
  private readonly defIdx = new Map<string, Bag<CNode>>();
  private readonly surLong = new Map<string, Bag<Group>>();
  private readonly surShort = new Map<string, Bag<Group>>();
  private keySetsOf = new Map<string, number[]>();

  /** Base id → its records (one record stored as itself). */
  private readonly byBase = new Map<string, EntRec | EntRec[]>();
  /** Entities per type index (kept with `byBase`: counting all of them after every edit took milliseconds). */
  private readonly typeCounts = [0, 0, 0, 0];
  /** `entities()`: every entity in id order, and each one's base id (same positions). */
  private sorted: Entity[] | null = null;
  private sortedBase: string[] = [];
  /**
   * What changed since `sorted` was made: the entity objects that left it (dropped, or replaced
   * by a renumbered copy) and the records that came or were renumbered. `entities()` merges them
   * in (a few entities per edit) instead of sorting every entity again: that sort took 1.2 s at
   * 10,000 articles, on the server's main thread, after every edit that changed an entity.
   */
  private sortedGone = new Set<Entity>();
  private sortedCame = new Set<EntRec>();
  /** The records of entities with at least BIG_ENTITY entries (`forEachEntity`'s short way). */
  private readonly bigRecs = new Set<EntRec>();
  /** How often `entities()` sorted every entity, and how often it merged an edit's changes in. */
  readonly sortCounts = { full: 0, merged: 0 };
  private epoch = 1;
  /**
   * The bulk link's last stage while it runs in steps (`startLink`): the batches of clusters (whole
   * components, corpus order) and the next one to link, every component (trimmed at the end), and
   * the components linked ahead of their batch (`mentionsOfFirst`); `collect`: the collection
   * before the components are linked is still to come.
   */
  private rest: { lists: CCluster[][]; next: number; comps: Comp[]; early: Set<Comp>; collect: boolean } | null = null;
  /** The first build's search for components while it runs in steps (see `beginSearch`). */
  private search: Search | null = null;
  /** Incremented whenever entities change (consumers cache per-document views by it). */
  version = 0;

  constructor(
    dictionary?: Dictionary,
    private readonly opts: LinkerOptions = {},
  ) {
    this.pd = prepareDictionary(dictionary);
    this.indexKeySets();
  }

  // ---- updates (applied lazily, on the next query) ---------------------------------------

  /** Adds or replaces the document `local.uri`. */
  add(local: LocalResult): void {
    this.pending.set(local.uri, local);
  }

  remove(uri: string): void {
    if (this.docs.has(uri) || this.pending.has(uri)) this.pending.set(uri, null);
  }

  setDictionary(dictionary: Dictionary | undefined): void {
    this.flush();
    const locals = [...this.docs.values()].map((d) => d.local);
    for (const d of locals) this.pending.set(d.uri, null);
    this.flush();
    this.pd = prepareDictionary(dictionary);
    this.indexKeySets();
    for (const l of locals) this.pending.set(l.uri, l);
  }

  has(uri: string): boolean {
    return this.pending.has(uri) ? this.pending.get(uri) !== null : this.docs.has(uri);
  }

  // ---- queries -----------------------------------------------------------------------------

  /**
   * Whether `entities()` has its sorted list (kept up to date after edits) rather than sorting
   * every entity in one go, as its first call after a bulk link does (0.3 s at 10,000 articles).
   */
  get listed(): boolean {
    return this.sorted !== null && this.rest === null;
  }

  /** All entities, sorted by id (exactly `linkCorpus` over the current documents). */
  entities(): Entity[] {
    this.flush();
    if (this.sorted && (this.sortedGone.size > 0 || this.sortedCame.size > 0)) this.mergeSorted();
    if (!this.sorted) {
      // One pass over the records (their objects are spread over the heap), then arrays only.
      const ents: Entity[] = [];
      const bases: string[] = [];
      const ids: string[] = [];
      const put = (r: EntRec) => {
        ents.push(r.entity);
        bases.push(r.base);
        ids.push(r.entity.id);
      };
      this.byBase.forEach((list) => (Array.isArray(list) ? list.forEach(put) : put(list)));
      // Equal ids (a base like "x-2" that is also the second "x"): the rest of the order.
      const order = idOrder(ids, (a, b) => entryOrder(ents[a], bases[a], ents[b], bases[b]));
      this.sortCounts.full++;
      this.sorted = order.map((i) => ents[i]);
      this.sortedBase = order.map((i) => bases[i]);
    }
    return this.sorted;
  }

  /**
   * Calls `fn` on every entity (with at least `minMentions` mentions), in no particular order,
   * without making the sorted list (for a scan such as "the most mentioned": sorting every
   * entity first cost more than the scan).
   */
  forEachEntity(fn: (e: Entity) => void, minMentions = 0): void {
    this.flush();
    if (minMentions >= BIG_ENTITY) {
      // A few thousand records instead of every entity (a scan of all of them read one object
      // per entity, spread over the heap: 50-80 ms at 10,000 articles).
      this.bigRecs.forEach((r) => r.entity.mentions.length >= minMentions && fn(r.entity));
      return;
    }
    const visit = (r: EntRec) => r.entity.mentions.length >= minMentions && fn(r.entity);
    this.byBase.forEach((list) => (Array.isArray(list) ? list.forEach(visit) : visit(list)));
  }

  /**
   * Brings `sorted` up to date with the changes noted since it was made (see `sortedGone`). The
   * places of the changes are found by binary search and the rest of the list is copied as
   * pointers: a pass that looked at every entity (a set lookup and an id per entity) took about
   * 190 ms at 10,000 articles, its objects being spread over the heap.
   */
  private mergeSorted(): void {
    const old = this.sorted!;
    const oldBase = this.sortedBase;
    const came: EntRec[] = [];
    const gone = this.sortedGone;
    for (const r of this.sortedCame) {
      if (!this.indexed(r)) continue;
      came.push(r);
      gone.add(r.entity); // (re)placed below, whether or not the list had it
    }
    came.sort(recOrder);
    // Positions of the entities that leave: the run of their id, then the object itself.
    const drop: number[] = [];
    for (const e of gone) {
      for (let k = firstNotBefore(old.length, (i) => old[i].id < e.id); k < old.length && old[k].id === e.id; k++) {
        if (old[k] === e) {
          drop.push(k);
          break;
        }
      }
    }
    drop.sort((a, b) => a - b);
    // Where each newcomer goes: before the first entry that sorts after it.
    const at = came.map((r) => firstNotBefore(old.length, (i) => entryOrder(old[i], oldBase[i], r.entity, r.base) < 0));
    // A new array (a caller may still be reading the old one: the snapshot writer, in slices),
    // made of slices of the old one between the changes: copying it entry by entry in a loop
    // cost 20-60 ms at 10,000 articles for an edit of a few entities.
    const segs: Entity[][] = [];
    const baseSegs: string[][] = [];
    let prev = 0;
    let d = 0;
    let j = 0;
    while (d < drop.length || j < came.length) {
      const p = Math.min(d < drop.length ? drop[d] : old.length, j < came.length ? at[j] : old.length);
      if (p > prev) {
        segs.push(old.slice(prev, p));
        baseSegs.push(oldBase.slice(prev, p));
        prev = p;
      }
      if (j < came.length && at[j] === p) {
        // the newcomers that go before entry p
        const e: Entity[] = [];
        const b: string[] = [];
        for (; j < came.length && at[j] === p; j++) (e.push(came[j].entity), b.push(came[j].base));
        segs.push(e);
        baseSegs.push(b);
        continue;
      }
      d++; // entry p leaves
      prev = p + 1;
    }
    if (prev < old.length) {
      segs.push(old.slice(prev));
      baseSegs.push(oldBase.slice(prev));
    }
    const out = joinArrays(segs);
    const outBase = joinArrays(baseSegs);
    this.sortCounts.merged++;
    this.sorted = out;
    this.sortedBase = outBase;
    this.sortedGone = new Set();
    this.sortedCame = new Set();
  }

  /** Whether the record is in `byBase` now. */
  private indexed(r: EntRec): boolean {
    const list = this.byBase.get(r.base);
    return list === r || (Array.isArray(list) && list.includes(r));
  }

  /** Drops the sorted list (the next `entities()` sorts again) and what was noted for it. */
  private dropSorted(): void {
    this.sorted = null;
    this.sortedBase = [];
    if (this.sortedGone.size > 0) this.sortedGone = new Set();
    if (this.sortedCame.size > 0) this.sortedCame = new Set();
  }

  entity(id: string): Entity | undefined {
    this.flush();
    // An id is a base id, or one numbered `-2`, `-3`… (`renumber`): found through `byBase`
    // (an index by id cost a map entry per entity).
    const find = (base: string): Entity | undefined => {
      const bag = this.byBase.get(base);
      if (!bag) return undefined;
      if (!Array.isArray(bag)) return bag.entity.id === id ? bag.entity : undefined;
      return bag.find((r) => r.entity.id === id)?.entity;
    };
    const dash = id.lastIndexOf('-');
    return find(id) ?? (dash > 0 && /^\d+$/.test(id.slice(dash + 1)) ? find(id.slice(0, dash)) : undefined);
  }

  /** Entities per type, without building the sorted list (for statistics after every change). */
  countByType(): Record<EntityType, number> {
    this.flush();
    const c = this.typeCounts;
    return { person: c[TYPE_INDEX.person], organization: c[TYPE_INDEX.organization], place: c[TYPE_INDEX.place], event: c[TYPE_INDEX.event] };
  }

  /** The entity of the mention starting at `start` (and ending at `end`, if given) in `uri`. */
  entityOf(uri: string, mention: { start: number; end?: number }): Entity | undefined {
    this.flush();
    const d = this.docs.get(uri);
    if (!d) return undefined;
    for (const c of d.clusters) {
      for (let n: CNode | null = c.first; n; n = n.next) {
        const ms = n.form.mentions;
        for (let i = 0, k = listLength(ms); i < k; i++) {
          const m = listAt(ms, i)!;
          if (m.start === mention.start && (mention.end === undefined || m.end === mention.end)) return n.rec?.entity;
        }
      }
    }
    return undefined;
  }

  /**
   * Calls `fn` with each linked form of one document: its entity and its mentions, in no
   * particular order. Allocates nothing (for walks over every article; `mentionsOf` makes and
   * sorts a pair per mention).
   */
  forEachForm(uri: string, fn: (entity: Entity, mentions: OneOrList<EntityMentionRef>) => void): void {
    this.flush();
    const d = this.docs.get(uri);
    if (!d) return;
    for (const c of d.clusters) for (let n: CNode | null = c.first; n; n = n.next) if (n.rec) fn(n.rec.entity, n.form.mentions);
  }

  /** Mentions of one document with their entities, sorted by offset. Costs O(mentions of the document). */
  mentionsOf(uri: string): { mention: EntityMentionRef; entity: Entity }[] {
    this.flush();
    const d = this.docs.get(uri);
    return d ? this.docMentions(d) : [];
  }

  private docMentions(d: CDoc): { mention: EntityMentionRef; entity: Entity }[] {
    const out: { mention: EntityMentionRef; entity: Entity }[] = [];
    for (const c of d.clusters) {
      for (let n: CNode | null = c.first; n; n = n.next) {
        if (!n.rec) continue;
        const entity = n.rec.entity;
        forEachOf(n.form.mentions, (mention) => out.push({ mention, entity }));
      }
    }
    out.sort((a, b) => a.mention.start - b.mention.start || a.mention.end - b.mention.end);
    return out;
  }

  // ---- the incremental step ---------------------------------------------------------------

  /** True while changes wait to be linked (the next query pays for them). */
  get dirty(): boolean {
    return this.pending.size > 0 || this.rest !== null || this.search !== null;
  }

  /** Applies pending changes; re-links the components they touch. */
  flush(): void {
    this.finishSearch();
    if (this.rest) this.linkRest(Infinity);
    if (this.pending.size === 0) return;
    if (this.docs.size === 0) return this.build();
    const changes = [...this.pending];
    this.pending.clear();
    const touched: CNode[] = [];
    const removedComps = new Set<Comp>();
    // Changed keys → bit mask of the types of the forms that left or came.
    const dirtyKeys = new Map<string, number>();
    const dirtyGroups = new Set<Group>();
    // Decisions whose candidates lost a group (or its old representative): re-evaluated below.
    const decisions = new Set<Group>();

    const added: CDoc[] = [];
    let removedDocs = 0;
    for (const [uri, local] of changes) {
      const old = this.docs.get(uri);
      if (old) {
        if (old.local === local) continue;
        this.docs.delete(uri);
        old.alive = false;
        if (!local) removedDocs++;
        for (const c of old.clusters) {
          if (c.comp) removedComps.add(c.comp);
          for (let n: CNode | null = c.first; n; n = n.next) this.detachNode(n, dirtyKeys, dirtyGroups);
        }
      }
      if (local) {
        const doc: CDoc = { uri, local, clusters: [], alive: true, ord: -1 };
        // A replaced document keeps its place in uri order.
        if (old) this.docOrder[(doc.ord = old.ord)] = doc;
        else added.push(doc);
        const prepared = prepareDocument(local, this.pd);
        // Exact-size array: it lives as long as the document (push would reserve 17 slots).
        doc.clusters = new Array(prepared.length);
        for (let idx = 0; idx < prepared.length; idx++) {
          const cl = this.cluster(doc, idx, prepared[idx]);
          for (let n: CNode | null = cl.first; n; n = n.next) {
            dirtyKeys.set(n.form.key, (dirtyKeys.get(n.form.key) ?? 0) | (1 << TYPE_INDEX[n.form.type]));
            touched.push(n);
          }
          doc.clusters[idx] = cl;
        }
        this.docs.set(uri, doc);
      }
    }

    if (added.length > 0 || removedDocs > 0) this.reorder(added);

    // Effective types and key groups of every joinable node sharing a key with the change; a
    // node whose group changes is touched. The other nodes of the key need no search of their
    // own (their relations are the same): the changed documents' nodes (or the components of
    // the removed ones) bring them in through the key, to be linked again (a retyped form's
    // merge reason quotes the vote).
    const newNodes = touched.length; // so far, the nodes of the changed documents
    for (const [key, changed] of dirtyKeys) {
      const nodes = this.keyNodes.get(key);
      if (!nodes) continue;
      const votes = votesOf(nodes);
      let types = 0;
      if (votes) votes.forEach((v, t) => v > 0 && (types |= 1 << t));
      const mixed = votes !== undefined && (types & (types - 1)) !== 0;
      // One type now, and only that type came or went: one type before too, nothing was retyped
      // (the new nodes join their own groups below).
      if (votes && !mixed && (changed | types) === types) continue;
      // The join key is a function of the form's type and surface (the key is the same): nodes of
      // one key mostly share both.
      let lastType = '';
      let lastSurface = '';
      let lastJoin = '';
      for (const n of items(nodes)) {
        if (!joinable(n)) continue;
        const f = n.form;
        if (f.type !== lastType || f.surface !== lastSurface) ((lastType = f.type), (lastSurface = f.surface), (lastJoin = votedJoin(n, votes)));
        const join = lastJoin;
        if (n.group && n.group.join === join) continue;
        if (n.group) this.leaveGroup(n, dirtyGroups);
        this.enterGroup(n, join, dirtyGroups);
        touched.push(n);
      }
    }
    for (let i = 0; i < newNodes; i++) {
      const n = touched[i];
      if (joinable(n) && !n.group) this.enterGroup(n, n.form.join, dirtyGroups);
    }

    // Representatives and the indexes they are registered in.
    const flipped = new Set<string>();
    for (const g of dirtyGroups) {
      const rep = listAt(g.members, 0) ?? null;
      if (rep === g.rep && g.reg) continue;
      if (g.reg) {
        const reg = this.registration(g);
        this.deciders(g, reg, (d) => decisions.add(d));
        this.unregister(g, reg, flipped);
      }
      g.rep = rep;
      if (rep) this.register(g, flipped);
      else this.groups.delete(g.join);
      if (rep) touched.push(rep);
    }
    // A block that crossed its size limit changes the transliteration candidates of all its groups.
    for (const k of flipped) {
      for (const g of items(this.blocks.get(k))) {
        const first = listAt(g.members, 0);
        if (first) touched.push(first);
      }
    }

    const region = this.reopen(touched, removedComps, decisions);
    if (region.length > 0) this.relink(region);
    this.renumber();
    // Past an eighth of the list, one sort is about as cheap as merging the changes in.
    if (this.sorted && (this.sortedGone.size + this.sortedCame.size) * 8 > this.sorted.length) this.dropSorted();
    this.version++;
  }

  /**
   * Re-opens the components of the touched nodes (and the removed ones), searches the
   * relations from there for the new components, re-evaluates every decision that touches
   * them (and `decisions`), and returns the re-opened clusters, their new components set. A
   * component reached through a relation is re-opened as a whole (its old entities are dropped
   * and linked again with the rest).
   */
  private reopen(touched: CNode[], removed: Set<Comp>, decisions: Set<Group>): CCluster[] {
    // Re-opened clusters point to `open` and carry their index in `region` in `mark`.
    const open: Comp = { clusters: NONE as unknown as CCluster[] };
    const region: CCluster[] = [];
    const parent: number[] = [];
    const find = (i: number): number => {
      while (parent[i] !== i) i = parent[i] = parent[parent[i]];
      return i;
    };
    const union = (a: CCluster, b: CCluster): boolean => {
      const ra = find(a.mark);
      const rb = find(b.mark);
      if (ra === rb) return false;
      parent[ra < rb ? rb : ra] = ra < rb ? ra : rb;
      return true;
    };
    // `quiet[i]`: region[i] need not be scanned (see `drop`).
    const quiet: boolean[] = [];
    const add = (cl: CCluster, q: boolean) => {
      cl.comp = open;
      cl.mark = region.length;
      parent.push(region.length);
      region.push(cl);
      quiet.push(q);
    };
    const epoch = ++this.epoch;
    /**
     * Re-opens a component. One that is a key group alone (the frequent names, thousands of
     * clusters) is not searched cluster by cluster: its relations are its group's and its keys',
     * all inside it, and anything new comes from touched nodes, which are searched.
     */
    const drop = (c: Comp) => {
      this.dropComp(c);
      const g = this.loneGroup(c, false);
      let first: CCluster | null = null;
      for (const cl of compClusters(c)) {
        if (!cl.doc.alive || cl.comp !== c) continue;
        add(cl, g !== null);
        if (!g) continue;
        if (first) union(cl, first);
        else first = cl;
      }
      if (g && first) visitGroup(g, first);
    };
    const enter = (cl: CCluster) => {
      if (cl.comp === open) return;
      if (cl.comp) return drop(cl.comp);
      add(cl, false);
    };
    const addDecision = (d: Group) => decisions.add(d);
    /** Every member of `g` and every group related to it for good joins the region and the set of `cl`; decisions are noted. */
    const visitGroup = (g: Group, cl: CCluster) => {
      if (g.mark === epoch) return;
      g.mark = epoch;
      forEachOf(g.members, (m) => (enter(m.cl), union(m.cl, cl)));
      if (!g.reg) return;
      const reg = this.registration(g);
      this.fixedNeighbours(g, reg, (h) => {
        const hc = listAt(h.members, 0)!.cl;
        enter(hc);
        union(hc, cl);
      });
      if (isDecision(reg)) decisions.add(g);
      this.deciders(g, reg, addDecision);
    };
    for (const c of removed) drop(c);
    for (const n of touched) if (n.cl.doc.alive) enter(n.cl);
    // Touched clusters are searched, whatever component they came in with.
    for (const n of touched) if (n.cl.doc.alive) quiet[n.cl.mark] = false;

    const seenKeys = new Set<string>();
    const seenSets = new Set<number>();
    /** Every node with `key` joins the region and the set of `cl`. */
    const visitKey = (key: string, cl: CCluster) => {
      if (seenKeys.has(key)) return;
      seenKeys.add(key);
      for (const n of items(this.keyNodes.get(key))) (enter(n.cl), union(n.cl, cl));
    };
    let scanned = 0;
    /** The relations (but decisions) of every cluster not yet scanned. */
    const scan = () => {
      while (scanned < region.length) {
        const i = scanned++;
        if (quiet[i]) continue;
        const cl = region[i];
        for (let n: CNode | null = cl.first; n; n = n.next) {
          visitKey(n.form.key, cl);
          const sets = this.keySetsOf.get(n.form.key);
          if (sets) {
            for (const i of sets) {
              if (seenSets.has(i)) continue;
              seenSets.add(i);
              for (const k of this.pd.keySets[i]) for (const m of items(this.keyNodes.get(k))) (enter(m.cl), union(m.cl, cl));
            }
          }
          if (n.group) visitGroup(n.group, cl);
        }
        for (const def of cl.defs) visitKey(def.acrKey, cl);
      }
    };

    // Decisions to a fixpoint, as in `build`: one whose candidates lie in one component besides
    // its own joins it (which may re-open more); one whose candidates lie in more is pruned.
    const compOf = (cl: CCluster): Comp | number => (cl.comp === open ? find(cl.mark) : cl.comp!);
    for (;;) {
      scan();
      let changed = false;
      for (const d of decisions) {
        if (!d.reg) continue; // gone (or registered anew, and then in the region)
        const reg = this.registration(d);
        if (!isDecision(reg)) {
          d.amb = false;
          continue;
        }
        const dc = listAt(d.members, 0)!.cl;
        const settled = dc.comp !== open;
        const own = reg.acr.length > 0 ? compOf(dc) : null;
        let a: Comp | number | null = null;
        let ac: CCluster | null = null;
        let amb = false;
        this.candidates(d, reg, (h) => {
          const hc = listAt(h.members, 0)!.cl;
          const c = compOf(hc);
          if (c === own || c === a) return false;
          if (a === null) return (a = c), (ac = hc), false;
          return (amb = true);
        });
        if (amb) {
          // A related decision that becomes ambiguous changes its outcome: its component is linked again.
          if (settled && !d.amb) (enter(dc), (changed = true));
          else d.amb = true;
          continue;
        }
        // A related decision whose candidates stay in its own settled component changes nothing.
        if (settled && !d.amb && (a === null || a === dc.comp)) continue;
        d.amb = false;
        enter(dc);
        if (ac) (enter(ac), union(ac, dc) && (changed = true));
      }
      if (!changed && scanned === region.length) break;
    }

    // The new components.
    const comps: (Comp | undefined)[] = new Array(region.length);
    for (let i = 0; i < region.length; i++) {
      const cl = region[i];
      const r = find(i);
      const comp = comps[r];
      if (!comp) cl.comp = comps[r] = { clusters: cl };
      else {
        if (Array.isArray(comp.clusters)) comp.clusters.push(cl);
        else comp.clusters = [comp.clusters, cl];
        cl.comp = comp;
      }
    }
    // Components live until an edit re-opens them: drop the spare capacity left by push.
    for (const c of comps) if (c && Array.isArray(c.clusters)) c.clusters = c.clusters.slice();
    for (const cl of region) cl.mark = 0;
    return region;
  }

  /**
   * First build (no documents yet): the same state `flush` would reach, in one pass. Key
   * groups are filled in corpus order (no sorted inserts), each registration is computed once,
   * and components come from a union-find over the relations of the header, testing each
   * related pair once, then the decisions to a fixpoint. `lazy`: stops before the components are
   * linked (see `startLink`). The search for the components can also run in steps
   * (`beginSearch`, `searchStep`); this runs it in one.
   */
  private build(lazy = false): void {
    this.search = this.newSearch(lazy);
    this.searchStep(Infinity);
  }

  /**
   * Starts the first build's search for components, to be run in steps (`searchStep`) between
   * which the caller may answer requests: until it ends the linker is `dirty`, and any query
   * finishes it first. True while such a search runs (also when it had started already); false
   * when there is no first build to do.
   */
  beginSearch(): boolean {
    if (this.search) return true;
    if (this.rest || this.pending.size === 0 || this.docs.size > 0) return false;
    this.search = this.newSearch(true);
    return true;
  }

  /** Whether a search started by `beginSearch` is still running. */
  get searching(): boolean {
    return this.search !== null;
  }

  /** Runs what is left of a search started by `beginSearch` (nothing without one). */
  private finishSearch(): void {
    this.searchStep(Infinity);
  }

  private newSearch(lazy: boolean): Search {
    this.dropSorted();
    // The documents as they stand now, in the order they came. One that changes or goes before
    // its turn stays pending instead, for the next flush (see `searchStep`).
    return {
      lazy,
      phase: 0,
      i: 0,
      todo: [...this.pending],
      clusters: [],
      parent: new Int32Array(0),
      sorted: null,
      nc: 0,
      bags: [],
      bag: null,
      bagAt: 0,
      bagVotes: undefined,
      bagFirst: -1,
      bagLast: null,
      groupList: [],
      regs: [],
      gc: new Int32Array(0),
      flipped: new Set(),
      blockList: [],
      round: [],
      still: [],
      changed: false,
      compIndex: new Int32Array(0),
      compOf: new Int32Array(0),
      sizes: new Int32Array(0),
      nComps: 0,
      comps: [],
      batchOf: new Int32Array(0),
      lists: [],
    };
  }

  /**
   * Runs the search for components for about `budgetMs` (the clock is read every
   * SEARCH_CHECK items); true when it has ended. Its phases and their order are those of the
   * one-pass build, so the result is the same however it is cut into steps.
   */
  searchStep(budgetMs: number): boolean {
    const s = this.search;
    if (!s) return true;
    const deadline = budgetMs === Infinity ? Infinity : performance.now() + budgetMs;
    let ops = 0;
    const check = this.opts.searchCheck ?? SEARCH_CHECK;
    /** Counts `weight` items done; true when a look at the clock (every `check` items) finds the step over. */
    const out = (weight = 1) => {
      ops += weight;
      if (ops < check) return false;
      ops = 0;
      return performance.now() >= deadline;
    };
    for (;;) {
      switch (s.phase) {
        case 0:
          // A step of its own (a full collection takes most of a second at 20,000 articles).
          this.opts.collectGarbage?.('start');
          break;
        case 1: {
          // The documents' clusters and nodes.
          for (; s.i < s.todo.length; ) {
            const [uri, local] = s.todo[s.i++];
            // Unchanged since the search began (an edit meanwhile leaves it to the next flush).
            // (A document gone from `pending` gives undefined, never a LocalResult or null.)
            if (this.pending.get(uri) !== local) continue;
            this.pending.delete(uri);
            if (!local) continue;
            const doc: CDoc = { uri: local.uri, local, clusters: [], alive: true, ord: -1 };
            const prepared = prepareDocument(local, this.pd);
            doc.clusters = new Array(prepared.length);
            // (Bags grow in place in this phase: phase 3 settles them.)
            for (let idx = 0; idx < prepared.length; idx++) doc.clusters[idx] = this.cluster(doc, idx, prepared[idx], true);
            this.docs.set(local.uri, doc);
            // The clock after every document: 256 of them took 60-80 ms at 20,000 articles.
            if (out(SEARCH_CHECK)) return false;
          }
          s.todo = [];
          break;
        }
        case 2: {
          // Clusters in corpus order, numbered by `mark` (reset below); union-find over their numbers.
          if (!s.sorted) {
            const docs = [...this.docs.values()].sort((a, b) => cmp(a.uri, b.uri));
            docs.forEach((d, i) => (d.ord = i));
            this.docOrder = docs;
            let nc = 0;
            for (const d of docs) nc += d.clusters.length;
            s.sorted = docs;
            s.clusters = new Array(nc);
            s.parent = new Int32Array(nc);
            for (let i = 0; i < nc; i++) s.parent[i] = i;
            s.i = 0;
            s.nc = 0;
          }
          // (Document by document: 1.4 million clusters took 95 ms at 20,000 articles.)
          const { sorted, clusters } = s;
          for (; s.i < sorted.length; ) {
            for (const cl of sorted[s.i++].clusters) ((cl.mark = s.nc), (clusters[s.nc++] = cl));
            if (out(16)) return false;
          }
          s.sorted = null;
          // (An array of the bags: a Map's forEach cannot stop between steps.)
          s.bags = Array.from(this.keyNodes.values());
          s.i = 0;
          break;
        }
        case 3: {
          // Key groups, key by key: one type vote per key, and the nodes of a key usually share one
          // join key (one group look-up). Members are put in corpus order below.
          const p = s.parent;
          const slice = this.opts.searchSlice ?? BAG_SLICE;
          for (;;) {
            if (!s.bag) {
              if (s.i >= s.bags.length) break;
              const nodes = s.bags[s.i++];
              if (!isMany(nodes)) {
                if (joinable(nodes)) this.joinNode(s, nodes, undefined, null);
                if (out()) return false;
                continue;
              }
              // The key's nodes in `each`'s order (a Set's insertion order; a bag's array is not
              // mutated after the first phase), and its vote over all of them. The first phase grew
              // the bag in place: its usual form goes into the index now (the array walked here is
              // the one the first phase left, with the same entries in the same order).
              s.bag = Array.isArray(nodes) ? nodes : Array.from(nodes);
              settleBag(this.keyNodes, s.bag[0].form.key, nodes);
              s.bagAt = 0;
              s.bagVotes = votesOf(nodes);
              s.bagFirst = -1;
              s.bagLast = null;
            }
            const bag = s.bag;
            const whole = s.bagAt === 0 && bag.length <= slice;
            const end = Math.min(bag.length, s.bagAt + slice);
            for (let j = s.bagAt; j < end; j++) {
              const n = bag[j];
              s.bagFirst < 0 ? (s.bagFirst = n.cl.mark) : union(p, n.cl.mark, s.bagFirst);
              if (joinable(n)) s.bagLast = this.joinNode(s, n, s.bagVotes, s.bagLast);
            }
            s.bagAt = end;
            if (end === bag.length) ((s.bag = null), (s.bagLast = null), (s.bagVotes = undefined));
            // A key walked whole counts as one item; a big one's slices look at the clock each.
            if (whole ? out() : deadline !== Infinity && performance.now() >= deadline) return false;
          }
          s.bags = [];
          // Registrations, kept for the build only; a group's number is its `mark` (reset below)
          // and `gc` the number of its representative's cluster. Only the registrations of
          // decisions are kept until the components are found (null for the rest: nothing below
          // reads them).
          s.regs = new Array(s.groupList.length);
          s.gc = new Int32Array(s.groupList.length);
          s.i = 0;
          break;
        }
        case 4: {
          const { groupList, regs, gc } = s;
          for (; s.i < groupList.length; ) {
            const i = s.i++;
            const g = groupList[i];
            // Exact size (push left spare capacity), in corpus order (mostly already).
            if (Array.isArray(g.members)) {
              const ms = g.members.slice();
              for (let j = 1; j < ms.length; j++) {
                if (corpusOrder(ms[j - 1], ms[j]) > 0) {
                  ms.sort(corpusOrder);
                  break;
                }
              }
              g.members = ms;
            }
            g.rep = listAt(g.members, 0)!;
            g.mark = i;
            gc[i] = g.rep.cl.mark;
            const reg = this.register(g, s.flipped, true);
            regs[i] = isDecision(reg) ? reg : null;
            if (out()) return false;
          }
          // (The registrations grew their bags in place: their usual form now.)
          for (const m of [this.blocks, this.acrIdx, this.longIdx, this.surLong, this.surShort]) m.forEach((bag, k) => settleBag(m, k, bag));
          const p = s.parent;
          this.pd.keySets.forEach((set) => {
            let first = -1;
            for (const k of set) for (const n of items(this.keyNodes.get(k))) first < 0 ? (first = n.cl.mark) : union(p, n.cl.mark, first);
          });
          s.i = 0;
          break;
        }
        case 5: {
          const p = s.parent;
          const clusters = s.clusters;
          for (; s.i < clusters.length; ) {
            const cl = clusters[s.i++];
            for (const def of cl.defs) for (const n of items(this.keyNodes.get(def.acrKey))) union(p, n.cl.mark, cl.mark);
            if (out()) return false;
          }
          s.i = 0;
          break;
        }
        case 6: {
          const p = s.parent;
          const { groupList, regs, gc } = s;
          for (; s.i < groupList.length; ) {
            const i = s.i++;
            const c = gc[i];
            const ms = groupList[i].members;
            if (Array.isArray(ms)) for (let j = 1; j < ms.length; j++) union(p, ms[j].cl.mark, c);
            // (A one-word group's acronym definitions, which `fixedNeighbours` follows for edits,
            // are already united above: its members carry the defined key, and each defining
            // cluster was united with every node of that key.)
            if (regs[i]) s.round.push(i);
            if (out()) return false;
          }
          s.blockList = Array.from(this.blocks.values());
          s.i = 0;
          break;
        }
        case 7: {
          const p = s.parent;
          const gc = s.gc;
          for (; s.i < s.blockList.length; ) {
            const list = s.blockList[s.i++];
            const size = bagSize(list);
            if (size >= 2 && size <= MAX_VARIANT_BLOCK) {
              const gs = [...items(list)];
              const fs = gs.map((g) => this.repForm(g));
              for (let i = 0; i < gs.length; i++) {
                const ci = gc[gs[i].mark];
                for (let j = i + 1; j < gs.length; j++) {
                  const cj = gc[gs[j].mark];
                  if (find(p, ci) !== find(p, cj) && (variantPair(fs[i], fs[j]) || variantPair(fs[j], fs[i]))) union(p, ci, cj);
                }
              }
            }
            if (out()) return false;
          }
          s.blockList = [];
          s.i = 0;
          break;
        }
        case 8: {
          // Decisions, in rounds until none unites anything more: one whose candidates lie in one
          // component besides its own joins it; what stays ambiguous is pruned. The scan of a
          // decision stops at the second other component (hubs have hundreds of candidates).
          const p = s.parent;
          const { groupList, regs, gc } = s;
          for (;;) {
            for (; s.i < s.round.length; ) {
              const i = s.round[s.i++];
              const c = gc[i];
              const own = regs[i]!.acr.length > 0 ? find(p, c) : -1;
              let a = -1;
              let amb = false;
              this.candidates(groupList[i], regs[i]!, (h) => {
                const r = find(p, gc[h.mark]);
                if (r === own || r === a) return false;
                if (a < 0) return (a = r), false;
                return (amb = true);
              });
              if (amb) s.still.push(i);
              else if (a >= 0 && union(p, a, c)) s.changed = true;
              if (out()) return false;
            }
            if (!s.changed) break;
            s.round = s.still;
            s.still = [];
            s.changed = false;
            s.i = 0;
          }
          for (const i of s.still) groupList[i].amb = true;
          s.round = [];
          s.still = [];
          s.compIndex = new Int32Array(s.clusters.length).fill(-1);
          s.compOf = new Int32Array(s.clusters.length);
          s.sizes = new Int32Array(s.clusters.length);
          s.i = 0;
          break;
        }
        case 9: {
          // Components, numbered by their first cluster (corpus order): each cluster's component
          // and each component's size, so that phase 10 fills lists made at their size (pushing
          // grew the big components' lists over and over, and they were copied again at the end).
          const p = s.parent;
          const { clusters, compIndex, compOf, sizes } = s;
          for (; s.i < clusters.length; ) {
            const i = s.i++;
            const r = find(p, i);
            let k = compIndex[r];
            if (k < 0) compIndex[r] = k = s.nComps++;
            compOf[i] = k;
            sizes[k]++;
            if (out()) return false;
          }
          for (const g of s.groupList) g.mark = 0;
          // Linked in batches of whole components (components do not interact), each in corpus
          // order: the tables of a batch stay small and in cache, which the whole corpus's did not.
          const n = s.nComps;
          s.batchOf = new Int32Array(n);
          // (A component of one cluster holds it without a list: it is made in phase 10.)
          s.comps = new Array<Comp>(n);
          let batches = 0;
          for (let k = 0, fill = 0; k < n; k++) {
            s.batchOf[k] = batches;
            const size = sizes[k];
            if (size > 1) s.comps[k] = { clusters: new Array<CCluster>(size) };
            fill += size;
            if (fill >= (this.opts.linkBatch ?? LINK_BATCH)) ((batches++), (fill = 0));
          }
          sizes.fill(0); // each list's fill in phase 10
          s.lists = Array.from({ length: batches + 1 }, () => []);
          s.i = 0;
          break;
        }
        case 10: {
          // Each cluster into its component's list and its batch, in corpus order. Until the last
          // batch is linked a cluster's mark is its batch number + 1 (see `mentionsOfFirst`).
          const { clusters, compOf, sizes, comps, batchOf, lists } = s;
          for (; s.i < clusters.length; ) {
            const i = s.i++;
            const cl = clusters[i];
            const k = compOf[i];
            let comp = comps[k];
            if (comp === undefined) comps[k] = comp = { clusters: cl };
            else (comp.clusters as CCluster[])[sizes[k]++] = cl;
            cl.comp = comp;
            const b = batchOf[k];
            lists[b].push(cl);
            cl.mark = b + 1;
            if (out()) return false;
          }
          // (The registrations were needed only to find the components.)
          this.search = null;
          this.building = true;
          // The collection before the components are linked comes with the first step (`linkRest`):
          // in steps, after the requests that waited for the components were answered.
          this.rest = { lists: s.lists, next: 0, comps: s.comps, early: new Set(), collect: true };
          if (!s.lazy) this.linkRest(Infinity);
          return true;
        }
      }
      s.phase++;
      if (deadline !== Infinity && performance.now() >= deadline) return false;
    }
  }

  /** Puts a joinable node into the key group of its (voted) join key during the search. */
  private joinNode(s: Search, n: CNode, votes: number[] | undefined, last: Group | null): Group {
    const join = votedJoin(n, votes);
    let g = last && last.join === join ? last : this.groups.get(join);
    if (!g) {
      // Most groups stay one node: held without a list (see Group.members).
      this.groups.set(join, (g = { join, t: joinType(join, n.form), members: n, rep: null, reg: false, info: null, amb: false, mark: 0 }));
      s.groupList.push(g);
    } else if (Array.isArray(g.members)) g.members.push(n);
    else g.members = [g.members, n];
    n.group = g;
    return g;
  }

  // ---- the build's last stage, in steps ------------------------------------------------------

  /**
   * Starts the first, bulk link of the documents added so far and stops before its last stage,
   * the linking of each component, which `linkRest` then does in steps while `mentionsOfFirst` links the
   * components an article's queries need before the others. Any other query (`flush`) finishes it
   * first. False when there is nothing left for `linkRest` (the link was incremental or done).
   */
  startLink(): boolean {
    this.finishSearch();
    if (this.rest) return true;
    if (this.pending.size > 0 && this.docs.size === 0) this.build(true);
    else this.flush();
    return this.rest !== null;
  }

  /** Whether the bulk link is between `startLink` and its last step (see `linkRest`). */
  get linking(): boolean {
    return this.rest !== null;
  }

  /**
   * Links the components of the next batches, for about `budgetMs`, and ends the bulk link after
   * the last one (renumbering, the memos let go). True when nothing is left.
   */
  linkRest(budgetMs: number): boolean {
    this.finishSearch();
    const r = this.rest;
    if (!r) return true;
    if (r.collect) {
      r.collect = false;
      this.opts.collectGarbage?.('components');
    }
    const t0 = performance.now();
    while (r.next < r.lists.length) {
      let list = r.lists[r.next];
      r.lists[r.next++] = NONE as unknown as CCluster[];
      // The components `mentionsOfFirst` linked already are left out.
      if (r.early.size > 0) list = list.filter((cl) => !r.early.has(cl.comp!));
      if (list.length > 0) this.relink(list, true);
      if (performance.now() - t0 >= budgetMs) return false;
    }
    this.rest = null;
    // (The search made each component's list at its size: nothing to trim.)
    for (const c of r.comps) {
      if (Array.isArray(c.clusters)) for (const cl of c.clusters) cl.mark = 0;
      else c.clusters.mark = 0;
    }
    this.renumber();
    this.building = false;
    releaseLinkMemos();
    this.dropSorted();
    this.version++;
    this.opts.collectGarbage?.('end');
    return true;
  }

  /**
   * The mentions of one document with their entities (as `mentionsOf`) while the bulk link is in
   * steps (`startLink`): the components of the document's clusters are linked now, ahead of the
   * rest, and no other. Their entities are complete (a component is linked whole, the same way
   * in any batch), but their ids may still take a `-2`-style number when the rest is linked
   * (`renumber`): for answers about the entities, not for ids to keep. Otherwise `mentionsOf`.
   */
  mentionsOfFirst(uri: string): { mention: EntityMentionRef; entity: Entity }[] {
    this.finishSearch();
    const r = this.rest;
    if (!r || this.pending.size > 0) return this.mentionsOf(uri);
    const d = this.docs.get(uri);
    if (!d) return [];
    const todo: CCluster[] = [];
    for (const cl of d.clusters) {
      const c = cl.comp!;
      // Linked already: in a batch done (mark = batch + 1), or early.
      if (cl.mark <= r.next || r.early.has(c)) continue;
      r.early.add(c);
      for (const x of compClusters(c)) todo.push(x);
    }
    if (todo.length > 0) this.relink(todo);
    return this.docMentions(d);
  }

  // ---- bookkeeping ----------------------------------------------------------------------------

  /** Puts `added` into the uri order and drops the documents removed from it; renumbers `ord`. */
  private reorder(added: CDoc[]): void {
    let list = this.docOrder.filter((d) => d.alive && d.ord >= 0);
    if (added.length > 16) list = list.concat(added).sort((a, b) => cmp(a.uri, b.uri));
    else {
      for (const d of added) {
        let lo = 0;
        let hi = list.length;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (cmp(list[mid].uri, d.uri) < 0) lo = mid + 1;
          else hi = mid;
        }
        list.splice(lo, 0, d);
      }
    }
    for (let i = 0; i < list.length; i++) list[i].ord = i;
    this.docOrder = list;
  }

  private indexKeySets(): void {
    this.keySetsOf = new Map();
    this.pd.keySets.forEach((set, i) => {
      for (const k of set) {
        const list = this.keySetsOf.get(k);
        if (list) list.push(i);
        else this.keySetsOf.set(k, [i]);
      }
    });
  }

  /** The linker's cluster for a prepared cluster, its nodes indexed (not yet in key groups). */
  private cluster(doc: CDoc, idx: number, data: ClusterNodes, bulk = false): CCluster {
    const cl = { forms: data.forms, joinable: data.joinable, edges: data.edges, defs: data.defs, doc, idx, first: null as unknown as CNode, comp: null, mark: 0 } satisfies CCluster;
    let prev: CNode | null = null;
    const forms = data.forms;
    for (let i = 0, k = listLength(forms); i < k; i++) {
      const form = Array.isArray(forms) ? forms[i] : forms;
      const n: CNode = { cl, i, next: null, form, group: null, rec: null };
      if (prev) prev.next = n;
      else cl.first = n;
      prev = n;
      if (bulk) addNew(this.keyNodes, form.key, n);
      else add(this.keyNodes, form.key, n);
    }
    for (const def of data.defs) add(this.defIdx, def.acrKey, nodeAt(cl, def.at));
    return cl;
  }

  private detachNode(n: CNode, dirtyKeys: Map<string, number>, dirtyGroups: Set<Group>): void {
    del(this.keyNodes, n.form.key, n);
    dirtyKeys.set(n.form.key, (dirtyKeys.get(n.form.key) ?? 0) | (1 << TYPE_INDEX[n.form.type]));
    if (n.group) this.leaveGroup(n, dirtyGroups);
    for (const def of n.cl.defs) if (def.at === n.i) del(this.defIdx, def.acrKey, n);
  }

  private leaveGroup(n: CNode, dirty: Set<Group>): void {
    const g = n.group!;
    const ms = g.members;
    if (!Array.isArray(ms)) g.members = [];
    else {
      let j = this.position(ms, n);
      while (ms[j] !== n) j++;
      ms.splice(j, 1);
      if (ms.length === 1) g.members = ms[0];
    }
    n.group = null;
    dirty.add(g);
  }

  private enterGroup(n: CNode, join: string, dirty: Set<Group>): void {
    let g = this.groups.get(join);
    if (!g) this.groups.set(join, (g = { join, t: joinType(join, n.form), members: n, rep: null, reg: false, info: null, amb: false, mark: 0 }));
    else {
      const ms = g.members;
      if (!Array.isArray(ms)) g.members = before(ms, n) ? [ms, n] : [n, ms];
      else if (ms.length === 0) g.members = n;
      else ms.splice(this.position(ms, n), 0, n);
    }
    n.group = g;
    dirty.add(g);
  }

  /** First index whose node is not before `n` (members are in corpus order). */
  private position(members: CNode[], n: CNode): number {
    let lo = 0;
    let hi = members.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (before(members[mid], n)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The representative's form as the group sees it (retyped by the corpus vote if need be). */
  private repForm(g: Group): LocalForm {
    const f = g.rep!.form;
    if (TYPE_INDEX[f.type] === g.t) return f;
    const type = TYPE_LIST[g.t];
    return { ...f, type, join: g.join, country: retypedJoin(f, type).country };
  }

  /** What the representative registers in the indexes (the same every time for the same representative). */
  private registration(g: Group): Reg {
    const f = this.repForm(g);
    const t = g.t;
    const reg: Reg = { blocks: NONE, long: NONE, info: null, acr: NONE, surLong: null, surShort: null, key: f.key, acrGroup: false };
    if (variantCandidate(f)) reg.blocks = transliterationBlocks(f.join);
    if (f.type !== 'person' && !f.country) {
      if (f.tokens.length === 1) {
        reg.acrGroup = true;
        if (f.acronym) reg.acr = acronymIndexKeys(f.type, f.surface);
      } else {
        // Not from the memo: what it keeps lives until the build ends, and only the letter
        // tests are kept past this (the words are computed again where a pair passes them).
        const info = expansionOf(f.surface);
        if (info) {
          reg.info = info.mask;
          reg.long = longIndexKeys(f.type, f.surface, info);
        }
      }
    }
    if (f.type === 'person') {
      if (f.tokens.length >= 2) reg.surLong = f.tokens[f.tokens.length - 1];
      else if (f.tokens.length === 1 && !f.acronym) reg.surShort = f.tokens[0]; // the surname rule skips acronyms
    }
    return reg;
  }

  /**
   * Puts the group's representative in the indexes. `bulk`: the first build's registrations,
   * whose bags grow in place until the phase settles them (`addNew`); nothing reads them before.
   */
  private register(g: Group, flipped: Set<string>, bulk = false): Reg {
    const reg = this.registration(g);
    const put = bulk ? addNew : add;
    for (let i = 0; i < reg.blocks.length; i++) {
      const k = reg.blocks[i];
      const before = bagSize(this.blocks.get(k));
      put(this.blocks, k, g);
      if (before === MAX_VARIANT_BLOCK) flipped.add(k);
    }
    for (let i = 0; i < reg.acr.length; i++) put(this.acrIdx, reg.acr[i], g);
    for (let i = 0; i < reg.long.length; i++) put(this.longIdx, reg.long[i], g);
    if (reg.surLong !== null) put(this.surLong, reg.surLong, g);
    if (reg.surShort !== null) put(this.surShort, reg.surShort, g);
    g.info = reg.info;
    g.reg = true;
    return reg;
  }

  /** Undoes `register`; `reg` is the group's registration (the representative has not changed yet). */
  private unregister(g: Group, reg: Reg, flipped: Set<string>): void {
    for (const k of reg.blocks) {
      const before = bagSize(this.blocks.get(k));
      del(this.blocks, k, g);
      if (before === MAX_VARIANT_BLOCK + 1) flipped.add(k);
    }
    for (const k of reg.long) del(this.longIdx, k, g);
    for (const k of reg.acr) del(this.acrIdx, k, g);
    if (reg.surLong !== null) del(this.surLong, reg.surLong, g);
    if (reg.surShort !== null) del(this.surShort, reg.surShort, g);
    g.info = null;
    g.amb = false;
    g.reg = false;
  }

  /** Drops the entities of a component (the records its nodes point to; each once). */
  private dropComp(c: Comp): void {
    let last: EntRec | null = null; // the nodes of one entity mostly come in a row
    for (const cl of compClusters(c)) for (let n: CNode | null = cl.first; n; n = n.next) if (n.rec && n.rec !== last) this.dropRec((last = n.rec));
  }

  /** Removes a record from the indexes (a no-op when it is already gone). */
  private dropRec(r: EntRec): void {
    const list = this.byBase.get(r.base);
    if (!list) return;
    if (Array.isArray(list)) {
      const i = list.indexOf(r);
      if (i < 0) return;
      list.splice(i, 1);
      if (list.length === 1) this.byBase.set(r.base, list[0]);
    } else if (list === r) this.byBase.delete(r.base);
    else return;
    if (this.sorted) this.sortedGone.add(r.entity);
    this.bigRecs.delete(r);
    this.typeCounts[TYPE_INDEX[r.entity.type]]--;
    this.dirtyBases.add(r.base);
  }

  private dirtyBases = new Set<string>();
  /** During `build` (every base is dirty). */
  private building = false;

  /** Groups related to registered `g` by the rules that always relate: transliteration, acronym definitions. */
  private fixedNeighbours(g: Group, reg: Reg, visit: (h: Group) => void): void {
    if (reg.blocks.length > 0) {
      const f = this.repForm(g);
      for (const k of reg.blocks) {
        const list = this.blocks.get(k)!;
        const size = bagSize(list);
        if (size < 2 || size > MAX_VARIANT_BLOCK) continue;
        // The pair test is not symmetric (linkClusters puts the earlier node first): either order relates them.
        for (const h of items(list)) {
          if (h === g) continue;
          const fh = this.repForm(h);
          if (variantPair(f, fh) || variantPair(fh, f)) visit(h);
        }
      }
    }
    if (reg.acrGroup) for (const n of items(this.defIdx.get(reg.key))) if (n.group) visit(n.group);
  }

  /**
   * The candidates of decision `g` (registration `reg`): long forms its letters match, or full
   * names ending in its surname (a long form may come twice). Stops when `visit` returns true.
   */
  private candidates(g: Group, reg: Reg, visit: (h: Group) => boolean): void {
    if (reg.acr.length > 0) {
      const shape = acronymShape(g.rep!.form.surface);
      for (const k of reg.acr) {
        for (const h of items(this.longIdx.get(k))) {
          if (acronymMaskMatches(shape, h.info!) && matchesAcronym(shape.letters, expansionOf(h.rep!.form.surface)!.words) && visit(h)) return;
        }
      }
    }
    if (reg.surShort !== null) for (const h of items(this.surLong.get(reg.surShort))) if (visit(h)) return;
  }

  /** The decisions that have registered `g` (registration `reg`) among their candidates. */
  private deciders(g: Group, reg: Reg, visit: (d: Group) => void): void {
    if (reg.info) {
      // The registration is the representative's (`g.rep`'s): its words, once a pair needs them.
      let words: ExpansionInfo['words'] | null = null;
      for (const k of reg.long) {
        for (const d of items(this.acrIdx.get(k))) {
          const shape = acronymShape(d.rep!.form.surface);
          if (acronymMaskMatches(shape, reg.info) && matchesAcronym(shape.letters, (words ??= expansionOf(g.rep!.form.surface)!.words))) visit(d);
        }
      }
    }
    if (reg.surLong !== null) for (const d of items(this.surShort.get(reg.surLong))) visit(d);
  }

  /** Links `all` (whole components; `sorted` when already in corpus order) and records their entities. */
  private relink(all: CCluster[], sorted = false): void {
    // A component of one cluster of one form is its form's entity (see `single`): most are.
    // One that is a key group alone (the frequent names) is its group's entity (`groupEntity`).
    let input: CCluster[] = [];
    const seen = new Map<Comp, boolean>(); // component → linked here (or left to linkClusters)
    const dict = this.pd.dictKeys.size > 0;
    for (const cl of all) {
      const c = cl.comp!;
      const n = cl.first;
      if (c.clusters === cl && n.next === null && !(dict && this.pd.dictKeys.has(n.form.key))) {
        this.record((n.rec = this.recOf(single(n.form))));
        continue;
      }
      const known = seen.get(c);
      if (known !== undefined) {
        if (!known) input.push(cl);
        continue;
      }
      const g = this.loneGroup(c, true);
      seen.set(c, g !== null);
      if (!g) {
        input.push(cl);
        continue;
      }
      const ms = listOf(g.members);
      const forms: LocalForm[] = new Array(ms.length);
      const docOf = new Int32Array(ms.length);
      ms.forEach((m, i) => ((forms[i] = m.form), (docOf[i] = i > 0 && m.cl.doc === ms[i - 1].cl.doc ? docOf[i - 1] : i)));
      const r = this.recOf(groupEntity(forms, docOf));
      for (const m of ms) m.rec = r;
      this.record(r);
    }
    if (input.length === 0) return;
    if (!sorted) input.sort(order);
    const oversized = (k: string) => (bagSize(this.blocks.get(k))) > MAX_VARIANT_BLOCK;
    const pruned = (join: string) => this.groups.get(join)!.amb;
    const res = linkClusters(input, this.pd, oversized, pruned);
    const recs: (EntRec | null)[] = res.entities.map(() => null);
    input.forEach((cl, ci) => {
      const base = res.clusterStart[ci];
      for (let n: CNode | null = cl.first; n; n = n.next) {
        const e = res.formEntity[base + n.i];
        if (e < 0) {
          n.rec = null;
          continue;
        }
        n.rec = recs[e] ??= { base: res.entities[e].id, entity: res.entities[e] };
      }
    });
    for (const r of recs) this.record(r);
  }

  /**
   * The group a component is made of alone, or null: every cluster has one form, no acronym
   * definitions, and that form stands on its own in one group; no dictionary key sets. Then
   * its relations are the group's and its keys' (all inside it). `forLink` also asks what
   * `groupEntity` needs: no form retyped by the vote, no dictionary at all.
   */
  private loneGroup(c: Comp, forLink: boolean): Group | null {
    if (!Array.isArray(c.clusters) || this.keySetsOf.size > 0) return null;
    if (forLink && this.pd.dictKeys.size + this.pd.mergeKeys.size + this.pd.sepKeys.size > 0) return null;
    let g: Group | null = null;
    for (const cl of c.clusters) {
      if (!forLink && !cl.doc.alive) continue; // an edit is removing it (a component being re-opened)
      const n = cl.first;
      g ??= n.group;
      if (!g || n.next !== null || cl.defs.length > 0 || n.group !== g || (forLink && TYPE_INDEX[n.form.type] !== g.t)) return null;
    }
    // Linked from its members: they must be exactly the component's clusters.
    return g && (!forLink || listLength(g.members) === c.clusters.length) ? g : null;
  }

  private recOf(e: Entity | null): EntRec | null {
    return e ? { base: e.id, entity: e } : null;
  }

  /** Indexes a new record by its base id (numbered by `renumber`). */
  private record(r: EntRec | null): void {
    if (!r) return;
    const list = this.byBase.get(r.base);
    if (!list) this.byBase.set(r.base, r);
    else if (Array.isArray(list)) list.push(r);
    else this.byBase.set(r.base, [list, r]);
    this.typeCounts[TYPE_INDEX[r.entity.type]]++;
    if (this.sorted) this.sortedCame.add(r);
    if (r.entity.mentions.length >= BIG_ENTITY) this.bigRecs.add(r);
    if (!this.building) this.dirtyBases.add(r.base);
  }

  /** Gives the record's entity a new id (a copy: entity objects do not change once made). */
  private reId(r: EntRec, id: string): void {
    if (this.sorted) {
      this.sortedGone.add(r.entity);
      this.sortedCame.add(r);
    }
    r.entity = { ...r.entity, id };
  }

  /** Renumbers equal base ids (-2, -3… in order of first mention) where entities came or went. */
  private renumber(): void {
    const number = (bag: EntRec | EntRec[], base: string) => {
      if (!Array.isArray(bag)) {
        if (bag.entity.id !== base) this.reId(bag, base);
        return;
      }
      bag.sort((a, b) => cmp(first(a).uri, first(b).uri) || first(a).start - first(b).start);
      bag.forEach((r, k) => {
        const id = k === 0 ? base : joined(base, '-', String(k + 1));
        if (r.entity.id !== id) this.reId(r, id);
      });
    };
    // The build numbers every base (records come with their base ids): no set of dirty ones.
    if (this.building) this.byBase.forEach(number);
    else
      for (const base of this.dirtyBases) {
        const bag = this.byBase.get(base);
        if (bag) number(bag, base);
      }
    this.dirtyBases.clear();
  }
}
