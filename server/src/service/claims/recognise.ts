/**
 * The numeric claim recogniser: a token-level state machine over the tokens of `tokenize`.
 *
 * Triggers are digit tokens, number words, ordinal words and month names. From a trigger the
 * recogniser reads the figure (digits or words, plus a scale word), then looks a bounded number of
 * tokens forward (percent sign or word, currency code/sign/name, measure unit, duration unit, month,
 * counted noun) and backward (currency sign or code, qualifier words). Every look is bounded by a
 * constant, so the whole pass is linear in the length of the text.
 */
import type { ClaimKind, Qualifier, RawClaim } from '../types';
import * as sentencesMod from '../text/sentences';
import type { SentenceRange } from '../text/sentences';
import * as currencies from './currencies';
import * as lexicon from './lexicon';
import type { Lex } from './lexicon';
import * as tok from './tokenize';
import type { Tokens } from './tokenize';

// Imported bindings are copied into module constants: transpilers (tsx, esbuild's CJS output) turn
// imports into getter calls, which would cost a function call per token in the hot loop.
const T_WORD = 1;
const T_NUM = 2;
const T_SYM = 3;
if (tok.T_WORD !== T_WORD || tok.T_NUM !== T_NUM || tok.T_SYM !== T_SYM) throw new Error('token type constants out of sync');
const tokenize = tok.tokenize;
const lexAt = lexicon.lexAt;
const looksPlural = lexicon.looksPlural;
const singularize = lexicon.singularize;
const QUALIFIER_PHRASES = lexicon.QUALIFIER_PHRASES;
const currencyByName = currencies.currencyByName;
const currencyCodeWord = currencies.currencyCodeWord;
const currencyNounAt = currencies.currencyNounAt;
const currencySign = currencies.currencySign;
const dollarPrefix = currencies.dollarPrefix;
const isCurrencyAdjective = currencies.isCurrencyAdjective;
const splitSentencesIn = sentencesMod.splitSentencesIn;
const sentenceIndexAt = sentencesMod.sentenceIndexAt;
const isSpaceCode = sentencesMod.isSpaceCode;
/** Cheap pre-test for caption words (a plain alternation of literals: linear). */
const CAPTION_HINT = /photo|image|picture|getty/i;
/** Chunk size for long texts (characters). */
const CHUNK = 1 << 16;
/** bit `len` of TRIGGER_SHAPES[firstLetter - 'a'] is set when some trigger word has that shape */
const TRIGGER_SHAPES = lexicon.triggerShapes();

/** A cut point for chunking in [min, max): after a blank line, else a line break, else a space; else max (or text end). */
function chunkEnd(text: string, min: number, max: number): number {
  // a blank line: nothing is read across it
  const p = text.indexOf('\n\n', min);
  if (p >= 0 && p < max) return p + 1;
  // else a line break followed by a capital after a line ending a sentence
  let q = text.indexOf('\n', min);
  while (q >= 0 && q < max) {
    const a = text.charCodeAt(q - 1);
    const b = text.charCodeAt(q + 1);
    if ((a === 46 || a === 33 || a === 63) && b >= 65 && b <= 90) return q + 1;
    q = text.indexOf('\n', q + 1);
  }
  return text.length; // no safe cut: one big chunk (still linear)
}

/** Last words of qualifier phrases, to skip the phrase loop for most tokens. */
const QUAL_LAST = new Set(QUALIFIER_PHRASES.map(([w]) => w[0]));

/** A figure read at some token: digits or words, with its scale. */
interface Core {
  first: number;
  /** last token of the figure (including scale word / glued suffix) */
  last: number;
  /** value = Number(mant + 'e' + exp) */
  mant: string;
  exp: number;
  spelled: boolean;
  /** digits without separators or decimals */
  plainInt: boolean;
  /** number of digits of the raw figure */
  digits: number;
  scaled: boolean;
  /** unit / percent glued to the digits ("66km", "5pc"), already consumed */
  gluedUnit?: string;
  gluedPct?: string;
  /** ordinal ("58th", "twenty-first") */
  ord?: boolean;
}

interface Draft {
  first: number;
  last: number;
  s: number;
  e: number;
  kind: ClaimKind;
  value: number | string;
  unit: string | null;
  qualifier: Qualifier;
  /** flags influencing check-worthiness */
  vague?: boolean;
  trivia?: boolean;
  bare?: boolean;
  scaled?: boolean;
  hasYear?: boolean;
  dateline?: boolean;
  /** lower-case word before the figure (kept for bare figures) */
  prevWord?: string;
}

const CH_HYPHENS = new Set([45, 0x2010, 0x2011]);
const CH_DASHES = new Set([45, 0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2212]);
const CH_OPEN_QUOTES = new Set([34, 39, 0x201c, 0x2018, 0xab, 0x201e, 40, 91]);
const CH_QUOTES = new Set([34, 39, 0x201c, 0x201d, 0x2018, 0x2019, 0xab, 0xbb, 0x201e]);
const CH_SENT_END = new Set([46, 33, 63, 58, 59, 0x2026, 34, 0x201c, 0x201d, 39, 0x2018, 0x2019, 40, 41, 0x2014, 0x2013, 45, 62, 124, 0x2022, 42, 35]);

function num(mant: string, exp: number): number {
  return exp === 0 ? Number(mant) : Number(mant + 'e' + exp);
}
function pad2(n: number): string {
  return n < 10 ? '0' + n : String(n);
}
function isUpperCode(c: number): boolean {
  return c >= 65 && c <= 90;
}

export class Recogniser {
  private readonly text: string;
  private n = 0;
  private st: Int32Array = new Int32Array(0);
  private en: Int32Array = new Int32Array(0);
  private ty: Uint8Array = new Uint8Array(0);
  private gap: Uint8Array = new Uint8Array(0);
  private readonly drafts: Draft[] = [];
  /** lookbacks never reach before this token (the previous claim's tokens are taken) */
  private minTok = 0;
  /** token index → qualifier forced by a range read earlier ("from two to five years") */
  private forcedQual = new Map<number, Qualifier>();
  /** the year of a dateline, for dates written without a year */
  private refYear: number | undefined;
  private lineStarts: Int32Array | null = null;
  private lineInfo = new Map<number, { caption: boolean; short: boolean; byline: boolean }>();
  /** the paragraph whose sentences were split last */
  private para: { start: number; end: number; sentences: SentenceRange[] } | null = null;

  constructor(text: string) {
    this.text = text;
  }

  /** Work on a new chunk of tokens (state that refers to token indices is reset). */
  private setTokens(tk: Tokens): void {
    this.n = tk.n;
    this.st = tk.start;
    this.en = tk.end;
    this.ty = tk.type;
    this.gap = tk.gap;
    this.minTok = 0;
    this.forcedQual.clear();
  }

  /**
   * Runs over the whole text in chunks of about CHUNK characters cut at paragraph breaks (claims
   * never cross one), reusing the token arrays.
   */
  runAll(): void {
    const text = this.text;
    const len = text.length;
    let from = 0;
    let tk: Tokens | undefined;
    while (from < len) {
      let to = len;
      if (len - from > CHUNK * 2) {
        to = chunkEnd(text, from + CHUNK, Math.min(len, from + CHUNK * 16));
      }
      tk = tokenize(text, from, to, tk);
      this.setTokens(tk);
      this.run();
      from = to;
    }
  }

  // ---------------------------------------------------------------- token helpers

  private isWord(i: number): boolean {
    return i >= 0 && i < this.n && this.ty[i] === T_WORD;
  }
  private isNum(i: number): boolean {
    return i >= 0 && i < this.n && this.ty[i] === T_NUM;
  }
  private symCode(i: number): number {
    return i >= 0 && i < this.n && this.ty[i] === T_SYM ? this.text.charCodeAt(this.st[i]) : -1;
  }
  private lx(i: number): Lex | undefined {
    return i >= 0 && i < this.n && this.ty[i] === T_WORD ? lexAt(this.text, this.st[i], this.en[i]) : undefined;
  }
  private raw(i: number): string {
    return this.text.slice(this.st[i], this.en[i]);
  }
  private lower(i: number): string {
    return i >= 0 && i < this.n && this.ty[i] === T_WORD ? this.raw(i).toLowerCase() : '';
  }
  private is(i: number, word: string): boolean {
    if (i < 0 || i >= this.n || this.ty[i] !== T_WORD || this.en[i] - this.st[i] !== word.length) return false;
    for (let k = 0; k < word.length; k++) {
      let c = this.text.charCodeAt(this.st[i] + k);
      if (c >= 65 && c <= 90) c += 32;
      if (c !== word.charCodeAt(k)) return false;
    }
    return true;
  }
  private capitalised(i: number): boolean {
    if (!this.isWord(i)) return false;
    const c = this.text.charCodeAt(this.st[i]);
    if (isUpperCode(c)) return true;
    if (c < 0xc0) return false;
    const ch = this.text[this.st[i]];
    return ch !== ch.toLowerCase();
  }
  private allCaps(i: number): boolean {
    for (let k = this.st[i]; k < this.en[i]; k++) {
      const c = this.text.charCodeAt(k);
      if (!isUpperCode(c)) return false;
    }
    return true;
  }
  /** token i is glued to the previous one */
  private glued(i: number): boolean {
    return i > 0 && i < this.n && this.gap[i] === 0;
  }
  /** token i follows closely: same line, or the next line of hard-wrapped text (starts in lower case) */
  private near(i: number): boolean {
    const g = this.gap[i];
    if (g <= 1) return true;
    if (g > 2) return false;
    const c = this.text.charCodeAt(this.st[i]);
    return c >= 97 && c <= 122;
  }
  /** like `near`, but separated by white space */
  private spaced(i: number): boolean {
    return this.gap[i] !== 0 && this.near(i);
  }
  /** token i follows on the same line */
  private sameLine(i: number): boolean {
    return i < this.n && this.gap[i] < 2;
  }
  /** token i starts a sentence (previous token ends one, or a line break precedes). */
  private sentenceStart(i: number): boolean {
    if (i === 0 || this.gap[i] >= 2) return true;
    const c = this.symCode(i - 1);
    return c >= 0 && CH_SENT_END.has(c);
  }

  // ---------------------------------------------------------------- driver

  run(): Draft[] {
    const n = this.n;
    const text = this.text;
    for (let i = 0; i < n; i++) {
      const t = this.ty[i];
      let next = i + 1;
      if (t === T_NUM) next = this.fromDigits(i);
      else if (t === T_WORD) {
        // cheap filter on (first letter, length) before hashing the word
        const s = this.st[i];
        const len = this.en[i] - s;
        if (len > 15) continue;
        const c0 = text.charCodeAt(s) | 0x20;
        if (c0 < 97 || c0 > 122 || (TRIGGER_SHAPES[c0 - 97] & (1 << len)) === 0) continue;
        const lx = lexAt(text, s, this.en[i]);
        if (lx === undefined) continue;
        if (lx.month !== undefined) next = this.fromMonth(i, lx);
        if (next === i + 1 && (lx.card !== undefined || lx.scale !== undefined)) next = this.fromWords(i, lx);
        if (next === i + 1 && lx.ord !== undefined) next = this.fromOrdinalWord(i, lx.ord, i);
      }
      if (next > i + 1) i = next - 1;
    }
    return this.drafts;
  }

  private emit(d: Draft): void {
    const q = this.forcedQual.get(d.first);
    if (q !== undefined && d.qualifier === 'exact') d.qualifier = q;
    if (d.bare) d.prevWord = this.lower(d.first - 1);
    this.drafts.push(d);
    this.minTok = d.last + 1;
  }

  // ---------------------------------------------------------------- skipping names, times, phones

  /** Skip an alphanumeric name chain glued together ("G20", "T-72BA", "COVID-19"). */
  private skipChain(i: number): number {
    let k = i + 1;
    while (k < this.n && this.gap[k] === 0) {
      const t = this.ty[k];
      if (t === T_WORD || t === T_NUM) k++;
      else if (CH_HYPHENS.has(this.symCode(k)) && k + 1 < this.n && this.gap[k + 1] === 0 && this.ty[k + 1] !== T_SYM) k++;
      else break;
    }
    return k;
  }

  // ---------------------------------------------------------------- digits

  private fromDigits(i: number): number {
    const text = this.text;
    const n = this.n;
    // ----- what is glued before
    if (this.glued(i)) {
      const p = i - 1;
      const pt = this.ty[p];
      if (pt === T_WORD) {
        const dollarAfter = this.symCode(p - 1) === 36 && this.glued(p) && dollarPrefix(this.lower(p)) !== undefined; // "$US5m"
        if (!currencyCodeWord(this.raw(p)) && !dollarAfter) return this.skipChain(i);
      } else if (pt === T_SYM) {
        const c = this.symCode(p);
        if (CH_HYPHENS.has(c) && this.glued(p)) {
          if (this.ty[p - 1] === T_WORD) {
            const w = this.lower(p - 1);
            if (!(w === 'mid' || w === 'pre' || w === 'post' || w === 'early' || w === 'late' || w === 'end' || w === 'fy' || w === 'circa')) {
              return this.skipChain(i);
            }
          } else if (this.ty[p - 1] === T_NUM && !this.forcedQual.has(i)) {
            return this.skipChain(i); // tail of a chain that its head did not take
          }
        } else if (c === 43 /* + */) {
          if (this.symCode(i + 1) !== 37 && this.gap[p] !== 0) return this.skipPhone(i);
        } else if (c === 46 /* . */ && this.isWord(p - 1) && this.glued(p) && currencyCodeWord(this.raw(p - 1))) {
          // "Rs.500"
        } else if (c === 35 /* # */ || c === 64 /* @ */ || c === 95 /* _ */ || c === 47 /* / */ || c === 58 /* : */ || c === 46 /* . */ || c === 92) {
          return this.skipChain(i);
        } else if (c === 44 /* , */ && this.glued(p) && this.ty[p - 1] === T_NUM) {
          return this.skipChain(i); // "1,2,3": a list or garbage, not prose
        }
      }
    }
    const frac = this.fraction(i);
    if (frac) return this.classify(frac, false) ?? frac.last + 1;
    // ----- what is glued after: times, fractions, chains
    const j = i + 1;
    if (j < n && this.gap[j] === 0 && this.ty[j] === T_SYM && j + 1 < n && this.gap[j + 1] === 0 && this.ty[j + 1] === T_NUM) {
      const c = this.symCode(j);
      if (c === 58 /* : */) return this.skipTime(i);
      if (c === 47 /* / */ || c === 46 || c === 44 || c === 0xd7 || c === 120) return this.skipChain(i);
      if (CH_HYPHENS.has(c)) {
        // NUM-NUM-NUM: an ISO date or a phone / ID number
        const k = j + 2;
        if (k + 1 < n && this.gap[k] === 0 && CH_HYPHENS.has(this.symCode(k)) && this.gap[k + 1] === 0 && this.ty[k + 1] === T_NUM) {
          return this.isoDate(i) ?? this.skipChain(i);
        }
      }
    }
    if (this.isWord(j) && this.gap[j] === 0 && this.lower(j) === 'x') return this.skipChain(i);
    // "4-G20", "2024-Kazakhstan": a figure hyphenated to a capitalised word is a name
    if (CH_HYPHENS.has(this.symCode(j)) && this.gap[j] === 0 && this.gap[j + 1] === 0 && this.capitalised(j + 1)) {
      const l2 = this.lx(j + 1);
      if (!(l2 && (l2.unit !== undefined || l2.time !== undefined || l2.month !== undefined || l2.card !== undefined))) return this.skipChain(i);
    }
    // "1,2": a figure glued to a comma and another figure
    if (this.symCode(j) === 44 && this.gap[j] === 0 && this.isNum(j + 1) && this.gap[j + 1] === 0) return this.skipChain(i);
    // list markers "1." / "2)" at the start of a line
    if (this.gap[i] >= 2 && (this.symCode(j) === 46 || this.symCode(j) === 41) && this.gap[j] === 0 && (j + 1 >= n || this.gap[j + 1] >= 1)) {
      if (this.en[i] - this.st[i] <= 2 && (this.ty[j + 1] === T_WORD || this.ty[j + 1] === T_NUM)) return j + 1;
    }
    const core = this.digitsCore(i);
    if (core === null) return this.skipChain(i);
    if (core.ord) return this.fromOrdinalDigits(core);
    return this.classify(core, false) ?? i + 1;
  }

  /** Newswire fractions: "3-1/2" (3.5), "1/4" (0.25); null if the figure at i is not one. */
  private fraction(i: number): Core | null {
    let whole = -1;
    let k = i;
    if (CH_HYPHENS.has(this.symCode(i + 1)) && this.gap[i + 1] === 0 && this.isNum(i + 2) && this.gap[i + 2] === 0 && this.symCode(i + 3) === 47 && this.gap[i + 3] === 0) {
      const w = this.raw(i);
      if (w.length > 6 || w.indexOf('.') >= 0 || w.indexOf(',') >= 0) return null;
      whole = +w;
      k = i + 2;
    }
    if (!(this.symCode(k + 1) === 47 && this.gap[k + 1] === 0 && this.isNum(k + 2) && this.gap[k + 2] === 0)) return null;
    if (k + 3 < this.n && this.gap[k + 3] === 0 && this.ty[k + 3] !== T_WORD && this.symCode(k + 3) !== 37) return null; // "1/2/2024"
    const a = this.raw(k);
    const b = this.raw(k + 2);
    if (!/^\d{1,2}$/.test(a) || !/^(2|3|4|8|16|32|64)$/.test(b) || +a >= +b) return null;
    const value = (whole < 0 ? 0 : whole) + +a / +b;
    const mant = String(value);
    return { first: i, last: k + 2, mant, exp: 0, spelled: false, plainInt: false, digits: mant.length, scaled: false };
  }

  private skipTime(i: number): number {
    let k = i + 1;
    while (k + 1 < this.n && this.gap[k] === 0 && this.symCode(k) === 58 && this.gap[k + 1] === 0 && this.ty[k + 1] === T_NUM) k += 2;
    if (this.isWord(k) && this.lx(k)?.clock) k++;
    return k;
  }

  private skipPhone(i: number): number {
    let k = i + 1;
    let steps = 0;
    while (k < this.n && steps < 12 && this.gap[k] <= 1) {
      const t = this.ty[k];
      const c = this.symCode(k);
      if (t === T_NUM || CH_HYPHENS.has(c) || c === 40 || c === 41 || c === 46) {
        k++;
        steps++;
      } else break;
    }
    return k;
  }

  private isoDate(i: number): number | null {
    const a = this.raw(i);
    const b = this.raw(i + 2);
    const c = this.raw(i + 4);
    if (a.length === 4 && b.length === 2 && c.length === 2) {
      const y = +a;
      const m = +b;
      const d = +c;
      if (y >= 1000 && y <= 2100 && m >= 1 && m <= 12 && d >= 1 && d <= 31) {
        if (i + 5 < this.n && this.gap[i + 5] === 0 && (this.ty[i + 5] !== T_SYM || CH_HYPHENS.has(this.symCode(i + 5)))) return null;
        this.emitDate(i, i + 4, y, m, d);
        return i + 5;
      }
    }
    return null;
  }

  /** Parse the figure at digit token i with its glued suffix and scale word. */
  private digitsCore(i: number): Core | null {
    const text = this.text;
    const s = this.st[i];
    const e = this.en[i];
    const len = e - s;
    if (len > 30) return null;
    let raw = text.slice(s, e);
    let plainInt = true;
    if (raw.indexOf(',') >= 0) {
      raw = raw.split(',').join('');
      plainInt = false;
    }
    const dot = raw.indexOf('.');
    if (dot >= 0) {
      plainInt = false;
      if (raw.indexOf('.', dot + 1) >= 0) {
        // several dots: European thousands ("1.234.567") or a version number
        const parts = raw.split('.');
        for (let k = 1; k < parts.length; k++) if (parts[k].length !== 3) return null;
        raw = parts.join('');
      }
    }
    const core: Core = { first: i, last: i, mant: raw, exp: 0, spelled: false, plainInt, digits: len, scaled: false };
    if (!Number.isFinite(Number(raw))) return null;
    let j = i + 1;
    // glued suffix
    if (j < this.n && this.gap[j] === 0 && this.ty[j] === T_WORD) {
      const suf = this.lower(j);
      const lx = this.lx(j);
      if (suf === 'st' || suf === 'nd' || suf === 'rd' || suf === 'th') {
        if (!plainInt) return null;
        core.ord = true;
        core.last = j;
        return core;
      }
      if (suf === 's' && plainInt && len === 4) return null; // "1990s"
      if (lx?.pct === '%' && suf !== 'percentage') {
        // "5pc", "12percent", "3pct"
        core.gluedPct = '%';
        core.last = j;
        return core;
      }
      if (suf === 'pc') {
        core.gluedPct = '%';
        core.last = j;
        return core;
      }
      if (lx?.scale !== undefined && lx.scale >= 3 && !(suf === 'm' && !this.moneyAround(i)) && !(suf === 'b' && !this.moneyAround(i))) {
        core.exp = lx.scale;
        core.scaled = true;
        core.last = j;
        j++;
      } else if (lx?.unit !== undefined && (!lx.unitGlued || this.text.charCodeAt(this.st[j]) >= 97)) {
        core.gluedUnit = lx.unit;
        core.last = j;
        if (lx.unit === 'km' && this.symCode(j + 1) === 47 && this.is(j + 2, 'h')) core.last = j + 2;
        return core;
      } else if (lx?.time !== undefined) {
        // "5yrs" — leave it to classify, which reads glued time units
      } else if (lx?.clock) {
        return null;
      } else if (this.currencyAfterAt(j) === null) {
        return null; // "5G", "3D", "A53"-like: a name
      }
    }
    // hyphenated scale word: "$1.2-billion deal"
    if (!core.scaled && CH_HYPHENS.has(this.symCode(j)) && this.gap[j] === 0 && this.gap[j + 1] === 0 && this.isWord(j + 1)) {
      const lx = this.lx(j + 1);
      if (lx?.scale !== undefined && lx.scale >= 3 && !lx.scaleWeak) {
        core.exp = lx.scale;
        core.scaled = true;
        core.last = j + 1;
        j += 2;
      }
    }
    // spaced scale word
    if (!core.scaled && j < this.n && this.spaced(j) && this.ty[j] === T_WORD) {
      const lx = this.lx(j);
      if (lx?.scale !== undefined && lx.scale >= 2) {
        const w = this.lower(j);
        const weakOk = !lx.scaleWeak || w === 'millions' || w === 'billions' || ((w === 'm' || w === 'k' || w === 'b') && this.moneyAround(i));
        if (weakOk && !(w === 'm' && this.text.charCodeAt(this.st[j]) === 109 && !this.moneyAround(i))) {
          core.exp = lx.scale;
          core.scaled = true;
          core.last = j;
          j++;
          // "1.5 thousand million"
          const lx2 = this.lx(j);
          if (lx2?.scale !== undefined && !lx2.scaleWeak && this.spaced(j) && lx2.scale >= 3) {
            core.exp += lx2.scale;
            core.last = j;
          }
        }
      }
    }
    return core;
  }

  /** Is there a currency sign/code right before token i, or a currency word right after? */
  private moneyAround(i: number): boolean {
    if (this.currencyBefore(i) !== null) return true;
    let j = i + 1;
    if (j < this.n && this.gap[j] === 0 && this.ty[j] === T_WORD) j++;
    return j < this.n && this.near(j) && this.currencyAfterAt(j) !== null;
  }

  // ---------------------------------------------------------------- words

  private fromWords(i: number, lx: Lex): number {
    // a capitalised number word inside a sentence is part of a name ("Group of Seven", "Formula One")
    if (this.capitalised(i) && !this.sentenceStart(i) && !this.allCapsLine(i)) return i + 1;
    let core: Core | null;
    if (lx.card === undefined) {
      // "a thousand", "a million": only after "a"
      if (!(this.is(i - 1, 'a') && this.gap[i] === 1 && i - 1 >= this.minTok)) return i + 1;
      core = this.wordsCore(i, true);
    } else core = this.wordsCore(i, false);
    if (core === null) return i + 1;
    if (core.ord) return this.fromOrdinalWord(i, Number(core.mant), core.last);
    return this.classify(core, false) ?? i + 1;
  }

  /** Read a spelled-out number from token i ("twenty-seven", "two hundred and fifty thousand"). */
  private wordsCore(i: number, impliedOne: boolean): Core | null {
    let total = 0;
    let cur = impliedOne ? 1 : 0;
    let k = i;
    let last = i;
    let sawUnit = false;
    let sawTens = false;
    let scaled = false;
    let steps = 0;
    let ord: number | undefined;
    while (k < this.n && steps < 16) {
      steps++;
      if (k > i && this.gap[k] >= 2) break;
      const lx = this.lx(k);
      if (lx === undefined) break;
      if (lx.card !== undefined) {
        if (lx.tens) {
          if (sawTens || sawUnit) break;
          cur += lx.card;
          sawTens = true;
          last = k;
          // twenty-seven / twenty-seventh
          if (CH_HYPHENS.has(this.symCode(k + 1)) && this.gap[k + 1] === 0 && this.gap[k + 2] === 0) {
            const l2 = this.lx(k + 2);
            if (l2?.card !== undefined && !l2.tens && l2.card > 0 && l2.card < 10) {
              cur += l2.card;
              sawUnit = true;
              last = k + 2;
              k += 3;
              continue;
            }
            if (l2?.ord !== undefined && l2.ord < 10) {
              ord = cur + l2.ord;
              last = k + 2;
              break;
            }
          }
          k++;
          continue;
        }
        if (sawUnit || (sawTens && lx.card >= 10)) break;
        if (k > i && this.gap[k] === 0) break;
        cur += lx.card;
        sawUnit = true;
        last = k;
        k++;
        continue;
      }
      if (lx.scale !== undefined && !lx.scaleWeak && (k === i ? impliedOne : true) && (sawUnit || sawTens || (k === i && impliedOne) || cur > 0)) {
        if (lx.scale === 2) cur = (cur || 1) * 100;
        else {
          total += (cur || 1) * Math.pow(10, lx.scale);
          cur = 0;
        }
        scaled = true;
        sawUnit = false;
        sawTens = false;
        last = k;
        k++;
        // "two hundred and fifty"
        if (this.is(k, 'and') && this.lx(k + 1)?.card !== undefined) k++;
        continue;
      }
      if (lx.ord !== undefined && k > i && !sawUnit && (sawTens || scaled)) {
        // "one hundred and first" – rare; treat as ordinal
        ord = total + cur + lx.ord;
        last = k;
        break;
      }
      break;
    }
    if (this.is(last, 'and')) last--;
    const value = ord ?? total + cur;
    if (!Number.isFinite(value)) return null;
    return {
      first: i,
      last,
      mant: String(value),
      exp: 0,
      spelled: true,
      plainInt: true,
      digits: String(value).length,
      scaled,
      ord: ord !== undefined,
    };
  }

  // ---------------------------------------------------------------- classification after a figure

  /**
   * Decide what the figure in `core` is from what follows and precedes it. Emits the claim unless
   * `dry`; returns the token index to continue from, or null when the figure is no claim.
   */
  private classify(core: Core, dry: boolean, out?: { draft?: Draft }): number | null {
    const n = this.n;
    let j = core.last + 1;
    const before = this.currencyBefore(core.first);
    let spanFirst = before ? before.tok : core.first;
    const value = num(core.mant, core.exp);
    const small = core.spelled && value <= 10;
    const d: Draft = {
      first: spanFirst,
      last: core.last,
      s: this.st[spanFirst],
      e: this.en[core.last],
      kind: 'count',
      value,
      unit: null,
      qualifier: 'exact',
      scaled: core.scaled,
    };
    let decided = false;

    // ---- percent
    if (core.gluedPct) {
      d.kind = 'percent';
      d.unit = core.gluedPct;
      decided = true;
    } else if (j < n && this.near(j)) {
      const c = this.symCode(j);
      if (c === 37 || c === 0xff05) {
        d.kind = 'percent';
        d.unit = '%';
        d.last = j;
        decided = true;
      } else if (c === 0x2030) {
        d.kind = 'percent';
        d.unit = '‰';
        d.last = j;
        decided = true;
      } else if (this.ty[j] === T_WORD) {
        const w = this.lower(j);
        if (w === 'percent' || w === 'pct' || (w === 'pc' && this.gap[j] === 0)) {
          d.kind = 'percent';
          d.unit = '%';
          d.last = j;
          decided = true;
        } else if (w === 'per' && this.is(j + 1, 'cent') && this.gap[j + 1] <= 1) {
          d.kind = 'percent';
          d.unit = '%';
          d.last = j + 1;
          decided = true;
        } else if (w === 'per' && CH_HYPHENS.has(this.symCode(j + 1)) && this.is(j + 2, 'cent')) {
          d.kind = 'percent';
          d.unit = '%';
          d.last = j + 2;
          decided = true;
        } else if ((w === 'percentage' || w === 'basis') && (this.is(j + 1, 'points') || this.is(j + 1, 'point'))) {
          d.kind = 'percent';
          d.unit = w === 'basis' ? 'bp' : 'pp';
          d.last = j + 1;
          decided = true;
        } else if (w === 'bps' || w === 'bp') {
          d.kind = 'percent';
          d.unit = 'bp';
          d.last = j;
          decided = true;
        }
      }
    }

    // ---- money
    if (!decided && before) {
      d.kind = 'money';
      d.unit = before.code;
      decided = true;
      // "$5 million dollars", "US$ 300m USD": swallow a repeated currency word
      if (j < n && this.near(j)) {
        const after = this.currencyAfterAt(j);
        if (after && (after.code === before.code || after.generic)) d.last = after.last;
      }
    }
    if (!decided && j < n && this.near(j)) {
      const jj = CH_HYPHENS.has(this.symCode(j)) && this.gap[j] === 0 && this.gap[j + 1] === 0 ? j + 1 : j;
      const after = this.currencyAfterAt(jj);
      if (after && !(after.weight && !core.scaled)) {
        d.kind = 'money';
        d.unit = after.code;
        d.last = after.last;
        if (after.factor !== 1) d.value = num(core.mant, core.exp - 2);
        decided = true;
      }
    }
    if (d.kind === 'money' && small && !core.scaled && !before) {
      // "two dollars" fine; nothing to do
    }

    // ---- measure
    if (!decided && core.gluedUnit) {
      d.kind = 'measure';
      d.unit = core.gluedUnit;
      decided = true;
    }
    if (!decided && j < n && this.near(j)) {
      const m = this.unitAt(j);
      if (m) {
        d.kind = 'measure';
        d.unit = m.unit;
        d.last = m.last;
        decided = true;
      }
    }

    // ---- duration / age
    if (!decided && j < n && this.near(j)) {
      let k = j;
      let hyph = false;
      if (CH_HYPHENS.has(this.symCode(k)) && this.gap[k] === 0 && this.gap[k + 1] === 0) {
        k++;
        hyph = true;
      }
      const lx = this.lx(k);
      if (lx?.time !== undefined && (hyph || this.near(k)) && !(lx.time === 'second' && core.spelled)) {
        d.kind = 'duration';
        d.unit = lx.time;
        d.last = k;
        decided = true;
        // "28-year-old", "75 years old", "year-olds"
        if (CH_HYPHENS.has(this.symCode(k + 1)) && this.gap[k + 1] === 0 && (this.is(k + 2, 'old') || this.is(k + 2, 'olds'))) d.last = k + 2;
        else if (this.is(k + 1, 'old') && this.gap[k + 1] === 1) d.last = k + 1;
        else if (this.is(k + 1, 'ago')) d.vague = true;
        else if (this.is(k + 1, 'from') && this.is(k + 2, 'now')) d.vague = true;
        else if (hyph && this.is(k - 2, 'one')) {
          /* "one-year" */
        }
      }
    }

    // ---- date: "23 May 2024"
    if (!decided && core.plainInt && !core.spelled && !core.scaled && value >= 1 && value <= 31 && j < n && this.gap[j] <= 1) {
      const lx = this.lx(j);
      if (lx?.month !== undefined && (this.capitalised(j) || !lx.monthWeak)) {
        if (dry) return null;
        return this.finishDayMonth(core.first, lx.month, value, j);
      }
    }

    // ---- "one" only with a unit
    if (!decided && core.spelled && value === 1 && !core.scaled) return null;

    // ---- year
    if (!decided && core.plainInt && !core.spelled && !core.scaled && core.digits === 4 && value >= 1000 && value <= 2100 && !before) {
      const nounAfter = this.countNoun(j, value);
      const q = this.qualifierBefore(spanFirst, false);
      const yearLike = value >= 1800;
      if (!(nounAfter && (!yearLike || q !== 'exact') && !this.prevIsYearPrep(core.first))) {
        if (this.yearIsName(core.first)) return dry ? null : core.last + 1;
        d.kind = 'year';
        d.unit = null;
        d.hasYear = true;
        decided = true;
      }
    }

    // ---- name before a plain figure: "Expo 2024", "Boeing 747", "Article 5"
    if (!decided && !core.spelled && core.plainInt && !before && this.nameBefore(core.first)) return dry ? null : core.last + 1;

    // ---- count
    let nounTok = -1;
    if (!decided) {
      // anaphoric "the two countries", "both three"
      if (small && this.lx(core.first - 1)?.det && core.first - 1 >= this.minTok) return null;
      // "ten times", "twice": multipliers with "times" are counts of 'time'
      const noun = this.countNoun(j, value);
      if (noun) {
        d.kind = 'count';
        d.unit = noun.unit;
        nounTok = noun.tok;
        if (noun.fused) d.last = noun.tok;
        decided = true;
      } else if (core.spelled) {
        // a spelled number without a noun: maybe a range "two to five years"
        const r = this.rangeTail(core, d, dry);
        if (r !== null) return r;
        return null;
      } else {
        const r = this.rangeTail(core, d, dry);
        if (r !== null) return r;
        // "passed the 10,000 mark": a milestone, not a count
        if (this.is(j, 'mark') || this.is(j, 'level') || this.is(j, 'threshold')) return dry ? null : j + 1;
        // clock times: "at 10 a.m."
        if ((this.is(j, 'a') || this.is(j, 'p')) && this.symCode(j + 1) === 46 && this.is(j + 2, 'm')) return dry ? null : j + 3;
        if (this.is(j, 'o') && (this.symCode(j + 1) === 39 || this.symCode(j + 1) === 0x2019) && this.is(j + 2, 'clock')) return dry ? null : j + 3;
        // age: "at the age of 75", "aged 75", "Han Duck-soo, 74, said"
        const apposition =
          core.plainInt && value >= 1 && value <= 120 && this.symCode(core.first - 1) === 44 &&
          (this.capitalised(core.first - 2) || (this.glued(core.first - 2) && CH_HYPHENS.has(this.symCode(core.first - 3)) && this.capitalised(core.first - 4))) &&
          (this.symCode(j) === 44 || this.symCode(j) === 41) && this.gap[j] === 0;
        if ((this.is(core.first - 1, 'of') && this.is(core.first - 2, 'age')) || this.is(core.first - 1, 'aged') || apposition) {
          d.kind = 'duration';
          d.unit = 'year';
        } else {
          d.kind = 'count';
          d.unit = this.numberOfNoun(core.first);
          d.bare = d.unit === null;
        }
        decided = true;
      }
    } else if (d.kind !== 'year') {
      // unit-bearing figure: a range "10-15%" starting here is handled by the head; nothing to do
    }

    // ---- qualifier
    d.qualifier = this.qualifierBefore(spanFirst, small);
    // after: "or more", "or so", "plus", "+"
    const a = d.last + 1;
    if (a < n) {
      if (this.symCode(a) === 43 && this.gap[a] === 0) {
        d.qualifier = 'over';
      } else if (this.is(a, 'or') && this.gap[a] <= 1) {
        if (this.is(a + 1, 'more')) d.qualifier = 'at-least';
        else if (this.is(a + 1, 'so')) d.qualifier = 'approx';
        else if (this.is(a + 1, 'less') || this.is(a + 1, 'fewer')) d.qualifier = 'at-most';
      } else if (this.is(a, 'plus') && (this.gap[a] === 0 || CH_HYPHENS.has(this.symCode(a - 1)))) {
        d.qualifier = 'over';
      }
    }
    // ---- "58th place out of 145"-like absorption is for ranks only; counts keep their noun outside the span
    d.e = this.en[d.last];
    if (out) out.draft = d;
    if (dry) return d.last + 1;
    this.emit(d);
    return Math.max(d.last + 1, nounTok >= 0 ? d.last + 1 : d.last + 1);
  }

  /** A range "two to five years", "10-15%", "between 5 and 7 million": the head takes the tail's unit. */
  private rangeTail(core: Core, d: Draft, dry: boolean): number | null {
    if (dry) return null;
    const n = this.n;
    let j = core.last + 1;
    if (j >= n || this.gap[j] > 1) return null;
    const c = this.symCode(j);
    const between = this.is(core.first - 1, 'between');
    const from = this.is(core.first - 1, 'from');
    let isRange = false;
    if (this.is(j, 'to') || (between && this.is(j, 'and'))) isRange = true;
    else if (CH_DASHES.has(c) && (this.gap[j] === 0 || c !== 45)) isRange = true;
    if (!isRange) return null;
    const k = j + 1;
    if (k >= n || this.gap[k] > 1) return null;
    let tail: Core | null = null;
    if (this.ty[k] === T_NUM) {
      tail = this.digitsCoreSafe(k);
    } else {
      const lx = this.lx(k);
      if (lx?.card !== undefined) tail = this.wordsCore(k, false);
    }
    if (!tail || tail.ord) return null;
    // a dash joins a range only when it increases ("10-15%"); "3-1 win", "52-48" are scores and votes
    if (!this.is(j, 'to') && !this.is(j, 'and') && !(num(tail.mant, 0) > num(core.mant, 0))) return null;
    const holder: { draft?: Draft } = {};
    const saveMin = this.minTok;
    this.minTok = k; // the tail must not look back into the head
    this.classify(tail, true, holder);
    this.minTok = saveMin;
    const t = holder.draft;
    if (!t || t.kind === 'count' || t.kind === 'year' || t.kind === 'date' || t.kind === 'rank') {
      if (!(t && t.kind === 'count' && t.unit !== null && !core.spelled)) return null;
    }
    // the head inherits kind, unit and (when it has none) the tail's scale
    d.kind = t.kind;
    d.unit = t.unit;
    let exp = core.exp;
    if (!core.scaled && tail.scaled) exp = tail.exp;
    d.value = num(core.mant, exp);
    if (t.kind === 'money' && t.value !== num(tail.mant, tail.exp)) {
      // cents
      d.value = num(core.mant, exp - 2);
    }
    const change = this.changeVerbBefore(core.first - (from ? 1 : 0));
    if (!change) {
      d.qualifier = 'at-least';
      this.forcedQual.set(k, 'at-most');
    } else d.qualifier = this.qualifierBefore(d.first, core.spelled && num(core.mant, 0) <= 10);
    if (this.qualifierBefore(d.first, false) !== 'exact' && !from && !between) d.qualifier = this.qualifierBefore(d.first, false);
    d.e = this.en[d.last];
    this.emit(d);
    return d.last + 1;
  }

  private digitsCoreSafe(i: number): Core | null {
    if (this.gap[i] === 0 && this.ty[i - 1] === T_WORD) return null;
    return this.digitsCore(i);
  }

  private changeVerbBefore(i: number): boolean {
    for (let k = i - 1; k >= Math.max(this.minTok, i - 3); k--) {
      const w = this.lower(k);
      if (!w) return false;
      if (/^(rose|rise|rising|rises|fell|fall|falls|falling|increased?|increases|increasing|decreased?|decreases|grew|grow|grows|climbed?|dropped|drop|declined?|jumped|jump|up|down|cut|raised?|reduced?|lowered?|lifted|boosted|slipped|slid|surged|soared|plunged|edged|moved|changed|went|gone|narrowed|widened|expanded|shrank|revised|adjusted)$/.test(w)) return true;
    }
    return false;
  }

  private prevIsYearPrep(i: number): boolean {
    const w = this.lower(i - 1);
    return w === 'in' || w === 'since' || w === 'by' || w === 'until' || w === 'till' || w === 'from' || w === 'before' || w === 'after' || w === 'of' || w === 'during';
  }

  /** A year that is part of a name: "the 2030 World Expo", "“2024 Kazakhstan-Korea Roadshow”". */
  private yearIsName(i: number): boolean {
    if (this.nameBefore(i)) return true;
    const j = i + 1;
    if (!(j < this.n && this.gap[j] === 1 && this.capitalised(j))) return false;
    const lx = this.lx(j);
    if (lx?.month !== undefined || lx?.weekday) return false;
    const p = i - 1;
    if (i === 0 || this.gap[i] >= 2) return true;
    const pc = this.symCode(p);
    if (pc >= 0 && CH_OPEN_QUOTES.has(pc)) return true;
    return this.is(p, 'the') || this.is(p, 'a') || this.is(p, 'its') || this.is(p, 'this') || this.is(p, 'next') || this.is(p, 'last');
  }

  /** The figure at i follows a capitalised word that is not a function word: part of a name. */
  private nameBefore(i: number): boolean {
    const p = i - 1;
    if (p < 0 || this.gap[i] !== 1 || !this.isWord(p) || !this.capitalised(p)) return false;
    const lx = this.lx(p);
    if (lx && (lx.func || lx.month !== undefined || lx.weekday || lx.card !== undefined || lx.rankVerb || lx.scale !== undefined || lx.ord !== undefined || lx.time !== undefined)) return false;
    if (QUAL_LAST.has(this.lower(p))) return false;
    if (currencyCodeWord(this.raw(p))) return false;
    if (this.allCapsLine(p)) return false;
    return true;
  }

  /** Crude test for ALL-CAPS text (headlines): the token and its neighbours are upper case. */
  private allCapsLine(i: number): boolean {
    if (!this.isWord(i) || !this.allCaps(i)) return false;
    let caps = 0;
    let words = 0;
    for (let k = Math.max(0, i - 4); k < Math.min(this.n, i + 5); k++) {
      if (this.ty[k] !== T_WORD || this.en[k] - this.st[k] < 2) continue;
      words++;
      if (this.allCaps(k)) caps++;
    }
    return words >= 3 && caps === words;
  }

  /** Qualifier words right before token `first`. */
  private qualifierBefore(first: number, smallSpelled: boolean): Qualifier {
    const p = first - 1;
    if (p < this.minTok || p < 0 || this.gap[first] > 1) return 'exact';
    const c = this.symCode(p);
    if (c >= 0) {
      if (c === 126 || c === 0x2248) return 'approx';
      if (c === 62) return 'over';
      if (c === 60) return 'under';
      if (c === 0x2265) return 'at-least';
      if (c === 0x2264) return 'at-most';
      return 'exact';
    }
    if (!this.isWord(p) || !QUAL_LAST.has(this.lower(p))) return 'exact';
    for (const [words, q] of QUALIFIER_PHRASES) {
      let ok = true;
      for (let k = 0; k < words.length; k++) {
        const t = p - k;
        if (t < this.minTok || !this.is(t, words[k]) || (k > 0 && this.gap[t + 1] > 1)) {
          ok = false;
          break;
        }
      }
      if (ok) {
        if (smallSpelled && (q === 'over' || q === 'under') && words.length === 1) return 'exact';
        if (words[0] === 'some' && (this.is(p - 1, 'for') || this.is(p - 1, 'in'))) return 'approx';
        return q;
      }
    }
    return 'exact';
  }

  // ---------------------------------------------------------------- currency helpers

  /** Currency sign or code right before token i: "$", "US$", "C$ ", "DM ", "KZT", "Rs." */
  private currencyBefore(i: number): { code: string; tok: number } | null {
    const p = i - 1;
    if (p < this.minTok || p < 0 || this.gap[i] > 1) return null;
    const t = this.ty[p];
    if (t === T_SYM) {
      const ch = this.text[this.st[p]];
      let code = currencySign(ch);
      if (code === undefined) {
        // "Rs. 500"
        if (ch === '.' && this.gap[p] === 0 && this.isWord(p - 1) && p - 1 >= this.minTok) {
          const c2 = currencyCodeWord(this.raw(p - 1));
          if (c2) return { code: c2, tok: p - 1 };
        }
        return null;
      }
      let tok = p;
      if (ch === '$' || ch === '＄') {
        // letters glued before "$": "US$", "C$", "HK$", "U.S.$"
        let k = p - 1;
        let letters = '';
        let steps = 0;
        let firstTok = p;
        while (k >= this.minTok && k >= 0 && this.gap[k + 1] === 0 && steps < 5) {
          if (this.ty[k] === T_WORD) letters = this.lower(k) + letters;
          else if (this.symCode(k) !== 46) break;
          firstTok = k;
          k--;
          steps++;
        }
        if (letters) {
          const pc = dollarPrefix(letters);
          if (pc) {
            code = pc;
            tok = firstTok;
          }
        }
      }
      return { code, tok };
    }
    if (t === T_WORD) {
      const code = currencyCodeWord(this.raw(p));
      if (code) {
        // "US $5" style: a code directly followed by the figure
        return { code, tok: p };
      }
      // "U.S. $" handled above; "euro 5 billion" style with a noun before
      const noun = currencyNounAt(this.text, this.st[p], this.en[p]);
      if (noun && (noun.noun === 'euro' || noun.noun === 'yen' || noun.noun === 'sterling') && this.gap[i] === 1) return { code: noun.code, tok: p };
      // "$US 5 million", "$A5m"
      if (this.symCode(p - 1) === 36 && this.gap[p] === 0 && p - 1 >= this.minTok) {
        const pc = dollarPrefix(this.lower(p));
        if (pc) return { code: pc, tok: p - 1 };
      }
    }
    return null;
  }

  /**
   * Currency written after a figure, starting at token j: a sign ("500 €"), a code ("4.3 billion
   * USD", "40 mln stg"), or a name with optional adjectives ("finnish markka", "U.S. dollars",
   * "pounds sterling").
   */
  private currencyAfterAt(j: number): { code: string; last: number; factor: number; generic: boolean; weight: boolean } | null {
    const n = this.n;
    if (j >= n) return null;
    const t = this.ty[j];
    if (t === T_SYM) {
      const code = currencySign(this.text[this.st[j]]);
      if (code && this.text[this.st[j]] !== '$') return { code, last: j, factor: 1, generic: false, weight: false };
      return null;
    }
    if (t !== T_WORD) return null;
    const code = currencyCodeWord(this.raw(j));
    if (code) return { code, last: j, factor: 1, generic: false, weight: false };
    // adjectives then noun
    const adjs: string[] = [];
    let k = j;
    for (let steps = 0; steps < 4 && k < n; steps++) {
      if (this.ty[k] !== T_WORD || (k > j && !this.near(k))) return null;
      const noun = currencyNounAt(this.text, this.st[k], this.en[k]);
      if (noun) {
        if (noun.needsAdjective && adjs.length === 0) return null;
        let resolved = adjs.length ? currencyByName(adjs, noun.noun) : undefined;
        if (adjs.length && !resolved) return null; // "three real risks", unknown adjective
        const generic = adjs.length === 0;
        let last = k;
        let weight = false;
        if (noun.noun === 'pound') {
          if (this.is(k + 1, 'sterling')) last = k + 1;
          else if (!resolved && (this.is(k + 1, 'of') || this.is(k + 1, 'per'))) weight = true;
        }
        if (noun.noun === 'mark' && adjs.length === 0 && this.lower(k) === 'mark') return null; // "the 1,000 mark"
        if (noun.noun === 'sterling' && this.lower(k) === 'stg') resolved = 'GBP';
        return { code: resolved ?? noun.code, last, factor: noun.factor, generic, weight };
      }
      const w = this.lower(k);
      // "U.S." / "U.S" written with dots
      if ((w === 'u' || w === 'us') && this.symCode(k + 1) === 46 && this.gap[k + 1] === 0) {
        if (w === 'u' && this.is(k + 2, 's') && this.gap[k + 2] === 0) {
          adjs.push('us');
          k += this.symCode(k + 3) === 46 && this.gap[k + 3] === 0 ? 4 : 3;
          continue;
        }
      }
      if (w === 'us' && this.allCaps(k)) {
        adjs.push('us');
        k++;
        continue;
      }
      if (isCurrencyAdjective(w)) {
        adjs.push(w);
        k++;
        // "D-mark", "Hong Kong", hyphenated adjectives
        if (CH_HYPHENS.has(this.symCode(k)) && this.gap[k] === 0) k++;
        continue;
      }
      return null;
    }
    return null;
  }

  // ---------------------------------------------------------------- measures

  private unitAt(j: number): { unit: string; last: number } | null {
    const n = this.n;
    let k = j;
    let hyph = false;
    if (CH_HYPHENS.has(this.symCode(k)) && this.gap[k] === 0 && k + 1 < n && this.gap[k + 1] === 0) {
      k++;
      hyph = true;
    }
    // "°C"
    if (this.symCode(k) === 0xb0) {
      if (this.is(k + 1, 'c') && this.gap[k + 1] === 0) return { unit: '°C', last: k + 1 };
      if (this.is(k + 1, 'f') && this.gap[k + 1] === 0) return { unit: '°F', last: k + 1 };
      return null;
    }
    const w = this.lower(k);
    if (!w) return null;
    if ((w === 'square' || w === 'sq') && k + 1 < n) {
      let k2 = k + 1;
      if (this.symCode(k2) === 46) k2++;
      const lx2 = this.lx(k2);
      if (lx2?.unit === 'km' || lx2?.unit === 'm' || lx2?.unit === 'mi' || lx2?.unit === 'ft') return { unit: lx2.unit + '2', last: k2 };
      return null;
    }
    if ((w === 'cubic' || w === 'cu') && k + 1 < n) {
      const lx2 = this.lx(k + 1);
      if (lx2?.unit === 'm' || lx2?.unit === 'km' || lx2?.unit === 'ft') return { unit: lx2.unit + '3', last: k + 1 };
      return null;
    }
    if (w === 'metric' && (this.is(k + 1, 'tons') || this.is(k + 1, 'tonnes') || this.is(k + 1, 'ton') || this.is(k + 1, 'tonne'))) return { unit: 't', last: k + 1 };
    if (w === 'degrees' || w === 'degree') {
      if (this.is(k + 1, 'celsius') || this.is(k + 1, 'centigrade')) return { unit: '°C', last: k + 1 };
      if (this.is(k + 1, 'fahrenheit')) return { unit: '°F', last: k + 1 };
      return null;
    }
    const lx = this.lx(k);
    if (lx?.unit === undefined) return null;
    if (lx.unitGlued && !hyph) return null;
    if (lx.unitGlued && this.text.charCodeAt(this.st[k]) < 97) return null;
    let unit = lx.unit;
    let last = k;
    // "barrels per day", "km/h"
    if (unit === 'bbl' && this.is(k + 1, 'per') && this.is(k + 2, 'day')) {
      unit = 'bbl/d';
      last = k + 2;
    } else if (unit === 'bbl' && this.is(k + 1, 'a') && this.is(k + 2, 'day')) {
      unit = 'bbl/d';
      last = k + 2;
    } else if (unit === 'km' && this.symCode(k + 1) === 47 && this.is(k + 2, 'h')) {
      unit = 'km/h';
      last = k + 2;
    } else if (unit === 'km' && this.is(k + 1, 'per') && this.is(k + 2, 'hour')) {
      unit = 'km/h';
      last = k + 2;
    }
    return { unit, last };
  }

  // ---------------------------------------------------------------- counted nouns

  /** The counted noun after a figure ("15 joint investment projects" → project), or null. */
  private countNoun(j: number, value: number): { unit: string; tok: number; fused?: boolean } | null {
    const n = this.n;
    let k = j;
    let steps = 0;
    let lastWord = -1;
    let commas = 0;
    let words = 0;
    let names = 0;
    // "six-lane", "five-star": a noun hyphenated to the figure
    if (CH_HYPHENS.has(this.symCode(j)) && this.gap[j] === 0 && this.gap[j + 1] === 0 && this.isWord(j + 1)) {
      const lx = this.lx(j + 1);
      if (lx?.stop || lx?.time !== undefined || lx?.card !== undefined) return null;
      if (CH_HYPHENS.has(this.symCode(j + 2)) && this.gap[j + 2] === 0) return null; // "two-year-old", "three-and-a-half"
      const w = this.lower(j + 1);
      return { unit: this.nounForm(j + 1, singularize(w)), tok: j + 1, fused: true };
    }
    while (k < n && steps < 16) {
      steps++;
      if (k > j && !this.near(k)) break;
      if (k === j && this.gap[k] >= 2) return null;
      const t = this.ty[k];
      if (t === T_SYM) {
        const c = this.symCode(k);
        if (CH_QUOTES.has(c)) {
          k++;
          continue;
        }
        if (CH_HYPHENS.has(c) && this.gap[k] === 0 && k + 1 < n && this.gap[k + 1] === 0) {
          k++;
          continue;
        }
        if (c === 44 && words + names > 0 && k + 1 < n && this.gap[k + 1] === 1 && (commas === 0 || this.is(k + 1, 'and') || (this.glued(k + 2) && this.ty[k + 2] !== T_WORD))) {
          // "T-62, T-64, and T-72 tanks", "L-39 Albatross, combat trainers"
          commas++;
          k++;
          continue;
        }
        break;
      }
      if (t === T_NUM) {
        // part of a model name ("T-72", "BTR-80A")
        if (this.gap[k] === 0 && k > j) {
          k++;
          continue;
        }
        if (k + 1 < n && this.gap[k + 1] === 0 && k > j) {
          k++;
          continue;
        }
        break;
      }
      // word
      const nameLike = (k + 1 < n && this.gap[k + 1] === 0 && (this.ty[k + 1] === T_NUM || (CH_HYPHENS.has(this.symCode(k + 1)) && this.ty[k + 2] === T_NUM && this.gap[k + 2] === 0)));
      if (nameLike) {
        names++;
        k++;
        continue;
      }
      const lx = this.lx(k);
      if (lx?.stop) break;
      if (lx?.card !== undefined || lx?.month !== undefined || lx?.scale !== undefined || lx?.ord !== undefined) break;
      if (this.is(k, 'and') || this.is(k, 'or') || this.is(k, 'more') || this.is(k, 'new') || this.is(k, 'other') || this.is(k, 'additional') || this.is(k, 'extra')) {
        k++;
        continue;
      }
      if (lx?.time !== undefined) return null; // durations are read elsewhere
      const w = this.lower(k);
      // skip the rest of a hyphenated compound: take its last part
      if (k + 2 < n && this.gap[k + 1] === 0 && CH_HYPHENS.has(this.symCode(k + 1)) && this.gap[k + 2] === 0 && this.ty[k + 2] === T_WORD) {
        k += 2;
        words++;
        continue;
      }
      words++;
      lastWord = k;
      if (!lx?.notPlural && looksPlural(w) && value !== 1) {
        return { unit: this.nounForm(k, singularize(w)), tok: k };
      }
      if (value === 1 && words === 1 && !w.endsWith('s')) {
        // "1 project"
      }
      k++;
    }
    if (lastWord >= 0 && (this.ty[k] !== T_WORD || this.lx(k)?.stop) && (k >= n || this.ty[k] !== T_NUM)) {
      const w = this.lower(lastWord);
      const irregular = singularize(w) !== w || w === 'aircraft' || w === 'personnel' || w === 'staff' || w === 'police' || w === 'cattle' || w === 'livestock';
      if (irregular && value !== 1) return { unit: this.nounForm(lastWord, singularize(w)), tok: lastWord };
      if (value === 1 && !this.capitalised(lastWord)) return { unit: w, tok: lastWord };
    }
    return null;
  }

  /** A noun as output: lower case, unless written as an acronym ("UAVs" → "UAV"). */
  private nounForm(k: number, singular: string): string {
    const raw = this.raw(k);
    let upper = 0;
    for (let i = 0; i < raw.length; i++) if (isUpperCode(raw.charCodeAt(i))) upper++;
    if (upper >= 2 && upper >= raw.length - 1) {
      return raw.endsWith('s') && !raw.endsWith('S') ? raw.slice(0, -1) : raw;
    }
    return singular;
  }

  /** "the number of its troops, at around 11,000": the noun of a preceding "number of". */
  private numberOfNoun(i: number): string | null {
    for (let k = i - 1; k >= Math.max(this.minTok, i - 14, 0); k--) {
      if (this.gap[k + 1] >= 2) return null;
      if (this.symCode(k) === 46) return null;
      if (this.is(k, 'number') && this.is(k + 1, 'of')) {
        let m = k + 2;
        if (this.lx(m)?.det || this.is(m, 'the')) m++;
        const w = this.lower(m);
        if (w && looksPlural(w) && !this.lx(m)?.notPlural) return this.nounForm(m, singularize(w));
        return null;
      }
    }
    return null;
  }

  // ---------------------------------------------------------------- ordinals and ranks

  private fromOrdinalDigits(core: Core): number {
    const v = Number(core.mant);
    const j = core.last + 1;
    // "23rd May", "the 5th of May"
    if (v >= 1 && v <= 31) {
      let k = j;
      if (this.is(k, 'of')) k++;
      const lx = this.lx(k);
      if (lx?.month !== undefined && this.gap[k] <= 1 && (this.capitalised(k) || !lx.monthWeak)) return this.finishDayMonth(core.first, lx.month, v, k);
    }
    return this.rank(core.first, core.last, v, true);
  }

  private fromOrdinalWord(i: number, v: number, last: number): number {
    if (this.capitalised(i) && !this.sentenceStart(i) && !this.allCapsLine(i)) return i + 1; // "Second World War", "Fifth Avenue"
    return this.rank(i, last, v, false);
  }

  /** Decide whether the ordinal at [first, last] is a rank claim and emit it. */
  private rank(first: number, last: number, v: number, digits: boolean): number {
    const j = last + 1;
    const prev = first - 1;
    const plx = this.lx(prev);
    const nlx = this.lx(j);
    const nextW = this.lower(j);
    let ok = false;
    let trivia = false;
    let end = last;
    let consumed = last;
    // "21st century"
    if (nlx?.time === 'century' || nextW === 'centuries') return last + 1;
    // superlative: "second-largest", "second largest"
    let k = j;
    if (CH_HYPHENS.has(this.symCode(k)) && this.gap[k] === 0) k++;
    const sw = this.lower(k);
    if (sw && (sw.endsWith('est') || sw === 'most' || sw === 'best' || sw === 'worst' || sw === 'least') && sw.length > 3 && sw !== 'interest' && sw !== 'west' && sw !== 'rest' && sw !== 'forest' && sw !== 'request' && sw !== 'contest' && sw !== 'protest' && sw !== 'harvest' && sw !== 'guest' && sw !== 'quest' && sw !== 'honest' && sw !== 'modest') ok = true;
    if (plx?.rankVerb && prev >= this.minTok) ok = true;
    if (nlx?.place) {
      ok = true;
      consumed = j;
      // "58th place out of 145"
      if (this.is(j + 1, 'out') && this.is(j + 2, 'of') && this.isNum(j + 3)) consumed = j + 3;
      else if (this.is(j + 1, 'of') && this.isNum(j + 2)) consumed = j + 2;
    }
    // "(eighth from left)"
    if (this.is(j, 'from')) {
      const w = this.lower(j + 1);
      if (w === 'left' || w === 'right' || w === 'lef' || w === 'l' || w === 'r' || w === 'top' || w === 'bottom') {
        ok = true;
        trivia = true;
        consumed = j + 1;
      }
    }
    if (!ok && v !== 1) {
      // "the seventh congress", "its 10th meeting"
      const detBefore = this.is(prev, 'the') || this.is(prev, 'its') || this.is(prev, 'their') || this.is(prev, 'his') || this.is(prev, 'her') || this.is(prev, 'our') || this.is(prev, 'a') || this.symCode(prev) === 0x2019 || this.symCode(prev) === 39;
      const nounNext = this.isWord(j) && this.gap[j] <= 1 && !(nlx?.seqNoun) && !(nlx?.stop) && !nlx?.time && nlx?.card === undefined;
      if ((digits || v >= 3) && detBefore && nounNext) ok = true;
      // written with digits ("62nd", "the 10th meeting") it is a rank unless a sequence noun follows
      if (digits && !nlx?.seqNoun) ok = true;
    }
    if (!ok) return last + 1;
    const d: Draft = {
      first,
      last: end,
      s: this.st[first],
      e: this.en[end],
      kind: 'rank',
      value: v,
      unit: null,
      qualifier: 'exact',
      trivia,
    };
    this.emit(d);
    this.minTok = consumed + 1;
    return consumed + 1;
  }

  // ---------------------------------------------------------------- dates

  private fromMonth(i: number, lx: Lex): number {
    const n = this.n;
    const month = lx.month!;
    let k = i + 1;
    // "Jan." / "Sept."
    if (lx.monthWeak && this.symCode(k) === 46 && this.gap[k] === 0) k++;
    else if (lx.monthWeak && lx.month !== 5 && lx.month !== 3 && this.en[i] - this.st[i] <= 4 && !this.capitalised(i)) return i + 1;
    if (lx.monthWeak && (lx.month === 5 || lx.month === 3) && !this.capitalised(i) && this.allLowerAround(i) === false) return i + 1;
    if (k >= n || this.gap[k] > 1 || this.ty[k] !== T_NUM) return i + 1;
    if (this.gap[k] === 0) return i + 1;
    const raw = this.raw(k);
    // Month Year
    if (raw.length === 4) {
      const y = +raw;
      if (y >= 1000 && y <= 2100 && !(k + 1 < n && this.gap[k + 1] === 0 && this.ty[k + 1] !== T_SYM)) {
        this.emitMonthYear(i, k, y, month);
        return k + 1;
      }
      return i + 1;
    }
    if (raw.length > 2 || raw.indexOf('.') >= 0) return i + 1;
    const day = +raw;
    if (day < 1 || day > 31) return i + 1;
    let last = k;
    // "May 23rd"
    if (this.isWord(k + 1) && this.gap[k + 1] === 0) {
      const suf = this.lower(k + 1);
      if (suf === 'st' || suf === 'nd' || suf === 'rd' || suf === 'th') last = k + 1;
      else return i + 1;
    }
    // ", 2024" or " 2024"
    let m = last + 1;
    if (this.symCode(m) === 44 && this.gap[m] === 0) m++;
    if (m < n && this.ty[m] === T_NUM && this.gap[m] === 1 && this.en[m] - this.st[m] === 4) {
      const y = +this.raw(m);
      if (y >= 1000 && y <= 2100 && !(m + 1 < n && this.gap[m + 1] === 0 && this.ty[m + 1] !== T_SYM)) {
        this.emitDate(i, m, y, month, day);
        return m + 1;
      }
    }
    // a time "13:57" right after the day is not a year
    this.emitDate(i, last, undefined, month, day);
    return last + 1;
  }

  private allLowerAround(i: number): boolean {
    // lower-case text (newswire in lower case): neighbours are lower case words too
    let lowerWords = 0;
    let words = 0;
    for (let k = Math.max(0, i - 6); k < Math.min(this.n, i + 6); k++) {
      if (this.ty[k] !== T_WORD) continue;
      words++;
      if (!this.capitalised(k)) lowerWords++;
    }
    return words > 0 && lowerWords === words;
  }

  private finishDayMonth(first: number, month: number, day: number, monthTok: number): number {
    let last = monthTok;
    if (this.symCode(last + 1) === 46 && this.gap[last + 1] === 0 && this.en[monthTok] - this.st[monthTok] <= 4) last++;
    const m = last + 1;
    if (m < this.n && this.ty[m] === T_NUM && this.gap[m] <= 1 && this.en[m] - this.st[m] === 4) {
      const y = +this.raw(m);
      if (y >= 1000 && y <= 2100) {
        this.emitDate(first, m, y, month, day);
        return m + 1;
      }
    }
    // "On 23 May" – no year
    const l = monthTok;
    this.emitDate(first, l, undefined, month, day);
    return l + 1;
  }

  private emitDate(first: number, last: number, year: number | undefined, month: number, day: number): void {
    const d: Draft = {
      first,
      last,
      s: this.st[first],
      e: this.en[last],
      kind: 'date',
      value: '',
      unit: null,
      qualifier: this.qualifierBefore(first, false),
      hasYear: year !== undefined,
    };
    d.dateline = this.isDateline(d);
    if (year !== undefined) {
      d.value = `${year}-${pad2(month)}-${pad2(day)}`;
      if (this.refYear === undefined && d.dateline) this.refYear = year;
    } else if (this.refYear !== undefined) d.value = `${this.refYear}-${pad2(month)}-${pad2(day)}`;
    else d.value = `--${pad2(month)}-${pad2(day)}`;
    this.emit(d);
  }

  private emitMonthYear(first: number, last: number, year: number, month: number): void {
    const d: Draft = {
      first,
      last,
      s: this.st[first],
      e: this.en[last],
      kind: 'date',
      value: `${year}-${pad2(month)}`,
      unit: null,
      qualifier: this.qualifierBefore(first, false),
      hasYear: true,
    };
    d.dateline = this.isDateline(d);
    this.emit(d);
  }

  // ---------------------------------------------------------------- lines: captions and datelines

  private lineOf(offset: number): { start: number; end: number; idx: number } {
    if (this.lineStarts === null) {
      const starts: number[] = [0];
      let p = this.text.indexOf('\n');
      while (p >= 0) {
        starts.push(p + 1);
        p = this.text.indexOf('\n', p + 1);
      }
      this.lineStarts = Int32Array.from(starts);
    }
    const ls = this.lineStarts;
    let lo = 0;
    let hi = ls.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (ls[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    const start = ls[lo];
    const end = lo + 1 < ls.length ? ls[lo + 1] - 1 : this.text.length;
    return { start, end, idx: lo };
  }

  private lineProps(offset: number): { caption: boolean; short: boolean; byline: boolean } {
    const line = this.lineOf(offset);
    let info = this.lineInfo.get(line.idx);
    if (info) return info;
    let s = line.start;
    let e = line.end;
    while (s < e && this.text.charCodeAt(s) <= 32) s++;
    while (e > s && this.text.charCodeAt(e - 1) <= 32) e--;
    const len = e - s;
    let caption = false;
    let byline = false;
    let short = false;
    if (len <= 2000) {
      const str = this.text.slice(s, e);
      const low = CAPTION_HINT.test(str) ? str.toLowerCase() : '';
      caption =
        low.includes('photo credit') || low.includes('photo:') || low.includes('image:') || low.includes('photo by') ||
        low.includes('(photo') || low.includes('file photo') || low.includes('photograph:') || low.includes('picture:') ||
        low.startsWith('photo ') || low.includes('/ photo') || low.includes('getty images') || low.includes('(ap photo');
      if (!caption && str.endsWith(')')) {
        const open = str.lastIndexOf('(');
        if (open > 0 && str.length - open < 70) {
          let b = open - 1;
          while (b >= 0 && str.charCodeAt(b) === 32) b--;
          if (b >= 0 && (str[b] === '.' || str[b] === '!' || str[b] === '?')) caption = true;
        }
      }
      const lastCh = str.charCodeAt(str.length - 1);
      short = len <= 120 && lastCh !== 46 && lastCh !== 0x201d && lastCh !== 34;
      byline = short && len > 0 && (/\d:\d\d/.test(str) || /\bBy\s[A-Z]/.test(str) || /\b(Published|Updated|Posted)\b/i.test(str));
    }
    info = { caption, short, byline };
    this.lineInfo.set(line.idx, info);
    return info;
  }

  private isDateline(d: Draft): boolean {
    const p = this.lineProps(d.s);
    if (p.byline) return true;
    const line = this.lineOf(d.s);
    // "LONDON, March 3 - …" / "May 14, 2024 - 13:57"
    const nx = d.last + 1;
    if (d.s - line.start < 40 && nx < this.n && this.gap[nx] === 1 && CH_DASHES.has(this.symCode(nx))) return true;
    if (p.short && d.s - line.start < 3 && this.en[d.last] + 30 > line.end) return true;
    return false;
  }

  // ---------------------------------------------------------------- finishing

  /** Sentence range containing [s, e): sentences are split lazily, one paragraph at a time. */
  private sentenceOf(s: number, e: number): { start: number; end: number } {
    if (this.para === null || s < this.para.start || s >= this.para.end) {
      const text = this.text;
      const line = this.lineOf(s);
      const ls = this.lineStarts!;
      const blank = (idx: number): boolean => {
        const a = ls[idx];
        const b = idx + 1 < ls.length ? ls[idx + 1] - 1 : text.length;
        for (let k = a; k < b; k++) if (!isSpaceCode(text.charCodeAt(k))) return false;
        return true;
      };
      let top = line.idx;
      while (top > 0 && !blank(top - 1)) top--;
      let bot = line.idx;
      while (bot + 1 < ls.length && !blank(bot + 1)) bot++;
      const start = ls[top];
      const end = bot + 1 < ls.length ? ls[bot + 1] - 1 : text.length;
      this.para = { start, end: Math.max(end, start + 1), sentences: splitSentencesIn(text, start, end) };
    }
    const list = this.para.sentences;
    const i = sentenceIndexAt(list, s);
    if (i < 0) return { start: s, end: e };
    let j = i;
    while (list[j].end < e && j + 1 < list.length) j++; // a claim never straddles sentences, but be safe
    return { start: list[i].start, end: Math.max(list[j].end, e) };
  }

  toClaims(): RawClaim[] {
    const drafts = this.drafts;
    const out: RawClaim[] = [];
    let prevMoney: { code: string; sent: number } | null = null;
    let prevPct = -1;
    const sents = drafts.map((d) => this.sentenceOf(d.s, d.e));
    for (let idx = 0; idx < drafts.length; idx++) {
      const d = drafts[idx];
      const sent = sents[idx];
      const si = sent.start;
      if (d.kind === 'money') prevMoney = { code: d.unit!, sent: si };
      if (d.kind === 'percent') prevPct = si;
      if (d.bare && d.kind === 'count') {
        // a figure whose unit is said once for several: "… 5.1 mln dlrs vs 4.2 mln", "to 5 pct from 4"
        const pw = d.prevWord ?? '';
        if (d.scaled) {
          let code: string | null = prevMoney && prevMoney.sent === si ? prevMoney.code : null;
          if (!code) {
            for (let k = idx + 1; k < drafts.length && k < idx + 4; k++) {
              if (drafts[k].kind === 'money' && sents[k].start === si) {
                code = drafts[k].unit;
                break;
              }
            }
          }
          if (code) {
            d.kind = 'money';
            d.unit = code;
            d.bare = false;
          }
        } else if ((pw === 'from' || pw === 'vs' || pw === 'versus' || pw === 'against' || pw === 'to') && prevPct === si) {
          d.kind = 'percent';
          d.unit = '%';
          d.bare = false;
        }
      }
      const lp = this.lineProps(d.s);
      let cw: boolean;
      switch (d.kind) {
        case 'rank':
          cw = !d.trivia;
          break;
        case 'count':
          cw = d.unit !== null;
          break;
        case 'duration':
          cw = !d.vague;
          break;
        case 'year':
          cw = !(lp.short && lp.byline);
          break;
        case 'date':
          cw = !!d.hasYear && !d.dateline;
          break;
        default:
          cw = true; // money, percent, measure
      }
      if (lp.caption) cw = false;
      out.push({
        start: d.s,
        end: d.e,
        text: this.text.slice(d.s, d.e),
        kind: d.kind,
        value: d.value,
        unit: d.unit,
        qualifier: d.qualifier,
        checkworthy: cw,
        sentence: this.text.slice(sent.start, sent.end),
        sentenceStart: sent.start,
        sentenceEnd: sent.end,
      });
    }
    return out;
  }
}

export function recognise(text: string): RawClaim[] {
  const r = new Recogniser(text);
  r.runAll();
  return r.toClaims();
}

export type { SentenceRange };
