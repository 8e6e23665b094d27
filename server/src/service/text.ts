/**
 * Small text helpers shared by the features: sentence bounds around an offset, article names
 * and titles, one-line context.
 */

const ABBREVIATIONS = new Set([
  'mr', 'mrs', 'ms', 'dr', 'prof', 'st', 'sr', 'jr', 'gen', 'col', 'lt', 'sgt', 'capt', 'gov', 'sen', 'rep', 'rev',
  'inc', 'ltd', 'co', 'corp', 'no', 'vs', 'etc', 'approx', 'jan', 'feb', 'mar', 'apr', 'jun', 'jul', 'aug', 'sep',
  'sept', 'oct', 'nov', 'dec', 'e.g', 'i.e', 'u.s', 'u.k', 'u.n', 'a.m', 'p.m',
]);

const MAX_SENTENCE_REACH = 1500;

/** Whether a sentence ends just after `i` (the index of `.`, `!`, `?` or a line break). */
function endsSentenceAt(text: string, i: number): boolean {
  const c = text[i];
  if (c === '\n') {
    // A blank line always ends a sentence; a single line break does unless the line reads on.
    const prev = previousNonSpace(text, i - 1);
    if (prev < 0 || text[prev] === '\n') return true;
    let k = i + 1;
    while (k < text.length && (text[k] === ' ' || text[k] === '\t' || text[k] === '\r')) k++;
    if (k >= text.length || text[k] === '\n') return true;
    const p = text[prev];
    return !/[a-z,;(\-–]/.test(p);
  }
  if (c !== '.' && c !== '!' && c !== '?') return false;
  // Skip closing quotes/brackets, then require whitespace or end.
  let j = i + 1;
  while (j < text.length && isCloser(text.charCodeAt(j))) j++;
  if (j < text.length && !isSpace(text.charCodeAt(j))) return false;
  if (c === '.') {
    // Abbreviation or initial before the dot?
    let k = i - 1;
    while (k >= 0 && /[A-Za-z.]/.test(text[k])) k--;
    const word = text.slice(k + 1, i).toLowerCase();
    if (word.length === 1 && /[a-z]/.test(word)) return false; // initials: "J. Smith"
    if (ABBREVIATIONS.has(word)) return false;
    // A number continuing after the dot ("No. 5") or a lowercase continuation is not an end.
    let n = j;
    while (n < text.length && text[n] === ' ') n++;
    if (n < text.length && /[a-z]/.test(text[n])) return false;
  }
  return true;
}

function previousNonSpace(text: string, i: number): number {
  while (i >= 0 && (text[i] === ' ' || text[i] === '\t' || text[i] === '\r')) i--;
  return i;
}

/** The sentence containing `offset`: trimmed start and end offsets. */
export function sentenceAround(text: string, offset: number): { start: number; end: number } {
  // Character codes throughout: a hover asks this of a whole article, and a string per character
  // (or a regular expression run per character) made it most of a hover's allocation.
  const o = Math.max(0, Math.min(offset, text.length));
  let start = 0;
  for (let i = o - 1; i >= 0 && o - i < MAX_SENTENCE_REACH; i--) {
    const c = text.charCodeAt(i);
    if ((c === NEWLINE || isTerminal(c)) && endsSentenceAt(text, i)) {
      start = i + 1;
      break;
    }
    if (o - i === MAX_SENTENCE_REACH - 1) start = i;
  }
  let end = text.length;
  for (let i = o; i < text.length && i - o < MAX_SENTENCE_REACH; i++) {
    const c = text.charCodeAt(i);
    if (c === NEWLINE && endsSentenceAt(text, i)) {
      end = i;
      break;
    }
    if (isTerminal(c) && endsSentenceAt(text, i)) {
      end = i + 1;
      while (end < text.length && isCloser(text.charCodeAt(end))) end++;
      break;
    }
    if (i - o === MAX_SENTENCE_REACH - 1) end = i + 1;
  }
  while (start < end && isSpace(text.charCodeAt(start))) start++;
  while (end > start && isSpace(text.charCodeAt(end - 1))) end--;
  return { start, end };
}

const NEWLINE = 10;
/** `.`, `!`, `?`. */
const isTerminal = (c: number): boolean => c === 46 || c === 33 || c === 63;
/** A closing quote or bracket that belongs to the sentence before it: " ' ” ’ ) ] ». */
const isCloser = (c: number): boolean => c === 34 || c === 39 || c === 0x201d || c === 0x2019 || c === 41 || c === 93 || c === 0xbb;
/** What `\s` matches in a JavaScript regular expression. */
function isSpace(c: number): boolean {
  if (c <= 32) return c === 32 || (c >= 9 && c <= 13);
  if (c < 0xa0) return false;
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/** Start of the sentence before the one starting at `sentenceStart` (or `sentenceStart` itself). */
export function previousSentenceStart(text: string, sentenceStart: number): number {
  let i = sentenceStart - 1;
  while (i >= 0 && /\s/.test(text[i])) i--;
  if (i < 0) return sentenceStart;
  return sentenceAround(text, i).start;
}

/** The file name of a URI, decoded ("003_dc10.txt"). */
export function articleName(uri: string): string {
  const path = uri.replace(/[?#].*$/, '');
  const base = path.slice(path.lastIndexOf('/') + 1);
  try {
    return decodeURIComponent(base);
  } catch {
    return base;
  }
}

/**
 * The article's title: the first line near the top that reads like a headline, without
 * Markdown heading marks, shortened. Scraped pages open with navigation and credits
 * ("Send to", "Skip to content", "Main page » …", "photo: …"), so lines of fewer than three
 * words, "skip to …"/"send to …" links, breadcrumb lines and credit labels are passed over; a
 * Markdown heading is always a title; if nothing qualifies, the first non-empty line is.
 */
export function articleTitle(text: string, max = 120): string {
  const re = /[^\r\n]+/g;
  let m: RegExpExecArray | null;
  let first = '';
  for (let n = 0; n < 12 && (m = re.exec(text)); ) {
    const heading = /^\s*#+\s/.test(m[0]);
    const line = m[0].replace(/^\s*#+\s*/, '').trim();
    if (!line) continue;
    n++;
    if (!first) first = line;
    if (heading) return shorten(line, max);
    if (line.split(/\s+/).length < 3 || /^(skip|send|go|jump) to\b/i.test(line)) continue;
    if (/[»›|]/.test(line)) continue;
    if (/^(photo|image|picture|source|credit|caption)s?\b[^:]{0,20}:/i.test(line)) continue;
    return shorten(line, max);
  }
  return shorten(first, max);
}

/** Collapses whitespace and cuts to `max` characters with an ellipsis. */
export function shorten(s: string, max: number): string {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length <= max ? t : t.slice(0, max - 1).trimEnd() + '…';
}

/** Compares two strings by UTF-16 code units (the order URIs are sorted in). */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
