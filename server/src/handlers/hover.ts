import type { HandlerContext } from './context';
import { documentFor } from './context';
import { guardRequest } from './guard';

export function registerHover(ctx: HandlerContext): void {
  ctx.connection.onHover(
    guardRequest(ctx.log, 'hover', (params) => ctx.workspace.service.doHover(documentFor(ctx, params.textDocument.uri), params.position)),
  );
}
