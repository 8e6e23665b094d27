import type { HandlerContext } from './context';
import { documentFor, guardIndexRequest } from './context';

export function registerDocumentSymbols(ctx: HandlerContext): void {
  ctx.connection.onDocumentSymbol(
    guardIndexRequest(ctx, 'documentSymbol', async (params) => ctx.workspace.service.findDocumentSymbols(await documentFor(ctx, params.textDocument.uri))),
  );
}
