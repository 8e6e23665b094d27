/**
 * Sentence splitter for news text. Single linear pass, no regular expressions.
 *
 * Boundaries:
 *  - `.`, `!`, `?`, `…` (plus any closing quotes / brackets after them) followed by whitespace and
 *    something that can start a sentence (capital letter, digit, opening quote or bracket, end of text);
 *  - a blank line (paragraph break) always;
 *  - a single line break, unless the text is visibly hard-wrapped (the next line starts in lower case
 *    and the previous line does not end a sentence, or the previous line ends with a comma or a
 *    function word such as "of"/"the"). So headlines and datelines without a final period are
 *    sentences of their own.
 *
 * Not boundaries: titles ("Mr.", "Dr."), initials ("S. Korea", "J. Smith"), dotted abbreviations
 * ("U.S.", "e.g.") and "Inc."/"Corp."/"etc." unless a typical sentence opener follows, month
 * abbreviations ("Jan. 5"), decimals ("4.2"), a period followed by a lower-case word.
 *
 * Offsets are UTF-16 indices; every returned range is trimmed of surrounding whitespace and non-empty.
 */

export interface SentenceRange {
  start: number;
  end: number;
}

/** Abbreviations after which a period never ends a sentence. */
const NEVER_END = new Set([
  'mr', 'mrs', 'ms', 'mx', 'dr', 'prof', 'sen', 'rep', 'gov', 'gen', 'lt', 'col', 'capt', 'cpt', 'sgt', 'maj',
  'adm', 'cmdr', 'rev', 'hon', 'pres', 'supt', 'insp', 'st', 'mt', 'ft', 'no', 'nos', 'vol', 'vols', 'pp', 'fig',
  'figs', 'cf', 'approx', 'est', 'vs', 'v', 'al', 'jan', 'feb', 'mar', 'apr', 'jun', 'jul', 'aug', 'sep', 'sept',
  'oct', 'nov', 'dec', 'dept', 'univ', 'assn', 'ave', 'blvd', 'rd', 'sr', 'jr', 'messrs', 'mme', 'mlle', 'op',
  'ca', 'ch', 'art', 'para', 'sec', 'tel', 'ext', 'rs', 'rp', 'mln', 'bln', 'dlrs', 'pct', 'yr', 'yrs',
]);

/** Abbreviations that often end a sentence: a boundary only if a typical sentence opener follows. */
const MAYBE_END = new Set(['inc', 'corp', 'co', 'ltd', 'llc', 'plc', 'etc', 'bros', 'ag', 'sa', 'nv', 'bv', 'gmbh', 'am', 'pm']);

/** Words that typically open a sentence (used after ambiguous abbreviations such as "U.S."). */
const OPENERS = new Set([
  'the', 'a', 'an', 'he', 'she', 'it', 'they', 'we', 'i', 'you', 'in', 'on', 'at', 'but', 'and', 'this', 'that',
  'these', 'those', 'there', 'his', 'her', 'its', 'their', 'our', 'as', 'for', 'if', 'when', 'while', 'after',
  'before', 'according', 'however', 'also', 'meanwhile', 'since', 'so', 'yet', 'still', 'then', 'last', 'next',
  'earlier', 'later', 'what', 'why', 'how', 'who', 'where', 'both', 'some', 'many', 'most', 'all', 'such',
]);

/** Words after which a line break is a hard wrap, not a boundary. */
const WRAP_WORDS = new Set([
  'of', 'the', 'a', 'an', 'and', 'or', 'to', 'in', 'on', 'at', 'for', 'by', 'with', 'from', 'as', 'that', 'than',
  'its', 'their', 'his', 'her', 'our', 'into', 'about', 'said',
]);

/** White space other than a line feed (as the splitter sees it). */
export function isSpaceCode(c: number): boolean {
  return isSpace(c);
}

function isSpace(c: number): boolean {
  return (
    c === 32 || c === 9 || c === 13 || c === 11 || c === 12 || c === 0xa0 || c === 0x2028 || c === 0x2029 ||
    c === 0x202f || c === 0x3000 || c === 0xfeff || (c >= 0x2000 && c <= 0x200b)
  );
}
function isUpper(c: number): boolean {
  if (c >= 65 && c <= 90) return true;
  if (c < 0xc0) return false;
  const ch = String.fromCharCode(c);
  return ch !== ch.toLowerCase();
}
function isLower(c: number): boolean {
  if (c >= 97 && c <= 122) return true;
  if (c < 0xc0) return false;
  const ch = String.fromCharCode(c);
  return ch !== ch.toUpperCase();
}
function isAsciiLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}
function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
/** Closing punctuation that belongs to the sentence it follows. */
function isCloser(c: number): boolean {
  return c === 34 || c === 39 || c === 41 || c === 93 || c === 125 || c === 0x201d || c === 0x2019 || c === 0xbb || c === 0x203a;
}
/** Characters that may open a sentence besides letters and digits. */
function isOpener(c: number): boolean {
  return (
    c === 34 || c === 39 || c === 40 || c === 91 || c === 0x201c || c === 0x2018 || c === 0xab || c === 0x2039 ||
    c === 0x2014 || c === 0x2013 || c === 45 || c === 0x2022 || c === 42 || c === 36 || c === 0x20ac || c === 0xa3
  );
}

/** Lower-case ASCII word ending right before `dot` (the period itself excluded). */
function wordBefore(text: string, dot: number): string {
  let s = dot;
  while (s > 0 && s > dot - 12 && isAsciiLetter(text.charCodeAt(s - 1))) s--;
  return text.slice(s, dot).toLowerCase();
}

/** True when the period at `dot` ends a dotted abbreviation such as "U.S." or "e.g.". */
function isDottedAbbrev(text: string, dot: number): boolean {
  // pattern: letter '.' letter '.' (the current period is the last)
  return (
    dot >= 3 &&
    isAsciiLetter(text.charCodeAt(dot - 1)) &&
    text.charCodeAt(dot - 2) === 46 &&
    isAsciiLetter(text.charCodeAt(dot - 3)) &&
    (dot < 4 || !isAsciiLetter(text.charCodeAt(dot - 4)))
  );
}

/** Lower-case ASCII word starting at `i` (up to 12 letters). */
function wordAt(text: string, i: number): string {
  let e = i;
  while (e < text.length && e < i + 12 && isAsciiLetter(text.charCodeAt(e))) e++;
  return text.slice(i, e).toLowerCase();
}

/** The only characters the splitter stops at. A single character class: linear, no backtracking. */
const SPECIAL = /[\n.!?\u2026]/g;

export function splitSentences(text: string): SentenceRange[] {
  if (typeof text !== 'string') return [];
  return splitSentencesIn(text, 0, text.length);
}

/**
 * Sentences of `text[from, to)` with absolute offsets. When `from` and `to` are paragraph
 * boundaries (start of text / just after a blank line, end of text / the line break that starts a
 * blank line) the result equals the part of `splitSentences(text)` inside that range.
 */
export function splitSentencesIn(text: string, from: number, to: number): SentenceRange[] {
  const out: SentenceRange[] = [];
  const n = Math.min(to, text.length);
  let segStart = Math.max(0, from);

  const push = (s: number, e: number): void => {
    while (s < e && (isSpace(text.charCodeAt(s)) || text.charCodeAt(s) === 10)) s++;
    while (e > s && (isSpace(text.charCodeAt(e - 1)) || text.charCodeAt(e - 1) === 10)) e--;
    if (e > s) out.push({ start: s, end: e });
  };

  let i = segStart;
  const re = SPECIAL;
  while (i < n) {
    // jump to the next character that can matter (native scan, linear)
    re.lastIndex = i;
    const m = re.exec(text);
    if (m === null || m.index >= n) break;
    i = m.index;
    const c = text.charCodeAt(i);
    if (c === 10) {
      // Line break: look at the next line.
      let j = i + 1;
      let blank = false;
      while (j < n) {
        const d = text.charCodeAt(j);
        if (d === 10) {
          blank = true;
          break;
        }
        if (!isSpace(d)) break;
        j++;
      }
      if (blank || j >= n) {
        push(segStart, i);
        segStart = i + 1;
        i = j;
        continue;
      }
      // Single line break: boundary unless it is a hard wrap.
      let p = i - 1;
      while (p >= segStart && isSpace(text.charCodeAt(p))) p--;
      let wrap = false;
      if (p >= segStart) {
        const last = text.charCodeAt(p);
        const next = text.charCodeAt(j);
        const prevEnds = last === 46 || last === 33 || last === 63 || last === 58 || isCloser(last) || last === 0x2026;
        if (last === 44 || last === 45 || last === 59) wrap = true;
        else if (!prevEnds && isLower(next)) wrap = true;
        else if (!prevEnds && isAsciiLetter(last)) {
          let s = p;
          while (s > segStart && s > p - 8 && isAsciiLetter(text.charCodeAt(s - 1))) s--;
          if (WRAP_WORDS.has(text.slice(s, p + 1))) wrap = true;
        }
      }
      if (!wrap) {
        push(segStart, i);
        segStart = i + 1;
      }
      i = j;
      continue;
    }
    if (c === 46 || c === 33 || c === 63 || c === 0x2026) {
      const term = i;
      let j = i + 1;
      // runs of terminators ("?!", "...") and closing quotes/brackets
      while (j < n) {
        const d = text.charCodeAt(j);
        if (d === 46 || d === 33 || d === 63 || d === 0x2026 || isCloser(d)) j++;
        else break;
      }
      if (j >= n) {
        i = j;
        continue;
      }
      const after = text.charCodeAt(j);
      if (!isSpace(after)) {
        // "4.2", "U.S.", "e.g.", "Korea.Next" (no space): not a boundary
        i = j;
        continue;
      }
      let k = j;
      while (k < n && isSpace(text.charCodeAt(k))) k++;
      if (k >= n) {
        i = k;
        continue;
      }
      const nc = text.charCodeAt(k);
      if (nc === 10) {
        // the line-break logic decides
        i = k;
        continue;
      }
      let boundary = isUpper(nc) || isDigit(nc) || isOpener(nc);
      if (boundary && c === 46 && j === term + 1) {
        // a single period: check abbreviations
        const w = wordBefore(text, term);
        const before = term - w.length - 1 >= 0 ? text.charCodeAt(term - w.length - 1) : 32;
        if (w.length === 1 && isUpper(text.charCodeAt(term - 1)) && before !== 46) {
          // an initial ("S. Korea", "J. Smith"), unless a sentence opener follows
          boundary = OPENERS.has(wordAt(text, k));
        } else if (isDottedAbbrev(text, term)) {
          boundary = OPENERS.has(wordAt(text, k));
        } else if (NEVER_END.has(w) && before !== 46) {
          boundary = false;
        } else if (MAYBE_END.has(w)) {
          boundary = OPENERS.has(wordAt(text, k)) || (isUpper(nc) && wordAt(text, k).length === 0);
        }
      }
      if (boundary) {
        push(segStart, j);
        segStart = j;
      }
      i = k;
      continue;
    }
    i++;
  }
  push(segStart, n);
  return out;
}

/** Index of the sentence containing `offset` in `sentences` (sorted), or -1 (binary search). */
export function sentenceIndexAt(sentences: SentenceRange[], offset: number): number {
  let lo = 0;
  let hi = sentences.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = sentences[mid];
    if (offset < s.start) hi = mid - 1;
    else if (offset >= s.end) lo = mid + 1;
    else return mid;
  }
  return -1;
}
