/**
 * Single-pass tokenizer for the claim recogniser. No regular expressions, no per-token objects:
 * tokens live in parallel typed arrays (start, end, type, whitespace-before flags).
 *
 *  - Num:  ASCII digits with internal separators: "," followed by exactly three digits, "."
 *          followed by a digit ("1,234.5", "4.2", "1.2.3" — validated later).
 *  - Word: a run of letters (ASCII letters and anything non-ASCII that is not punctuation, space
 *          or a symbol; lone surrogates count as letters). Digits split words: "G20" is Word "G"
 *          + Num "20" with no gap, "58th" is Num "58" + Word "th".
 *  - Sym:  any other single character (punctuation, currency signs, "%", "-", …).
 * Whitespace separates tokens; `gap` records whether whitespace preceded a token (1), whether
 * it contained a line break (2) or a blank line (3).
 */

export const T_WORD = 1;
export const T_NUM = 2;
export const T_SYM = 3;

/** Character classes. */
const C_SYM = 0;
const C_SPACE = 1;
const C_NL = 2;
const C_DIGIT = 3;
const C_LETTER = 4;

const CLASS = new Uint8Array(65536);
(function initClasses(): void {
  for (let c = 0; c < 65536; c++) {
    let k = C_LETTER;
    if (c < 0x80) {
      if (c >= 48 && c <= 57) k = C_DIGIT;
      else if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) k = C_LETTER;
      else if (c === 10) k = C_NL;
      else if (c === 32 || c === 9 || c === 13 || c === 11 || c === 12) k = C_SPACE;
      else k = C_SYM;
    } else if (c < 0xc0) {
      k = c === 0x85 || c === 0xa0 ? C_SPACE : c === 0xaa || c === 0xb5 || c === 0xba ? C_LETTER : C_SYM;
    } else if (c === 0xd7 || c === 0xf7) k = C_SYM;
    else if (c === 0x1680 || (c >= 0x2000 && c <= 0x200b) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff) {
      k = c === 0x2028 || c === 0x2029 ? C_NL : C_SPACE;
    } else if (c >= 0x2010 && c <= 0x2bff) k = C_SYM; // punctuation, currency, letterlike, arrows, maths, shapes
    else if (c >= 0x2e00 && c <= 0x2e7f) k = C_SYM;
    else if (c >= 0x3001 && c <= 0x303f) k = C_SYM;
    else if (c >= 0xfe10 && c <= 0xfe6f) k = C_SYM;
    else if ((c >= 0xff01 && c <= 0xff0f) || (c >= 0xff1a && c <= 0xff20) || (c >= 0xff3b && c <= 0xff40) || (c >= 0xff5b && c <= 0xff65)) k = C_SYM;
    else if (c >= 0xffe0 && c <= 0xffef) k = C_SYM;
    else if (c === 0x0e3f || c === 0x058f || c === 0x060b || c === 0x09f3 || c === 0x0af1 || c === 0x0bf9 || c === 0x17db || c === 0xfdfc) k = C_SYM; // currency signs in letter blocks
    else if (c >= 0xfff0) k = C_SYM;
    CLASS[c] = k;
  }
})();

export interface Tokens {
  n: number;
  start: Int32Array;
  end: Int32Array;
  type: Uint8Array;
  /** 0: glued to the previous token; 1: spaces before; 2: a line break before; 3: a blank line before. */
  gap: Uint8Array;
}

/**
 * Tokenizes `text[from, to)` (offsets stay absolute). `reuse` lends its arrays when they are large
 * enough, so chunked processing does not allocate per chunk.
 */
export function tokenize(text: string, from = 0, to = text.length, reuse?: Tokens): Tokens {
  const len = to;
  let cap = ((to - from) >> 2) + 16;
  let start: Int32Array;
  let end: Int32Array;
  let type: Uint8Array;
  let gap: Uint8Array;
  if (reuse && reuse.start.length >= cap) {
    cap = reuse.start.length;
    start = reuse.start;
    end = reuse.end;
    type = reuse.type;
    gap = reuse.gap;
  } else {
    start = new Int32Array(cap);
    end = new Int32Array(cap);
    type = new Uint8Array(cap);
    gap = new Uint8Array(cap);
  }
  let n = 0;
  let g = 0; // pending gap state
  let i = from;

  const grow = (): void => {
    cap = cap * 2;
    const s2 = new Int32Array(cap);
    s2.set(start);
    start = s2;
    const e2 = new Int32Array(cap);
    e2.set(end);
    end = e2;
    const t2 = new Uint8Array(cap);
    t2.set(type);
    type = t2;
    const g2 = new Uint8Array(cap);
    g2.set(gap);
    gap = g2;
  };

  while (i < len) {
    const c = text.charCodeAt(i);
    const k = CLASS[c];
    if (k === C_SPACE) {
      if (g === 0) g = 1;
      i++;
      continue;
    }
    if (k === C_NL) {
      g = g >= 2 ? 3 : 2;
      i++;
      continue;
    }
    if (n === cap) grow();
    start[n] = i;
    gap[n] = n === 0 ? 3 : g;
    g = 0;
    if (k === C_DIGIT) {
      let j = i + 1;
      for (;;) {
        while (j < len && CLASS[text.charCodeAt(j)] === C_DIGIT) j++;
        if (j + 1 < len) {
          const d = text.charCodeAt(j);
          if (d === 44) {
            // "," followed by exactly three digits
            if (
              j + 3 < len + 0 &&
              CLASS[text.charCodeAt(j + 1)] === C_DIGIT &&
              CLASS[text.charCodeAt(j + 2)] === C_DIGIT &&
              CLASS[text.charCodeAt(j + 3)] === C_DIGIT &&
              (j + 4 >= len || CLASS[text.charCodeAt(j + 4)] !== C_DIGIT)
            ) {
              j += 4;
              continue;
            }
          } else if (d === 46 && CLASS[text.charCodeAt(j + 1)] === C_DIGIT) {
            j += 2;
            continue;
          }
        }
        break;
      }
      end[n] = j;
      type[n] = T_NUM;
      n++;
      i = j;
      continue;
    }
    if (k === C_LETTER) {
      let j = i + 1;
      while (j < len && CLASS[text.charCodeAt(j)] === C_LETTER) j++;
      end[n] = j;
      type[n] = T_WORD;
      n++;
      i = j;
      continue;
    }
    end[n] = i + 1;
    type[n] = T_SYM;
    n++;
    i++;
  }
  return { n, start, end, type, gap };
}
