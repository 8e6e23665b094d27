/**
 * The per-document analysis: a pure function of the text. Everything cross-document (entity
 * identity, related figures) is computed by the index from these results.
 */
import { extractClaims } from './claims';
import { releaseResolverMemos } from './entities/local';
import { recognizeEntities, releaseRecognizer } from './ner';
import { releaseWordCache } from './ner/features';
import type { DocumentAnalysis, RawClaim, RawMention } from './types';

/**
 * Bumped whenever the output of `analyseText` can change for the same input, or the form in
 * which the disk cache keeps it (`packArticle`; '3': a claim carries its context window's start).
 */
export const ANALYSER_VERSION = '3';

/**
 * Lets this thread's analyser go until it is needed again: the tagger's model (releaseRecognizer),
 * its word cache, and the tables the entity resolution memoises (a thread that analysed part of
 * the indexing pass held about 90,000 of their entries at 3,000 articles).
 */
export function releaseAnalyser(): void {
  releaseRecognizer();
  releaseWordCache();
  releaseResolverMemos();
}

export function analyseText(text: string): DocumentAnalysis {
  const claims = extractClaims(text);
  return { mentions: withoutClaimParts(recognizeEntities(text), claims), claims };
}

/**
 * Drops entity mentions that lie inside a claim's span: a currency code or sign the tagger took
 * for a name ("NOK 4.5 billion", "US$300m") belongs to the figure, not to an entity.
 * Both lists are sorted by offset, so one merge pass does it.
 */
export function withoutClaimParts(mentions: readonly RawMention[], claims: readonly RawClaim[]): RawMention[] {
  const out: RawMention[] = [];
  let j = 0;
  for (const m of mentions) {
    while (j < claims.length && claims[j].end <= m.start) j++;
    const c = claims[j];
    if (c && c.start <= m.start && m.end <= c.end) continue;
    out.push(m);
  }
  return out;
}
