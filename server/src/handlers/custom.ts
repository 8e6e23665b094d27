/** The Sourcelens requests of protocol.ts: entity list, mentions, entity at, claims, stats. */
import {
  ClaimListRequest,
  EntityAtRequest,
  EntityListRequest,
  EntityMentionsRequest,
  RelatedClaimsRequest,
  StatsRequest,
} from '../protocol';
import type { HandlerContext } from './context';
import { documentFor, guardIndexRequest } from './context';

export function registerCustomRequests(ctx: HandlerContext): void {
  const c = ctx.connection;
  // The workspace exists only after initialize: look it up per request.
  const w = {
    get service() {
      return ctx.workspace.service;
    },
    stats: () => ctx.workspace.stats(),
  };
  c.onRequest(EntityListRequest, guardIndexRequest(ctx, 'entities', (params) => w.service.listEntities(params ?? {})));
  c.onRequest(EntityMentionsRequest, guardIndexRequest(ctx, 'entityMentions', (params) => w.service.entityMentions(params.id)));
  c.onRequest(
    EntityAtRequest,
    guardIndexRequest(ctx, 'entityAt', async (params) => w.service.entityAt(await documentFor(ctx, params.uri), params.position)),
  );
  c.onRequest(
    ClaimListRequest,
    guardIndexRequest(ctx, 'claims', async (params) =>
      w.service.listClaims({ groupBy: params?.groupBy ?? 'article', uri: params?.uri ? await documentFor(ctx, params.uri) : undefined }),
    ),
  );
  c.onRequest(
    RelatedClaimsRequest,
    guardIndexRequest(ctx, 'relatedClaims', async (params) => w.service.relatedClaims(await documentFor(ctx, params.uri), params.position)),
  );
  c.onRequest(StatsRequest, guardIndexRequest(ctx, 'stats', () => w.stats()));
}
