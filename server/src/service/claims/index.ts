/**
 * Numeric claim recogniser: money, percentages, counts, measures, ranks, durations, years and
 * dates with normalised values, units and qualifiers. Pure, linear-time, never throws.
 */
import type { RawClaim } from '../types';
import { recognise } from './recognise';

export function extractClaims(text: string): RawClaim[] {
  if (typeof text !== 'string' || text.length === 0) return [];
  try {
    return recognise(text);
  } catch {
    // Defensive: the recogniser is written not to throw; a bug must not take the language server down.
    return [];
  }
}

export { splitSentences } from '../text/sentences';
