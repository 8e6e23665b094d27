import type { HandlerContext } from './context';
import { documentFor } from './context';
import { guardRequest } from './guard';

export function registerDefinition(ctx: HandlerContext): void {
  ctx.connection.onDefinition(
    guardRequest(ctx.log, 'definition', (params) =>
      ctx.workspace.service.findDefinition(documentFor(ctx, params.textDocument.uri), params.position),
    ),
  );
}
