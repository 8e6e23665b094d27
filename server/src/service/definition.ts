/**
 * Go to Definition: on an entity, its first mention in the corpus (document order: sorted URI,
 * then offset); on a claim, the figures about the same quantity in other articles.
 */
import type { Location, Position } from 'vscode-languageserver-protocol';
import { firstMention, linesOf, locationOf, type ServiceContext } from './context';

export function findDefinition(ctx: ServiceContext, uri: string, position: Position): Location[] {
  const li = linesOf(ctx, uri);
  if (!li) return [];
  const offset = li.offsetAt(position);
  const hit = ctx.index.mentionAt(uri, offset);
  if (hit) {
    const first = firstMention(hit.entity);
    return first ? [locationOf(ctx, first)] : [];
  }
  const claim = ctx.index.claimAt(uri, offset);
  if (claim) {
    return ctx.claims
      .related(uri, claim, { limit: ctx.settings().maxRelatedFigures })
      .map((r) => locationOf(ctx, { uri: r.uri, start: r.claim.start, end: r.claim.end }));
  }
  return [];
}
