import { guardIndexRequest, type HandlerContext } from './context';

export function registerWorkspaceSymbols(ctx: HandlerContext): void {
  ctx.connection.onWorkspaceSymbol(guardIndexRequest(ctx, 'workspaceSymbol', (params) => ctx.workspace.service.findWorkspaceSymbols(params.query)));
}
