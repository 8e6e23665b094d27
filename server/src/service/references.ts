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
const RECENT_MAX = 16;
const CACHE_FROM = 64;

export function findReferences(ctx: ServiceContext, uri: string, position: Position, opts: ReferenceOptions): Location[] {
  const li = linesOf(ctx, uri);
  if (!li) return [];
  const offset = li.offsetAt(position);
  const hit = ctx.index.mentionAt(uri, offset);
  if (hit) {
    const key = opts.includeDeclaration ? 1 : 0;
    const rec = recent.get(hit.entity);
    const cached = rec?.[key];
    if (rec && cached) {
      // Most recently used last.
      recent.delete(hit.entity);
      recent.set(hit.entity, rec);
      return cached;
    }
    const mentions = sortedMentions(hit.entity);
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
      recent.set(hit.entity, { ...recent.get(hit.entity), [key]: out });
      if (recent.size > RECENT_MAX) recent.delete(recent.keys().next().value!);
    }
    return out;
  }
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
