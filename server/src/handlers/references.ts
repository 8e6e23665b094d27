import type { HandlerContext } from './context';
import { documentFor, guardIndexRequest } from './context';

export function registerReferences(ctx: HandlerContext): void {
  ctx.connection.onReferences(
    guardIndexRequest(ctx, 'references', async (params) =>
      ctx.workspace.service.findReferences(await documentFor(ctx, params.textDocument.uri), params.position, {
        includeDeclaration: params.context?.includeDeclaration ?? true,
      }),
    ),
  );
}
