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
import { intern, Memo, orNone } from './memo';
import { LINKER_VERSION, type LinkerDocument, type LocalCluster, type LocalEdge, type LocalForm, type LocalResult } from './model';

interface Draft {
  form: LocalForm;
  /** Offsets of mentions (sorted), for nearest-antecedent decisions. */
  starts: number[];
  surfaceCounts: Map<string, number>;
  rawVariants: Map<string, { count: number; surface: string; dropped: string[]; possessive: boolean }>;
  /** Mentions whose tagger type was overruled by the article's type consensus. */
  retyped?: Map<string, { text: string; detail: string }>;
}

export function resolveDocument(doc: LinkerDocument): LocalResult {
  const sortedMentions = [...doc.mentions].sort((a, b) => a.start - b.start || a.end - b.end || cmp(a.type, b.type));
  const { mentions, cleaned: cleanedAll, keys, retyped } = typeConsensus(sortedMentions);
  const drafts = new Map<string, Draft>();
  const order: Draft[] = [];
  const mentionDraft: Draft[] = [];

  for (let mi = 0; mi < mentions.length; mi++) {
    const m = mentions[mi];
    const sf = cleanedAll[mi];
    const cleaned = sf.cleaned;
    const key = keys[mi];
    const id = sf.id;
    const text = sf.text;
    let d = drafts.get(id);
    if (!d) {
      d = {
        form: {
          type: m.type,
          key,
          surface: cleaned.surface,
          join: '',
          tokens: sf.tokens,
          acronym: false,
          role: 'name',
          plain: false,
          variants: [],
          merges: [],
          mentions: [],
        },
        starts: [],
        surfaceCounts: new Map(),
        rawVariants: new Map(),
      };
      drafts.set(id, d);
      order.push(d);
    }
    d.starts.push(m.start);
    d.form.mentions.push({ uri: doc.uri, start: m.start, end: m.end, text });
    d.surfaceCounts.set(cleaned.surface, (d.surfaceCounts.get(cleaned.surface) ?? 0) + 1);
    const v = d.rawVariants.get(text);
    if (v) v.count++;
    else d.rawVariants.set(text, { count: 1, surface: cleaned.surface, dropped: sf.dropped, possessive: sf.possessive });
    if (sf.acronym) d.form.acronym = true;
    mentionDraft.push(d);
    const r = retyped[mi];
    if (r) (d.retyped ??= new Map()).set(`${r.from}\u0000${m.text}`, { text: m.text, detail: r.detail });
  }

  // Finish forms: surface = most frequent cleaned surface; variant merge reasons.
  for (const d of order) {
    const f = d.form;
    f.surface = intern(d.surfaceCounts.size === 1 ? d.surfaceCounts.keys().next().value! : best([...d.surfaceCounts].map(([s, n]) => ({ s, n }))));
    f.variants = [...d.rawVariants].map(([text, v]) => ({ text, count: v.count })).sort((a, b) => b.count - a.count || cmp(a.text, b.text));
    f.plain = f.variants.length === 1 && f.variants[0].text === f.surface;
    for (const [text, v] of [...d.rawVariants].sort((a, b) => cmp(a[0], b[0]))) {
      if (text === f.surface) continue;
      if (v.possessive) f.merges.push({ alias: text, into: f.surface, rule: 'possessive', detail: 'possessive ending removed' });
      else if (v.dropped.length > 0) f.merges.push({ alias: text, into: f.surface, rule: 'exact', detail: v.dropped.join('; ') });
      else f.merges.push(variantReason(text, f.surface));
    }
    if (d.retyped) for (const r of d.retyped.values()) f.merges.push({ alias: r.text, into: f.surface, rule: 'type', detail: r.detail });
    if (f.type === 'place') {
      const c = resolveCountry(f.surface);
      if (c) f.country = c;
    }
    f.join = intern(f.country ? `country\u0000${f.country.cca3}` : id(f));
  }

  // Union-find over drafts (by index in `order`).
  const idx = new Map<Draft, number>(order.map((d, i) => [d, i]));
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
    if (d.form.type === 'person' || !words(d.form.surface)) continue;
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
    if (da === db || da.form.type !== db.form.type || da.form.type === 'person') continue;
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
      parent[find(idx.get(d)!)] = find(idx.get(target)!);
      edges.push({ form: d, into: target, rule: 'acronym', detail });
    }
  }

  function isDefined(long: Draft, short: Draft): boolean {
    return defined.get(long)?.some((t) => matchKey(t) === short.form.key) ?? false;
  }

  // --- Surnames.
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
      const full = familyNameOf(d.form.tokens[0], order);
      if (full) {
        d.form.role = 'surname';
        parent[find(idx.get(d)!)] = find(idx.get(full)!);
        edges.push({ form: d, into: full, rule: 'surname', detail: `family name first: first name of "${full.form.surface}" in the same article` });
      }
      continue;
    }
    d.form.role = 'surname';
    if (cands.length === 1) {
      parent[find(idx.get(d)!)] = find(idx.get(cands[0])!);
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
        idx.set(part, parent.length);
        parent.push(parent.length);
      }
      parent[find(idx.get(part)!)] = find(idx.get(c)!);
      edges.push({ form: part, into: c, rule: 'surname', detail: `surname of "${c.form.surface}", nearest full name in the same article` });
    }
    // `d` keeps only the mentions of its own part.
    const own = [...parts.entries()].find(([c]) => c === cands.find((x) => parts.has(x)))![1];
    keepMentions(d, own);
  }

  // --- Assemble clusters in document order.
  const all = [...order, ...extraForms];
  const groups = new Map<number, Draft[]>();
  for (const d of all) {
    const r = find(idx.get(d)!);
    const g = groups.get(r) ?? [];
    g.push(d);
    groups.set(r, g);
  }
  const clusters: LocalCluster[] = [];
  for (const g of groups.values()) {
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
  return {
    form: {
      ...d.form,
      mentions,
      variants: [...counts].map(([text, count]) => ({ text, count })).sort((a, b) => b.count - a.count || cmp(a.text, b.text)),
      plain: counts.size === 1 && counts.has(d.form.surface),
      merges: d.form.merges.filter((r) => counts.has(r.alias)),
    },
    starts: mentionIdx.map((i) => d.starts[i]),
    surfaceCounts: d.surfaceCounts,
    rawVariants: d.rawVariants,
  };
}

function keepMentions(d: Draft, mentionIdx: number[]): void {
  const split = splitDraft(d, mentionIdx);
  d.form.mentions = split.form.mentions;
  d.form.variants = split.form.variants;
  d.form.plain = split.form.plain;
  d.form.merges = split.form.merges;
  d.starts = split.starts;
}

/** The one multi-token person form whose first token is `token` and no other has it as a whole word (family-name-first order). */
function familyNameOf(token: string, order: Draft[]): Draft | null {
  let hit: Draft | null = null;
  for (const o of order) {
    const f = o.form;
    if (f.type !== 'person' || f.tokens.length < 2) continue;
    if (f.tokens[0] === token) {
      if (hit) return null;
      hit = o;
      continue;
    }
    // "Hong" is not a word of "Koo Hong-seok" (the given name is "Hong-seok").
    for (const w of f.surface.split(/\s+/)) if (matchKey(w) === token) return null;
  }
  return hit;
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
      const name = cleaned[e.idx[0]].cleaned.surface;
      const short = cleaned[shorts[0]].cleaned.surface;
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
  cleaned: CleanedSurface;
  key: string;
  /** `type\0key`. */
  id: string;
  tokens: string[];
  acronym: boolean;
  dropped: string[];
  possessive: boolean;
}

const surfaces: Memo<Surface>[] = [0, 1, 2, 3].map(() => new Memo<Surface>(200_000));

function surfaceOf(text: string, type: EntityType): Surface {
  return surfaces[TYPE_ORDER[type]].get(text, (t) => {
    const cleaned = cleanSurface(t, type);
    let key = matchKey(cleaned.surface);
    if (key === '') key = `#${t}`; // punctuation-only span: keep it, exact text only
    key = intern(key);
    return {
      text: intern(t),
      cleaned,
      key,
      id: intern(`${type}\u0000${key}`),
      tokens: keyTokens(key).map(intern),
      acronym: looksLikeAcronym(cleaned.surface),
      dropped: cleaned.dropped.filter((x) => x.kind !== 'possessive').map((x) => `${x.kind} "${x.text}" dropped`),
      possessive: cleaned.dropped.some((x) => x.kind === 'possessive'),
    };
  });
}

const expansions = new Memo<ReturnType<typeof expansionWords>>(100_000);
function words(surface: string): ReturnType<typeof expansionWords> {
  return expansions.get(surface, expansionWords);
}
