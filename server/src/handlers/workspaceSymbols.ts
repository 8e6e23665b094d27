import type { HandlerContext } from './context';
import { guardRequest } from './guard';

export function registerWorkspaceSymbols(ctx: HandlerContext): void {
  ctx.connection.onWorkspaceSymbol(guardRequest(ctx.log, 'workspaceSymbol', (params) => ctx.workspace.service.findWorkspaceSymbols(params.query)));
}
