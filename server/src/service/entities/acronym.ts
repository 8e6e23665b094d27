/**
 * General acronym ↔ expansion matcher (no lists of known acronyms).
 *
 * An acronym is read left to right against the content words of the long form:
 *  - every content word that is used contributes a *prefix* of 1–3 of its letters
 *    ("KazISS" = Kaz·I·S·S from "Kazakhstan Institute for Strategic Studies");
 *  - the first and the last content word must be used;
 *  - function words (of, for, and, the, under, …) may contribute their initial or be skipped
 *    ("MoFA" and "MFA" both match "Ministry of Foreign Affairs");
 *  - the later parts of a hyphenated word may be skipped ("Trade-Investment" may give just "Tr");
 *  - when the long form has four or more content words, one inner content word may be skipped
 *    ("KOTRA" = Ko·Tr·A from "Korea Trade-Investment Promotion Agency").
 * Matching is case-insensitive; accents are ignored.
 */

export const FUNCTION_WORDS = new Set([
  'of', 'for', 'and', 'the', 'under', 'on', 'in', 'at', 'to', 'a', 'an', 'by', 'with', '&',
  'de', 'du', 'des', 'la', 'le', 'les', 'et', 'del', 'der', 'und', 'fur', 'für',
]);

const MAX_PREFIX = 3;

interface Word {
  /** Lower-case, accent-free hyphen parts. */
  parts: string[];
  optional: boolean;
}

function fold(s: string): string {
  return s.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase();
}

/** Content and function words of a long form, or null when it cannot be an expansion (fewer than two content words). */
export function expansionWords(surface: string): Word[] | null {
  const words: Word[] = [];
  let content = 0;
  for (const raw of surface.split(/\s+/)) {
    const w = fold(raw).replace(/[^\p{L}\p{N}&-]+/gu, '');
    if (!w) continue;
    // Memoised by callers: a literal is exact-size (filter's result reserves 16 more slots).
    const parts = w.includes('-') ? w.split('-').filter((p) => p.length > 0) : [w];
    if (parts.length === 0) continue;
    const optional = FUNCTION_WORDS.has(w);
    if (!optional) content++;
    words.push({ parts, optional });
  }
  // Leading/trailing function words never carry the first/last letter.
  while (words.length > 0 && words[0].optional) words.shift();
  while (words.length > 0 && words[words.length - 1].optional) words.pop();
  return content >= 2 ? words : null;
}

/** Letters of an acronym as the matcher reads them: `"U.S."` → `"us"`, `"KazISS"` → `"kaziss"`. */
export function acronymLetters(surface: string): string {
  return fold(surface).replace(/[^\p{L}\p{N}]+/gu, '');
}

/**
 * Blocking keys of a long form: initials of (first content word, second content word, last
 * content word), plus (first, third, last) when an inner content word may be skipped.
 */
export function expansionBlockKeys(words: Word[]): string[] {
  const initials: string[] = [];
  for (const w of words) if (!w.optional) initials.push(w.parts[0][0]);
  const first = initials[0];
  const last = initials[initials.length - 1];
  const keys = [first + initials[1] + last];
  if (initials.length >= 4) keys.push(first + initials[2] + last);
  return keys;
}

/**
 * Every block key an acronym's expansion could have: its first letter, then any later letter
 * (the second used content word begins there), then that or any later letter (the last word).
 */
export function acronymBlockKeys(letters: string): string[] {
  const out = new Set<string>();
  for (let j = 1; j < letters.length; j++) for (let k = j; k < letters.length; k++) out.add(letters[0] + letters[j] + letters[k]);
  return [...out];
}

/**
 * Does `letters` (from `acronymLetters`) abbreviate the long form `words` (from `expansionWords`)?
 * Dynamic programme over words with the set of reachable letter positions kept as a bit mask
 * (one mask per number of skipped content words); no allocation.
 */
export function matchesAcronym(letters: string, words: Word[]): boolean {
  const n = letters.length;
  const m = words.length;
  if (n < 2 || m < 2 || n > 30) return false;
  let contentWords = 0;
  for (const w of words) if (!w.optional) contentWords++;
  const maxSkips = contentWords >= 4 ? 1 : 0;
  if (n < contentWords - maxSkips) return false;
  if (letters.charCodeAt(0) !== words[0].parts[0].charCodeAt(0)) return false;

  let reach0 = 1; // bit i: letters[0..i) consumed, no content word skipped
  let reach1 = 0; // … one content word skipped
  for (let w = 0; w < m; w++) {
    const word = words[w];
    const inner = w > 0 && w < m - 1;
    let next0 = consumeWord(letters, word.parts, reach0);
    let next1 = consumeWord(letters, word.parts, reach1);
    if (inner) {
      if (word.optional) {
        next0 |= reach0;
        next1 |= reach1;
      } else if (maxSkips > 0) next1 |= reach0;
    }
    reach0 = next0;
    reach1 = next1;
    if ((reach0 | reach1) === 0) return false;
  }
  const full = 1 << n;
  return ((reach0 | reach1) & full) !== 0;
}

function consumeWord(letters: string, parts: string[], mask: number): number {
  let cur = mask;
  for (let p = 0; p < parts.length && cur !== 0; p++) {
    const part = parts[p];
    let out = p > 0 ? cur : 0; // later hyphen parts may contribute nothing
    for (let i = 0; i < letters.length; i++) {
      if ((cur & (1 << i)) === 0) continue;
      for (let k = 1; k <= MAX_PREFIX && k <= part.length && i + k <= letters.length; k++) {
        if (letters.charCodeAt(i + k - 1) !== part.charCodeAt(k - 1)) break;
        out |= 1 << (i + k);
      }
    }
    cur = out;
  }
  return cur;
}
