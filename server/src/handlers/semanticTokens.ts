import type { HandlerContext } from './context';
import { documentFor, guardIndexRequest } from './context';

export function registerSemanticTokens(ctx: HandlerContext): void {
  const tokens = ctx.connection.languages.semanticTokens;
  tokens.on(guardIndexRequest(ctx, 'semanticTokens/full', async (params) => ctx.workspace.service.getSemanticTokens(await documentFor(ctx, params.textDocument.uri))));
  tokens.onRange(
    guardIndexRequest(ctx, 'semanticTokens/range', async (params) =>
      ctx.workspace.service.getSemanticTokens(await documentFor(ctx, params.textDocument.uri), params.range),
    ),
  );
}
