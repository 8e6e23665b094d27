/**
 * What every feature of the language service shares: the index, line tables, the
 * related-figures index and the settings. Features are plain functions of this context.
 */
import type { Location, Position, Range } from 'vscode-languageserver-protocol';
import { LineIndex } from './position';
import type { ClaimIndex } from './relatedClaims';
import { compareStrings } from './text';
import type { Entity, EntityMentionRef, EntityType } from './types';
import type { IndexedDocument, WorkspaceIndex } from './workspaceIndex';

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
  readonly claims: ClaimIndex;
  settings(): ServiceSettings;
}

/** The line table of an indexed document, or undefined if the document is not indexed. */
export function linesOf(ctx: ServiceContext, uri: string): LineIndex | undefined {
  const doc = ctx.index.document(uri);
  if (!doc) return undefined;
  // The index keeps every article's line starts, so this is a small wrapper, made once per version.
  let li = lineIndexes.get(doc);
  if (!li) {
    // The text is asked for only if a feature needs it (an article served from the snapshot reads it from disk).
    li = new LineIndex(() => doc.text, doc.lineStarts, doc.textLength);
    lineIndexes.set(doc, li);
  }
  return li;
}

const lineIndexes = new WeakMap<IndexedDocument, LineIndex>();

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

const sortedCache = new WeakMap<Entity, readonly EntityMentionRef[]>();

/**
 * The entity's mentions in document order (URI, then offset). The linker already lists them so,
 * which one pass confirms; otherwise a sorted copy is made. Cached per entity object.
 */
export function sortedMentions(entity: Entity): readonly EntityMentionRef[] {
  let s = sortedCache.get(entity);
  if (!s) {
    const ms = entity.mentions;
    let sorted = true;
    for (let i = 1; i < ms.length && sorted; i++) sorted = compareMentions(ms[i - 1], ms[i]) <= 0;
    s = sorted ? ms : ms.slice().sort(compareMentions);
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
  return articlesOf(entity).length;
}

export interface ArticleMentions {
  uri: string;
  /** The entity's first mention in this article. */
  first: EntityMentionRef;
  count: number;
}

const articlesCache = new WeakMap<Entity, readonly ArticleMentions[]>();

/** The articles mentioning the entity, in document order, with the count and first mention in each. Cached per entity object. */
export function articlesOf(entity: Entity): readonly ArticleMentions[] {
  let out = articlesCache.get(entity) as ArticleMentions[] | undefined;
  if (!out) {
    out = [];
    let last: ArticleMentions | undefined;
    for (const m of sortedMentions(entity)) {
      if (last && last.uri === m.uri) last.count++;
      else out.push((last = { uri: m.uri, first: m, count: 1 }));
    }
    articlesCache.set(entity, out);
  }
  return out;
}
