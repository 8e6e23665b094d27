/**
 * The Sourcelens language service: every editor feature as a plain function of the workspace
 * index, with no LSP connection. The server (server.ts + handlers/) and tests call it; the
 * shape follows vscode-markdown-languageservice's `createLanguageService`.
 */
import type {
  DocumentHighlight,
  DocumentSymbol,
  Hover,
  Location,
  Position,
  Range,
  SemanticTokens,
  SymbolInformation,
} from 'vscode-languageserver-protocol';
import type {
  ClaimGroup,
  ClaimListParams,
  ClaimSummary,
  EntityArticles,
  EntityListParams,
  EntitySummary,
  IndexStats,
  RelatedClaimSummary,
} from '../protocol';
import { listClaims, summarizeClaim } from './claimList';
import { DEFAULT_SETTINGS, linesOf, type ServiceContext, type ServiceSettings } from './context';
import { findDefinition } from './definition';
import { findDocumentHighlights } from './documentHighlight';
import { findDocumentSymbols } from './documentSymbols';
import { entityAt, entityMentions, listEntities } from './entityList';
import { doHover, entityCard } from './hover';
import type { LineIndex } from './position';
import { biggestEntities, entityReferences, entityReferencesJson, findReferences, mentionedEntity, type ReferenceOptions } from './references';
import { ClaimIndex } from './relatedClaims';
import { getSemanticTokens, semanticTokensLegend } from './semanticTokens';
import { computeStats, type StatsExtra } from './stats';
import type { Entity } from './types';
import type { WorkspaceIndex } from './workspaceIndex';
import { findWorkspaceSymbols } from './workspaceSymbols';

export { semanticTokensLegend } from './semanticTokens';
export type { ServiceSettings, TokenCategory } from './context';

export interface LanguageServiceOptions {
  index: WorkspaceIndex;
  /** Current settings (read on every call, so changes apply without recreating the service). */
  settings?: () => Partial<ServiceSettings>;
}

export interface LanguageService {
  readonly index: WorkspaceIndex;
  doHover(uri: string, position: Position): Hover | null;
  findDefinition(uri: string, position: Position): Location[];
  findReferences(uri: string, position: Position, opts?: ReferenceOptions): Location[];
  /** Every mention of the entity as a location (a new list on every call). */
  entityReferences(entity: Entity, opts?: ReferenceOptions): Location[];
  /** `entityReferences` as the UTF-8 bytes of its JSON, written without building the list. */
  entityReferencesJson(entity: Entity, opts?: ReferenceOptions): Uint8Array;
  /** The entity mentioned at the position (whose mentions `findReferences` lists there), if any. */
  mentionedEntity(uri: string, position: Position): Entity | null;
  /** The `max` entities with the most mentions, fewest first (see references.ts). */
  biggestEntities(max: number): Entity[];
  /** Builds the entity's hover card ahead of the first hover on it (kept with the cards hovered lately, see hover.ts). */
  prepareEntityCard(entity: Entity): void;
  findDocumentHighlights(uri: string, position: Position): DocumentHighlight[];
  findDocumentSymbols(uri: string): DocumentSymbol[];
  findWorkspaceSymbols(query: string): SymbolInformation[];
  getSemanticTokens(uri: string, range?: Range): SemanticTokens;
  readonly semanticTokensLegend: typeof semanticTokensLegend;
  listEntities(params?: EntityListParams): EntitySummary[];
  entityMentions(id: string): EntityArticles | null;
  entityAt(uri: string, position: Position): EntitySummary | null;
  listClaims(params: ClaimListParams): ClaimGroup[];
  relatedClaims(uri: string, position: Position): { claim: ClaimSummary; related: RelatedClaimSummary[] } | null;
  /** Builds the related-figures index ahead of the first hover on a figure, in slices (see ClaimIndex.prepare). */
  prepareRelatedFigures(pause: () => Promise<unknown>, ok: () => boolean): Promise<boolean>;
  stats(extra?: StatsExtra): IndexStats;
  /** Line table of an indexed document (offset ↔ position). */
  lines(uri: string): LineIndex | undefined;
}

export function createLanguageService(opts: LanguageServiceOptions): LanguageService {
  const claims = new ClaimIndex(opts.index);
  const ctx: ServiceContext = {
    index: opts.index,
    claims,
    settings: () => ({ ...DEFAULT_SETTINGS, ...(opts.settings?.() ?? {}) }),
  };
  return {
    index: opts.index,
    doHover: (uri, position) => doHover(ctx, uri, position),
    findDefinition: (uri, position) => findDefinition(ctx, uri, position),
    findReferences: (uri, position, o = { includeDeclaration: true }) => findReferences(ctx, uri, position, o),
    entityReferences: (entity, o = { includeDeclaration: true }) => entityReferences(ctx, entity, o),
    entityReferencesJson: (entity, o = { includeDeclaration: true }) => entityReferencesJson(ctx, entity, o),
    mentionedEntity: (uri, position) => mentionedEntity(ctx, uri, position),
    biggestEntities: (max) => biggestEntities(ctx, max),
    prepareEntityCard: (entity) => void entityCard(ctx, entity),
    findDocumentHighlights: (uri, position) => findDocumentHighlights(ctx, uri, position),
    findDocumentSymbols: (uri) => findDocumentSymbols(ctx, uri),
    findWorkspaceSymbols: (query) => findWorkspaceSymbols(ctx, query),
    getSemanticTokens: (uri, range) => getSemanticTokens(ctx, uri, range),
    semanticTokensLegend,
    listEntities: (params) => listEntities(ctx, params),
    entityMentions: (id) => entityMentions(ctx, id),
    entityAt: (uri, position) => entityAt(ctx, uri, position),
    listClaims: (params) => listClaims(ctx, params),
    relatedClaims: (uri, position) => {
      const li = linesOf(ctx, uri);
      if (!li) return null;
      const claim = ctx.index.claimAt(uri, li.offsetAt(position));
      if (!claim) return null;
      const related = claims.related(uri, claim, { limit: 100 }).map((r) => ({
        ...summarizeClaim(ctx, r.uri, r.claim),
        difference: r.difference,
        shared: r.shared.map((e) => e.name),
        score: r.score,
      }));
      return { claim: summarizeClaim(ctx, uri, claim), related };
    },
    prepareRelatedFigures: (pause, ok) => claims.prepare(pause, ok),
    stats: (extra) => computeStats(ctx, extra),
    lines: (uri) => linesOf(ctx, uri),
  };
}
