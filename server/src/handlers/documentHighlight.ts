import type { HandlerContext } from './context';
import { documentFor, guardIndexRequest } from './context';

export function registerDocumentHighlight(ctx: HandlerContext): void {
  ctx.connection.onDocumentHighlight(
    guardIndexRequest(ctx, 'documentHighlight', async (params) =>
      ctx.workspace.service.findDocumentHighlights(await documentFor(ctx, params.textDocument.uri), params.position),
    ),
  );
}
