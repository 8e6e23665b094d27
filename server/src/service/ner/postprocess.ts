/**
 * Turns the tagger's typed token spans into mentions under Sourcelens' mention conventions:
 *  - MISC becomes `event` when its head word is an event noun (Expo, Summit, Forum, …), and a
 *    capitalised name headed by an event noun is an event even where the tagger split it;
 *    other MISC (nationalities, languages, …) is dropped;
 *  - the bare name: no leading "The", no trailing possessive, no titles before person names;
 *  - single nationality adjectives (from the demonym gazetteer) are not entities.
 */
import type { EntityType, RawMention } from '../types';
import type { Token } from './tokenizer';
import type { TokenSpan } from './tagger';
import type { Gazetteer } from './gazetteer';
import type { WordInfo } from './features';
import { wordGazetteer, GAZ_PREFIX } from './fast';

/** Head nouns that make a name an event (a named occasion rather than a body or place). */
export const EVENT_NOUNS = new Set([
  'expo', 'exposition', 'summit', 'forum', 'congress', 'conference', 'games', 'olympics', 'olympiad', 'paralympics',
  'exercise', 'exercises', 'drill', 'drills', 'festival', 'fair', 'week', 'championship', 'championships', 'cup',
  'tournament', 'open', 'marathon', 'biennale', 'biennial', 'exhibition', 'show', 'roadshow', 'convention', 'symposium',
  'dialogue', 'talks', 'meeting', 'assembly', 'session', 'war', 'revolution', 'election', 'elections', 'grand prix', 'rally',
]);
/** Event heads that are too often the name of a standing body to flip a tagger ORG span. */
const WEAK_FOR_ORG = new Set(['conference', 'congress', 'assembly', 'convention', 'open', 'show', 'session', 'meeting', 'dialogue', 'talks', 'week', 'cup', 'war', 'revolution', 'election', 'elections', 'rally']);
/** Event heads strong enough to build an event from capitalised words the tagger did not mark. */
const RULE_HEADS = new Set(['expo', 'exposition', 'summit', 'forum', 'congress', 'festival', 'fair', 'olympics', 'olympiad', 'games', 'championship', 'championships', 'exercise', 'exercises', 'biennale', 'roadshow', 'symposium', 'exhibition', 'cup']);

/** Words that precede a person's name as a title or office and are not part of the name. */
export const TITLES = new Set([
  'mr', 'mrs', 'ms', 'miss', 'mx', 'dr', 'prof', 'professor', 'sir', 'dame', 'lord', 'lady', 'madam', 'madame', 'monsieur', 'herr',
  'president', 'vice', 'deputy', 'acting', 'former', 'prime', 'minister', 'ministers', 'secretary', 'general', 'gen', 'ambassador',
  'envoy', 'director', 'director-general', 'chairman', 'chairwoman', 'chair', 'chief', 'executive', 'ceo', 'governor', 'gov', 'mayor',
  'senator', 'sen', 'rep', 'representative', 'congressman', 'congresswoman', 'judge', 'justice', 'king', 'queen', 'prince', 'princess',
  'emir', 'sheikh', 'pope', 'cardinal', 'bishop', 'archbishop', 'rev', 'reverend', 'father', 'rabbi', 'imam', 'ayatollah',
  'captain', 'capt', 'colonel', 'col', 'lieutenant', 'lt', 'major', 'maj', 'sergeant', 'sgt', 'admiral', 'adm', 'commander',
  'marshal', 'premier', 'chancellor', 'foreign', 'defence', 'defense', 'finance', 'interior', 'trade', 'state', 'spokesman',
  'spokeswoman', 'coach', 'manager', 'striker', 'midfielder', 'defender', 'goalkeeper', 'extraordinary', 'plenipotentiary',
  'consul', 'head', 'leader', 'president-elect', 'attorney', 'officer', 'founder', 'presidents', 'ambassadors', 'first', 'lady',
]);

const ARTICLES = new Set(['the']);
const BODY_NOUNS = new Set([
  'consulate', 'consulate-general', 'embassy', 'ministry', 'parliament', 'council', 'bank', 'university', 'institute', 'academy',
  'chamber', 'commission', 'committee', 'agency', 'department', 'court', 'mission', 'army', 'forces', 'navy', 'directorate',
]);
const CREDIT_WORDS = new Set(['photo', 'photos', 'image', 'images', 'picture', 'video', 'source', 'credit', 'graphic', 'illustration']);
const GEO_FEATURES = new Set(['peninsula', 'sea', 'gulf', 'strait', 'straits', 'mountains', 'basin', 'desert', 'river', 'lake', 'islands', 'coast', 'plateau', 'steppe', 'highlands', 'plain', 'bay']);
/** Merge any organisation name directly after a place name into it ("Kazakhstan" + "Temir Zholy"). */
const MERGE_ANY_ORG = process.env.NER_MERGE_ANY_ORG === '1'; // off: costs ~2 ORG F1 points on CoNLL
const PORTFOLIO_PREP = new Set(['of', 'for']);
const OFFICES = new Set(['minister', 'ministers', 'secretary', 'secretaries', 'commissioner', 'undersecretary', 'under-secretary', 'minister-counsellor']);
const POSSESSIVE = new Set(["'s", "'"]);
const CONNECTORS = new Set(['of', 'and', 'for', 'on', '&', 'de', 'the']);
const YEAR = /^(?:19|20)\d\d$/;
const NAME_YEAR = /^\p{Lu}[\p{L}\p{M}]+-(?:19|20)\d\d$/u;

function lowerNoDot(t: Token): string {
  return noDot(t.norm.toLowerCase());
}
/** `l` without one final period. */
function noDot(l: string): string {
  return l.charCodeAt(l.length - 1) === 46 ? l.slice(0, -1) : l;
}
function isAsciiAlnum(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}
function isCap(t: Token): boolean {
  const c = t.norm.charAt(0);
  return c !== c.toLowerCase();
}

/** Is the span starting at s the portfolio of an office ("Minister of Industry and [Construction]")? */
function isPortfolio(tokens: Token[], s: number): boolean {
  let k = s - 1;
  while (k >= 1 && !tokens[k + 1].sentStart) {
    const l = tokens[k].norm.toLowerCase();
    if (PORTFOLIO_PREP.has(l)) return OFFICES.has(lowerNoDot(tokens[k - 1]));
    if (isCap(tokens[k]) || l === 'and' || l === '&' || l === ',') k--;
    else return false;
  }
  return false;
}

interface Span {
  s: number;
  e: number;
  type: EntityType | 'misc';
}

/** Head word of a span: last word before the first "of"/"on"/"for", ignoring a trailing year. */
function headIndex(tokens: Token[], s: number, e: number): number {
  for (let i = s + 1; i < e; i++) {
    const l = tokens[i].norm.toLowerCase();
    if (l === 'of' || l === 'on' || l === 'for') return i - 1;
  }
  let h = e - 1;
  while (h > s && (YEAR.test(tokens[h].norm) || /^\d+(st|nd|rd|th)?$/.test(tokens[h].norm))) h--;
  return h;
}

function isEventHead(tokens: Token[], s: number, e: number, strong: boolean): boolean {
  const h = headIndex(tokens, s, e);
  const w = lowerNoDot(tokens[h]);
  if (!EVENT_NOUNS.has(w)) return false;
  if (strong && WEAK_FOR_ORG.has(w)) return false;
  return e - s >= 2 || !strong;
}

/**
 * What the steps of `toMentions` read about the document. One object of one class per call, its
 * fields always set in the same order, so every step sees one hidden class.
 */
class Doc {
  constructor(
    readonly text: string,
    readonly tokens: Token[],
    readonly n: number,
    /** per token: lower-cased form */
    readonly lower: string[],
    /** per token: 1 when it starts with a capital (isCap) */
    readonly capA: Uint8Array,
    /** nextCap[i] = first capitalised token at or after i (n if none): the rule loops only start at capitals */
    readonly nextCap: Int32Array,
    readonly gaz: Gazetteer | null,
    readonly infos: WordInfo[] | undefined,
  ) {}
}

const PLACE_BITS = 1 | (1 << 2) | (1 << 3) | (1 << 4) | (1 << 5);

function byStart(a: Span, b: Span): number {
  return a.s - b.s;
}

function gazMask(d: Doc, i: number): number {
  const gaz = d.gaz;
  return gaz ? (d.infos ? wordGazetteer(d.infos[i], gaz) & ~GAZ_PREFIX : gaz.phrases.get(d.lower[i]) ?? 0) : 0;
}

/**
 * `infos` (optional) are the tokens' word records from the tagger (`wordInfo(token.norm)`); they
 * only save recomputing lower-case forms and capitalisation.
 *
 * The steps are separate functions rather than one body: the optimising compiler recompiles a
 * function whenever one of its rarely taken paths first runs, and a single body of all the steps
 * (with what it inlined) cost 150–250 ms per recompilation, several times per worker.
 */
export function toMentions(text: string, tokens: Token[], spans: TokenSpan[], gaz: Gazetteer | null, infos?: WordInfo[]): RawMention[] {
  const n = tokens.length;
  const lower: string[] = new Array(n);
  const capA = new Uint8Array(n);
  if (infos) {
    for (let i = 0; i < n; i++) {
      const w = infos[i];
      lower[i] = w.lower;
      capA[i] = w.initCap ? 1 : 0;
    }
  } else {
    for (let i = 0; i < n; i++) {
      lower[i] = tokens[i].norm.toLowerCase();
      capA[i] = isCap(tokens[i]) ? 1 : 0;
    }
  }
  const nextCap = new Int32Array(n + 2).fill(n);
  for (let i = n - 1; i >= 0; i--) nextCap[i] = capA[i] ? i : nextCap[i + 1];
  const d = new Doc(text, tokens, n, lower, capA, nextCap, gaz, infos);

  // 1. the tagged spans, events among them
  let work = workSpans(tokens, spans);
  // 2. rule-built events: capitalised words headed by a strong event noun, e.g. "Drone Expo 2024"
  const ruleSpans = ruleEvents(d);
  if (ruleSpans.length) work = withRuleSpans(work, ruleSpans);
  // 3. "Consulate General of Germany", "Ministry of Defense of Azerbaijan"
  work = countryBodies(tokens, work);
  work.sort(byStart);
  // 4. "Kazakh Embassy", "South Korean Embassy"
  if (gaz) {
    work = nationalBodies(d, gaz, work);
    work.sort(byStart);
  }
  // 5. "Kazakhstan" + "Institute for Strategic Studies"
  placeBeforeBody(tokens, work);
  // 6. newspapers named "Times of <place>"; "Korean Peninsula"
  work = timesOf(d, work);
  if (gaz) work = geoFeatures(d, work);
  work.sort(byStart);
  // 7. name-year tokens the tagger missed ("Birlestik-2024")
  nameYears(tokens, work);
  work.sort(byStart);
  return emitMentions(d, work);
}

/**
 * The tagger's spans under this module's types; MISC headed by an event noun, and ORG headed by a
 * strong one, are events, and so is a lone MISC name-year token. Spans are never changed once
 * made (the steps replace them): the first write to a field of objects of a hidden class makes
 * the compiler drop all code that took the field for constant, and a rare step writing one
 * (late in a run) threw away every step's optimised code at once.
 */
function workSpans(tokens: Token[], spans: TokenSpan[]): Span[] {
  const work: Span[] = [];
  for (let k = 0; k < spans.length; k++) {
    const { s, e, type: t } = spans[k];
    let type: Span['type'] = t === 'PER' ? 'person' : t === 'ORG' ? 'organization' : t === 'LOC' ? 'place' : 'misc';
    if (type === 'misc' && isEventHead(tokens, s, e, false)) type = 'event';
    else if (type === 'organization' && isEventHead(tokens, s, e, true)) type = 'event';
    else if (type === 'misc' && e - s === 1 && NAME_YEAR.test(tokens[s].norm)) type = 'event';
    work.push({ s, e, type });
  }
  return work;
}

/** Capitalised words headed by a strong event noun ("Drone Expo 2024"), whether tagged or not. */
function ruleEvents(d: Doc): Span[] {
  const { tokens, n, lower, capA, nextCap } = d;
  const ruleSpans: Span[] = [];
  for (let i = nextCap[0]; i < n; i = nextCap[i + 1]) {
    if (!capA[i] || !RULE_HEADS.has(noDot(lower[i]))) continue;
    const e = ruleEventAt(tokens, n, i, ruleSpans);
    if (e >= 0) i = e - 1;
  }
  return ruleSpans;
}

/** The rule-built event headed by token i, pushed to `out`; its end, or -1 when there is none. */
function ruleEventAt(tokens: Token[], n: number, i: number, out: Span[]): number {
  const t = tokens[i];
  let s = i;
  while (s > 0 && !tokens[s].sentStart && (isCap(tokens[s - 1]) || YEAR.test(tokens[s - 1].norm)) && !ARTICLES.has(tokens[s - 1].norm.toLowerCase())) s--;
  let e = i + 1;
  // "Congress of Leaders of World and Traditional Religions"
  for (;;) {
    let j = e;
    while (j < n && !tokens[j].sentStart && CONNECTORS.has(tokens[j].norm.toLowerCase()) && j - e < 2) j++;
    if (j > e && j < n && !tokens[j].sentStart && isCap(tokens[j]) && tokens[j - 1].norm.toLowerCase() !== 'the') {
      let k = j;
      while (k < n && !tokens[k].sentStart && isCap(tokens[k])) k++;
      e = k;
    } else break;
  }
  if (e < n && !tokens[e].sentStart && YEAR.test(tokens[e].norm)) e++;
  const caps = tokens.slice(s, e).filter((x) => isCap(x) && x !== t).length;
  if (caps === 0 && !(s < i && YEAR.test(tokens[s].norm))) return -1;
  // do not swallow a person or a sentence-initial function word
  out.push({ s, e, type: 'event' });
  return e;
}

/**
 * The tagged spans with the rule-built events in: a tagged span that sticks out of one (e.g. a
 * longer ORG) wins, and the rule span is dropped (its start is then taken as -1 by the later
 * overlap tests, as when this marked it in the span itself).
 */
function withRuleSpans(work: Span[], ruleSpans: Span[]): Span[] {
  const keep: Span[] = [];
  const starts: number[] = [];
  for (const r of ruleSpans) starts.push(r.s);
  for (const sp of work) {
    let k = 0;
    while (k < ruleSpans.length && !(sp.s < ruleSpans[k].e && starts[k] < sp.e)) k++;
    if (k === ruleSpans.length) keep.push(sp);
    else if (sp.s < starts[k] || sp.e > ruleSpans[k].e) {
      if (sp.type !== 'event' && sp.type !== 'misc') {
        keep.push(sp);
        starts[k] = -1;
      }
    }
  }
  for (let k = 0; k < ruleSpans.length; k++) if (starts[k] >= 0) keep.push(ruleSpans[k]);
  return keep.sort(byStart);
}

/**
 * "Consulate General of Germany", "Ministry of Defense of Azerbaijan": a body named after the
 * country it belongs to keeps the country in its name.
 */
function countryBodies(tokens: Token[], work: Span[]): Span[] {
  for (const pl of work.slice()) {
    if (pl.type === 'event' || pl.type === 'misc' || pl.s < 2 || tokens[pl.s - 1].norm !== 'of' || tokens[pl.s].sentStart) continue;
    work = countryBody(tokens, work, pl);
  }
  return work;
}

function countryBody(tokens: Token[], work: Span[], pl: Span): Span[] {
  let s = pl.s - 1;
  let body = false;
  let k = pl.s - 2;
  while (k >= 0 && !tokens[k + 1].sentStart) {
    const t = tokens[k];
    const l = t.norm.toLowerCase();
    if (isCap(t) && !ARTICLES.has(l)) {
      if (BODY_NOUNS.has(l)) body = true;
      s = k;
      k--;
    } else if ((l === 'of' || l === 'and' || l === '&') && k > 0 && isCap(tokens[k - 1]) && isCap(tokens[k + 1])) k--;
    else break;
  }
  if (!body || s >= pl.s - 1) return work;
  const merged: Span = { s, e: pl.e, type: 'organization' };
  work = work.filter((sp) => sp.e <= s || sp.s >= pl.e);
  work.push(merged);
  return work;
}

/** "Kazakh Embassy", "South Korean Embassy": a nationality adjective fused to a body is an organisation. */
function nationalBodies(d: Doc, gaz: Gazetteer, work: Span[]): Span[] {
  const { tokens, n, lower, capA, nextCap, infos } = d;
  for (let i = nextCap[0]; i < n; i = nextCap[i + 1]) {
    if (!capA[i]) continue;
    let m = 0;
    let key = '';
    for (let len = 1; len <= 3 && i + len <= n; len++) {
      if (len === 1 && infos) {
        // cached single-word look-up; a longer phrase can only match after a phrase prefix
        const g = wordGazetteer(infos[i], gaz);
        if (g & 2) m = 1;
        if (!(g & GAZ_PREFIX)) break;
        key = lower[i];
        continue;
      }
      // a longer phrase can only match if the shorter key is a phrase prefix
      if (len > 1 && !gaz.prefixes.has(key)) break;
      key = len === 1 ? lower[i] : key + ' ' + lower[i + len - 1];
      if (len > 1 && tokens[i + len - 1].sentStart) break;
      if (((gaz.phrases.get(key) ?? 0) & 2) !== 0) m = len;
    }
    if (!m || !isCap(tokens[i])) continue;
    const e = bodyAfter(tokens, n, i, m);
    if (e < 0) continue;
    if (work.some((sp) => sp.s < e && i < sp.e && (sp.s < i || sp.e > e))) continue; // a longer tagged name wins
    work = work.filter((sp) => sp.e <= i || sp.s >= e);
    work.push({ s: i, e, type: 'organization' });
    i = e - 1;
  }
  return work;
}

/** The end of "<adjective of m tokens at i> [up to 3 capitalised words] <body noun>", or -1. */
function bodyAfter(tokens: Token[], n: number, i: number, m: number): number {
  let j = i + m;
  while (j < n && j < i + m + 3 && !tokens[j].sentStart && isCap(tokens[j]) && !BODY_NOUNS.has(tokens[j].norm.toLowerCase())) j++;
  if (j >= n || tokens[j].sentStart || !isCap(tokens[j]) || !BODY_NOUNS.has(tokens[j].norm.toLowerCase())) return -1;
  return j + 1;
}

/** "Kazakhstan" + "Institute for Strategic Studies": a place name directly before a body's name is part of it (in place). */
function placeBeforeBody(tokens: Token[], work: Span[]): void {
  for (let k = 0; k + 1 < work.length; k++) {
    const a = work[k];
    const b = work[k + 1];
    if (a.type === 'place' && b.type === 'organization' && a.e === b.s && (MERGE_ANY_ORG || BODY_NOUNS.has(tokens[b.s].norm.toLowerCase()))) {
      work.splice(k, 2, { s: a.s, e: b.e, type: 'organization' });
    }
  }
}

/** Newspapers named "Times of <place>". */
function timesOf(d: Doc, work: Span[]): Span[] {
  const { tokens, n, lower, capA, nextCap } = d;
  for (let i = nextCap[0]; i + 2 < n; i = nextCap[i + 1]) {
    const l = lower[i];
    if (l === 'times' && capA[i] && tokens[i + 1].norm === 'of' && !tokens[i + 2].sentStart) work = timesOfAt(work, i);
  }
  return work;
}

function timesOfAt(work: Span[], i: number): Span[] {
  const pl = work.find((sp) => sp.s === i + 2 && sp.type === 'place');
  if (pl) {
    const e = pl.e;
    work = work.filter((sp) => sp.e <= i || sp.s >= e);
    work.push({ s: i, e, type: 'organization' });
  }
  return work;
}

/** "Korean Peninsula": nationality adjective + geographic feature. */
function geoFeatures(d: Doc, work: Span[]): Span[] {
  const { tokens, n, lower, capA, nextCap } = d;
  for (let i = nextCap[0]; i + 1 < n; i = nextCap[i + 1]) {
    if (!capA[i + 1] || !capA[i] || tokens[i + 1].sentStart || !GEO_FEATURES.has(lower[i + 1])) continue;
    if (!(gazMask(d, i) & 2)) continue;
    work = geoFeatureAt(work, i);
  }
  return work;
}

function geoFeatureAt(work: Span[], i: number): Span[] {
  if (work.some((sp) => sp.s < i + 2 && i < sp.e && (sp.s < i || sp.e > i + 2))) return work;
  work = work.filter((sp) => sp.e <= i || sp.s >= i + 2);
  work.push({ s: i, e: i + 2, type: 'place' });
  return work;
}

/** Name-year tokens the tagger missed ("Birlestik-2024"), pushed to `work`. */
function nameYears(tokens: Token[], work: Span[]): void {
  for (let i = 0; i < tokens.length; i++) {
    const norm = tokens[i].norm;
    // cheap pre-check of NAME_YEAR's "-YYYY" ending
    if (norm.length < 7 || norm.charCodeAt(norm.length - 5) !== 45) continue;
    if (NAME_YEAR.test(norm) && !work.some((sp) => sp.s <= i && i < sp.e)) work.push({ s: i, e: i + 1, type: 'event' });
  }
}

/** The mentions of the spans, trimmed (articles, possessives, titles) and filtered. */
function emitMentions(d: Doc, work: Span[]): RawMention[] {
  const { text, tokens, lower, gaz, infos } = d;
  const out: RawMention[] = [];
  for (const sp of work) {
    if (sp.type === 'misc') continue;
    let { s, e } = sp;
    // the portfolio in an office title ("Minister of Industry and Construction") is not an organisation
    if (sp.type === 'organization' && isPortfolio(tokens, s)) continue;
    // a span made only of titles ("Ambassador Extraordinary")
    if (sp.type !== 'event') {
      let allTitles = true;
      for (let i = s; i < e && allTitles; i++) allTitles = TITLES.has(noDot(lower[i]));
      if (allTitles) continue;
    }
    // "Kazakhstan-Korea (relations)": a compound of two place names is a modifier, not a mention
    if (e - s === 1 && sp.type !== 'event' && tokens[s].norm.includes('-') && isPlaceCompound(lower[s], gaz)) continue;
    // a span ending in a nationality adjective ("Central Asian") is itself an adjective
    if (e - s >= 2 && sp.type !== 'event' && sp.type !== 'organization') {
      const m = gazMask(d, e - 1);
      if (m & 2 && !(m & PLACE_BITS)) continue;
    }
    // leading article
    while (s < e && ARTICLES.has(lower[s])) s++;
    // trailing possessive / punctuation
    while (e > s && (POSSESSIVE.has(lower[e - 1]) || (!isAsciiAlnum(tokens[e - 1].norm.charCodeAt(0)) && /^[^\p{L}\p{N}]+$/u.test(tokens[e - 1].norm)))) e--;
    // titles before person names
    if (sp.type === 'person') {
      while (e - s > 1 && TITLES.has(noDot(lower[s]))) s++;
      if (e - s === 1 && TITLES.has(noDot(lower[s]))) continue;
    }
    if (s >= e) continue;
    if (sp.type !== 'event' && gaz) {
      // a nationality adjective or people noun ("Kazakh", "Central Asian", "Koreans")
      let m: number;
      if (e - s === 1) m = gazMask(d, s);
      // a phrase of several words needs its first word among the phrase prefixes (cached per word)
      else if (infos && !(wordGazetteer(infos[s], gaz) & GAZ_PREFIX)) m = 0;
      else m = phraseMask(lower, s, e, gaz);
      if (m & 2 && !(m & PLACE_BITS)) continue;
    }
    if (e - s === 1 && dropLoneWord(d, s, sp.type)) continue;
    const start = tokens[s].start;
    const end = tokens[e - 1].end;
    if (out.length && out[out.length - 1].end > start) continue;
    out.push({ start, end, text: text.slice(start, end), type: sp.type });
  }
  return out;
}

/** A hyphenated token of two place names ("kazakhstan-korea"). */
function isPlaceCompound(l: string, gaz: Gazetteer | null): boolean {
  const parts = l.split('-');
  return parts.length === 2 && gaz !== null && parts.every((p) => ((gaz.phrases.get(p) ?? 0) & PLACE_BITS) !== 0);
}

/** Gazetteer categories of the phrase lower[s..e). */
function phraseMask(lower: string[], s: number, e: number, gaz: Gazetteer): number {
  let key = lower[s];
  for (let i = s + 1; i < e; i++) key += ' ' + lower[i];
  return gaz.phrases.get(key) ?? 0;
}

/** Whether the one-token span at s is not a mention: a lone title, a sentence-initial function word, a photo credit. */
function dropLoneWord(d: Doc, s: number, type: EntityType | 'misc'): boolean {
  const { tokens, n, lower } = d;
  const l = noDot(lower[s]);
  // a lone title or office ("Ambassador")
  if (TITLES.has(l) && type !== 'event') return true;
  // a sentence-initial function word ("Moreover", "Also")
  if (tokens[s].sentStart && ((gazMask(d, s) >> 6) & 1) === 1 && !(gazMask(d, s) & PLACE_BITS)) return true;
  // photo credits: "Photo credit: …", "Image: …"
  if (CREDIT_WORDS.has(l) && s + 1 < n && (tokens[s + 1].norm === ':' || /^credits?$/i.test(tokens[s + 1].norm))) return true;
  return false;
}
