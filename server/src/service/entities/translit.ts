/**
 * Guarded string similarity for transliteration variants ("Erkin"/"Yerkin" Tukumov,
 * "Kassym"/"Kasym"-Jomart Tokayev, "Uralsk"/"Oralsk").
 *
 * Two names of the same type are variants when they have the same number of tokens, all
 * tokens but one are identical, and the differing pair of tokens
 *  - are both at least 4 letters long and not acronyms,
 *  - is not a suffix/gender variant (one is a prefix of the other — "Mirziyoyev"/"Mirziyoyeva";
 *    or one ends in "a" where the other ends in a consonant — "Alexander"/"Alexandra"),
 *  - and either share the same *consonant skeleton* (below) and are within 1 + ⌊length/6⌋
 *    edits, or are within edit distance 1 (both ≥ 8 letters) / 2 (both ≥ 12 letters).
 *
 * The skeleton maps the usual romanisation alternations of Cyrillic/Turkic/Korean names onto
 * one spelling and then drops vowels: kh→h, zh/dzh/dj→j, ts/tz→c, q→k, w→v, ph→f, x→ks,
 * doubled letters collapse, a, e, i, o, u, y (and their accented forms) are removed.
 * "yerkin"→"rkn", "erkin"→"rkn"; "kassym"→"ksm", "kasym"→"ksm"; "tokayev"→"tkv" but
 * "tokarev"→"tkrv".
 */

import { Memo } from './memo';
import { editDistance } from './normalize';

const skeletons = new Memo<string>(200_000);

export function skeleton(token: string): string {
  let s = token
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/dzh|dj/g, 'j')
    .replace(/zh/g, 'j')
    .replace(/kh/g, 'h')
    .replace(/t[sz]/g, 'c')
    .replace(/ph/g, 'f')
    .replace(/q/g, 'k')
    .replace(/w/g, 'v')
    .replace(/x/g, 'ks');
  s = s.replace(/(.)\1+/g, '$1');
  return s.replace(/[aeiouy]/g, '');
}

/** Empties the skeleton table (see `releaseLinkMemos`). */
export function releaseSkeletons(): void {
  skeletons.clear();
}

/** `skeleton`, memoised (names share their tokens). */
export function tokenSkeleton(token: string): string {
  return skeletons.get(token, skeleton);
}

const VOWELS = /[aeiouy]$/;

export interface TokenVariant {
  /** 'skeleton' when the consonant skeletons are equal, otherwise 'edit'. */
  how: 'skeleton' | 'edit';
  distance: number;
  skeleton?: string;
}

/** Compare two differing tokens (lower-case keys) under the guards above; null when they are not variants. */
export function tokenVariant(a: string, b: string): TokenVariant | null {
  if (a === b) return null;
  if (a.length < 4 || b.length < 4) return null;
  if (/\d/.test(a) || /\d/.test(b)) return null;
  if (a.startsWith(b) || b.startsWith(a)) return null; // Mirziyoyev / Mirziyoyeva
  const aFem = a.endsWith('a');
  const bFem = b.endsWith('a');
  if (aFem !== bFem && (!VOWELS.test(aFem ? b : a))) return null; // Alexandra / Alexander
  const ska = skeletons.get(a, skeleton);
  const skb = skeletons.get(b, skeleton);
  const minLen = Math.min(a.length, b.length);
  const limit = minLen >= 12 ? 2 : minLen >= 8 ? 1 : 0;
  const sameSkeleton = ska.length >= 2 && ska === skb;
  if (!sameSkeleton && limit === 0) return null;
  const d = editDistance(a, b, Math.max(limit, 1 + Math.floor(minLen / 6)));
  // Skeleton path: equal skeletons and at most 1 + ⌊len/6⌋ edits ("Ulul"/"Olol" share "ll" but are 2 edits apart in 4 letters).
  if (sameSkeleton && d <= 1 + Math.floor(minLen / 6)) return { how: 'skeleton', distance: d, skeleton: ska };
  if (d <= limit) return { how: 'edit', distance: d };
  return null;
}

/** The single differing token position of two equal-length token lists, or -1. */
export function singleDifference(a: string[], b: string[]): number {
  if (a.length !== b.length) return -1;
  let diff = -1;
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) {
      if (diff >= 0) return -1;
      diff = i;
    }
  }
  return diff;
}
