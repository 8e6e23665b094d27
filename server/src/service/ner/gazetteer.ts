/**
 * Gazetteer lookup over token sequences. The data file (server/model/gazetteer.tsv) is derived
 * from data packages by server/tools/build-gazetteer.ts; see that script for the categories.
 */
import type { Token } from './tokenizer';

export const GAZ_CATEGORIES = 'CDKRLSF';
/** Categories used as tagger features (F, function words, is only used by post-processing). */
const FEATURE_MASK = 0x3f;

export interface Gazetteer {
  /** lower-cased, space-joined normalised token sequence → category bitmask */
  phrases: Map<string, number>;
  /** every proper prefix (in tokens) of a phrase */
  prefixes: Set<string>;
  maxLen: number;
}

/** Splits a name into the same token forms the tokenizer would give (lower-cased, normalised). */
export function phraseKey(parts: string[]): string {
  return parts.join(' ');
}

/**
 * Names of letters alone, one space between words: most of the gazetteer. U+02BC (modifier
 * letter apostrophe) is a letter to Unicode but an apostrophe to the tokenizer, so it is left out.
 */
const SIMPLE_NAME = /^[\p{L}\p{M}]+(?: [\p{L}\p{M}]+)*$/u;

/**
 * The lower-cased tokens of a name made of letters and single spaces, which the tokenizer would
 * split at the spaces and nowhere else (no punctuation, nothing to normalise); undefined for any
 * other name. Splitting them directly is most of the gazetteer's load time saved (it is loaded
 * by every worker and by the server before its first edit); a test checks it against the
 * tokenizer over every line of the shipped file.
 */
export function simpleWords(name: string): string[] | undefined {
  if (!SIMPLE_NAME.test(name) || name.includes('\u02bc')) return undefined;
  const words = name.split(' ');
  for (let i = 0; i < words.length; i++) words[i] = words[i].toLowerCase();
  return words;
}

/** `direct: false` sends every name through the tokenizer (the test's reference). */
export function parseGazetteer(tsv: string, tokenizeFn: (s: string) => Token[], opts: { direct?: boolean } = {}): Gazetteer {
  const direct = opts.direct !== false;
  const phrases = new Map<string, number>();
  const prefixes = new Set<string>();
  let maxLen = 1;
  for (const line of tsv.split('\n')) {
    const tab = line.indexOf('\t');
    if (tab < 0) continue;
    const cats = line.slice(0, tab);
    const name = line.slice(tab + 1);
    let mask = 0;
    for (const ch of cats) {
      const k = GAZ_CATEGORIES.indexOf(ch);
      if (k >= 0) mask |= 1 << k;
    }
    const toks = (direct ? simpleWords(name) : undefined) ?? tokenizeFn(name).map((t) => t.norm.toLowerCase());
    if (!toks.length) continue;
    const key = phraseKey(toks);
    phrases.set(key, (phrases.get(key) ?? 0) | mask);
    for (let i = 1; i < toks.length; i++) prefixes.add(phraseKey(toks.slice(0, i)));
    if (toks.length > maxLen) maxLen = toks.length;
  }
  return { phrases, prefixes, maxLen };
}

/**
 * For every token, a bitmask of gazetteer matches: bits 0..5 = token begins a match of category k,
 * bits 8..13 = token is inside (not first) of a match of category k. Matches must start with a
 * capitalised token.
 */
export function gazetteerMarks(lower: string[], capital: boolean[], gaz: Gazetteer): Int32Array {
  const n = lower.length;
  const marks = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    if (!capital[i]) continue;
    let key = '';
    for (let len = 1; len <= gaz.maxLen && i + len <= n; len++) {
      key = len === 1 ? lower[i] : key + ' ' + lower[i + len - 1];
      const m0 = gaz.phrases.get(key);
      const m = m0 === undefined ? 0 : m0 & FEATURE_MASK;
      if (m) {
        marks[i] |= m;
        for (let j = i + 1; j < i + len; j++) marks[j] |= m << 8;
      }
      if (!gaz.prefixes.has(key)) break;
    }
  }
  return marks;
}
