/** Index statistics for the status bar and the `sourcelens/stats` request. */
import type { IndexStats } from '../protocol';
import type { ServiceContext } from './context';
import type { EntityType } from './types';

export interface StatsExtra {
  skipped?: Array<{ uri: string; reason: string }>;
  indexing?: boolean;
}

export function computeStats(ctx: ServiceContext, extra: StatsExtra = {}): IndexStats {
  const byType: Record<EntityType, number> = { person: 0, organization: 0, place: 0, event: 0 };
  const entities = ctx.index.entities();
  for (const e of entities) byType[e.type] = (byType[e.type] ?? 0) + 1;
  let claims = 0;
  for (const d of ctx.index.documents()) claims += d.analysis.claims.length;
  return {
    articles: ctx.index.size,
    entities: entities.length,
    claims,
    byType,
    skipped: (extra.skipped ?? []).slice().sort((a, b) => (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : 0)),
    indexing: extra.indexing ?? false,
  };
}
