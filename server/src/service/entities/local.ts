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

import type { EntityType, MergeReason, RawMention } from '../types';
import { acronymLetters, expansionWords, matchesAcronym } from './acronym';
import { resolveCountry } from './countries';
import { cleanSurface, cmp, keyTokens, looksLikeAcronym, matchKey, type CleanedSurface } from './normalize';
import { intern, Memo, NONE, orNone } from './memo';
import { LINKER_VERSION, type LinkerDocument, type LocalCluster, type LocalEdge, type LocalForm, type LocalResult } from './model';

interface Draft {
  form: LocalForm;
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
  retyped?: Map<string, { text: string; detail: string }>;
}

export function resolveDocument(doc: LinkerDocument): LocalResult {
  const sortedMentions = sortedByOffset(doc.mentions);
  const { mentions, cleaned: cleanedAll, keys, retyped } = typeConsensus(sortedMentions);
  const drafts = new Map<string, Draft>();
  const order: Draft[] = [];
  const mentionDraft: Draft[] = new Array(mentions.length);
  const uri = doc.uri;

  for (let mi = 0; mi < mentions.length; mi++) {
    const m = mentions[mi];
    const sf = cleanedAll[mi];
    const surface = sf.surface;
    const text = sf.text;
    let d = drafts.get(sf.id);
    if (!d) {
      d = {
        form: {
          // The shared constant, not the (possibly cloned or deserialised) string of the mention.
          type: TYPE_NAMES[TYPE_ORDER[m.type]],
          key: keys[mi],
          surface,
          join: '',
          tokens: sf.tokens,
          acronym: false,
          role: 'name',
          merges: NONE as unknown as MergeReason[],
          mentions: [],
        },
        index: order.length,
        starts: [],
        surfaces: [surface],
        surfaceCounts: [0],
        raws: [sf],
        rawCounts: [0],
      };
      drafts.set(sf.id, d);
      order.push(d);
    }
    d.starts.push(m.start);
    d.form.mentions.push({ uri, start: m.start, end: m.end, text });
    let si = d.surfaces.indexOf(surface);
    if (si < 0) ((si = d.surfaces.length), d.surfaces.push(surface), d.surfaceCounts.push(0));
    d.surfaceCounts[si]++;
    let ri = 0;
    while (ri < d.raws.length && d.raws[ri].text !== text) ri++;
    if (ri === d.raws.length) (d.raws.push(sf), d.rawCounts.push(0));
    d.rawCounts[ri]++;
    if (sf.acronym) d.form.acronym = true;
    mentionDraft[mi] = d;
    const r = retyped[mi];
    if (r) (d.retyped ??= new Map()).set(`${r.from}\u0000${m.text}`, { text: m.text, detail: r.detail });
  }

  // Finish forms: surface = most frequent cleaned surface; variant merge reasons.
  for (const d of order) {
    const f = d.form;
    f.surface = intern(d.surfaces.length === 1 ? d.surfaces[0] : best(d.surfaces.map((s, i) => ({ s, n: d.surfaceCounts[i] }))));
    const merges: MergeReason[] = [];
    if (d.raws.length === 1) {
      const text = d.raws[0].text;
      // Plain forms (every raw text is the surface) carry no variants list.
      if (text !== f.surface) {
        f.variants = [{ text, count: d.rawCounts[0] }];
        merges.push(rawReason(d.raws[0], f.surface));
      }
    } else {
      const vs = d.raws.map((sf, i) => ({ text: sf.text, count: d.rawCounts[i] }));
      f.variants = vs.sort((a, b) => b.count - a.count || cmp(a.text, b.text));
      for (const sf of d.raws.slice().sort((a, b) => cmp(a.text, b.text))) if (sf.text !== f.surface) merges.push(rawReason(sf, f.surface));
    }
    if (d.retyped) for (const r of d.retyped.values()) merges.push({ alias: r.text, into: f.surface, rule: 'type', detail: r.detail });
    if (merges.length > 0) f.merges = merges;
    if (f.type === 'place') {
      const c = resolveCountry(f.surface);
      if (c) f.country = c;
    }
    f.join = intern(f.country ? `country\u0000${f.country.cca3}` : id(f));
  }

  // Union-find over drafts (by index in `order`).
  const parent = order.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]];
    return i;
  };
  const edges: { form: Draft; into: Draft; rule: MergeReason['rule']; detail?: string }[] = [];
  const extraForms: Draft[] = [];

  // --- Acronyms: explicit definitions first (adjacent mentions "A (B)").
  const defined = new Map<Draft, string[]>(); // long form → acronym keys defined for it
  const explicitPair = new Map<Draft, Draft>(); // acronym form → long form
  for (let i = 0; i < mentions.length; i++) {
    const m = mentions[i];
    const d = mentionDraft[i];
    if (d.form.type === 'person' || !parenAfter(doc.text, m.end) || !words(d.form.surface)) continue;
    const after = doc.text.slice(m.end, m.end + 20);
    const paren = /^\s*\(\s*([\p{Lu}][\p{L}\p{N}&.]{1,11})\s*\)/u.exec(after);
    if (paren && plausibleAcronymFor(paren[1], d.form.surface)) {
      const k = paren[1];
      const list = defined.get(d) ?? [];
      if (!list.includes(k)) list.push(k);
      defined.set(d, list);
    }
  }
  for (let i = 0; i + 1 < mentions.length; i++) {
    const a = mentions[i];
    const b = mentions[i + 1];
    const da = mentionDraft[i];
    const db = mentionDraft[i + 1];
    if (da === db || da.form.type !== db.form.type || da.form.type === 'person' || !parenAfter(doc.text, a.end)) continue;
    if (!/^\s*\(\s*$/.test(doc.text.slice(a.end, b.start)) || !/^\s*\)/.test(doc.text.slice(b.end, b.end + 4))) continue;
    // "Long (ACR)" or "ACR (Long)"
    const [short, long] = da.form.tokens.length === 1 && db.form.tokens.length > 1 ? [da, db] : db.form.tokens.length === 1 && da.form.tokens.length > 1 ? [db, da] : [null, null];
    if (short && long && !explicitPair.has(short) && plausibleAcronymFor(short.form.surface, long.form.surface)) explicitPair.set(short, long);
  }
  for (const d of order) {
    if (d.form.type === 'person' || d.form.tokens.length !== 1) continue;
    const explicit = explicitPair.get(d);
    let target: Draft | null = null;
    let detail = '';
    if (explicit) {
      target = explicit;
      detail = `defined in the article as "${explicit.form.surface} (${d.form.surface})"`;
    } else if (d.form.acronym) {
      const letters = acronymLetters(d.form.surface);
      const hits = order.filter((o) => {
        if (o === d || o.form.type !== d.form.type || o.form.tokens.length < 2) return false;
        const w = words(o.form.surface);
        if (d.form.country && o.form.country) return false;
        return (w && matchesAcronym(letters, w)) || isDefined(o, d);
      });
      if (hits.length === 1) {
        target = hits[0];
        detail = isDefined(target, d)
          ? `defined in the article as "${target.form.surface} (${d.form.surface})"`
          : `letters of "${target.form.surface}" in the same article`;
      }
    }
    if (target) {
      d.form.role = 'acronym';
      parent[find(d.index)] = find(target.index);
      edges.push({ form: d, into: target, rule: 'acronym', detail });
    }
  }

  function isDefined(long: Draft, short: Draft): boolean {
    return defined.get(long)?.some((t) => matchKey(t) === short.form.key) ?? false;
  }

  // --- Surnames.
  let longPersons: Draft[] | undefined;
  const byLastToken = new Map<string, Draft[]>();
  for (const d of order) {
    if (d.form.type !== 'person' || d.form.tokens.length < 2) continue;
    const last = d.form.tokens[d.form.tokens.length - 1];
    const list = byLastToken.get(last) ?? [];
    list.push(d);
    byLastToken.set(last, list);
  }
  for (const d of order) {
    if (d.form.type !== 'person' || d.form.tokens.length !== 1 || d.form.acronym) continue;
    const cands = byLastToken.get(d.form.tokens[0]);
    if (!cands) {
      // Family name first ("Koo" → "Koo Hong-seok"): the first token of exactly one full name,
      // and no other full name has it as a whole word. A last-token match (above) wins.
      const full = familyNameOf(d.form.tokens[0], (longPersons ??= order.filter((o) => o.form.type === 'person' && o.form.tokens.length >= 2)));
      if (full) {
        d.form.role = 'surname';
        parent[find(d.index)] = find(full.index);
        edges.push({ form: d, into: full, rule: 'surname', detail: `family name first: first name of "${full.form.surface}" in the same article` });
      }
      continue;
    }
    d.form.role = 'surname';
    if (cands.length === 1) {
      parent[find(d.index)] = find(cands[0].index);
      edges.push({ form: d, into: cands[0], rule: 'surname', detail: `surname of "${cands[0].form.surface}" in the same article` });
      continue;
    }
    // Several full names share the surname: split the form's mentions by nearest antecedent.
    const parts = new Map<Draft, number[]>();
    d.form.mentions.forEach((_, mi) => {
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
        part = splitDraft(d, mis);
        extraForms.push(part);
        part.index = parent.length;
        parent.push(parent.length);
      }
      parent[find(part.index)] = find(c.index);
      edges.push({ form: part, into: c, rule: 'surname', detail: `surname of "${c.form.surface}", nearest full name in the same article` });
    }
    // `d` keeps only the mentions of its own part.
    const own = [...parts.entries()].find(([c]) => c === cands.find((x) => parts.has(x)))![1];
    keepMentions(d, own);
  }

  // --- Assemble clusters in document order.
  // Every union comes with an edge: without edges each form is a cluster of its own.
  const groups: Iterable<Draft | Draft[]> = edges.length === 0 ? order : groupByRoot([...order, ...extraForms], find);
  const clusters: LocalCluster[] = [];
  for (const g of groups) {
    if (!Array.isArray(g) || g.length === 1) {
      const d = Array.isArray(g) ? g[0] : g;
      const defs = defined.get(d);
      clusters.push({ forms: [d.form], anchor: 0, edges: NONE as unknown as LocalEdge[], definedAcronyms: defs ? defs.slice().sort(cmp) : (NONE as unknown as string[]) });
      continue;
    }
    g.sort((a, b) => a.form.mentions[0].start - b.form.mentions[0].start || cmp(a.form.key, b.form.key));
    const pos = new Map(g.map((d, i) => [d, i]));
    const anchorCands = g.filter((d) => d.form.role === 'name');
    const anchor = (anchorCands.length > 0 ? anchorCands : g).reduce((a, b) => (better(b, a) ? b : a));
    const cEdges: LocalEdge[] = edges
      .filter((e) => pos.has(e.form))
      .map((e) => ({ form: pos.get(e.form)!, into: pos.get(e.into)!, rule: e.rule, ...(e.detail ? { detail: e.detail } : {}) }));
    const definedAcronyms = [...new Set(g.flatMap((d) => defined.get(d) ?? []))].sort(cmp);
    clusters.push({ forms: g.map((d) => d.form), anchor: pos.get(anchor)!, edges: cEdges, definedAcronyms });
  }
  clusters.sort((a, b) => a.forms[0].mentions[0].start - b.forms[0].mentions[0].start);
  // The result lives as long as the document is indexed: drop the spare capacity that `push`
  // leaves in every array (a one-element array grown by push reserves 17 slots).
  // Empty arrays are replaced by one shared frozen array (nothing mutates a LocalResult).
  for (const c of clusters) {
    c.edges = orNone(c.edges);
    c.definedAcronyms = orNone(c.definedAcronyms);
    for (const f of c.forms) {
      f.mentions = f.mentions.slice();
      f.merges = f.merges.length > 0 ? f.merges.slice() : orNone(f.merges);
    }
  }
  return { version: LINKER_VERSION, uri: doc.uri, clusters };
}

function groupByRoot(all: Draft[], find: (i: number) => number): Iterable<Draft[]> {
  const groups = new Map<number, Draft[]>();
  for (const d of all) {
    const r = find(d.index);
    const g = groups.get(r);
    if (g) g.push(d);
    else groups.set(r, [d]);
  }
  return groups.values();
}

function id(f: LocalForm): string {
  return `${f.type}\u0000${f.key}`;
}

function better(a: Draft, b: Draft): boolean {
  const na = a.form.mentions.length;
  const nb = b.form.mentions.length;
  if (a.form.tokens.length !== b.form.tokens.length) return a.form.tokens.length > b.form.tokens.length;
  if (na !== nb) return na > nb;
  if (a.form.surface.length !== b.form.surface.length) return a.form.surface.length > b.form.surface.length;
  return cmp(a.form.surface, b.form.surface) < 0;
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

function splitDraft(d: Draft, mentionIdx: number[]): Draft {
  const mentions = mentionIdx.map((i) => d.form.mentions[i]);
  const counts = new Map<string, number>();
  for (const m of mentions) counts.set(m.text, (counts.get(m.text) ?? 0) + 1);
  const merges = d.form.merges.filter((r) => counts.has(r.alias));
  // Rest-spread rather than `delete` (which would turn the form into a slow dictionary object).
  const { variants: _, ...rest } = d.form;
  const form: LocalForm = { ...rest, mentions, merges: merges.length > 0 ? merges : (NONE as unknown as MergeReason[]) };
  if (counts.size !== 1 || !counts.has(d.form.surface)) form.variants = [...counts].map(([text, count]) => ({ text, count })).sort((a, b) => b.count - a.count || cmp(a.text, b.text));
  return {
    form,
    index: -1,
    starts: mentionIdx.map((i) => d.starts[i]),
    surfaces: d.surfaces,
    surfaceCounts: d.surfaceCounts,
    raws: d.raws,
    rawCounts: d.rawCounts,
  };
}

function keepMentions(d: Draft, mentionIdx: number[]): void {
  const split = splitDraft(d, mentionIdx);
  // Nothing holds `d.form` but the draft itself yet: replace it (its role is carried over).
  d.form = split.form;
  d.starts = split.starts;
}

/** The one multi-token person form whose first token is `token` and no other has it as a whole word (family-name-first order). */
function familyNameOf(token: string, persons: Draft[]): Draft | null {
  let hit: Draft | null = null;
  for (const o of persons) {
    const f = o.form;
    if (f.tokens[0] === token) {
      if (hit) return null;
      hit = o;
      continue;
    }
    // "Hong" is not a word of "Koo Hong-seok" (the given name is "Hong-seok").
    if (wordKeysOf(f.surface).includes(token)) return null;
  }
  return hit;
}

/** Match keys of the whitespace-separated words of a surface (memoised). */
const wordKeys = new Memo<string[]>(100_000);
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
    retyped[i] = { from: input[i].type, detail };
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

const surfaces: Memo<Surface>[] = [0, 1, 2, 3].map(() => new Memo<Surface>(200_000));

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
    const text = intern(t);
    return {
      text,
      surface: cleaned.surface === t ? text : cleaned.surface,
      key,
      id: intern(`${type}\u0000${key}`),
      tokens: key.indexOf(' ') < 0 ? [key] : keyTokens(key).map(intern),
      acronym: looksLikeAcronym(cleaned.surface),
      dropped,
      possessive,
    };
  });
}

const expansions = new Memo<ReturnType<typeof expansionWords>>(100_000);
function words(surface: string): ReturnType<typeof expansionWords> {
  return expansions.get(surface, expansionWords);
}
