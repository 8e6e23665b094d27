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
import { documentFor } from './context';
import { guardRequest } from './guard';

export function registerCustomRequests(ctx: HandlerContext): void {
  const c = ctx.connection;
  // The workspace exists only after initialize: look it up per request.
  const w = {
    get service() {
      return ctx.workspace.service;
    },
    stats: () => ctx.workspace.stats(),
  };
  c.onRequest(EntityListRequest, guardRequest(ctx.log, 'entities', (params) => w.service.listEntities(params ?? {})));
  c.onRequest(EntityMentionsRequest, guardRequest(ctx.log, 'entityMentions', (params) => w.service.entityMentions(params.id)));
  c.onRequest(
    EntityAtRequest,
    guardRequest(ctx.log, 'entityAt', (params) => w.service.entityAt(documentFor(ctx, params.uri), params.position)),
  );
  c.onRequest(
    ClaimListRequest,
    guardRequest(ctx.log, 'claims', (params) =>
      w.service.listClaims({ groupBy: params?.groupBy ?? 'article', uri: params?.uri ? documentFor(ctx, params.uri) : undefined }),
    ),
  );
  c.onRequest(
    RelatedClaimsRequest,
    guardRequest(ctx.log, 'relatedClaims', (params) => w.service.relatedClaims(documentFor(ctx, params.uri), params.position)),
  );
  c.onRequest(StatsRequest, guardRequest(ctx.log, 'stats', () => w.stats()));
}
