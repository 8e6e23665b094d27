import type { HandlerContext } from './context';
import { documentFor, guardIndexRequest } from './context';

export function registerDefinition(ctx: HandlerContext): void {
  ctx.connection.onDefinition(
    guardIndexRequest(ctx, 'definition', async (params) =>
      ctx.workspace.service.findDefinition(await documentFor(ctx, params.textDocument.uri), params.position),
    ),
  );
}
