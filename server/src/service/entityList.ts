/**
 * The entity list behind the Entities view: summaries with filter and sort, every mention of
 * one entity with a line of context grouped by article, and the entity at a position.
 */
import type { Position } from 'vscode-languageserver-protocol';
import type { EntityArticles, EntityListParams, EntitySummary, MentionContext } from '../protocol';
import { articleCount, linesOf, rangeOf, sortedMentions, type ServiceContext } from './context';
import { articleTitle, compareStrings } from './text';
import type { Entity } from './types';

export function summarize(entity: Entity): EntitySummary {
  return {
    id: entity.id,
    name: entity.name,
    type: entity.type,
    aliases: [...entity.aliases],
    mentionCount: entity.mentions.length,
    articleCount: articleCount(entity),
  };
}

export function listEntities(ctx: ServiceContext, params: EntityListParams = {}): EntitySummary[] {
  const filter = (params.filter ?? '').trim().toLowerCase();
  const picked = ctx.index
    .entities()
    .filter((e) => !filter || e.name.toLowerCase().includes(filter) || e.aliases.some((a) => a.toLowerCase().includes(filter)));
  const out = picked.map(summarize);
  if (params.sort === 'name') {
    out.sort((a, b) => a.name.localeCompare(b.name, 'en', { sensitivity: 'base' }) || compareStrings(a.id, b.id));
  } else {
    out.sort((a, b) => b.mentionCount - a.mentionCount || b.articleCount - a.articleCount || compareStrings(a.name, b.name) || compareStrings(a.id, b.id));
  }
  return out;
}

const CONTEXT_REACH = 80;

/** The line around a mention, cut to about `CONTEXT_REACH` characters either side. */
export function mentionContext(text: string, lineStart: number, lineEnd: number, start: number, end: number): string {
  let from = Math.max(lineStart, start - CONTEXT_REACH);
  let to = Math.min(lineEnd, end + CONTEXT_REACH);
  // Do not cut words in half.
  if (from > lineStart) {
    const sp = text.indexOf(' ', from);
    if (sp >= 0 && sp < start) from = sp + 1;
  }
  if (to < lineEnd) {
    const sp = text.lastIndexOf(' ', to);
    if (sp > end) to = sp;
  }
  const body = text.slice(from, to).replace(/\s+/g, ' ').trim();
  return `${from > lineStart ? '…' : ''}${body}${to < lineEnd ? '…' : ''}`;
}

export function entityMentions(ctx: ServiceContext, id: string): EntityArticles | null {
  const entity = ctx.index.entity(id);
  if (!entity) return null;
  const articles: EntityArticles['articles'] = [];
  for (const m of sortedMentions(entity)) {
    let article = articles[articles.length - 1];
    if (!article || article.uri !== m.uri) {
      const doc = ctx.index.document(m.uri);
      article = { uri: m.uri, title: doc ? articleTitle(doc.text) : '', mentions: [] };
      articles.push(article);
    }
    const li = linesOf(ctx, m.uri);
    let context = m.text;
    if (li) {
      const line = li.positionAt(m.start).line;
      context = mentionContext(li.text, li.lineStarts[line], li.lineEnd(line), m.start, m.end);
    }
    const mc: MentionContext = { uri: m.uri, range: rangeOf(ctx, m.uri, m.start, m.end), text: m.text, context };
    article.mentions.push(mc);
  }
  return { id: entity.id, articles };
}

export function entityAt(ctx: ServiceContext, uri: string, position: Position): EntitySummary | null {
  const li = linesOf(ctx, uri);
  if (!li) return null;
  const hit = ctx.index.mentionAt(uri, li.offsetAt(position));
  return hit ? summarize(hit.entity) : null;
}
