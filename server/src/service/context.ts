/**
 * What every feature of the language service shares: the index, cached line tables, the
 * related-figures index and the settings. Features are plain functions of this context.
 */
import type { Location, Position, Range } from 'vscode-languageserver-protocol';
import { LineIndex, LineIndexCache } from './position';
import type { ClaimIndex } from './relatedClaims';
import { compareStrings } from './text';
import type { Entity, EntityMentionRef, EntityType } from './types';
import type { WorkspaceIndex } from './workspaceIndex';

export type TokenCategory = EntityType | 'claim';

export interface ServiceSettings {
  /** Which categories get semantic tokens (entity types and `claim`). */
  entityTypes: readonly TokenCategory[];
  /** How many related figures a hover or reference list shows. */
  maxRelatedFigures: number;
  /** How many article links an entity hover lists. */
  maxHoverArticles: number;
}

export const DEFAULT_SETTINGS: ServiceSettings = {
  entityTypes: ['person', 'organization', 'place', 'event', 'claim'],
  maxRelatedFigures: 10,
  maxHoverArticles: 15,
};

export interface ServiceContext {
  readonly index: WorkspaceIndex;
  readonly lines: LineIndexCache;
  readonly claims: ClaimIndex;
  settings(): ServiceSettings;
}

/** The line table of an indexed document, or undefined if the document is not indexed. */
export function linesOf(ctx: ServiceContext, uri: string): LineIndex | undefined {
  const doc = ctx.index.document(uri);
  return doc ? ctx.lines.get(uri, doc.text) : undefined;
}

export function offsetOf(ctx: ServiceContext, uri: string, position: Position): number | undefined {
  return linesOf(ctx, uri)?.offsetAt(position);
}

export function rangeOf(ctx: ServiceContext, uri: string, start: number, end: number): Range {
  const li = linesOf(ctx, uri);
  if (!li) return { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  return li.range(start, end);
}

export function locationOf(ctx: ServiceContext, m: { uri: string; start: number; end: number }): Location {
  return { uri: m.uri, range: rangeOf(ctx, m.uri, m.start, m.end) };
}

export function compareMentions(a: EntityMentionRef, b: EntityMentionRef): number {
  return compareStrings(a.uri, b.uri) || a.start - b.start || a.end - b.end;
}

const sortedCache = new WeakMap<Entity, EntityMentionRef[]>();

/** The entity's mentions in document order (URI, then offset). Cached per entity object. */
export function sortedMentions(entity: Entity): EntityMentionRef[] {
  let s = sortedCache.get(entity);
  if (!s) {
    s = entity.mentions.slice().sort(compareMentions);
    sortedCache.set(entity, s);
  }
  return s;
}

/** The first mention of the entity in the corpus (document order). */
export function firstMention(entity: Entity): EntityMentionRef | undefined {
  return sortedMentions(entity)[0];
}

/** Number of distinct articles mentioning the entity. */
export function articleCount(entity: Entity): number {
  const s = sortedMentions(entity);
  let n = 0;
  let last: string | undefined;
  for (const m of s) {
    if (m.uri !== last) {
      n++;
      last = m.uri;
    }
  }
  return n;
}
