/**
 * Stage 2: corpus linking. Runs over the cached per-document `LocalResult`s after any change.
 *
 * Every local form becomes a node; nodes are united (union-find) by, in this order:
 *  1. key: forms that stand on their own ('name' role) with the same type and match key
 *     (exact / case / possessive variants), or — for places — the same country (country data);
 *  2. the in-article edges of stage 1 (surname, acronym);
 *  3. the project dictionary: an entity's name/aliases, then forced `merge` groups;
 *  4. transliteration of one token, blocked by the whole-name consonant skeleton and by the
 *     four-letter prefixes / suffixes of the tokens (edit path);
 *  5. acronyms that stand alone, blocked by (type, initials of the first, second and last
 *     content words) and a letter-mask filter, united only when exactly one entity matches (letters, or an in-article
 *     definition elsewhere);
 *  6. surnames that stand alone, united only when exactly one person entity has that surname.
 * A dictionary `separate` entry puts labels on nodes; a union that would bring two sides of one
 * entry together is refused, whatever rule asked for it.
 *
 * Steps 4–6 work on one representative per distinct join key, so the cost is O(forms) simple
 * array/map work plus O(distinct keys × small blocks) — no all-pairs comparison. The output
 * does not depend on the order of `locals` (they are sorted by uri first).
 */

import type { Entity, EntityMentionRef, EntityType, MergeReason } from '../types';
import { acronymBlockKeys, acronymLetters, expansionBlockKeys, expansionWords, FUNCTION_WORDS, matchesAcronym } from './acronym';
import type { Dictionary } from './dictionary';
import { best, variantReason } from './local';
import { resolveCountry } from './countries';
import { joined, Memo, NONE, orNone } from './memo';
import { clusterAnchor, clusterDefinedAcronyms, clusterEdges, clusterForms, listAt, listLength, oneOrList, type LocalForm, type LocalResult, type OneOrList } from './model';
import { cmp, matchKey, slugify } from './normalize';
import { releaseSkeletons, singleDifference, tokenSkeleton, tokenVariant } from './translit';

/** Blocks larger than this are not searched pairwise for transliterations (degenerate data). */
const MAX_VARIANT_BLOCK = 400;

export function linkCorpus(locals: readonly LocalResult[], dictionary?: Dictionary): Entity[] {
  const sorted = [...locals].sort((a, b) => cmp(a.uri, b.uri));
  const pd = prepareDictionary(dictionary);
  const input: ClusterNodes[] = [];
  for (const l of sorted) for (const c of prepareDocument(l, pd)) input.push(c);
  return assignIds(linkClusters(input, pd, null).entities);
}

// ---- Dictionary and per-document preparation (pure; cached per document by CorpusLinker) ----

export interface PreparedDictionary {
  readonly dict: Dictionary | undefined;
  readonly ignoreAny: Set<string>;
  readonly ignoreTyped: Set<string>;
  /** Virtual forms of the dictionary entities (no mentions). */
  readonly entityForms: LocalForm[];
  /** Match key → dictionary entity index (first entity wins). */
  readonly dictKeys: Map<string, number>;
  /** Match key → `merge` group index. */
  readonly mergeKeys: Map<string, number>;
  /** Match key → `separate` (entry, side) pairs. */
  readonly sepKeys: Map<string, [number, number][]>;
  /** Key sets that tie mentions together (dictionary entity names/aliases, merge groups): for the incremental linker. */
  readonly keySets: string[][];
}

export function prepareDictionary(dict?: Dictionary): PreparedDictionary {
  const ignoreAny = new Set<string>();
  const ignoreTyped = new Set<string>();
  for (const ig of dict?.ignore ?? []) {
    const k = matchKey(ig.text);
    if (ig.type) ignoreTyped.add(`${ig.type}\u0000${k}`);
    else ignoreAny.add(k);
  }
  const entityForms: LocalForm[] = [];
  const dictKeys = new Map<string, number>();
  const keySets: string[][] = [];
  (dict?.entities ?? []).forEach((e, i) => {
    const key = matchKey(e.name);
    entityForms.push({ type: e.type, key, join: '', surface: e.name, tokens: key.split(' '), acronym: false, role: 'name', merges: [], mentions: [] });
    const set: string[] = [];
    for (const text of [e.name, ...e.aliases]) {
      const k = matchKey(text);
      if (!dictKeys.has(k)) {
        dictKeys.set(k, i);
        set.push(k);
      }
    }
    keySets.push(set);
  });
  const mergeKeys = new Map<string, number>();
  (dict?.merge ?? []).forEach((group, i) => group.forEach((t) => mergeKeys.set(matchKey(t), i)));
  const mergeSets = new Map<number, string[]>();
  for (const [k, g] of mergeKeys) {
    const list = mergeSets.get(g);
    if (list) list.push(k);
    else mergeSets.set(g, [k]);
  }
  for (const set of mergeSets.values()) keySets.push(set);
  const sepKeys = new Map<string, [number, number][]>();
  (dict?.separate ?? []).forEach((group, i) =>
    group.forEach((text, side) => {
      const k = matchKey(text);
      const list = sepKeys.get(k) ?? [];
      list.push([i, side]);
      sepKeys.set(k, list);
    }),
  );
  return { dict, ignoreAny, ignoreTyped, entityForms, dictKeys, mergeKeys, sepKeys, keySets };
}

/** The forms of one local cluster as they enter the corpus stage (ignored forms removed). */
export interface ClusterNodes {
  /** Its article (the linker's own record of it, which carries the URI: one field fewer per cluster). */
  doc: { readonly uri: string };
  forms: OneOrList<LocalForm>;
  /** 1 when the form stands on its own and joins others by key (an exact-size plain array: cheaper than a typed array per cluster). */
  joinable: ArrayLike<number>;
  /** In-article merges, as indices into `forms`. */
  edges: { a: number; b: number; reason: MergeReason }[];
  /** Acronyms defined for the cluster anchor `forms[at]`. */
  defs: { at: number; acrKey: string; written: string }[];
}

const ALL_JOINABLE: readonly (readonly number[])[] = Array.from({ length: 17 }, (_, n) => Object.freeze(new Array<number>(n).fill(1)));

export function prepareDocument(local: LocalResult, pd: PreparedDictionary): ClusterNodes[] {
  const out: ClusterNodes[] = [];
  const doc = { uri: local.uri };
  const hasIgnores = pd.ignoreAny.size + pd.ignoreTyped.size > 0;
  for (const cluster of local.clusters) {
    const cf = clusterForms(cluster);
    const cn = listLength(cf);
    // Without ignored forms (the common case) the cluster's own forms, indexed as they are.
    let idx: Int32Array | null = null;
    let kept: LocalForm[] | null = null;
    if (hasIgnores) {
      idx = new Int32Array(cn);
      kept = [];
      for (let i = 0; i < cn; i++) {
        const f = listAt(cf, i)!;
        if (pd.ignoreAny.has(f.key) || pd.ignoreTyped.has(`${f.type}\u0000${f.key}`)) {
          idx[i] = -1;
          continue;
        }
        idx[i] = kept.length;
        kept.push(f);
      }
    }
    // Kept for the life of the document: the cluster's own forms when nothing was dropped.
    const forms: OneOrList<LocalForm> = kept && kept.length < cn ? oneOrList(kept.slice()) : cf;
    const fn = kept ? kept.length : cn;
    if (fn === 0) continue;
    let allJoinable = true;
    for (let i = 0; i < fn && allJoinable; i++) if (listAt(forms, i)!.role !== 'name') allJoinable = false;
    let joinable: number[] | null = null;
    if (!allJoinable || fn >= ALL_JOINABLE.length) {
      joinable = new Array(fn);
      for (let i = 0; i < fn; i++) joinable[i] = listAt(forms, i)!.role === 'name' ? 1 : 0;
    }
    let edges: ClusterNodes['edges'] = NONE as unknown as ClusterNodes['edges'];
    const clusterEdgeList = clusterEdges(cluster);
    if (clusterEdgeList.length > 0) {
      const list: ClusterNodes['edges'] = [];
      const linked = new Uint8Array(fn);
      for (const e of clusterEdgeList) {
        const a = idx ? idx[e.form] : e.form;
        const b = idx ? idx[e.into] : e.into;
        if (a < 0 || b < 0) continue;
        linked[a] = 1;
        const fa = listAt(cf, e.form)!;
        const fb = listAt(cf, e.into)!;
        list.push({ a, b, reason: { alias: fa.surface, into: fb.surface, rule: e.rule, ...(e.detail ? { detail: e.detail } : {}) } });
      }
      // A short form whose in-article antecedent was ignored stands on its own again.
      if (joinable) for (let i = 0; i < fn; i++) if (joinable[i] === 0 && linked[i] === 0) joinable[i] = 1;
      edges = orNone(list.slice());
    }
    let defs: ClusterNodes['defs'] = NONE as unknown as ClusterNodes['defs'];
    const anchor = clusterAnchor(cluster);
    const at = idx ? idx[anchor] : anchor;
    const defined = clusterDefinedAcronyms(cluster);
    if (at >= 0 && defined.length > 0) defs = defined.map((written) => ({ at, acrKey: matchKey(written), written }));
    // Most clusters are all-joinable: share one frozen array per small length.
    if (!joinable || (fn < ALL_JOINABLE.length && !joinable.includes(0))) joinable = ALL_JOINABLE[fn] as number[];
    out.push({ doc, forms, joinable, edges, defs });
  }
  return out;
}

// ---- Corpus-level type consensus ---------------------------------------------------------

export const TYPE_LIST: EntityType[] = ['event', 'organization', 'person', 'place']; // alphabetical: ties go to the first
export const TYPE_INDEX: Record<EntityType, number> = { event: 0, organization: 1, person: 2, place: 3 };

/**
 * Type consensus across the corpus for forms that stand on their own: `votes[t]` is the number of
 * mentions of the match key typed `t` (over all documents and forms, after the per-article consensus). A
 * form keeps its type unless another type has a clear majority — at least twice its mentions and
 * the most of all types (a unique maximum). Different real entities that share a name and are both
 * well attested (a city and a football club) therefore stay apart.
 */
export function consensusType(votes: ArrayLike<number>, own: number): number {
  return consensusAt(votes, 0, own);
}

/** `consensusType` of the four votes from `votes[at]` on (a tally of many keys in one array). */
function consensusAt(votes: ArrayLike<number>, at: number, own: number): number {
  let w = -1;
  let top = 0;
  let tie = false;
  for (let t = 0; t < 4; t++) {
    const v = votes[at + t];
    if (v > top) ((top = v), (w = t), (tie = false));
    else if (v === top && top > 0) tie = true;
  }
  if (w < 0 || tie || w === own) return own;
  return top >= 2 * votes[at + own] ? w : own;
}

const countryOf = new Memo<NonNullable<LocalForm['country']> | null>(100_000);

/** `f` typed `type` (join key and country recomputed). */
export function retypedJoin(f: LocalForm, type: EntityType): { join: string; country: LocalForm['country'] | undefined } {
  const country = type === 'place' ? (f.type === 'place' ? f.country : countryOf.get(f.surface, (s) => resolveCountry(s) ?? null) ?? undefined) : undefined;
  return { join: country ? `country\u0000${country.cca3}` : `${type}\u0000${f.key}`, country };
}

function retype(f: LocalForm, own: number, w: number, votes: ArrayLike<number>): LocalForm {
  const type = TYPE_LIST[w];
  const { join, country } = retypedJoin(f, type);
  const counts = [0, 1, 2, 3]
    .filter((t) => votes[t] > 0)
    .sort((a, b) => votes[b] - votes[a] || a - b)
    .map((t) => `${TYPE_LIST[t]} ${votes[t]}`)
    .join(', ');
  const reason: MergeReason = {
    alias: f.surface,
    into: f.surface,
    rule: 'type',
    detail: `tagged ${TYPE_LIST[own]} here; majority type across the corpus is ${type} (mentions: ${counts})`,
  };
  const out: LocalForm = { ...f, type, join, merges: [...f.merges, reason] };
  if (country) out.country = country;
  else delete out.country;
  return out;
}

// ---- The corpus stage over a closed set of clusters ----------------------------------------

export interface ClusterLinkResult {
  /** Entities with their base ids (`type:slug`, not yet disambiguated), one per union root. */
  entities: Entity[];
  /** For each form of each input cluster (form i of cluster c at `clusterStart[c] + i`): index into `entities`, or -1. */
  formEntity: Int32Array;
  clusterStart: Int32Array;
}

/**
 * Links a set of clusters given in corpus order (documents by uri, clusters and forms in
 * document order). The set must be closed under every rule (CorpusLinker guarantees it; the
 * whole corpus trivially is): then the result for it is the same as within the whole corpus.
 * `oversized(blockKey)` says whether a transliteration block is too large corpus-wide; null
 * computes it from the input (whole corpus). `pruned(join)` names the stand-alone acronyms and
 * surnames (by the join key of their representative) whose candidates are known to be two or
 * more entities corpus-wide: they unite nothing, and are skipped (the caller may leave their
 * candidates out of the input).
 */
export function linkClusters(
  input: readonly ClusterNodes[],
  pd: PreparedDictionary,
  oversized: ((blockKey: string) => boolean) | null,
  pruned: ((join: string) => boolean) | null = null,
): ClusterLinkResult {
  // ---- Nodes: one per form (plus one virtual node per dictionary entity).
  let total = 0;
  for (const c of input) total += listLength(c.forms);
  const dictForms = pd.entityForms;
  const cap = total + dictForms.length;
  const forms: LocalForm[] = new Array(cap);
  const joinable = new Uint8Array(cap);
  const isDict = new Uint8Array(cap);
  const docOf = new Int32Array(cap).fill(-1);
  const clusterStart = new Int32Array(input.length);
  let n = 0;
  let docIndex = -1;
  let prevUri: string | null = null;
  for (let ci = 0; ci < input.length; ci++) {
    const c = input[ci];
    if (c.doc.uri !== prevUri) ((docIndex++), (prevUri = c.doc.uri));
    clusterStart[ci] = n;
    const cf = c.forms;
    for (let i = 0, cn = listLength(cf); i < cn; i++) {
      forms[n] = Array.isArray(cf) ? cf[i] : cf;
      joinable[n] = c.joinable[i];
      docOf[n] = docIndex;
      n++;
    }
  }
  const realNodes = n;

  // ---- 0. Type consensus by match key: every form votes, forms that stand on their own follow.
  // Each key is looked up once: `slot[x]` numbers the key of node x; `slotType` holds the type
  // of its forms, or -1 when they differ (only those keys are tallied).
  {
    const slots = new Map<string, number>();
    const slot = new Int32Array(realNodes);
    const slotType: number[] = [];
    let mixed = false;
    for (let x = 0; x < realNodes; x++) {
      const f = forms[x];
      const t = TYPE_INDEX[f.type];
      let s = slots.get(f.key);
      if (s === undefined) {
        slots.set(f.key, (s = slotType.length));
        slotType.push(t);
      } else if (slotType[s] !== t && slotType[s] >= 0) ((slotType[s] = -1), (mixed = true));
      slot[x] = s;
    }
    if (mixed) {
      const votes = new Int32Array(4 * slotType.length);
      for (let x = 0; x < realNodes; x++) {
        const s = slot[x];
        if (slotType[s] < 0) votes[4 * s + TYPE_INDEX[forms[x].type]] += listLength(forms[x].mentions);
      }
      for (let x = 0; x < realNodes; x++) {
        const s = slot[x];
        if (joinable[x] === 0 || slotType[s] >= 0) continue;
        const own = TYPE_INDEX[forms[x].type];
        const w = consensusAt(votes, 4 * s, own);
        if (w !== own) forms[x] = retype(forms[x], own, w, votes.subarray(4 * s, 4 * s + 4));
      }
    }
  }

  const localEdges: { a: number; b: number; reason: MergeReason }[] = [];
  const definitions = new Map<string, { node: number; written: string }[]>(); // `${type}\0${acronymKey}` → cluster anchors
  for (let ci = 0; ci < input.length; ci++) {
    const c = input[ci];
    const base = clusterStart[ci];
    // Index loops: most of these are the shared frozen empty array, which for-of iterates slowly.
    for (let i = 0; i < c.edges.length; i++) {
      const e = c.edges[i];
      localEdges.push({ a: base + e.a, b: base + e.b, reason: e.reason });
    }
    for (let i = 0; i < c.defs.length; i++) {
      const d = c.defs[i];
      const node = base + d.at;
      const dk = `${forms[node].type}\u0000${d.acrKey}`;
      const list = definitions.get(dk);
      if (list) list.push({ node, written: d.written });
      else definitions.set(dk, [{ node, written: d.written }]);
    }
  }
  for (let i = 0; i < dictForms.length; i++) {
    forms[n] = dictForms[i];
    isDict[n] = 1;
    n++;
  }
  const N = n;

  // ---- Union-find with `separate` labels.
  const parent = new Int32Array(N);
  const size = new Int32Array(N).fill(1);
  for (let i = 0; i < N; i++) parent[i] = i;
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  };
  const labels = new Map<number, Map<number, number>>(); // root → (separate entry → side)
  const reasonLog: { node: number; reason: MergeReason }[] = [];
  const union = (a: number, b: number, reason: MergeReason | null): boolean => {
    let ra = find(a);
    let rb = find(b);
    if (ra === rb) return false;
    if (size[ra] < size[rb]) [ra, rb] = [rb, ra];
    if (labels.size > 0) {
      const la = labels.get(ra);
      const lb = labels.get(rb);
      if (la && lb) {
        for (const [entry, side] of lb) {
          const other = la.get(entry);
          if (other !== undefined && other !== side) return false; // a `separate` entry forbids it
        }
      }
      if (lb) {
        const merged = new Map<number, number>(la ?? []);
        for (const [k, v] of lb) merged.set(k, v);
        labels.set(ra, merged);
        labels.delete(rb);
      }
    }
    parent[rb] = ra;
    size[ra] += size[rb];
    if (reason) reasonLog.push({ node: a, reason });
    return true;
  };

  if (pd.sepKeys.size > 0) {
    for (let x = 0; x < N; x++) {
      const hits = pd.sepKeys.get(forms[x].key);
      if (!hits) continue;
      const m = new Map<number, number>();
      for (const [i, side] of hits) m.set(i, side);
      labels.set(x, m);
    }
  }

  // 1. Key groups: one representative per join key.
  const groupRep = new Map<string, number>();
  const repOf = new Int32Array(N).fill(-1);
  const groupCount = new Int32Array(N);
  const reps: number[] = [];
  for (let x = 0; x < realNodes; x++) {
    if (joinable[x] === 0) continue;
    const f = forms[x];
    const r = groupRep.get(f.join);
    if (r === undefined) {
      groupRep.set(f.join, x);
      repOf[x] = x;
      groupCount[x] = listLength(f.mentions);
      reps.push(x);
    } else if (union(x, r, null)) {
      repOf[x] = r;
      groupCount[r] += listLength(f.mentions);
    }
  }

  // 2. In-article edges.
  for (const e of localEdges) union(e.a, e.b, e.reason);

  // 3. Dictionary names and aliases, then forced merges.
  if (dictForms.length > 0) {
    for (let x = 0; x < realNodes; x++) {
      const d = pd.dictKeys.get(forms[x].key);
      if (d === undefined) continue;
      const f = forms[x];
      const name = dictForms[d].surface;
      union(realNodes + d, x, f.surface === name ? null : { alias: f.surface, into: name, rule: 'dictionary', detail: 'alias in the project dictionary' });
    }
  }
  if (pd.mergeKeys.size > 0) {
    const first = new Map<number, number>();
    for (let x = 0; x < realNodes; x++) {
      const g = pd.mergeKeys.get(forms[x].key);
      if (g === undefined) continue;
      const f0 = first.get(g);
      if (f0 === undefined) first.set(g, x);
      else union(f0, x, { alias: forms[x].surface, into: forms[f0].surface, rule: 'dictionary', detail: 'forced merge in the project dictionary' });
    }
  }

  const weight = (x: number) => (repOf[x] === x ? groupCount[x] : listLength(forms[x].mentions));
  /** [alias, into]: the side `best()` would pick as the name is `into` — more mentions, longer, smaller. */
  const aliasFirst = (a: number, b: number): [number, number] => {
    const wa = weight(a);
    const wb = weight(b);
    if (wa !== wb) return wa < wb ? [a, b] : [b, a];
    const sa = forms[a].surface;
    const sb = forms[b].surface;
    if (sa.length !== sb.length) return sa.length < sb.length ? [a, b] : [b, a];
    return cmp(sa, sb) > 0 ? [a, b] : [b, a];
  };

  // 4. Transliteration variants. Candidate pairs from all blocks are tried in node order
  //    (first node, then second), so the result does not depend on how blocks are enumerated.
  const blocks = new Map<string, number[]>();
  for (const r of reps) {
    const f = forms[r];
    if (!variantCandidate(f)) continue;
    for (const k of variantKeys.get(f.join, computeVariantKeys)) {
      const list = blocks.get(k);
      if (list) list.push(r);
      else blocks.set(k, [r]);
    }
  }
  const pairs: number[] = [];
  blocks.forEach((list, k) => {
    if (list.length < 2) return;
    if (oversized ? oversized(k) : list.length > MAX_VARIANT_BLOCK) return;
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        if (variantPair(forms[list[i]], forms[list[j]])) pairs.push(list[i], list[j]);
      }
    }
  });

  if (pairs.length > 0) {
    const order: number[] = [];
    for (let p = 0; p < pairs.length; p += 2) order.push(p);
    order.sort((p, q) => pairs[p] - pairs[q] || pairs[p + 1] - pairs[q + 1]);
    let lastA = -1;
    let lastB = -1;
    for (const p of order) {
      const i = pairs[p];
      const j = pairs[p + 1];
      if (i === lastA && j === lastB) continue; // the same pair from two blocks
      lastA = i;
      lastB = j;
      if (find(i) === find(j)) continue;
      const a = forms[i];
      const b = forms[j];
      const pos = singleDifference(a.tokens, b.tokens);
      const v = tokenVariant(a.tokens[pos], b.tokens[pos])!;
      const [x, y] = aliasFirst(i, j);
      const fx = forms[x];
      const fy = forms[y];
      const detail =
        `edit distance ${v.distance}` +
        (v.how === 'skeleton' ? `; same consonant skeleton "${v.skeleton}"` : '') +
        (fx.tokens.length > 1 ? ` ("${fx.tokens[pos]}" ~ "${fy.tokens[pos]}")` : '');
      union(x, y, { alias: fx.surface, into: fy.surface, rule: 'transliteration', detail });
    }
  }

  // 5. Stand-alone acronyms.
  const longIndex = new Map<string, { node: number; info: ExpansionInfo }[]>();
  const acronymReps: number[] = [];
  for (const r of reps) {
    const f = forms[r];
    if (f.type === 'person' || f.country) continue;
    if (f.tokens.length === 1) {
      acronymReps.push(r);
      continue;
    }
    const info = expansionInfo.get(f.surface, computeExpansionInfo);
    if (!info) continue;
    for (const k of longIndexKeys(f.type, f.surface, info)) {
      const list = longIndex.get(k);
      if (list) list.push({ node: r, info });
      else longIndex.set(k, [{ node: r, info }]);
    }
  }
  for (const r of acronymReps) {
    const f = forms[r];
    const defs = definitions.size > 0 ? definitions.get(`${f.type}\u0000${f.key}`) : undefined;
    if (!defs && !f.acronym) continue;
    if (f.acronym && pruned && pruned(f.join)) continue;
    const own = find(r);
    const roots = new Map<number, { node: number; detail: string }>();
    for (const { node: d, written } of defs ?? []) {
      const root = find(d);
      if (root !== own && !roots.has(root)) roots.set(root, { node: d, detail: `defined as "${forms[d].surface} (${written})" in ${listAt(forms[d].mentions, 0)!.uri}` });
    }
    if (f.acronym && roots.size < 2) {
      const shape = acronymShape(f.surface);
      search: for (const k of acronymIndexKeys(f.type, f.surface)) {
        const cands = longIndex.get(k);
        if (!cands) continue;
        for (const cand of cands) {
          const root = find(cand.node);
          if (root === own || roots.has(root)) continue;
          if (acronymShapeMatches(shape, cand.info)) {
            roots.set(root, { node: cand.node, detail: `letters of "${forms[cand.node].surface}"` });
            if (roots.size > 1) break search;
          }
        }
      }
    }
    if (roots.size === 1) {
      const [{ node, detail }] = roots.values();
      union(r, node, { alias: f.surface, into: forms[node].surface, rule: 'acronym', detail });
    }
  }

  // 6. Stand-alone surnames.
  const bySurname = new Map<string, number[]>();
  for (const r of reps) {
    const f = forms[r];
    if (f.type !== 'person' || f.tokens.length < 2) continue;
    const last = f.tokens[f.tokens.length - 1];
    const list = bySurname.get(last);
    if (list) list.push(r);
    else bySurname.set(last, [r]);
  }
  for (const r of reps) {
    const f = forms[r];
    if (f.type !== 'person' || f.tokens.length !== 1 || f.acronym) continue;
    const cands = bySurname.get(f.tokens[0]);
    if (!cands || (pruned && pruned(f.join))) continue;
    const root0 = find(cands[0]);
    let unique = true;
    for (let i = 1; i < cands.length && unique; i++) if (find(cands[i]) !== root0) unique = false;
    if (!unique) continue;
    union(r, cands[0], { alias: f.surface, into: forms[cands[0]].surface, rule: 'surname', detail: 'the only person in the corpus with this surname' });
  }

  // ---- Assemble entities: members of each root, contiguous and in node (uri) order.
  const rootOf = new Int32Array(N);
  const count = new Int32Array(N);
  for (let x = 0; x < N; x++) {
    const r = find(x);
    rootOf[x] = r;
    count[r]++;
  }
  const start = new Int32Array(N + 1);
  for (let x = 0; x < N; x++) start[x + 1] = start[x] + count[x];
  const fill = start.slice(0, N);
  const members = new Int32Array(N);
  for (let x = 0; x < N; x++) members[fill[rootOf[x]]++] = x;
  const reasonsByRoot = new Map<number, MergeReason[]>();
  for (const { node, reason } of reasonLog) {
    const r = rootOf[node];
    const list = reasonsByRoot.get(r);
    if (list) list.push(reason);
    else reasonsByRoot.set(r, [reason]);
  }

  const out: Entity[] = [];
  const entityOfRoot = new Int32Array(N).fill(-1);
  const ctx: AssembleContext = { forms, isDict, repOf, docOf };
  for (let r = 0; r < N; r++) {
    if (count[r] === 0) continue;
    const e =
      count[r] === 1 && isDict[r] === 0 ? single(forms[r]) : assemble(ctx, members.subarray(start[r], start[r + 1]), reasonsByRoot.get(r));
    if (!e) continue;
    entityOfRoot[r] = out.length;
    out.push(e);
  }
  // One array for all clusters (one per cluster cost an allocation each).
  const formEntity = new Int32Array(realNodes);
  for (let x = 0; x < realNodes; x++) formEntity[x] = entityOfRoot[rootOf[x]];
  return { entities: out, formEntity, clusterStart };
}

/** Orders entities by (base id, first mention) and disambiguates equal base ids in place (-2, -3…); returns them sorted by id. */
export function assignIds(out: Entity[]): Entity[] {
  const order = out.map((_, i) => i);
  order.sort((a, b) => compareBase(out[a], out[b]));
  const result: Entity[] = new Array(order.length);
  let needResort = false;
  for (let i = 0; i < order.length; ) {
    let j = i + 1;
    while (j < order.length && out[order[j]].id === out[order[i]].id) j++;
    for (let k = i; k < j; k++) {
      const e = out[order[k]];
      if (k > i) {
        e.id = `${e.id}-${k - i + 1}`;
        needResort = true;
      }
      result[k] = e;
    }
    i = j;
  }
  if (needResort) result.sort((a, b) => cmp(a.id, b.id));
  return result;
}

/** (base id, first mention uri, first mention start): the order `assignIds` numbers equal ids in. */
export function compareBase(a: Entity, b: Entity): number {
  const ma = a.mentions[0];
  const mb = b.mentions[0];
  return cmp(a.id, b.id) || cmp(ma.uri, mb.uri) || ma.start - mb.start;
}

/** Does this key-group representative take part in transliteration matching? */
export function variantCandidate(f: LocalForm): boolean {
  if (f.country || f.acronym) return false;
  return f.type === 'person' ? f.tokens.length >= 2 : f.tokens.length >= 1;
}

/** Static part of the transliteration rule for two representatives sharing a block. */
export function variantPair(a: LocalForm, b: LocalForm): boolean {
  if (a.type !== b.type) return false;
  const pos = singleDifference(a.tokens, b.tokens);
  if (pos < 0) return false;
  const v = tokenVariant(a.tokens[pos], b.tokens[pos]);
  if (!v) return false;
  if (a.tokens.length === 1 && (v.how !== 'skeleton' || a.tokens[0].length < 5)) return false;
  return true;
}

/**
 * A join key's transliteration block keys, computed afresh (not through the memo `linkClusters`
 * uses): the corpus linker's registrations keep them only while the group is registered.
 */
export function transliterationBlocks(join: string): string[] {
  return computeVariantKeys(join);
}

/**
 * The expansion of a long form (its words, block keys and letter tests), computed afresh (not
 * through the memo `linkClusters` uses): the callers keep only a part of it (the letter tests,
 * the index keys) or need it once.
 */
export function expansionOf(surface: string): ExpansionInfo | null {
  return computeExpansionInfo(surface);
}

/** The letters of an acronym and their a–z mask (computed once, tested against many long forms). */
export interface AcronymShape {
  letters: string;
  mask: number;
  /** The second letter as a bit index (a–z), or -1. */
  second: number;
}

export function acronymShape(surface: string): AcronymShape {
  return shapes.get(surface, (s) => {
    const letters = acronymLetters(s);
    const c = letters.length > 1 ? letters.charCodeAt(1) - 97 : -1;
    return { letters, mask: letterMask(letters), second: c >= 0 && c < 26 ? c : -1 };
  });
}

/**
 * Index keys of a stand-alone acronym: its type and each block key its expansion could have
 * (`acronymBlockKeys`, in that order). Flat strings, shared: indexes keep them.
 */
export function acronymIndexKeys(type: EntityType, surface: string): readonly string[] {
  return acronymKeys[TYPE_INDEX[type]].get(surface, (s) => acronymBlockKeys(acronymLetters(s)).map((bk) => joined(type, '\u0000', bk)));
}

/** Index keys of a long form (`info` is its `expansionOf`): its type and each block key of its expansion. */
export function longIndexKeys(type: EntityType, surface: string, info: ExpansionInfo): readonly string[] {
  return longKeys[TYPE_INDEX[type]].get(surface, () => info.blocks.map((b) => joined(type, '\u0000', b)));
}

const shapes = new Memo<AcronymShape>(100_000);
const acronymKeys = [0, 1, 2, 3].map(() => new Memo<readonly string[]>(200_000));
const longKeys = [0, 1, 2, 3].map(() => new Memo<readonly string[]>(200_000));

export function acronymShapeMatches(short: AcronymShape, info: ExpansionInfo): boolean {
  return acronymMaskMatches(short, info.mask) && matchesAcronym(short.letters, info.words);
}

/**
 * Necessary conditions of `matchesAcronym` that need no look at the words (most pairs fail
 * them): `acronymShapeMatches` is this and `matchesAcronym` on the words.
 */
export function acronymMaskMatches(short: AcronymShape, m: ExpansionMask): boolean {
  if (popcount(m.required & ~short.mask) > m.maxSkips || short.letters.length < m.minLetters) return false;
  if ((short.mask & ~m.prefixLetters) !== 0) return false;
  return short.second < 0 || (m.secondLetters & (1 << short.second)) !== 0;
}

export { MAX_VARIANT_BLOCK };

// ---------------------------------------------------------------------------------------------

export interface ExpansionInfo {
  words: NonNullable<ReturnType<typeof expansionWords>>;
  blocks: string[];
  /** What acronyms could stand for this form, without its words: the part the corpus linker keeps. */
  mask: ExpansionMask;
}

/** The letter tests of `acronymMaskMatches`: a few numbers, kept where the words would cost 200-400 bytes. */
export interface ExpansionMask {
  /** Bit mask (a–z) of content-word initials; an acronym must contain all but `maxSkips`. */
  required: number;
  maxSkips: number;
  minLetters: number;
  /** Letters an acronym can take from the long form: the first three of every word part (a–z mask). */
  prefixLetters: number;
  /** Letters an acronym's second letter can be: the first part's second, or any other part's first. */
  secondLetters: number;
}

const expansionInfo = new Memo<ExpansionInfo | null>(200_000);
function computeExpansionInfo(surface: string): ExpansionInfo | null {
  const words = expansionWords(surface);
  if (!words) return null;
  let required = 0;
  let content = 0;
  for (const w of words) {
    if (w.optional) continue;
    content++;
    required |= letterMask(w.parts[0][0]);
  }
  const maxSkips = content >= 4 ? 1 : 0;
  let prefixLetters = 0;
  let secondLetters = letterMask(words[0].parts[0].slice(1, 2));
  words.forEach((w, wi) =>
    w.parts.forEach((p, pi) => {
      prefixLetters |= letterMask(p.slice(0, 3));
      if (wi > 0 || pi > 0) secondLetters |= letterMask(p[0]);
    }),
  );
  return { words, blocks: expansionBlockKeys(words), mask: { required, maxSkips, minLetters: content - maxSkips, prefixLetters, secondLetters } };
}

function letterMask(s: string): number {
  let m = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i) - 97;
    if (c >= 0 && c < 26) m |= 1 << c;
  }
  return m;
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/**
 * Block keys for transliteration candidates (see translit.ts): the whole name with every
 * token of 4+ letters replaced by its skeleton (two names that differ in one token with equal
 * skeletons share it), and — when a token has 8+ letters — the name with every such token cut
 * to its first four / last four letters (a single edit leaves one of the two intact).
 */
const variantKeys = new Memo<string[]>(300_000);
function computeVariantKeys(join: string): string[] {
  const sep = join.indexOf('\u0000');
  const type = join.slice(0, sep);
  const tokens = join.slice(sep + 1).split(' ');
  const sk = tokens.map((t) => (t.length >= 4 && !/\d/.test(t) && !FUNCTION_WORDS.has(t) ? tokenSkeleton(t) : t)).join(' ');
  // Index keys for as long as the group lives: flat strings, not cons trees.
  const head = `${type}|${tokens.length}|`;
  const keys = [joined(head, 's|', sk)];
  if (tokens.length > 1 && tokens.some((t) => t.length >= 8)) {
    keys.push(joined(head, 'p|', tokens.map((t) => (t.length >= 8 ? t.slice(0, 4) : t)).join(' ')));
    keys.push(joined(head, 'q|', tokens.map((t) => (t.length >= 8 ? t.slice(-4) : t)).join(' ')));
  }
  return keys;
}

interface AssembleContext {
  forms: LocalForm[];
  isDict: Uint8Array;
  repOf: Int32Array;
  docOf: Int32Array;
}


/**
 * Empties the corpus stage's memo tables. A first link pass over a whole corpus fills them
 * with an entry per name (tens of megabytes at 20,000 articles) that later edits, which link
 * a few components, hardly look up again: CorpusLinker lets them go after its build.
 */
export function releaseLinkMemos(): void {
  for (const m of [countryOf, shapes, expansionInfo, variantKeys, ...acronymKeys, ...longKeys]) m.clear();
  releaseSkeletons();
}

/**
 * The base id (`type:slug`) of a name, as a flat string. Not memoised: each entity keeps its
 * own (names are mostly distinct), and a table of every name, filled by the first link pass
 * and emptied after it, was garbage the size of the entity list.
 */
function baseId(type: EntityType, name: string): string {
  return joined(type, ':', slugify(name));
}

/**
 * The common case: an entity made of one form. Also what `linkClusters` gives for a lone
 * cluster of one form whose key the dictionary does not name (no rule has a second node to
 * look at): CorpusLinker takes that shortcut.
 */
export function single(f: LocalForm): Entity | null {
  const fm = f.mentions;
  if (listLength(fm) === 0) return null;
  const name = f.country ? f.country.common : f.surface;
  // Entities are read-only: an entity without merge reasons shares the frozen empty array.
  const merges = f.country && f.surface !== f.country.common ? [...f.merges, countryReason(f)] : f.merges.length > 0 ? f.merges.slice() : (NONE as unknown as MergeReason[]);
  return {
    id: baseId(f.type, name),
    name,
    type: f.type,
    aliases: f.variants ? f.variants.map((v) => v.text) : [f.surface],
    merges,
    // Exact-size and never mutated: a list is shared with the form; a lone mention gets its own.
    mentions: Array.isArray(fm) ? fm : [fm],
  };
}

/**
 * What `linkClusters` gives for a component that is one key group alone: `forms` in corpus
 * order, each the only form of its cluster, joinable, natively of the group's type (no vote
 * retypes it), none named by the dictionary, and `docOf` numbering their documents. Only the
 * key-group rule applies, uniting them all under the first: one entity, no union reasons.
 */
export function groupEntity(forms: LocalForm[], docOf: Int32Array): Entity | null {
  if (forms.length === 1) return single(forms[0]);
  const n = forms.length;
  const members = new Int32Array(n);
  for (let i = 0; i < n; i++) members[i] = i;
  return assemble({ forms, isDict: new Uint8Array(n), repOf: new Int32Array(n), docOf }, members, undefined);
}

function countryReason(f: LocalForm): MergeReason {
  return { alias: f.surface, into: f.country!.common, rule: 'country', detail: `${f.country!.cca3}: ${f.country!.how}` };
}

/** Small insertion-ordered counter; linear scan (interned strings compare by pointer), Map past 24 keys. */
class Counter {
  keys: string[] = [];
  counts: number[] = [];
  private map: Map<string, number> | null = null;
  add(k: string, c: number): void {
    if (this.map) {
      const i = this.map.get(k);
      if (i !== undefined) this.counts[i] += c;
      else {
        this.map.set(k, this.keys.length);
        this.keys.push(k);
        this.counts.push(c);
      }
      return;
    }
    for (let i = 0; i < this.keys.length; i++) {
      if (this.keys[i] === k) {
        this.counts[i] += c;
        return;
      }
    }
    this.keys.push(k);
    this.counts.push(c);
    if (this.keys.length > 24) this.map = new Map(this.keys.map((x, i) => [x, i]));
  }
  get size(): number {
    return this.keys.length;
  }
  entries(): { s: string; n: number }[] {
    return this.keys.map((s, i) => ({ s, n: this.counts[i] }));
  }
}

function assemble(ctx: AssembleContext, ns: Int32Array, unionReasons: MergeReason[] | undefined): Entity | null {
  const { forms, isDict, repOf, docOf } = ctx;
  let dictForm: LocalForm | undefined;
  const typeCount = [0, 0, 0, 0];
  const countries = new Counter();
  const countryName = new Map<string, string>();
  const fullForms = new Counter();
  const anyForms = new Counter();
  const variants = new Counter();
  let total = 0;
  let sortedMentions = true;
  let prevDoc = -1;
  for (const x of ns) {
    const f = forms[x];
    const c = listLength(f.mentions);
    total += c;
    if (isDict[x]) {
      dictForm ??= f;
      continue;
    }
    // Members come in document order; two members from one document may interleave.
    if (docOf[x] === prevDoc) sortedMentions = false;
    prevDoc = docOf[x];
    typeCount[TYPE_INDEX[f.type]] += c;
    if (f.country) {
      countries.add(f.country.cca3, c);
      if (countries.size !== countryName.size) countryName.set(f.country.cca3, f.country.common);
    }
    anyForms.add(f.surface, c);
    if (f.role === 'name' && !f.acronym && (f.type !== 'person' || f.tokens.length > 1)) fullForms.add(f.surface, c);
    if (!f.variants) variants.add(f.surface, c);
    else for (const v of f.variants) variants.add(v.text, v.count);
  }
  if (total === 0) return null;
  const mentions: EntityMentionRef[] = new Array(total);
  let m = 0;
  for (const x of ns) {
    const list = forms[x].mentions;
    if (!Array.isArray(list)) mentions[m++] = list;
    else for (let i = 0; i < list.length; i++) mentions[m++] = list[i];
  }
  let type: EntityType;
  let name: string;
  if (dictForm) {
    type = dictForm.type;
    name = dictForm.surface;
  } else {
    let t = 0;
    for (let i = 1; i < 4; i++) if (typeCount[i] > typeCount[t]) t = i;
    type = TYPE_LIST[t];
    if (countries.size > 0) {
      const cc = countries.entries().sort((a, b) => b.n - a.n || cmp(a.s, b.s))[0].s;
      name = countryName.get(cc)!;
    } else {
      name = best((fullForms.size > 0 ? fullForms : anyForms).entries());
    }
  }

  // Merge reasons: raw variants → form surface (local), form surface → key-group surface or
  // country, then the unions that built the entity. Deduplicated.
  const merges: MergeReason[] = [];
  const seen = new Set<string>();
  const add = (r: MergeReason) => {
    if (r.alias === r.into && r.rule !== 'type') return;
    const k = `${r.rule}\u0000${r.alias}\u0000${r.into}`;
    if (seen.has(k)) return;
    seen.add(k);
    merges.push(r);
  };
  const surfacesDone = new Set<string>(); // form surfaces whose surface→group reason is recorded
  const localDone = new Set<MergeReason[]>();
  for (const x of ns) {
    const f = forms[x];
    if (f.merges.length > 0 && !localDone.has(f.merges)) {
      localDone.add(f.merges);
      for (const r of f.merges) add(r);
    }
    if (surfacesDone.has(f.surface)) continue;
    if (f.country) {
      surfacesDone.add(f.surface);
      if (f.surface !== f.country.common) add(countryReason(f));
      continue;
    }
    const rep = repOf[x];
    if (rep >= 0 && rep !== x) {
      const rs = forms[rep].surface;
      if (rs !== f.surface) add(variantReason(f.surface, rs));
      surfacesDone.add(f.surface);
    }
  }
  for (const r of unionReasons ?? []) add(r);

  if (!sortedMentions) mentions.sort((a, b) => (a.uri === b.uri ? a.start - b.start || a.end - b.end : cmp(a.uri, b.uri)));
  const vs = variants.entries().sort((a, b) => b.n - a.n || cmp(a.s, b.s));
  return { id: baseId(type, name), name, type, aliases: vs.map((v) => v.s), merges, mentions };
}
