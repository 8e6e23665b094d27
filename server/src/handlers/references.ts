import type { Location } from 'vscode-languageserver-protocol';
import type { HandlerContext } from './context';
import { documentFor, guardIndexRequest } from './context';
import { entityReferencesOnce } from './serializedResult';

export function registerReferences(ctx: HandlerContext): void {
  ctx.connection.onReferences(
    guardIndexRequest(ctx, 'references', async (params) => {
      const uri = await documentFor(ctx, params.textDocument.uri);
      const includeDeclaration = params.context?.includeDeclaration ?? true;
      const service = ctx.workspace.service;
      const entity = service.mentionedEntity(uri, params.position);
      // On an entity: a big list's JSON is kept until the entity changes. The cast: over stdio the
      // result is written as those bytes, elsewhere it serialises as the list.
      if (entity) return entityReferencesOnce(service, entity, includeDeclaration) as Location[];
      return service.findReferences(uri, params.position, { includeDeclaration });
    }),
  );
}
