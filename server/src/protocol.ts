/**
 * Custom requests and notifications between the Sourcelens client and server, declared once
 * and imported by both sides.
 */
import { NotificationType, RequestType } from 'vscode-languageserver-protocol';
import type { Range } from 'vscode-languageserver-protocol';
import type { EntityType, RawClaim } from './service/types';

export interface IndexStats {
  articles: number;
  entities: number;
  claims: number;
  /** Counts of entities per type. */
  byType: Record<EntityType, number>;
  /** Files that were not indexed, and why. */
  skipped: Array<{ uri: string; reason: string }>;
  /** True while the first indexing pass is still running. */
  indexing: boolean;
}

/** Sent by the server whenever the index changed (after indexing, an edit, a file event). */
export const IndexChangedNotification = new NotificationType<IndexStats & { uris: string[] }>('sourcelens/indexChanged');

export interface EntitySummary {
  id: string;
  name: string;
  type: EntityType;
  aliases: string[];
  mentionCount: number;
  articleCount: number;
}

export interface EntityListParams {
  /** Case-insensitive substring filter on name and aliases. */
  filter?: string;
  sort?: 'count' | 'name';
}

export const EntityListRequest = new RequestType<EntityListParams, EntitySummary[], void>('sourcelens/entities');

export interface MentionContext {
  uri: string;
  range: Range;
  text: string;
  /** The line of text around the mention, for a tree item. */
  context: string;
}

export interface EntityArticles {
  id: string;
  articles: Array<{ uri: string; title: string; mentions: MentionContext[] }>;
}

export const EntityMentionsRequest = new RequestType<{ id: string }, EntityArticles | null, void>('sourcelens/entityMentions');

/** The entity under a position, for "Reveal in Entities". */
export const EntityAtRequest = new RequestType<{ uri: string; position: { line: number; character: number } }, EntitySummary | null, void>(
  'sourcelens/entityAt',
);

/** A claim for the Claims view: where it is, its own fields, and its normalised reading ("over 4,700 jobs"). */
export type ClaimSummary = { id: string; uri: string; range: Range; reading: string } & Pick<
  RawClaim,
  'text' | 'kind' | 'value' | 'unit' | 'qualifier' | 'checkworthy' | 'sentence'
>;

export interface ClaimListParams {
  groupBy: 'article' | 'quantity';
  /** Optional: only the claims of this article. (Added; older clients omit it.) */
  uri?: string;
}

export interface ClaimGroup {
  /** Article title or quantity label ("money · USD"). */
  label: string;
  /** The article's URI when grouped by article. */
  uri?: string;
  claims: ClaimSummary[];
}

export const ClaimListRequest = new RequestType<ClaimListParams, ClaimGroup[], void>('sourcelens/claims');

export const StatsRequest = new RequestType<void, IndexStats, void>('sourcelens/stats');

/** One figure about the same quantity in another article (see RelatedClaimsRequest). */
export interface RelatedClaimSummary extends ClaimSummary {
  /** How it differs from the queried figure: "+2.4%", "−1.5 pp", "same figure". */
  difference: string;
  /** Names of the context entities the two figures share. */
  shared: string[];
  score: number;
}

/** Added: the figures in other articles about the same quantity as the claim at a position. */
export const RelatedClaimsRequest = new RequestType<
  { uri: string; position: { line: number; character: number } },
  { claim: ClaimSummary; related: RelatedClaimSummary[] } | null,
  void
>('sourcelens/relatedClaims');
