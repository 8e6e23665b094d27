/**
 * Raw-text tokenizer that splits ordinary (typographic) text the way CoNLL-2003 was tokenised,
 * keeping UTF-16 offsets into the original string.
 *
 *  - "Kazakhstan's" / "Kazakhstan’s" → "Kazakhstan" "'s"; "don't" → "do" "n't"
 *  - "U.S.", "Mr.", "Jan." and initials keep their period; a sentence-final period is split off
 *  - hyphenated names ("Kassym-Jomart", "Hong-seok", "Birlestik-2024") stay one token
 *  - dashes (–, —, --), brackets, quotes and most punctuation become their own tokens
 *  - any Unicode white space (incl. NBSP, thin spaces, zero-width space) separates tokens
 *
 * Each token carries `norm`, the form used for features: curly quotes/apostrophes straightened,
 * dashes unified, so the model sees what it saw in training.
 */

export interface Token {
  start: number;
  end: number;
  /** Exactly `text.slice(start, end)`. */
  text: string;
  /** Typography-normalised form (quotes, apostrophes, dashes). */
  norm: string;
  /** True when this token starts a new sentence/segment. */
  sentStart: boolean;
  /** True when a line break (or start of text) precedes this token. */
  lineStart: boolean;
}

const ABBREVIATIONS = new Set(
  (
    'mr mrs ms dr prof st jr sr gen gov sen rep rev lt col maj capt cmdr adm sgt cpl pvt hon pres supt insp ' +
    'corp inc ltd co bros plc llc cie mt ft no nos vol vs v etc approx dept univ assn est ' +
    'jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs fri sat sun ' +
    'ala ariz ark calif colo conn del fla ga ill ind kan ky la md mass mich minn miss mo mont neb nev okla ore pa tenn tex va vt wash wis wyo'
  ).split(' '),
);

/** Normalises typography for feature extraction. */
export function normalizeToken(s: string): string {
  // fast path: nothing to normalise (every mapped character is U+0060 or ≥ U+00A0)
  let k = 0;
  for (; k < s.length; k++) {
    const c = s.charCodeAt(k);
    if (c === 0x60 || c >= 0xa0) break;
  }
  if (k === s.length) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    switch (c) {
      case 0x2018: case 0x2019: case 0x201a: case 0x201b: case 0x2032: case 0x00b4: case 0x0060: case 0x02bc:
        out += "'"; break;
      case 0x201c: case 0x201d: case 0x201e: case 0x201f: case 0x2033: case 0x00ab: case 0x00bb:
        out += '"'; break;
      case 0x2010: case 0x2011: case 0x2012: case 0x2212:
        out += '-'; break;
      case 0x2013: case 0x2014: case 0x2015:
        out += '--'; break;
      case 0x00a0:
        out += ' '; break;
      default:
        out += s[i];
    }
  }
  return out;
}

function isSpace(c: number): boolean {
  return (
    c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200b) ||
    c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff
  );
}

function isLineBreak(c: number): boolean {
  return c === 10 || c === 13 || c === 0x2028 || c === 0x2029;
}

/** Letters and digits (any script), also combining marks. */
const WORDCHAR = /[\p{L}\p{N}\p{M}]/u;
function isWordChar(ch: string): boolean {
  const c = ch.charCodeAt(0);
  if (c < 128) return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
  return WORDCHAR.test(ch);
}
function isAsciiWordChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}
function isApos(c: number): boolean {
  return c === 39 || c === 0x2019 || c === 0x2018 || c === 0x02bc || c === 0x2032;
}
function isHyphen(c: number): boolean {
  return c === 45 || c === 0x2010 || c === 0x2011;
}

const CLITICS = ["'s", "'re", "'ve", "'ll", "'d", "'m"];

/**
 * The token boundaries of the text being tokenised, [start, end) pairs from `bounds[0]` to
 * `bounds[used - 1]`, and whether each token begins a line: scratch arrays kept between calls
 * (they were plain arrays, new for every article and grown by push; bench/README.md, item 59).
 */
let bounds = new Int32Array(8192);
let lineFlags = new Uint8Array(4096);
let used = 0;

function pushBound(start: number, end: number): void {
  if (used + 2 > bounds.length) {
    const grown = new Int32Array(bounds.length * 2);
    grown.set(bounds);
    bounds = grown;
  }
  bounds[used++] = start;
  bounds[used++] = end;
}

/**
 * Splits one whitespace-free chunk [s, e) of `text` into token boundaries (`pushBound`).
 */
function splitChunk(text: string, s: number, e: number): void {
  let i = s;
  while (i < e) {
    const c = text.charCodeAt(i);
    // surrogate pair → treat as a symbol or letter
    const chLen = c >= 0xd800 && c <= 0xdbff && text.codePointAt(i)! > 0xffff ? 2 : 1;
    if (c < 128 ? isAsciiWordChar(c) : isWordChar(chLen === 2 ? text.slice(i, i + 2) : text[i])) {
      // a word: letters/digits, with internal hyphens, apostrophes, periods (U.S., 1.5), commas in numbers, &
      let j = i + chLen;
      while (j < e) {
        const cj = text.charCodeAt(j);
        if (cj < 128) {
          if (isAsciiWordChar(cj)) { j++; continue; }
        } else {
          const lj = cj >= 0xd800 && cj <= 0xdbff && text.codePointAt(j)! > 0xffff ? 2 : 1;
          if (isWordChar(lj === 2 ? text.slice(j, j + 2) : text[j])) { j += lj; continue; }
        }
        const next = j + 1 < e ? text[j + 1] : '';
        const nextIsWord = next !== '' && isWordChar(next);
        if (isHyphen(cj) && nextIsWord) { j++; continue; }
        if ((cj === 46 /* . */) && nextIsWord) { j++; continue; } // U.S.A, 1.5, e.g
        if ((cj === 44 || cj === 58) && nextIsWord && /\d/.test(text[j - 1]) && /\d/.test(next)) { j++; continue; } // 1,000  10:30
        if (cj === 47 && nextIsWord && /\d/.test(text[j - 1]) && /\d/.test(next)) { j++; continue; } // 1/2
        if (cj === 38 && nextIsWord && /[A-Z]/.test(text[j - 1]) && /[A-Z]/.test(next)) { j++; continue; } // AT&T
        if (isApos(cj) && nextIsWord) {
          // clitic split ('s, n't, 're ...) or internal apostrophe (O'Neill, Xi'an)
          const rest = normalizeToken(text.slice(j, Math.min(e, j + 4))).toLowerCase();
          let clitic = false;
          for (const cl of CLITICS) {
            if (rest.startsWith(cl) && (j + cl.length >= e || !isWordChar(text[j + cl.length]))) { clitic = true; break; }
          }
          if (clitic) break;
          if ((text[j - 1] === 'n' || text[j - 1] === 'N') && (next === 't' || next === 'T') && (j + 2 >= e || !isWordChar(text[j + 2])) && j - 1 > i) {
            // n't
            pushBound(i, j - 1);
            pushBound(j - 1, j + 2);
            i = j + 2;
            j = -1;
            break;
          }
          j++;
          continue;
        }
        break;
      }
      if (j === -1) continue;
      // trailing period: keep for abbreviations / initials / dotted acronyms
      if (j < e && text.charCodeAt(j) === 46) {
        const word = text.slice(i, j);
        const after = j + 1 < e ? text[j + 1] : '';
        // an abbreviation at the very end of a line gives its period to the sentence ("… Lear Corp.⏎")
        const lineEnd = j + 1 >= text.length || /[\r\n\u2028\u2029]/.test(text[j + 1]) || (j + 1 === e && /^\s*(?:[\r\n]|$)/.test(text.slice(e, e + 3)));
        const keep =
          after !== '.' &&
          (/^[\p{L}]$/u.test(word) || /^(?:[\p{L}]\.)+[\p{L}]$/u.test(word) || (ABBREVIATIONS.has(word.toLowerCase()) && !lineEnd));
        if (keep) j++;
      }
      pushBound(i, j);
      i = j;
      continue;
    }
    if (isApos(c)) {
      // clitic at chunk start after a split (e.g. "Kazakhstan" + "'s" handled above) or a quote
      const rest = normalizeToken(text.slice(i, Math.min(e, i + 4))).toLowerCase();
      let done = false;
      for (const cl of CLITICS) {
        if (rest.startsWith(cl) && (i + cl.length >= e || !isWordChar(text[i + cl.length])) && i > s) {
          pushBound(i, i + cl.length);
          i += cl.length;
          done = true;
          break;
        }
      }
      if (done) continue;
      pushBound(i, i + 1);
      i++;
      continue;
    }
    // runs of the same punctuation ("--", "...", "---") become one token
    if (c === 45 || c === 46 || c === 42 || c === 61) {
      let j = i + 1;
      while (j < e && text.charCodeAt(j) === c) j++;
      pushBound(i, j);
      i = j;
      continue;
    }
    pushBound(i, i + chLen);
    i += chLen;
  }
}

const SENT_END = new Set(['.', '!', '?', '...']);
const CLOSERS = new Set(['"', "'", ')', ']', '}']);

/** Tokenises raw text. Offsets are UTF-16 indices into `text`. */
export function tokenize(text: string): Token[] {
  used = 0;
  const n = text.length;
  let i = 0;
  let sawLineBreak = true;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (isSpace(c)) {
      if (isLineBreak(c)) sawLineBreak = true;
      i++;
      continue;
    }
    let j = i + 1;
    while (j < n && !isSpace(text.charCodeAt(j))) j++;
    const before = used;
    splitChunk(text, i, j);
    if (lineFlags.length < used >> 1) {
      const grown = new Uint8Array(bounds.length >> 1);
      grown.set(lineFlags);
      lineFlags = grown;
    }
    for (let k = before; k < used; k += 2) {
      lineFlags[k >> 1] = sawLineBreak ? 1 : 0;
      sawLineBreak = false;
    }
    i = j;
  }
  const tokens: Token[] = [];
  let pending = true;
  for (let k = 0; k < used; k += 2) {
    const start = bounds[k];
    const end = bounds[k + 1];
    const t = text.slice(start, end);
    const norm = normalizeToken(t);
    const lineStart = lineFlags[k >> 1] === 1;
    let sentStart = lineStart || pending;
    const prev = tokens.length ? tokens[tokens.length - 1] : undefined;
    // a closing quote / bracket glued to the sentence end still belongs to the old sentence
    if (pending && !lineStart && CLOSERS.has(norm) && prev && prev.end === start) sentStart = false;
    else pending = false;
    tokens.push({ start, end, text: t, norm, sentStart, lineStart });
    const c0 = norm.charCodeAt(0);
    if ((c0 === 46 || c0 === 33 || c0 === 63) && SENT_END.has(norm)) pending = true;
  }
  return tokens;
}
