/**
 * Token-level tagging: features → emissions → Viterbi → typed token spans.
 */
import type { Token } from './tokenizer';
import type { Gazetteer } from './gazetteer';
import { extractFeatures, extendWithPredictions, TYPES, type DocFeatures } from './features';
import { emissions, viterbi, type Weights } from './model';

export type TagType = (typeof TYPES)[number];

export interface TokenSpan {
  /** token indices [s, e) */
  s: number;
  e: number;
  type: TagType;
}

export function decode(model: Weights, df: DocFeatures, tokens: Token[]): Uint8Array {
  const n = tokens.length;
  const em = emissions(model, df, n);
  return viterbi(model, em, n, (i) => tokens[i].sentStart);
}

/** Two-stage tagging: the second model (if any) sees document-level aggregates of the first's labels. */
export function tagTokens(model: Weights, gaz: Gazetteer | null, tokens: Token[], model2?: Weights | null): Uint8Array {
  // loaded (compact) models cache word-intrinsic scores; float training models take all features
  const df = extractFeatures(tokens, gaz, model.id !== undefined && (!model2 || model2.id !== undefined));
  const labels = decode(model, df, tokens);
  if (!model2) return labels;
  return decode(model2, extendWithPredictions(tokens, df, labels), tokens);
}

/** BIO label indices (0 = O, 2k+1 = B-T, 2k+2 = I-T) → spans. */
export function labelsToSpans(labels: ArrayLike<number>, n = labels.length): TokenSpan[] {
  const out: TokenSpan[] = [];
  let cur: TokenSpan | null = null;
  for (let i = 0; i < n; i++) {
    const l = labels[i];
    if (l === 0) {
      cur = null;
      continue;
    }
    const t = (l - 1) >> 1;
    const isB = l % 2 === 1;
    if (isB || !cur || cur.type !== TYPES[t]) {
      cur = { s: i, e: i + 1, type: TYPES[t] };
      out.push(cur);
    } else cur.e = i + 1;
  }
  return out;
}
