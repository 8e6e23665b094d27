/**
 * Stage 1: within-article coreference. Pure function of one document; cached by the index.
 *
 *  - possessive / case / title normalisation: every mention is cleaned (`cleanSurface`) and
 *    keyed (`matchKey`); mentions with the same type and key form one *form*;
 *  - surname: a one-token person form ("Beispekov") joins the person form in the same article
 *    whose last token it equals ("Azamat Beispekov"). With two candidates, each mention goes to
 *    the nearest preceding full name (else the first following one);
 *  - acronym: an acronym-looking form joins the one same-type long form in the article that it
 *    abbreviates (see acronym.ts), or the one it is explicitly paired with in the text
 *    ("Kazakhstan Temir Zholy (KTZ)" / "KTZ (Kazakhstan Temir Zholy)").
 */


import type { EntityMentionRef, EntityType, MergeReason, RawMention } from '../types';
import { acronymLetters, expansionWords, matchesAcronym } from './acronym';
import { releaseCountryMemo, resolveCountry } from './countries';
import { cleanSurface, cmp, keyTokens, looksLikeAcronym, matchKey } from './normalize';
import { intern, internDelivered, Memo, NONE, orNone, releaseSharedLists, sharedList } from './memo';
import { clusterForms, LINKER_VERSION, listAt, type LocalClusterEntry, type LinkerDocument, type LocalCluster, type LocalEdge, type LocalForm, type LocalResult } from './model';

/**
 * One form being built: the fields of the LocalForm it becomes (made at the end by `formOf`), and
 * what the rules need besides. Every draft is made by `newDraft` and its optional fields start as
 * `undefined`, so all drafts share one hidden class. (Forms built up in place got `variants` and
 * `country` part-way, four hidden classes, and every phase reading them was recompiled each
 * time it met one it had not seen.)
 */
interface Draft extends Omit<LocalForm, 'variants' | 'country' | 'mentions'> {
  /** LocalForm.mentions, always a list while the draft grows. */
  mentions: EntityMentionRef[];
  /** LocalForm.variants; undefined: none (every raw text is the surface). */
  variants: LocalForm['variants'];
  /** LocalForm.country; undefined: not a country. */
  country: LocalForm['country'];
  /** Position in `order` (extra parts split off a surname form are numbered after it). */
  index: number;
  /** Offsets of mentions (sorted), for nearest-antecedent decisions. */
  starts: number[];
  /** Distinct cleaned surfaces and how many mentions have each (parallel arrays; usually one). */
  surfaces: string[];
  surfaceCounts: number[];
  /** Distinct raw texts (first Surface seen for each) and their counts. */
  raws: Surface[];
  rawCounts: number[];
  /** Mentions whose tagger type was overruled by the article's type consensus. */
  retyped: Map<string, { text: string; detail: string }> | undefined;
}

function newDraft(
  type: EntityType,
  key: string,
  surface: string,
  join: string,
  tokens: string[],
  acronym: boolean,
  role: LocalForm['role'],
  merges: MergeReason[],
  mentions: EntityMentionRef[],
  country: LocalForm['country'],
  index: number,
  starts: number[],
  surfaces: string[],
  surfaceCounts: number[],
  raws: Surface[],
  rawCounts: number[],
): Draft {
  return { type, key, surface, join, tokens, acronym, role, merges, mentions, variants: undefined, country, index, starts, surfaces, surfaceCounts, raws, rawCounts, retyped: undefined };
}

/**
 * The LocalForm of a draft. Its keys are in the order the form always had (the fields, then
 * `variants` and `country` when present: they used to be added in that order), which is the
 * order they are packed and serialised in. Arrays are copied to their length: the result lives
 * as long as the document is indexed, and `push` leaves spare capacity (a one-element array
 * grown by push reserves 17 slots); an empty `merges` is the shared frozen array.
 */
function formOf(d: Draft): LocalForm {
  const { type, key, surface, join, tokens, acronym, role, variants, country } = d;
  const merges = d.merges.length > 0 ? d.merges.slice() : orNone(d.merges);
  // A lone mention is held without a list (see OneOrList).
  const mentions = d.mentions.length === 1 ? d.mentions[0] : d.mentions.slice();
  if (variants === undefined) {
    if (country === undefined) return { type, key, surface, join, tokens, acronym, role, merges, mentions };
    return { type, key, surface, join, tokens, acronym, role, merges, mentions, country };
  }
  if (country === undefined) return { type, key, surface, join, tokens, acronym, role, merges, mentions, variants };
  return { type, key, surface, join, tokens, acronym, role, merges, mentions, variants, country };
}

/** An in-document merge of one draft into another (LocalEdge by drafts). */
interface Edge {
  form: Draft;
  into: Draft;
  rule: MergeReason['rule'];
  detail: string;
}

/** Union-find over drafts, by their `index`. */
class UnionFind {
  readonly parent: number[] = [];

  constructor(n: number) {
    for (let i = 0; i < n; i++) this.parent.push(i);
  }

  find(i: number): number {
    const parent = this.parent;
    while (parent[i] !== i) i = parent[i] = parent[parent[i]];
    return i;
  }

  /** Puts a's set into b's. */
  union(a: number, b: number): void {
    const ra = this.find(a);
    this.parent[ra] = this.find(b);
  }

  /** A new singleton; its index. */
  add(): number {
    const i = this.parent.length;
    this.parent.push(i);
    return i;
  }
}

/**
 * The phases are separate functions rather than one body: the optimising compiler recompiles a
 * function whenever one of its rarely taken paths first runs, and one body of all the phases
 * (with what it inlined) cost 200–300 ms per recompilation, several times per worker.
 */
export function resolveDocument(doc: LinkerDocument): LocalResult {
  const sortedMentions = sortedByOffset(doc.mentions);
  const { mentions, cleaned, keys, retyped } = typeConsensus(sortedMentions);
  const order: Draft[] = [];
  const mentionDraft = buildDrafts(doc.uri, mentions, cleaned, keys, retyped, order);
  // Finish forms: surface = most frequent cleaned surface; variant merge reasons.
  for (const d of order) finishDraft(d);

  const uf = new UnionFind(order.length);
  const edges: Edge[] = [];
  const extraForms: Draft[] = [];
  // --- Acronyms: explicit definitions first (adjacent mentions "A (B)").
  const defined = acronymDefinitions(doc.text, mentions, mentionDraft); // long form → acronym keys defined for it
  const explicitPair = explicitPairs(doc.text, mentions, mentionDraft); // acronym form → long form
  acronymEdges(order, explicitPair, defined, uf, edges);
  // --- Surnames.
  surnameEdges(order, uf, edges, extraForms);

  // --- Assemble clusters in document order.
  // Every union comes with an edge: without edges each form is a cluster of its own.
  const clusters: LocalClusterEntry[] = [];
  if (edges.length === 0) for (const d of order) clusters.push(singleCluster(d, defined));
  else {
    for (const g of groupByRoot([...order, ...extraForms], uf)) clusters.push(g.length === 1 ? singleCluster(g[0], defined) : groupCluster(g, edges, defined));
  }
  const firstStart = (c: LocalClusterEntry) => listAt(listAt(clusterForms(c), 0)!.mentions, 0)!.start;
  clusters.sort((a, b) => firstStart(a) - firstStart(b));
  return { version: LINKER_VERSION, uri: doc.uri, clusters };
}

/** One draft per distinct (type, key), in order of first mention; returns each mention's draft. */
function buildDrafts(
  uri: string,
  mentions: RawMention[],
  cleanedAll: Surface[],
  keys: string[],
  retyped: ({ from: EntityType; detail: string } | undefined)[],
  order: Draft[],
): Draft[] {
  const drafts = new Map<string, Draft>();
  const mentionDraft: Draft[] = new Array(mentions.length);
  for (let mi = 0; mi < mentions.length; mi++) {
    const m = mentions[mi];
    const sf = cleanedAll[mi];
    const surface = sf.surface;
    const text = sf.text;
    let d = drafts.get(sf.id);
    if (!d) {
      // The type is the shared constant, not the (possibly cloned or deserialised) string of the mention.
      d = newDraft(TYPE_NAMES[TYPE_ORDER[m.type]], keys[mi], surface, '', sf.tokens, false, 'name', NONE as unknown as MergeReason[], [], undefined, order.length, [], [surface], [0], [sf], [0]);
      drafts.set(sf.id, d);
      order.push(d);
    }
    d.starts.push(m.start);
    d.mentions.push({ uri, start: m.start, end: m.end, text });
    let si = d.surfaces.indexOf(surface);
    if (si < 0) ((si = d.surfaces.length), d.surfaces.push(surface), d.surfaceCounts.push(0));
    d.surfaceCounts[si]++;
    let ri = 0;
    while (ri < d.raws.length && d.raws[ri].text !== text) ri++;
    if (ri === d.raws.length) (d.raws.push(sf), d.rawCounts.push(0));
    d.rawCounts[ri]++;
    if (sf.acronym) d.acronym = true;
    mentionDraft[mi] = d;
    const r = retyped[mi];
    // (`text`, the memo's copy, not the mention's: a slice of the article keeps the whole text alive.)
    if (r) (d.retyped ??= new Map()).set(`${r.from}\u0000${text}`, { text, detail: r.detail });
  }
  return mentionDraft;
}

/** The draft's surface (the most frequent cleaned one), variants, merge reasons, country and join key. */
function finishDraft(d: Draft): void {
  // (The surfaces and the raw forms' ids are interned by `surfaceOf`: not looked up again here.)
  d.surface = d.surfaces.length === 1 ? d.surfaces[0] : best(d.surfaces.map((s, i) => ({ s, n: d.surfaceCounts[i] })));
  const merges: MergeReason[] = [];
  if (d.raws.length === 1) {
    const text = d.raws[0].text;
    // Plain forms (every raw text is the surface) carry no variants list.
    if (text !== d.surface) {
      d.variants = [{ text, count: d.rawCounts[0] }];
      merges.push(rawReason(d.raws[0], d.surface));
    }
  } else {
    const vs = d.raws.map((sf, i) => ({ text: sf.text, count: d.rawCounts[i] }));
    d.variants = vs.sort((a, b) => b.count - a.count || cmp(a.text, b.text));
    for (const sf of d.raws.slice().sort((a, b) => cmp(a.text, b.text))) if (sf.text !== d.surface) merges.push(rawReason(sf, d.surface));
  }
  if (d.retyped) for (const r of d.retyped.values()) merges.push({ alias: r.text, into: d.surface, rule: 'type', detail: r.detail });
  if (merges.length > 0) d.merges = merges;
  if (d.type === 'place') {
    const c = resolveCountry(d.surface);
    if (c) d.country = c;
  }
  // A draft is made for the raw forms of one `id` (see buildDrafts), so the first one's is its own.
  d.join = d.country ? intern(`country\u0000${d.country.cca3}`) : d.raws[0].id;
}

/** Acronyms written in parentheses after a long form ("Kazakhstan Temir Zholy (KTZ)"), by long form. */
function acronymDefinitions(text: string, mentions: RawMention[], mentionDraft: Draft[]): Map<Draft, string[]> {
  const defined = new Map<Draft, string[]>();
  for (let i = 0; i < mentions.length; i++) {
    const m = mentions[i];
    const d = mentionDraft[i];
    if (d.type === 'person' || !parenAfter(text, m.end) || !words(d.surface)) continue;
    const after = text.slice(m.end, m.end + 20);
    const paren = /^\s*\(\s*([\p{Lu}][\p{L}\p{N}&.]{1,11})\s*\)/u.exec(after);
    if (paren && plausibleAcronymFor(paren[1], d.surface)) {
      const k = paren[1];
      const list = defined.get(d) ?? [];
      if (!list.includes(k)) list.push(k);
      defined.set(d, list);
    }
  }
  return defined;
}

/** Adjacent mentions "Long (ACR)" or "ACR (Long)": acronym form → long form. */
function explicitPairs(text: string, mentions: RawMention[], mentionDraft: Draft[]): Map<Draft, Draft> {
  const explicitPair = new Map<Draft, Draft>();
  for (let i = 0; i + 1 < mentions.length; i++) {
    const a = mentions[i];
    const b = mentions[i + 1];
    const da = mentionDraft[i];
    const db = mentionDraft[i + 1];
    if (da === db || da.type !== db.type || da.type === 'person' || !parenAfter(text, a.end)) continue;
    if (!/^\s*\(\s*$/.test(text.slice(a.end, b.start)) || !/^\s*\)/.test(text.slice(b.end, b.end + 4))) continue;
    // "Long (ACR)" or "ACR (Long)"
    const [short, long] = da.tokens.length === 1 && db.tokens.length > 1 ? [da, db] : db.tokens.length === 1 && da.tokens.length > 1 ? [db, da] : [null, null];
    if (short && long && !explicitPair.has(short) && plausibleAcronymFor(short.surface, long.surface)) explicitPair.set(short, long);
  }
  return explicitPair;
}

/** One-token non-person forms joined to the long form they abbreviate (explicit pair, else the one letter match or definition). */
function acronymEdges(order: Draft[], explicitPair: Map<Draft, Draft>, defined: Map<Draft, string[]>, uf: UnionFind, edges: Edge[]): void {
  let longs: LongForm[] | undefined;
  for (const d of order) {
    if (d.type === 'person' || d.tokens.length !== 1) continue;
    const explicit = explicitPair.get(d);
    let target: Draft | null = null;
    let detail = '';
    if (explicit) {
      target = explicit;
      detail = `defined in the article as "${explicit.surface} (${d.surface})"`;
    } else if (d.acronym) {
      target = acronymTarget((longs ??= longForms(order)), d, defined);
      if (target) {
        detail = isDefined(defined, target, d)
          ? `defined in the article as "${target.surface} (${d.surface})"`
          : `letters of "${target.surface}" in the same article`;
      }
    }
    if (target) {
      d.role = 'acronym';
      uf.union(d.index, target.index);
      edges.push({ form: d, into: target, rule: 'acronym', detail });
    }
  }
}

/** A form of two or more tokens, with its words for acronym matching once looked up (undefined before; once per article). */
interface LongForm {
  d: Draft;
  words: ReturnType<typeof expansionWords> | undefined;
}

/** The article's forms of two or more tokens, in `order`'s order: what an acronym may abbreviate. */
function longForms(order: Draft[]): LongForm[] {
  const out: LongForm[] = [];
  for (const o of order) if (o.tokens.length >= 2) out.push({ d: o, words: undefined });
  return out;
}

/** The one same-type long form that acronym-looking `d` abbreviates or is defined for; null when none or several. */
function acronymTarget(longs: LongForm[], d: Draft, defined: Map<Draft, string[]>): Draft | null {
  const letters = acronymLetters(d.surface);
  let hit: Draft | null = null;
  for (const f of longs) {
    const o = f.d;
    if (o === d || o.type !== d.type) continue;
    // (expansionWords gives null, never undefined, for a form without words to match.)
    if (f.words === undefined) f.words = words(o.surface);
    const w = f.words;
    if (d.country && o.country) continue;
    if ((w && matchesAcronym(letters, w)) || isDefined(defined, o, d)) {
      if (hit) return null;
      hit = o;
    }
  }
  return hit;
}

function isDefined(defined: Map<Draft, string[]>, long: Draft, short: Draft): boolean {
  return defined.get(long)?.some((t) => matchKey(t) === short.key) ?? false;
}

/** One-token person forms joined to the full name they are the surname (or family name) of. */
function surnameEdges(order: Draft[], uf: UnionFind, edges: Edge[], extraForms: Draft[]): void {
  let longPersons: LongPerson[] | undefined;
  const byLastToken = new Map<string, Draft[]>();
  for (const d of order) {
    if (d.type !== 'person' || d.tokens.length < 2) continue;
    const last = d.tokens[d.tokens.length - 1];
    const list = byLastToken.get(last) ?? [];
    list.push(d);
    byLastToken.set(last, list);
  }
  for (const d of order) {
    if (d.type !== 'person' || d.tokens.length !== 1 || d.acronym) continue;
    const cands = byLastToken.get(d.tokens[0]);
    if (!cands) {
      // Family name first ("Koo" → "Koo Hong-seok"): the first token of exactly one full name,
      // and no other full name has it as a whole word. A last-token match (above) wins.
      const full = familyNameOf(d.tokens[0], (longPersons ??= order.filter((o) => o.type === 'person' && o.tokens.length >= 2).map((o) => ({ d: o, wordKeys: undefined }))));
      if (full) {
        d.role = 'surname';
        uf.union(d.index, full.index);
        edges.push({ form: d, into: full, rule: 'surname', detail: `family name first: first name of "${full.surface}" in the same article` });
      }
      continue;
    }
    d.role = 'surname';
    if (cands.length === 1) {
      uf.union(d.index, cands[0].index);
      edges.push({ form: d, into: cands[0], rule: 'surname', detail: `surname of "${cands[0].surface}" in the same article` });
      continue;
    }
    splitSurname(d, cands, uf, edges, extraForms);
  }
}

/** Several full names share the surname of `d`: its mentions are split by nearest antecedent. */
function splitSurname(d: Draft, cands: Draft[], uf: UnionFind, edges: Edge[], extraForms: Draft[]): void {
  const parts = new Map<Draft, number[]>();
  d.mentions.forEach((_, mi) => {
    const at = d.starts[mi];
    let bestDraft: Draft | null = null;
    let bestPos = -1;
    for (const c of cands) {
      for (const s of c.starts) if (s < at && s > bestPos) ((bestPos = s), (bestDraft = c));
    }
    if (!bestDraft) {
      let firstAfter = Infinity;
      for (const c of cands) if (c.starts[0] > at && c.starts[0] < firstAfter) ((firstAfter = c.starts[0]), (bestDraft = c));
    }
    const list = parts.get(bestDraft!) ?? [];
    list.push(mi);
    parts.set(bestDraft!, list);
  });
  let first = true;
  for (const c of cands) {
    const mis = parts.get(c);
    if (!mis) continue;
    let part: Draft;
    if (first) {
      part = d;
      first = false;
    } else {
      part = splitDraft(d, mis, uf.add());
      extraForms.push(part);
    }
    uf.union(part.index, c.index);
    edges.push({ form: part, into: c, rule: 'surname', detail: `surname of "${c.surface}", nearest full name in the same article` });
  }
  // `d` keeps only the mentions of its own part.
  const own = [...parts.entries()].find(([c]) => c === cands.find((x) => parts.has(x)))![1];
  keepMentions(d, own);
}

function singleCluster(d: Draft, defined: Map<Draft, string[]>): LocalClusterEntry {
  const defs = defined.get(d);
  // Without an acronym defined for it, the form stands for its cluster (see LocalClusterEntry).
  if (!defs || defs.length === 0) return formOf(d);
  return { forms: formOf(d), anchor: 0, edges: NONE as unknown as LocalEdge[], definedAcronyms: defs.slice().sort(cmp) };
}

function groupCluster(g: Draft[], edges: Edge[], defined: Map<Draft, string[]>): LocalCluster {
  g.sort((a, b) => a.mentions[0].start - b.mentions[0].start || cmp(a.key, b.key));
  const pos = new Map(g.map((d, i) => [d, i]));
  const anchorCands = g.filter((d) => d.role === 'name');
  const anchor = (anchorCands.length > 0 ? anchorCands : g).reduce((a, b) => (better(b, a) ? b : a));
  const cEdges: LocalEdge[] = edges
    .filter((e) => pos.has(e.form))
    .map((e) => (e.detail ? { form: pos.get(e.form)!, into: pos.get(e.into)!, rule: e.rule, detail: intern(e.detail) } : { form: pos.get(e.form)!, into: pos.get(e.into)!, rule: e.rule }));
  const definedAcronyms = [...new Set(g.flatMap((d) => defined.get(d) ?? []))].sort(cmp);
  return { forms: g.map(formOf), anchor: pos.get(anchor)!, edges: orNone(cEdges), definedAcronyms: orNone(definedAcronyms) };
}

function groupByRoot(all: Draft[], uf: UnionFind): Iterable<Draft[]> {
  const groups = new Map<number, Draft[]>();
  for (const d of all) {
    const r = uf.find(d.index);
    const g = groups.get(r);
    if (g) g.push(d);
    else groups.set(r, [d]);
  }
  return groups.values();
}

function better(a: Draft, b: Draft): boolean {
  const na = a.mentions.length;
  const nb = b.mentions.length;
  if (a.tokens.length !== b.tokens.length) return a.tokens.length > b.tokens.length;
  if (na !== nb) return na > nb;
  if (a.surface.length !== b.surface.length) return a.surface.length > b.surface.length;
  return cmp(a.surface, b.surface) < 0;
}

/** Most frequent, then longest, then smallest by code units. */
export function best(items: { s: string; n: number }[]): string {
  let top = items[0];
  for (const it of items) {
    if (it.n > top.n || (it.n === top.n && (it.s.length > top.s.length || (it.s.length === top.s.length && cmp(it.s, top.s) < 0)))) top = it;
  }
  return top.s;
}

export function variantReason(alias: string, into: string): MergeReason {
  return alias.toLowerCase() === into.toLowerCase()
    ? { alias, into, rule: 'case', detail: 'differs only in letter case' }
    : { alias, into, rule: 'exact', detail: 'same name after removing punctuation and accents' };
}

/**
 * An explicit "Long (SHORT)" pairing is trusted when SHORT abbreviates Long by the matcher, or
 * SHORT looks like an acronym and starts with Long's first letter ("Samruk-Kazyna (SK)" is not
 * matched by letters alone but is plainly a definition). "Almaty region (Kazakhstan)" is not.
 */
function plausibleAcronymFor(short: string, long: string): boolean {
  const words = expansionWords(long);
  if (!words) return false;
  const letters = acronymLetters(short);
  if (matchesAcronym(letters, words)) return true;
  return looksLikeAcronym(short) && letters[0] === words[0].parts[0][0];
}

/**
 * A draft of the mentions `mentionIdx` of `d` (a person form: no country), with their variants
 * and merge reasons, numbered `index`.
 */
function splitDraft(d: Draft, mentionIdx: number[], index: number): Draft {
  const mentions = mentionIdx.map((i) => d.mentions[i]);
  const counts = new Map<string, number>();
  for (const m of mentions) counts.set(m.text, (counts.get(m.text) ?? 0) + 1);
  const merges = d.merges.filter((r) => counts.has(r.alias));
  const part = newDraft(d.type, d.key, d.surface, d.join, d.tokens, d.acronym, d.role, merges.length > 0 ? merges : (NONE as unknown as MergeReason[]), mentions, d.country, index, mentionIdx.map((i) => d.starts[i]), d.surfaces, d.surfaceCounts, d.raws, d.rawCounts);
  if (counts.size !== 1 || !counts.has(d.surface)) part.variants = [...counts].map(([text, count]) => ({ text, count })).sort((a, b) => b.count - a.count || cmp(a.text, b.text));
  return part;
}

/**
 * `d` becomes its part of its mentions (its role and the rest stay). Its `mentions` and `starts`
 * arrays (its own: nothing else holds them) are refilled rather than replaced: no other code
 * writes these fields, and the first write to a field that never changed makes the compiler
 * drop the code that read it as a constant.
 */
function keepMentions(d: Draft, mentionIdx: number[]): void {
  const split = splitDraft(d, mentionIdx, d.index);
  d.merges = split.merges;
  d.variants = split.variants;
  refill(d.mentions, split.mentions);
  refill(d.starts, split.starts);
}

function refill<T>(a: T[], from: readonly T[]): void {
  a.length = 0;
  for (const x of from) a.push(x);
}

/** The one multi-token person form whose first token is `token` and no other has it as a whole word (family-name-first order). */
function familyNameOf(token: string, persons: LongPerson[]): Draft | null {
  let hit: Draft | null = null;
  for (const p of persons) {
    const o = p.d;
    if (o.tokens[0] === token) {
      if (hit) return null;
      hit = o;
      continue;
    }
    // "Hong" is not a word of "Koo Hong-seok" (the given name is "Hong-seok").
    if ((p.wordKeys ??= wordKeysOf(o.surface)).includes(token)) return null;
  }
  return hit;
}

/** A person form of two or more tokens, with the match keys of its words once looked up (once per article). */
interface LongPerson {
  d: Draft;
  wordKeys: string[] | undefined;
}

/** Match keys of the whitespace-separated words of a surface (memoised). */
const wordKeys = new Memo<string[]>(40_000);
function wordKeysOf(surface: string): string[] {
  return wordKeys.get(surface, (s) => s.split(/\s+/).map(matchKey));
}

/** Is the next non-space character after `at` an opening parenthesis? */
function parenAfter(text: string, at: number): boolean {
  for (let i = at; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 40) return true; // (
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13 && c !== 160 && !/\s/.test(text[i])) return false;
  }
  return false;
}

/** `mentions` by (start, end, type); the input itself when already in that order. */
function sortedByOffset(mentions: RawMention[]): RawMention[] {
  const byOffset = (a: RawMention, b: RawMention) => a.start - b.start || a.end - b.end || cmp(a.type, b.type);
  for (let i = 1; i < mentions.length; i++) if (byOffset(mentions[i - 1], mentions[i]) > 0) return [...mentions].sort(byOffset);
  return mentions;
}

function rawReason(sf: Surface, into: string): MergeReason {
  if (sf.possessive) return { alias: sf.text, into, rule: 'possessive', detail: 'possessive ending removed' };
  if (sf.dropped) return { alias: sf.text, into, rule: 'exact', detail: sf.dropped };
  return variantReason(sf.text, into);
}

const TYPE_ORDER: Record<EntityType, number> = { event: 0, organization: 1, person: 2, place: 3 };
const TYPE_NAMES: EntityType[] = ['event', 'organization', 'person', 'place'];

/**
 * One type per name per article. Mentions with the same match key take the type of the strict
 * majority of them (by mentions; a tie changes nothing, so a city and a club of the same name
 * that are both mentioned once stay apart). Then a one-token person name and the one
 * multi-token name of another type ending in it (and no person name ending in it) are one name
 * by the surname rule: they take the majority type, ties going to the longer name. Retyped
 * mentions are cleaned again under their new type.
 */
function typeConsensus(input: RawMention[]): {
  mentions: RawMention[];
  cleaned: Surface[];
  keys: string[];
  retyped: ({ from: EntityType; detail: string } | undefined)[];
} {
  const n = input.length;
  const cleaned: Surface[] = new Array(n);
  const keys: string[] = new Array(n);
  const clean = (i: number, type: EntityType) => {
    const c = surfaceOf(input[i].text, type);
    cleaned[i] = c;
    keys[i] = c.key;
  };
  let byKey: Map<string, number[]> | null = null;
  const firstType = new Map<string, EntityType>();
  for (let i = 0; i < n; i++) {
    clean(i, input[i].type);
    const t = firstType.get(keys[i]);
    if (t === undefined) firstType.set(keys[i], input[i].type);
    else if (t !== input[i].type) (byKey ??= new Map()).set(keys[i], [0, 0, 0, 0]);
  }
  const retyped: ({ from: EntityType; detail: string } | undefined)[] = new Array(n);
  let mentions = input;
  const setType = (i: number, type: EntityType, detail: string) => {
    if (mentions === input) mentions = input.slice();
    retyped[i] = { from: input[i].type, detail: intern(detail) };
    mentions[i] = { ...input[i], type };
  };
  const counts = (v: number[]) =>
    [0, 1, 2, 3]
      .filter((t) => v[t] > 0)
      .map((t) => `${TYPE_NAMES[t]} ${v[t]}`)
      .join(', ');

  // 1. Same key, different types.
  if (byKey) {
    for (let i = 0; i < n; i++) {
      const v = byKey.get(keys[i]);
      if (v) v[TYPE_ORDER[input[i].type]]++;
    }
    for (let i = 0; i < n; i++) {
      const v = byKey.get(keys[i]);
      if (!v) continue;
      const w = uniqueMax(v);
      if (w < 0 || TYPE_NAMES[w] === input[i].type) continue;
      setType(i, TYPE_NAMES[w], `tagged ${input[i].type} here; one type per article: majority type ${TYPE_NAMES[w]} (mentions: ${counts(v)})`);
    }
  }

  // 2. A one-token person name and the one other-typed full name ending in it.
  const type = (i: number) => mentions[i].type;
  let shortPerson: Map<string, number[]> | null = null;
  for (let i = 0; i < n; i++) {
    if (type(i) !== 'person' || keys[i].includes(' ') || cleaned[i].acronym) continue;
    const list = (shortPerson ??= new Map()).get(keys[i]);
    if (list) list.push(i);
    else shortPerson.set(keys[i], [i]);
  }
  if (shortPerson) {
    const longByLast = new Map<string, { personal: boolean; keys: Set<string>; idx: number[] }>();
    for (let i = 0; i < n; i++) {
      const k = keys[i];
      const sp = k.lastIndexOf(' ');
      if (sp < 0) continue;
      const last = k.slice(sp + 1);
      if (!shortPerson.has(last)) continue;
      let e = longByLast.get(last);
      if (!e) longByLast.set(last, (e = { personal: false, keys: new Set(), idx: [] }));
      if (type(i) === 'person') e.personal = true;
      else {
        e.keys.add(`${type(i)}\u0000${k}`);
        e.idx.push(i);
      }
    }
    for (const [last, e] of longByLast) {
      if (e.personal || e.keys.size !== 1) continue;
      const shorts = shortPerson.get(last)!;
      const longType = type(e.idx[0]);
      const w = shorts.length > e.idx.length ? 'person' : longType; // ties: the longer name's type
      const v = [0, 0, 0, 0];
      v[TYPE_ORDER.person] = shorts.length;
      v[TYPE_ORDER[longType]] = e.idx.length;
      const name = cleaned[e.idx[0]].surface;
      const short = cleaned[shorts[0]].surface;
      const detail = (from: EntityType) =>
        `tagged ${from} here; "${short}" is the surname of "${name}" in the same article: majority type ${w} (mentions: ${counts(v)})`;
      for (const i of w === 'person' ? e.idx : shorts) setType(i, w, detail(type(i)));
    }
  }
  for (let i = 0; i < n; i++) if (retyped[i]) clean(i, mentions[i].type);
  return { mentions, cleaned, keys, retyped };
}

function uniqueMax(v: number[]): number {
  let w = -1;
  let top = 0;
  let tie = false;
  for (let t = 0; t < v.length; t++) {
    if (v[t] > top) ((top = v[t]), (w = t), (tie = false));
    else if (v[t] === top && top > 0) tie = true;
  }
  return tie ? -1 : w;
}

/** Everything about one raw mention text under one type that does not depend on the document (memoised). */
interface Surface {
  text: string;
  /** Cleaned display form (`cleanSurface`). */
  surface: string;
  key: string;
  /** `type\0key`. */
  id: string;
  tokens: string[];
  acronym: boolean;
  /** Article/title drops as a merge detail ('' when none). */
  dropped: string;
  possessive: boolean;
}

/**
 * Entries per type of the surface memo. At 20,000 generated articles the server's thread
 * resolves every article of a cold start's pass (the workers only analyse, see
 * `AnalysisJob.analyseOnly`): 50,000 a type missed about one look-up in nine, and each miss
 * cleaned the surface again and took its five or six strings through the intern pool;
 * with 200,000 resolving took about a fifth less (`bench/resolve-time.ts`), for about 60 MB
 * more while the pass lasts (the tables are emptied after it, see `releaseAnalyser`).
 */
export const SURFACE_MEMO_CAP = 200_000;
/**
 * The same in an analysis worker (limitWorkerCaches, worker/analysisJob.ts): it resolves only for
 * edits and for articles whose analysis was cached (a second start), and its heap counts in the
 * server's peak.
 */
export const WORKER_SURFACE_MEMO_CAP = 50_000;
const surfaces: Memo<Surface>[] = [0, 1, 2, 3].map(() => new Memo<Surface>(SURFACE_MEMO_CAP));

/** Sets the surface memo's cap per type (from its next turnover on). */
export function setSurfaceMemoCap(cap: number): void {
  for (const m of surfaces) m.setCap(cap);
}

/** How many surfaces the memo holds, all types together (tests). */
export function surfaceMemoSize(): number {
  return surfaces.reduce((n, m) => n + m.size, 0);
}

function surfaceOf(text: string, type: EntityType): Surface {
  return surfaces[TYPE_ORDER[type]].get(text, (t) => {
    const cleaned = cleanSurface(t, type);
    let key = matchKey(cleaned.surface);
    if (key === '') key = `#${t}`; // punctuation-only span: keep it, exact text only
    key = intern(key);
    let dropped = '';
    let possessive = false;
    for (const x of cleaned.dropped) {
      if (x.kind === 'possessive') possessive = true;
      else dropped += `${dropped ? '; ' : ''}${x.kind} "${x.text}" dropped`;
    }
    if (dropped) dropped = intern(dropped);
    // (`t` is the memo's own flat copy of the mention's text: pooled as it is, not copied again.)
    const text = internDelivered(t);
    return {
      text,
      surface: cleaned.surface === t ? text : intern(cleaned.surface),
      key,
      id: intern(`${type}\u0000${key}`),
      tokens: tokenList(key),
      acronym: looksLikeAcronym(cleaned.surface),
      dropped,
      possessive,
    };
  });
}

const expansions = new Memo<ReturnType<typeof expansionWords>>(40_000);

/**
 * A key's tokens: one array for every form of the key, in this article and the others, and
 * whichever thread resolved them (see sharedList).
 */
function tokenList(key: string): string[] {
  return sharedList(key.indexOf(' ') < 0 ? [key] : keyTokens(key).map(intern));
}

/** Empties the tables `resolveDocument` memoises (see releaseAnalyser); they fill again on use. */
export function releaseResolverMemos(): void {
  wordKeys.clear();
  for (const m of surfaces) m.clear();
  expansions.clear();
  releaseSharedLists();
  releaseCountryMemo();
}
function words(surface: string): ReturnType<typeof expansionWords> {
  return expansions.get(surface, expansionWords);
}
