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
 * Reference lists at least this long are the ones worth building ahead (`biggestEntities`) and
 * keeping as JSON (handlers/serializedResult.ts).
 */
export const BIG_LIST_FROM = 64;

/** Every mention of `entity` as a location (without the first one unless `includeDeclaration`). */
export function entityReferences(ctx: ServiceContext, entity: Entity, opts: ReferenceOptions): Location[] {
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
  return out;
}

/**
 * The `max` entities with the most mentions (at least BIG_LIST_FROM each), fewest first: the lists
 * worth building before anyone asks, since their cost grows with their length and the entities
 * a corpus mentions most are the ones reviewers look up most. Fewest first, so that building
 * them in this order leaves the biggest the last to be evicted from the recent lists.
 */
export function biggestEntities(ctx: ServiceContext, max: number): Entity[] {
  const top: Entity[] = []; // ascending by mention count, at most `max`
  for (const e of ctx.index.entities()) {
    const n = e.mentions.length;
    if (n < BIG_LIST_FROM || (top.length === max && n <= top[0].mentions.length)) continue;
    let i = 0;
    while (i < top.length && top[i].mentions.length < n) i++;
    top.splice(i, 0, e);
    if (top.length > max) top.shift();
  }
  return top;
}

/** The entity mentioned at `position` (what Find All References lists the mentions of), if any. */
export function mentionedEntity(ctx: ServiceContext, uri: string, position: Position): Entity | null {
  const li = linesOf(ctx, uri);
  return li ? (ctx.index.mentionAt(uri, li.offsetAt(position))?.entity ?? null) : null;
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
