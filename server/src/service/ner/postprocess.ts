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
 * `infos` (optional) are the tokens' word records from the tagger (`wordInfo(token.norm)`); they
 * only save recomputing lower-case forms and capitalisation.
 */
export function toMentions(text: string, tokens: Token[], spans: TokenSpan[], gaz: Gazetteer | null, infos?: WordInfo[]): RawMention[] {
  const n = tokens.length;
  // per token: lower-cased form and "starts with a capital" (isCap)
  const lower: string[] = new Array(n);
  const capA = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    if (infos) {
      const w = infos[i];
      lower[i] = w.lower;
      capA[i] = w.initCap ? 1 : 0;
    } else {
      lower[i] = tokens[i].norm.toLowerCase();
      capA[i] = isCap(tokens[i]) ? 1 : 0;
    }
  }
  // nextCap[i] = first capitalised token at or after i (n if none): the rule loops below only start at capitals
  const nextCap = new Int32Array(n + 2).fill(n);
  for (let i = n - 1; i >= 0; i--) nextCap[i] = capA[i] ? i : nextCap[i + 1];
  let work: Span[] = spans.map((sp) => ({
    s: sp.s,
    e: sp.e,
    type: sp.type === 'PER' ? 'person' : sp.type === 'ORG' ? 'organization' : sp.type === 'LOC' ? 'place' : 'misc',
  }));

  const gazMask = (i: number): number => (gaz ? (infos ? wordGazetteer(infos[i], gaz) & ~GAZ_PREFIX : gaz.phrases.get(lower[i]) ?? 0) : 0);
  const PLACE_BITS = 1 | (1 << 2) | (1 << 3) | (1 << 4) | (1 << 5);

  // 1. events from tagged spans
  for (const sp of work) {
    if (sp.type === 'misc' && isEventHead(tokens, sp.s, sp.e, false)) sp.type = 'event';
    else if (sp.type === 'organization' && isEventHead(tokens, sp.s, sp.e, true)) sp.type = 'event';
    else if (sp.type === 'misc' && sp.e - sp.s === 1 && NAME_YEAR.test(tokens[sp.s].norm)) sp.type = 'event';
  }

  // 2. rule-built events: capitalised words headed by a strong event noun, e.g. "Drone Expo 2024"
  const ruleSpans: Span[] = [];
  for (let i = nextCap[0]; i < n; i = nextCap[i + 1]) {
    if (!capA[i] || !RULE_HEADS.has(noDot(lower[i]))) continue;
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
    if (caps === 0 && !(s < i && YEAR.test(tokens[s].norm))) continue;
    // do not swallow a person or a sentence-initial function word
    ruleSpans.push({ s, e, type: 'event' });
    i = e - 1;
  }
  if (ruleSpans.length) {
    const keep: Span[] = [];
    for (const sp of work) {
      const clash = ruleSpans.some((r) => sp.s < r.e && r.s < sp.e);
      if (!clash) keep.push(sp);
      else {
        // a tagged span that sticks out of the rule span (e.g. a longer ORG) wins
        const r = ruleSpans.find((x) => sp.s < x.e && x.s < sp.e)!;
        if (sp.s < r.s || sp.e > r.e) {
          if (sp.type !== 'event' && sp.type !== 'misc') {
            keep.push(sp);
            r.s = -1;
          }
        }
      }
    }
    for (const r of ruleSpans) if (r.s >= 0) keep.push(r);
    work = keep.sort((a, b) => a.s - b.s);
  }

  // 3. "Consulate General of Germany", "Ministry of Defense of Azerbaijan": a body named after the
  //    country it belongs to keeps the country in its name
  for (const pl of work.slice()) {
    if (pl.type === 'event' || pl.type === 'misc' || pl.s < 2 || tokens[pl.s - 1].norm !== 'of' || tokens[pl.s].sentStart) continue;
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
    if (!body || s >= pl.s - 1) continue;
    const merged: Span = { s, e: pl.e, type: 'organization' };
    work = work.filter((sp) => sp.e <= s || sp.s >= pl.e);
    work.push(merged);
  }
  work.sort((a, b) => a.s - b.s);

  // 4. "Kazakh Embassy", "South Korean Embassy": a nationality adjective fused to a body is an organisation
  if (gaz) {
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
      let j = i + m;
      while (j < n && j < i + m + 3 && !tokens[j].sentStart && isCap(tokens[j]) && !BODY_NOUNS.has(tokens[j].norm.toLowerCase())) j++;
      if (j >= n || tokens[j].sentStart || !isCap(tokens[j]) || !BODY_NOUNS.has(tokens[j].norm.toLowerCase())) continue;
      const e = j + 1;
      if (work.some((sp) => sp.s < e && i < sp.e && (sp.s < i || sp.e > e))) continue; // a longer tagged name wins
      work = work.filter((sp) => sp.e <= i || sp.s >= e);
      work.push({ s: i, e, type: 'organization' });
      i = e - 1;
    }
    work.sort((a, b) => a.s - b.s);
  }
  // 5. "Kazakhstan" + "Institute for Strategic Studies": a place name directly before a body's name is part of it
  for (let k = 0; k + 1 < work.length; k++) {
    const a = work[k];
    const b = work[k + 1];
    if (a.type === 'place' && b.type === 'organization' && a.e === b.s && (MERGE_ANY_ORG || BODY_NOUNS.has(tokens[b.s].norm.toLowerCase()))) {
      work.splice(k, 2, { s: a.s, e: b.e, type: 'organization' });
    }
  }

  // 6. newspapers named "Times of <place>"; "Korean Peninsula": nationality adjective + geographic feature
  for (let i = nextCap[0]; i + 2 < n; i = nextCap[i + 1]) {
    const l = lower[i];
    if (l === 'times' && capA[i] && tokens[i + 1].norm === 'of' && !tokens[i + 2].sentStart) {
      const pl = work.find((sp) => sp.s === i + 2 && sp.type === 'place');
      if (pl) {
        const e = pl.e;
        work = work.filter((sp) => sp.e <= i || sp.s >= e);
        work.push({ s: i, e, type: 'organization' });
      }
    }
  }
  if (gaz) {
    for (let i = nextCap[0]; i + 1 < n; i = nextCap[i + 1]) {
      if (!capA[i + 1] || !capA[i] || tokens[i + 1].sentStart || !GEO_FEATURES.has(lower[i + 1])) continue;
      if (!(gazMask(i) & 2)) continue;
      if (work.some((sp) => sp.s < i + 2 && i < sp.e && (sp.s < i || sp.e > i + 2))) continue;
      work = work.filter((sp) => sp.e <= i || sp.s >= i + 2);
      work.push({ s: i, e: i + 2, type: 'place' });
    }
  }
  work.sort((a, b) => a.s - b.s);

  // 7. name-year tokens the tagger missed ("Birlestik-2024")
  for (let i = 0; i < n; i++) {
    const norm = tokens[i].norm;
    // cheap pre-check of NAME_YEAR's "-YYYY" ending
    if (norm.length < 7 || norm.charCodeAt(norm.length - 5) !== 45) continue;
    if (NAME_YEAR.test(norm) && !work.some((sp) => sp.s <= i && i < sp.e)) work.push({ s: i, e: i + 1, type: 'event' });
  }
  work.sort((a, b) => a.s - b.s);

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
    if (e - s === 1 && sp.type !== 'event' && tokens[s].norm.includes('-')) {
      const parts = lower[s].split('-');
      if (parts.length === 2 && gaz && parts.every((p) => ((gaz.phrases.get(p) ?? 0) & PLACE_BITS) !== 0)) continue;
    }
    // a span ending in a nationality adjective ("Central Asian") is itself an adjective
    if (e - s >= 2 && sp.type !== 'event' && sp.type !== 'organization') {
      const m = gazMask(e - 1);
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
      if (e - s === 1) m = gazMask(s);
      // a phrase of several words needs its first word among the phrase prefixes (cached per word)
      else if (infos && !(wordGazetteer(infos[s], gaz) & GAZ_PREFIX)) m = 0;
      else {
        let key = lower[s];
        for (let i = s + 1; i < e; i++) key += ' ' + lower[i];
        m = gaz.phrases.get(key) ?? 0;
      }
      if (m & 2 && !(m & PLACE_BITS)) continue;
    }
    if (e - s === 1) {
      const l = noDot(lower[s]);
      // a lone title or office ("Ambassador")
      if (TITLES.has(l) && sp.type !== 'event') continue;
      // a sentence-initial function word ("Moreover", "Also")
      if (tokens[s].sentStart && ((gazMask(s) >> 6) & 1) === 1 && !(gazMask(s) & PLACE_BITS)) continue;
      // photo credits: "Photo credit: …", "Image: …"
      if (CREDIT_WORDS.has(l) && s + 1 < n && (tokens[s + 1].norm === ':' || /^credits?$/i.test(tokens[s + 1].norm))) continue;
    }
    const start = tokens[s].start;
    const end = tokens[e - 1].end;
    if (out.length && out[out.length - 1].end > start) continue;
    out.push({ start, end, text: text.slice(start, end), type: sp.type });
  }
  return out;
}
