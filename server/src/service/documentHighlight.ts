/**
 * Document highlights: the mentions, in this article, of the entity under the cursor (any
 * spelling); on a claim, the claim itself.
 */
import { DocumentHighlightKind, type DocumentHighlight, type Position } from 'vscode-languageserver-protocol';
import { linesOf, type ServiceContext } from './context';

export function findDocumentHighlights(ctx: ServiceContext, uri: string, position: Position): DocumentHighlight[] {
  const li = linesOf(ctx, uri);
  if (!li) return [];
  const offset = li.offsetAt(position);
  const hit = ctx.index.mentionAt(uri, offset);
  if (hit) {
    return ctx.index
      .mentionsIn(uri)
      .filter((m) => m.entityId === hit.entity.id)
      .map((m) => ({ range: li.range(m.start, m.end), kind: DocumentHighlightKind.Text }));
  }
  const claim = ctx.index.claimAt(uri, offset);
  if (claim) return [{ range: li.range(claim.start, claim.end), kind: DocumentHighlightKind.Read }];
  return [];
}
