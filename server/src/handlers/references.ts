import type { HandlerContext } from './context';
import { documentFor, guardIndexRequest } from './context';
import { serializedOnce } from './serializedResult';

export function registerReferences(ctx: HandlerContext): void {
  ctx.connection.onReferences(
    guardIndexRequest(ctx, 'references', async (params) => {
      const locations = ctx.workspace.service.findReferences(await documentFor(ctx, params.textDocument.uri), params.position, {
        includeDeclaration: params.context?.includeDeclaration ?? true,
      });
      // The same big list comes back until the entity changes: its JSON is kept beside it. The
      // cast: over stdio the result is written as those bytes, elsewhere it serialises as the list.
      return serializedOnce(locations) as typeof locations;
    }),
  );
}
