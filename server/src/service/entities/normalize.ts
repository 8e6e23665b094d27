/**
 * Surface-form normalisation shared by the per-document and the corpus stage.
 *
 * Two levels:
 *  - `cleanSurface` turns a raw mention text into a display form: whitespace collapsed, curly
 *    quotes straightened, possessive `'s` dropped, a leading article (`the`) and, for people,
 *    a leading honorific/office (`Mr`, `President`) dropped. What was dropped is reported so it
 *    can be recorded as a merge reason.
 *  - `matchKey` turns a display form into the key two forms must share to be "the same string":
 *    case-folded, diacritics removed, dots/apostrophes removed, every other punctuation run
 *    (hyphens included) turned into a single space.
 */

import type { EntityType } from '../types';

export interface CleanedSurface {
  /** The display form (possessive/article/title removed, whitespace collapsed). */
  surface: string;
  /** What was removed, in the order applied. */
  dropped: { kind: 'possessive' | 'article' | 'title'; text: string }[];
}

const APOSTROPHES = /[\u2019\u2018\u02BC\u02BB`\u00B4]/g;
const QUOTES = /[\u201C\u201D\u00AB\u00BB"]/g;

/**
 * Honorifics and offices a tagger may include in a person span. Kept short on purpose: it only
 * strips a *leading* word, and only when a name of at least one more token follows.
 */
const PERSON_TITLES = [
  'mr', 'mrs', 'ms', 'miss', 'mx', 'dr', 'prof', 'professor', 'sir', 'dame', 'lord', 'lady',
  'president', 'vice president', 'prime minister', 'deputy prime minister', 'minister', 'foreign minister',
  'senator', 'sen', 'rep', 'governor', 'gov', 'mayor', 'akim', 'ambassador', 'gen', 'general',
  'col', 'colonel', 'capt', 'captain', 'chairman', 'chairwoman', 'judge', 'king', 'queen', 'prince', 'princess',
];
const TITLE_RE = new RegExp(
  `^(?:${PERSON_TITLES.map((t) => t.replace(/ /g, '\\s+')).join('|')})\\.?\\s+(?=\\S)`,
  'i',
);

export function cleanSurface(raw: string, type: EntityType): CleanedSurface {
  const dropped: CleanedSurface['dropped'] = [];
  let s = raw.normalize('NFC').replace(APOSTROPHES, "'").replace(QUOTES, '').replace(/\s+/g, ' ').trim();

  // Possessive: "Tukumov's", "Reuters'" (apostrophe after s only).
  const poss = /(?:'s|(?<=s)')$/i.exec(s);
  if (poss && s.length - poss[0].length >= 2) {
    dropped.push({ kind: 'possessive', text: poss[0] });
    s = s.slice(0, s.length - poss[0].length).trimEnd();
  }

  if (type !== 'person') {
    const art = /^the\s+(?=\S)/i.exec(s);
    if (art) {
      dropped.push({ kind: 'article', text: art[0].trim() });
      s = s.slice(art[0].length);
    }
  } else {
    // Titles may stack ("Prime Minister Dr X"); the name keeps at least one token.
    for (let guard = 0; guard < 3; guard++) {
      const t = TITLE_RE.exec(s);
      if (!t) break;
      const rest = s.slice(t[0].length);
      if (!/[\p{L}]/u.test(rest)) break;
      dropped.push({ kind: 'title', text: t[0].trim() });
      s = rest;
    }
  }
  return { surface: s, dropped };
}

/** Case-folded, accent-free, punctuation-free key: `"Kassym-Jomart Tokayev"` → `"kassym jomart tokayev"`, `"U.S."` → `"us"`. */
export function matchKey(surface: string): string {
  return plainKey(surface) ?? foldedKey(surface);
}

/**
 * The common case without the regular expressions: an ASCII surface whose lower case is
 * already a key (letters and digits, single inner spaces) is its own key; null otherwise.
 */
function plainKey(s: string): string | null {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 127) return null;
  const l = s.toLowerCase();
  let space = true; // a space here would be leading or doubled
  for (let i = 0; i < l.length; i++) {
    const c = l.charCodeAt(i);
    if (c === 32) {
      if (space) return null;
      space = true;
    } else if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57)) space = false;
    else return null;
  }
  return space ? null : l; // trailing space (or empty)
}

function foldedKey(surface: string): string {
  return surface
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/['.\u2019]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Key tokens (hyphenated parts are separate tokens). */
export function keyTokens(key: string): string[] {
  return key.length === 0 ? [] : key.split(' ');
}

/** Slug for ids: `"Azamat Beispekov"` → `"azamat-beispekov"`. Non-Latin letters are kept. */
export function slugify(name: string): string {
  const s = matchKey(name).replace(/ /g, '-');
  return s.length > 0 ? s : 'x';
}

/**
 * Does the raw surface look like an acronym? `KTZ`, `KazISS`, `KOTRA`, `U.S.`: a single token
 * of 2–10 letters/digits with at least two capitals and no lowercase-only word shape.
 */
export function looksLikeAcronym(surface: string): boolean {
  const s = surface.replace(/\./g, '');
  if (!/^[\p{Lu}][\p{L}\p{N}&]{1,9}$/u.test(s)) return false;
  let upper = 0;
  for (const ch of s) if (ch !== ch.toLowerCase() && ch === ch.toUpperCase()) upper++;
  return upper >= 2;
}

/** Levenshtein distance with an early exit once it exceeds `max`. */
export function editDistance(a: string, b: string, max = Infinity): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = new Array<number>(b.length + 1);
  let cur = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = cur[0];
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (cur[j] < rowMin) rowMin = cur[j];
    }
    if (rowMin > max) return max + 1;
    [prev, cur] = [cur, prev];
  }
  return prev[b.length];
}

/** Compare strings by UTF-16 code units (locale-independent, deterministic). */
export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
