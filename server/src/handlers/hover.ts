import type { HandlerContext } from './context';
import { documentFor, guardIndexRequest } from './context';

export function registerHover(ctx: HandlerContext): void {
  ctx.connection.onHover(
    guardIndexRequest(ctx, 'hover', async (params) => ctx.workspace.service.doHover(await documentFor(ctx, params.textDocument.uri), params.position)),
  );
}
