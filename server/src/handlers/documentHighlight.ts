import type { HandlerContext } from './context';
import { documentFor } from './context';
import { guardRequest } from './guard';

export function registerDocumentHighlight(ctx: HandlerContext): void {
  ctx.connection.onDocumentHighlight(
    guardRequest(ctx.log, 'documentHighlight', (params) =>
      ctx.workspace.service.findDocumentHighlights(documentFor(ctx, params.textDocument.uri), params.position),
    ),
  );
}
