import type { RawClaim } from '../../server/src/service/types';

/**
 * A claim's fields as a plain object, in CLAIM_FIELDS order. A stored claim's fields are getters
 * (not own properties), so comparing stored claims with deepEqual, or spreading one, compares
 * or copies nothing: tests compare these instead.
 */
export function plainClaim(c: RawClaim): RawClaim {
  const { start, end, text, kind, value, unit, qualifier, checkworthy, sentence, sentenceStart, sentenceEnd } = c;
  return { start, end, text, kind, value, unit, qualifier, checkworthy, sentence, sentenceStart, sentenceEnd };
}
