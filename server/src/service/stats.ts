/** Index statistics for the status bar and the `sourcelens/stats` request. */
import type { IndexStats } from '../protocol';
import type { ServiceContext } from './context';
import type { EntityType } from './types';

export interface StatsExtra {
  skipped?: Array<{ uri: string; reason: string }>;
  indexing?: boolean;
}

export function computeStats(ctx: ServiceContext, extra: StatsExtra = {}): IndexStats {
  const byType: Record<EntityType, number> = ctx.index.entityCounts();
  let claims = 0;
  for (const d of ctx.index.documents()) claims += d.claims.length;
  return {
    articles: ctx.index.size,
    entities: byType.person + byType.organization + byType.place + byType.event,
    claims,
    byType,
    skipped: (extra.skipped ?? []).slice().sort((a, b) => (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : 0)),
    indexing: extra.indexing ?? false,
  };
}
