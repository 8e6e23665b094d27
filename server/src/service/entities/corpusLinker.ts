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
 *     pair test; acronyms: an acronym group and a long form it could abbreviate, or a definition
 *     of it anywhere; surnames: a one-token person group and the full names ending in it.
 * A *component* is a connected set of clusters under these relations. Components do not
 * interact, so linking one component alone gives exactly its entities in the whole corpus
 * (`linkClusters` processes everything in an order that is stable under taking subsets; the
 * only corpus-wide input, the size of a transliteration block, is passed in).
 *
 * An edit touches the nodes of the changed documents, every node sharing a match key with them
 * (the type vote may change), the key groups they enter or leave (the representative may
 * change) and, when a block crosses its size limit, the groups in it. All components those
 * nodes were in before are re-opened; a search over the relations from there finds the new
 * components, which are linked again; everything else keeps its entities. Entity ids are
 * renumbered only within the base ids that changed. The sorted entity list is rebuilt lazily.
 */

import type { Entity, EntityMentionRef, EntityType } from '../types';
import { acronymBlockKeys, acronymLetters } from './acronym';
import type { Dictionary } from './dictionary';
import {
  acronymCouldMatch,
  acronymShape,
  acronymShapeMatches,
  consensusType,
  expansionOf,
  linkClusters,
  MAX_VARIANT_BLOCK,
  prepareDictionary,
  prepareDocument,
  retypedJoin,
  transliterationBlocks,
  TYPE_INDEX,
  TYPE_LIST,
  variantCandidate,
  variantPair,
  type ClusterNodes,
  type ExpansionInfo,
  type PreparedDictionary,
} from './link';
import type { LocalForm, LocalResult } from './model';
import { flat, Memo, NONE } from './memo';
import { cmp } from './normalize';

interface CDoc {
  uri: string;
  local: LocalResult;
  clusters: CCluster[];
  alive: boolean;
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
  joinable: boolean;
  /**
   * The key group of a joinable node. Its effective (consensus) type and join key are the
   * group's (`Group.t`, `Group.join`); a node outside any group has its form's.
   */
  group: Group | null;
  rec: EntRec | null;
}

interface Group {
  join: string;
  /** Type index of every member (the join key implies the type). */
  t: number;
  members: CNode[];
  rep: CNode | null;
  /**
   * Whether `rep` is registered in the indexes. What it registered is recomputed from the
   * representative (`registration`): a pure function of its form and the group's type.
   */
  reg: boolean;
  mark: number;
}

interface Reg {
  blocks: readonly string[];
  long: readonly string[];
  info: ExpansionInfo | null;
  acr: readonly string[];
  surLong: string | null;
  surShort: string | null;
  key: string;
  acrGroup: boolean;
}

interface Comp {
  /** One cluster (the common case) or several. */
  clusters: CCluster | CCluster[];
  /** The search that built it. */
  epoch: number;
}

interface EntRec {
  base: string;
  entity: Entity;
}

const first = (r: EntRec): EntityMentionRef => r.entity.mentions[0];
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
 * here mutates a bag while iterating it).
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
const bagSize = <V extends object>(s: Bag<V> | undefined): number => (s === undefined ? 0 : Array.isArray(s) ? s.length : s instanceof Set ? s.size : 1);
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
  for (const n of nodes) v[TYPE_INDEX[n.form.type]] += n.form.mentions.length;
  return v;
}

/** The effective type index behind a join key made for `f` (`country\0…` only for places). */
function joinType(join: string, f: LocalForm): number {
  if (join === f.join) return TYPE_INDEX[f.type];
  return join.startsWith('country\u0000') ? TYPE_INDEX.place : TYPE_INDEX[join.slice(0, join.indexOf('\u0000')) as EntityType];
}

/** Registration keys of acronyms and long forms, per type and surface (the prefixed lists are what the indexes hold). */
const acrKeys = TYPE_LIST.map((t) => new Memo<readonly string[]>(200_000));
const longKeys = TYPE_LIST.map((t) => new Memo<readonly string[]>(200_000));

function order(a: CCluster, b: CCluster): number {
  return a.doc === b.doc ? a.idx - b.idx : cmp(a.doc.uri, b.doc.uri);
}

export class CorpusLinker {
  private pd: PreparedDictionary;
  private readonly docs = new Map<string, CDoc>();
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
  private readonly byId = new Map<string, EntRec>();
  private sorted: Entity[] | null = null;
  private epoch = 1;
  /** Incremented whenever entities change (consumers cache per-document views by it). */
  version = 0;

  constructor(dictionary?: Dictionary) {
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

  /** All entities, sorted by id (exactly `linkCorpus` over the current documents). */
  entities(): Entity[] {
    this.flush();
    if (!this.sorted) {
      const recs: EntRec[] = [];
      for (const list of this.byBase.values()) Array.isArray(list) ? recs.push(...list) : recs.push(list);
      recs.sort((a, b) => cmp(a.entity.id, b.entity.id) || cmp(a.base, b.base) || cmp(first(a).uri, first(b).uri) || first(a).start - first(b).start);
      this.sorted = recs.map((r) => r.entity);
    }
    return this.sorted;
  }

  entity(id: string): Entity | undefined {
    this.flush();
    return this.byId.get(id)?.entity;
  }

  /** Entities per type, without building the sorted list (for statistics after every change). */
  countByType(): Record<EntityType, number> {
    this.flush();
    const counts: Record<EntityType, number> = { person: 0, organization: 0, place: 0, event: 0 };
    for (const r of this.byId.values()) counts[r.entity.type]++;
    return counts;
  }

  /** The entity of the mention starting at `start` (and ending at `end`, if given) in `uri`. */
  entityOf(uri: string, mention: { start: number; end?: number }): Entity | undefined {
    this.flush();
    const d = this.docs.get(uri);
    if (!d) return undefined;
    for (const c of d.clusters) {
      for (let n: CNode | null = c.first; n; n = n.next) {
        for (const m of n.form.mentions) if (m.start === mention.start && (mention.end === undefined || m.end === mention.end)) return n.rec?.entity;
      }
    }
    return undefined;
  }

  /** Mentions of one document with their entities, sorted by offset. Costs O(mentions of the document). */
  mentionsOf(uri: string): { mention: EntityMentionRef; entity: Entity }[] {
    this.flush();
    const d = this.docs.get(uri);
    if (!d) return [];
    const out: { mention: EntityMentionRef; entity: Entity }[] = [];
    for (const c of d.clusters) for (let n: CNode | null = c.first; n; n = n.next) if (n.rec) for (const m of n.form.mentions) out.push({ mention: m, entity: n.rec.entity });
    out.sort((a, b) => a.mention.start - b.mention.start || a.mention.end - b.mention.end);
    return out;
  }

  // ---- the incremental step ---------------------------------------------------------------

  /** True while changes wait to be linked (the next query pays for them). */
  get dirty(): boolean {
    return this.pending.size > 0;
  }

  /** Applies pending changes; re-links the components they touch. */
  flush(): void {
    if (this.pending.size === 0) return;
    if (this.docs.size === 0) return this.build();
    const changes = [...this.pending];
    this.pending.clear();
    const touched: CNode[] = [];
    const removedComps = new Set<Comp>();
    const dirtyKeys = new Set<string>();
    const dirtyGroups = new Set<Group>();

    for (const [uri, local] of changes) {
      const old = this.docs.get(uri);
      if (old) {
        if (old.local === local) continue;
        this.docs.delete(uri);
        old.alive = false;
        for (const c of old.clusters) {
          if (c.comp) removedComps.add(c.comp);
          for (let n: CNode | null = c.first; n; n = n.next) this.detachNode(n, dirtyKeys, dirtyGroups);
        }
      }
      if (local) {
        const doc: CDoc = { uri, local, clusters: [], alive: true };
        const prepared = prepareDocument(local, this.pd);
        // Exact-size array: it lives as long as the document (push would reserve 17 slots).
        doc.clusters = new Array(prepared.length);
        for (let idx = 0; idx < prepared.length; idx++) {
          const cl = this.cluster(doc, idx, prepared[idx]);
          for (let n: CNode | null = cl.first; n; n = n.next) {
            dirtyKeys.add(n.form.key);
            touched.push(n);
          }
          doc.clusters[idx] = cl;
        }
        this.docs.set(uri, doc);
      }
    }

    // Effective types and key groups of every joinable node sharing a key with the change.
    for (const key of dirtyKeys) {
      const nodes = this.keyNodes.get(key);
      if (!nodes) continue;
      const votes = votesOf(nodes);
      for (const n of items(nodes)) {
        touched.push(n);
        if (!n.joinable) continue;
        const join = votedJoin(n, votes);
        if (n.group && n.group.join === join) continue;
        if (n.group) this.leaveGroup(n, dirtyGroups);
        this.enterGroup(n, join, dirtyGroups);
      }
    }

    // Representatives and the indexes they are registered in.
    const flipped = new Set<string>();
    for (const g of dirtyGroups) {
      const rep = g.members.length > 0 ? g.members[0] : null;
      if (rep === g.rep && g.reg) continue;
      if (g.reg) this.unregister(g, flipped);
      g.rep = rep;
      if (rep) this.register(g, flipped);
      else this.groups.delete(g.join);
      if (g.members.length > 0) touched.push(g.members[0]);
    }
    // A block that crossed its size limit changes the transliteration candidates of all its groups.
    for (const k of flipped) for (const g of items(this.blocks.get(k))) if (g.members.length > 0) touched.push(g.members[0]);

    // Re-open the old components of everything touched.
    const opened = removedComps;
    for (const n of touched) if (n.cl.comp) opened.add(n.cl.comp);
    const epoch = ++this.epoch;
    const seeds: CCluster[] = [];
    for (const c of opened) {
      for (const cl of compClusters(c)) if (cl.doc.alive && cl.mark !== epoch) ((cl.mark = epoch), seeds.push(cl));
      this.dropComp(c);
    }
    for (const n of touched) if (n.cl.doc.alive && n.cl.mark !== epoch) ((n.cl.mark = epoch), seeds.push(n.cl));

    // New components: search from the seeds. A component reached through a new relation is
    // re-opened as a whole (its old entities are dropped and linked again with the rest).
    const comps = this.components(seeds, (c) => {
      if (opened.has(c)) return;
      opened.add(c);
      this.dropComp(c);
    });
    const all: CCluster[] = [];
    for (const c of comps) for (const cl of compClusters(c)) all.push(cl);
    if (all.length > 0) this.relink(all);
    this.renumber();
    this.sorted = null;
    this.version++;
  }

  /**
   * First build (no documents yet): the same state `flush` would reach, in one pass. Key
   * groups are filled in corpus order (no sorted inserts) and components come from a
   * union-find over the relations of the header, testing each related pair once.
   */
  private build(): void {
    const locals: LocalResult[] = [];
    for (const l of this.pending.values()) if (l) locals.push(l);
    this.pending.clear();
    for (const local of locals) {
      const doc: CDoc = { uri: local.uri, local, clusters: [], alive: true };
      const prepared = prepareDocument(local, this.pd);
      doc.clusters = new Array(prepared.length);
      for (let idx = 0; idx < prepared.length; idx++) doc.clusters[idx] = this.cluster(doc, idx, prepared[idx]);
      this.docs.set(local.uri, doc);
    }

    // Clusters in corpus order; key groups filled in that order are already sorted.
    const docs = [...this.docs.values()].sort((a, b) => cmp(a.uri, b.uri));
    let nc = 0;
    for (const d of docs) nc += d.clusters.length;
    const clusters: CCluster[] = new Array(nc);
    const groupList: Group[] = [];
    const voteCache = new Map<string, number[]>();
    nc = 0;
    for (const d of docs) {
      for (const cl of d.clusters) {
        cl.mark = nc; // cluster number, reset below
        clusters[nc++] = cl;
        for (let n: CNode | null = cl.first; n; n = n.next) {
          if (!n.joinable) continue;
          const nodes = this.keyNodes.get(n.form.key)!;
          let votes: number[] | undefined;
          if (isMany(nodes)) {
            // One tally per key for the whole build.
            votes = voteCache.get(n.form.key);
            if (!votes) voteCache.set(n.form.key, (votes = votesOf(nodes)!));
          }
          const join = votedJoin(n, votes);
          let g = this.groups.get(join);
          if (!g) {
            this.groups.set(join, (g = { join, t: joinType(join, n.form), members: [], rep: null, reg: false, mark: 0 }));
            groupList.push(g);
          }
          g.members.push(n);
          n.group = g;
        }
      }
    }
    const flipped = new Set<string>();
    for (const g of groupList) {
      g.members = g.members.slice();
      g.rep = g.members[0];
      this.register(g, flipped);
    }

    // Components: union-find over cluster numbers.
    const parent = new Int32Array(nc);
    for (let i = 0; i < nc; i++) parent[i] = i;
    const find = (i: number): number => {
      while (parent[i] !== i) i = parent[i] = parent[parent[i]];
      return i;
    };
    const union = (a: number, b: number) => {
      const ra = find(a);
      const rb = find(b);
      if (ra !== rb) parent[ra < rb ? rb : ra] = ra < rb ? ra : rb;
    };
    const gc = (g: Group) => g.members[0].cl.mark;
    const unionBag = (bag: Bag<CNode> | undefined, to: number) => {
      for (const n of items(bag)) union(n.cl.mark, to);
    };
    for (const nodes of this.keyNodes.values()) {
      if (!isMany(nodes)) continue;
      let first = -1;
      for (const n of nodes) first < 0 ? (first = n.cl.mark) : union(n.cl.mark, first);
    }
    this.pd.keySets.forEach((set) => {
      let first = -1;
      for (const k of set) for (const n of items(this.keyNodes.get(k))) first < 0 ? (first = n.cl.mark) : union(n.cl.mark, first);
    });
    for (const cl of clusters) for (const def of cl.defs) unionBag(this.keyNodes.get(def.acrKey), cl.mark);
    for (const g of groupList) {
      const c = gc(g);
      for (let i = 1; i < g.members.length; i++) union(g.members[i].cl.mark, c);
      const reg = this.registration(g);
      if (reg.acrGroup) for (const n of items(this.defIdx.get(reg.key))) if (n.group) union(gc(n.group), c);
      if (reg.acr.length > 0) {
        const short = acronymShape(this.repForm(g).surface);
        for (const k of reg.acr) {
          for (const h of items(this.longIdx.get(k))) {
            const hc = gc(h);
            if (find(hc) !== find(c) && acronymShapeMatches(short, this.registration(h).info!)) union(hc, c);
          }
        }
      }
    }
    for (const [t, longs] of this.surLong) {
      const shorts = this.surShort.get(t);
      if (!shorts) continue;
      let first = -1;
      for (const h of items(longs)) first < 0 ? (first = gc(h)) : union(gc(h), first);
      for (const h of items(shorts)) union(gc(h), first);
    }
    for (const list of this.blocks.values()) {
      const size = bagSize(list);
      if (size < 2 || size > MAX_VARIANT_BLOCK) continue;
      const gs = [...items(list)];
      const fs = gs.map((g) => this.repForm(g));
      const cs = gs.map(gc);
      for (let i = 0; i < gs.length; i++) {
        const ci = cs[i];
        for (let j = i + 1; j < gs.length; j++) {
          const cj = cs[j];
          if (find(ci) !== find(cj) && (variantPair(fs[i], fs[j]) || variantPair(fs[j], fs[i]))) union(ci, cj);
        }
      }
    }

    const epoch = ++this.epoch;
    const compOf: (Comp | undefined)[] = new Array(nc);
    const comps: Comp[] = [];
    for (let i = 0; i < nc; i++) {
      const r = find(i);
      let comp = compOf[r];
      if (!comp) comps.push((comp = compOf[r] = { clusters: clusters[i], epoch }));
      else if (Array.isArray(comp.clusters)) comp.clusters.push(clusters[i]);
      else comp.clusters = [comp.clusters, clusters[i]];
      clusters[i].comp = comp;
    }
    for (const cl of clusters) cl.mark = 0;
    if (nc > 0) this.relink(clusters);
    // Components live until an edit re-opens them: drop the spare capacity left by push.
    for (const c of comps) if (Array.isArray(c.clusters)) c.clusters = c.clusters.slice();
    this.renumber();
    this.sorted = null;
    this.version++;
  }

  // ---- bookkeeping ----------------------------------------------------------------------------

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
  private cluster(doc: CDoc, idx: number, data: ClusterNodes): CCluster {
    const cl = { uri: data.uri, forms: data.forms, joinable: data.joinable, edges: data.edges, defs: data.defs, doc, idx, first: null as unknown as CNode, comp: null, mark: 0 } satisfies CCluster;
    let prev: CNode | null = null;
    for (let i = 0; i < data.forms.length; i++) {
      const form = data.forms[i];
      const n: CNode = { cl, i, next: null, form, joinable: data.joinable[i] === 1, group: null, rec: null };
      if (prev) prev.next = n;
      else cl.first = n;
      prev = n;
      add(this.keyNodes, form.key, n);
    }
    for (const def of data.defs) add(this.defIdx, def.acrKey, nodeAt(cl, def.at));
    return cl;
  }

  private detachNode(n: CNode, dirtyKeys: Set<string>, dirtyGroups: Set<Group>): void {
    del(this.keyNodes, n.form.key, n);
    dirtyKeys.add(n.form.key);
    if (n.group) this.leaveGroup(n, dirtyGroups);
    for (const def of n.cl.defs) if (def.at === n.i) del(this.defIdx, def.acrKey, n);
  }

  private leaveGroup(n: CNode, dirty: Set<Group>): void {
    const g = n.group!;
    const i = this.position(g.members, n);
    let j = i;
    while (g.members[j] !== n) j++;
    g.members.splice(j, 1);
    n.group = null;
    dirty.add(g);
  }

  private enterGroup(n: CNode, join: string, dirty: Set<Group>): void {
    let g = this.groups.get(join);
    if (!g) this.groups.set(join, (g = { join, t: joinType(join, n.form), members: [], rep: null, reg: false, mark: 0 }));
    if (g.members.length === 0) g.members = [n]; // most groups have one member: no spare capacity
    else g.members.splice(this.position(g.members, n), 0, n);
    n.group = g;
    dirty.add(g);
  }

  /** First index whose node is not before `n` (members are in corpus order). */
  private position(members: CNode[], n: CNode): number {
    let lo = 0;
    let hi = members.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const m = members[mid];
      if ((order(m.cl, n.cl) || m.i - n.i) < 0) lo = mid + 1;
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
        if (f.acronym) reg.acr = acrKeys[t].get(f.surface, (s) => acronymBlockKeys(acronymLetters(s)).map((bk) => flat(`${f.type}\u0000${bk}`)));
      } else {
        const info = expansionOf(f.surface);
        if (info) {
          reg.info = info;
          reg.long = longKeys[t].get(f.surface, () => info.blocks.map((b) => flat(`${f.type}\u0000${b}`)));
        }
      }
    }
    if (f.type === 'person') {
      if (f.tokens.length >= 2) reg.surLong = f.tokens[f.tokens.length - 1];
      else if (f.tokens.length === 1) reg.surShort = f.tokens[0];
    }
    return reg;
  }

  private register(g: Group, flipped: Set<string>): void {
    const reg = this.registration(g);
    for (const k of reg.blocks) {
      const before = bagSize(this.blocks.get(k));
      add(this.blocks, k, g);
      if (before === MAX_VARIANT_BLOCK) flipped.add(k);
    }
    for (const k of reg.acr) add(this.acrIdx, k, g);
    for (const k of reg.long) add(this.longIdx, k, g);
    if (reg.surLong !== null) add(this.surLong, reg.surLong, g);
    if (reg.surShort !== null) add(this.surShort, reg.surShort, g);
    g.reg = true;
  }

  private unregister(g: Group, flipped: Set<string>): void {
    const reg = this.registration(g);
    for (const k of reg.blocks) {
      const before = bagSize(this.blocks.get(k));
      del(this.blocks, k, g);
      if (before === MAX_VARIANT_BLOCK + 1) flipped.add(k);
    }
    for (const k of reg.long) del(this.longIdx, k, g);
    for (const k of reg.acr) del(this.acrIdx, k, g);
    if (reg.surLong !== null) del(this.surLong, reg.surLong, g);
    if (reg.surShort !== null) del(this.surShort, reg.surShort, g);
    g.reg = false;
  }

  /** Drops the entities of a component (the records its nodes point to; each once). */
  private dropComp(c: Comp): void {
    for (const cl of compClusters(c)) for (let n: CNode | null = cl.first; n; n = n.next) if (n.rec) this.dropRec(n.rec);
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
    if (this.byId.get(r.entity.id) === r) this.byId.delete(r.entity.id);
    this.dirtyBases.add(r.base);
  }

  private dirtyBases = new Set<string>();

  /** Connected components (under the relations in the header) of the clusters reachable from `seeds`. */
  private components(seeds: CCluster[], reopen: (old: Comp) => void): Comp[] {
    const epoch = ++this.epoch;
    const seenKeys = new Set<string>();
    const seenSets = new Set<number>();
    const comps: Comp[] = [];
    for (const s of seeds) s.mark = 0;
    for (const s of seeds) {
      if (s.mark === epoch) continue;
      const list: CCluster[] = [];
      const stack: CCluster[] = [s];
      s.mark = epoch;
      const push = (cl: CCluster) => {
        if (cl.mark !== epoch) ((cl.mark = epoch), stack.push(cl));
      };
      const visitKey = (key: string) => {
        if (seenKeys.has(key)) return;
        seenKeys.add(key);
        for (const n of items(this.keyNodes.get(key))) push(n.cl);
      };
      const visitGroup = (g: Group) => {
        if (g.mark === epoch) return;
        g.mark = epoch;
        for (const n of g.members) push(n.cl);
        if (!g.reg) return;
        this.groupNeighbours(g, (h) => {
          if (h.mark !== epoch) for (const n of h.members) if (n.cl.mark !== epoch) return push(n.cl);
        });
      };
      while (stack.length > 0) {
        const cl = stack.pop()!;
        if (cl.comp && cl.comp.epoch !== epoch) reopen(cl.comp);
        list.push(cl);
        for (let n: CNode | null = cl.first; n; n = n.next) {
          visitKey(n.form.key);
          const sets = this.keySetsOf.get(n.form.key);
          if (sets) {
            for (const i of sets) {
              if (seenSets.has(i)) continue;
              seenSets.add(i);
              for (const k of this.pd.keySets[i]) visitKey(k);
            }
          }
          if (n.group) visitGroup(n.group);
        }
        for (const def of cl.defs) visitKey(def.acrKey);
      }
      // Components live until an edit re-opens them: exact size, or the cluster itself.
      const comp: Comp = { clusters: list.length === 1 ? list[0] : list.slice(), epoch };
      for (const cl of list) cl.comp = comp;
      comps.push(comp);
    }
    return comps;
  }

  /** Groups related to `g` by the transliteration, acronym and surname rules. */
  private groupNeighbours(g: Group, visit: (h: Group) => void): void {
    const reg = this.registration(g);
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
    if (reg.info) {
      for (const k of reg.long) for (const h of items(this.acrIdx.get(k))) if (acronymCouldMatch(h.rep!.form, reg.info)) visit(h);
    }
    if (reg.acr.length > 0) {
      const shape = acronymShape(g.rep!.form.surface);
      for (const k of reg.acr) for (const h of items(this.longIdx.get(k))) if (acronymShapeMatches(shape, this.registration(h).info!)) visit(h);
    }
    if (reg.acrGroup) for (const n of items(this.defIdx.get(reg.key))) if (n.group) visit(n.group);
    if (reg.surLong !== null) for (const h of items(this.surShort.get(reg.surLong))) visit(h);
    if (reg.surShort !== null) for (const h of items(this.surLong.get(reg.surShort))) visit(h);
  }

  private relink(all: CCluster[]): void {
    // Corpus order: documents by uri, clusters in document order.
    const docs: CDoc[] = [];
    const byDoc = new Map<CDoc, CCluster[]>();
    for (const cl of all) {
      const list = byDoc.get(cl.doc);
      if (list) list.push(cl);
      else (byDoc.set(cl.doc, [cl]), docs.push(cl.doc));
    }
    docs.sort((a, b) => cmp(a.uri, b.uri));
    const input: CCluster[] = [];
    for (const d of docs) {
      const list = byDoc.get(d)!;
      list.sort((a, b) => a.idx - b.idx);
      for (const cl of list) input.push(cl);
    }
    const oversized = (k: string) => (bagSize(this.blocks.get(k))) > MAX_VARIANT_BLOCK;
    const res = linkClusters(input, this.pd, oversized);
    const recs: (EntRec | null)[] = res.entities.map(() => null);
    input.forEach((cl, ci) => {
      const fe = res.formEntity[ci];
      for (let n: CNode | null = cl.first; n; n = n.next) {
        const e = fe[n.i];
        if (e < 0) {
          n.rec = null;
          continue;
        }
        n.rec = recs[e] ??= { base: res.entities[e].id, entity: res.entities[e] };
      }
    });
    for (const r of recs) {
      if (!r) continue;
      const list = this.byBase.get(r.base);
      if (!list) this.byBase.set(r.base, r);
      else if (Array.isArray(list)) list.push(r);
      else this.byBase.set(r.base, [list, r]);
      this.dirtyBases.add(r.base);
    }
  }

  /** Renumbers equal base ids (-2, -3… in order of first mention) where entities came or went. */
  private renumber(): void {
    for (const base of this.dirtyBases) {
      const bag = this.byBase.get(base);
      if (!bag) continue;
      const list = Array.isArray(bag) ? bag : [bag];
      list.sort((a, b) => cmp(first(a).uri, first(b).uri) || first(a).start - first(b).start);
      list.forEach((r, k) => {
        const id = k === 0 ? base : flat(`${base}-${k + 1}`);
        if (r.entity.id !== id) {
          if (this.byId.get(r.entity.id) === r) this.byId.delete(r.entity.id);
          r.entity = { ...r.entity, id };
        }
        this.byId.set(id, r);
      });
    }
    this.dirtyBases.clear();
  }
}
