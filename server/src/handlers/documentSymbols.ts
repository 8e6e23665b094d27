import type { HandlerContext } from './context';
import { documentFor } from './context';
import { guardRequest } from './guard';

export function registerDocumentSymbols(ctx: HandlerContext): void {
  ctx.connection.onDocumentSymbol(
    guardRequest(ctx.log, 'documentSymbol', (params) => ctx.workspace.service.findDocumentSymbols(documentFor(ctx, params.textDocument.uri))),
  );
}
