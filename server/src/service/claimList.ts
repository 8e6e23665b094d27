/**
 * The claim list behind the Claims view: every claim, grouped by article or by quantity
 * (kind + unit), check-worthy claims first within a group.
 */
import type { ClaimGroup, ClaimListParams, ClaimSummary } from '../protocol';
import { quantityKey, quantityLabel, readClaim } from './claimReading';
import { rangeOf, type ServiceContext } from './context';
import { articleName, articleTitle, compareStrings } from './text';
import type { RawClaim } from './types';

/** A claim's stable id: where it is (a URI, or a path in the CLI's report) and its span. */
export function claimIdOf(uri: string, claim: Pick<RawClaim, 'start' | 'end'>): string {
  return `claim:${uri}:${claim.start}-${claim.end}`;
}

export function summarizeClaim(ctx: ServiceContext, uri: string, c: RawClaim): ClaimSummary {
  return {
    id: claimIdOf(uri, c),
    uri,
    range: rangeOf(ctx, uri, c.start, c.end),
    text: c.text,
    kind: c.kind,
    value: c.value,
    unit: c.unit,
    qualifier: c.qualifier,
    checkworthy: c.checkworthy,
    reading: readClaim(c),
    sentence: c.sentence,
  };
}

function byCheckworthyThenPlace(a: ClaimSummary, b: ClaimSummary): number {
  return Number(b.checkworthy) - Number(a.checkworthy) || compareStrings(a.uri, b.uri) || a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character;
}

export function listClaims(ctx: ServiceContext, params: ClaimListParams): ClaimGroup[] {
  const docs = [...ctx.index.documents()]
    .filter((d) => !params.uri || d.uri === params.uri)
    .sort((a, b) => compareStrings(a.uri, b.uri));
  if (params.groupBy === 'quantity') {
    const groups = new Map<string, ClaimGroup>();
    for (const d of docs) {
      for (const c of d.claims) {
        const key = quantityKey(c);
        let g = groups.get(key);
        if (!g) groups.set(key, (g = { label: quantityLabel(c), claims: [] }));
        g.claims.push(summarizeClaim(ctx, d.uri, c));
      }
    }
    const out = [...groups.values()];
    for (const g of out) g.claims.sort(byCheckworthyThenPlace);
    out.sort(
      (a, b) =>
        b.claims.filter((c) => c.checkworthy).length - a.claims.filter((c) => c.checkworthy).length ||
        b.claims.length - a.claims.length ||
        compareStrings(a.label, b.label),
    );
    return out;
  }
  const out: ClaimGroup[] = [];
  for (const d of docs) {
    if (d.claims.length === 0) continue;
    const claims = d.claims.map((c) => summarizeClaim(ctx, d.uri, c)).sort(byCheckworthyThenPlace);
    out.push({ label: articleTitle(d.text) || articleName(d.uri), uri: d.uri, claims });
  }
  return out;
}
