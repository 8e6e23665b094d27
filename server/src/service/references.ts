/**
 * Find All References: on an entity, every mention in every indexed article (open or not),
 * across spellings; the first mention in the corpus counts as the declaration. On a claim,
 * the related figures in other articles (and the claim itself as the declaration).
 */
import type { Location, Position } from 'vscode-languageserver-protocol';
import { linesOf, locationOf, sortedMentions, type ServiceContext } from './context';
import type { LineIndex } from './position';
import type { Entity } from './types';

export interface ReferenceOptions {
  includeDeclaration: boolean;
}

/**
 * The reference lists of the last few big entities asked for: a reviewer peeks at the same
 * entity again and again, and a list of thousands of locations costs milliseconds to build.
 * Callers must not change a returned list.
 */
const recent = new Map<Entity, { 0?: Location[]; 1?: Location[] }>();
/** Room for the lists `biggestEntities` has ready and as many a reviewer asked for since. */
const RECENT_MAX = 32;
const CACHE_FROM = 64;

/** Every mention of `entity` as a location (without the first one unless `includeDeclaration`). */
export function entityReferences(ctx: ServiceContext, entity: Entity, opts: ReferenceOptions): Location[] {
  const key = opts.includeDeclaration ? 1 : 0;
  const rec = recent.get(entity);
  const cached = rec?.[key];
  if (rec && cached) {
    // Most recently used last.
    recent.delete(entity);
    recent.set(entity, rec);
    return cached;
  }
  const mentions = sortedMentions(entity);
  // Mentions come grouped by article: one line table per article, not one lookup per mention.
  const out: Location[] = [];
  let lines: LineIndex | undefined;
  let linesUri: string | undefined;
  for (let i = opts.includeDeclaration ? 0 : 1; i < mentions.length; i++) {
    const m = mentions[i];
    if (m.uri !== linesUri) {
      linesUri = m.uri;
      lines = linesOf(ctx, m.uri);
    }
    out.push(lines ? { uri: m.uri, range: lines.range(m.start, m.end) } : locationOf(ctx, m));
  }
  // Kept only for entities with many mentions, and only while the entity object lives (an
  // edit that re-links it makes a new one).
  if (out.length >= CACHE_FROM) {
    recent.set(entity, { ...recent.get(entity), [key]: out });
    if (recent.size > RECENT_MAX) recent.delete(recent.keys().next().value!);
  }
  return out;
}

/**
 * The `max` entities with the most mentions (at least CACHE_FROM each), fewest first: the lists
 * worth building before anyone asks, since their cost grows with their length and the entities
 * a corpus mentions most are the ones reviewers look up most. Fewest first, so that building
 * them in this order leaves the biggest the last to be evicted from the recent lists.
 */
export function biggestEntities(ctx: ServiceContext, max: number): Entity[] {
  const top: Entity[] = []; // ascending by mention count, at most `max`
  for (const e of ctx.index.entities()) {
    const n = e.mentions.length;
    if (n < CACHE_FROM || (top.length === max && n <= top[0].mentions.length)) continue;
    let i = 0;
    while (i < top.length && top[i].mentions.length < n) i++;
    top.splice(i, 0, e);
    if (top.length > max) top.shift();
  }
  return top;
}

export function findReferences(ctx: ServiceContext, uri: string, position: Position, opts: ReferenceOptions): Location[] {
  const li = linesOf(ctx, uri);
  if (!li) return [];
  const offset = li.offsetAt(position);
  const hit = ctx.index.mentionAt(uri, offset);
  if (hit) return entityReferences(ctx, hit.entity, opts);
  const claim = ctx.index.claimAt(uri, offset);
  if (claim) {
    const out: Location[] = [];
    if (opts.includeDeclaration) out.push(locationOf(ctx, { uri, start: claim.start, end: claim.end }));
    for (const r of ctx.claims.related(uri, claim, { limit: 1000 })) {
      out.push(locationOf(ctx, { uri: r.uri, start: r.claim.start, end: r.claim.end }));
    }
    return out;
  }
  return [];
}
