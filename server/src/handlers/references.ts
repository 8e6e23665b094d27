import type { HandlerContext } from './context';
import { documentFor } from './context';
import { guardRequest } from './guard';

export function registerReferences(ctx: HandlerContext): void {
  ctx.connection.onReferences(
    guardRequest(ctx.log, 'references', (params) =>
      ctx.workspace.service.findReferences(documentFor(ctx, params.textDocument.uri), params.position, {
        includeDeclaration: params.context?.includeDeclaration ?? true,
      }),
    ),
  );
}
