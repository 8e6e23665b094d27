/**
 * The per-document analysis: a pure function of the text. Everything cross-document (entity
 * identity, related figures) is computed by the index from these results.
 */
import { extractClaims } from './claims';
import { recognizeEntities } from './ner';
import type { DocumentAnalysis } from './types';

/** Bumped whenever the output of `analyseText` can change for the same input (keys the disk cache). */
export const ANALYSER_VERSION = '1';

export function analyseText(text: string): DocumentAnalysis {
  return { mentions: recognizeEntities(text), claims: extractClaims(text) };
}
