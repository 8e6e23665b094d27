import type { HandlerContext } from './context';
import { documentFor } from './context';
import { guardRequest } from './guard';

export function registerSemanticTokens(ctx: HandlerContext): void {
  const tokens = ctx.connection.languages.semanticTokens;
  tokens.on(guardRequest(ctx.log, 'semanticTokens/full', (params) => ctx.workspace.service.getSemanticTokens(documentFor(ctx, params.textDocument.uri))));
  tokens.onRange(
    guardRequest(ctx.log, 'semanticTokens/range', (params) =>
      ctx.workspace.service.getSemanticTokens(documentFor(ctx, params.textDocument.uri), params.range),
    ),
  );
}
