/**
 * Hover cards: for an entity mention, who or what it is across the corpus; for a numeric
 * claim, its normalised reading, the sentence, who says it and the figures in other articles
 * about the same quantity. All article text is escaped (see markdown.ts).
 */
import { MarkupKind, type Hover, type Position } from 'vscode-languageserver-protocol';
import { findAttribution, type AttributionMention } from './attribution';
import { kindLabel, quantityLabel, readClaim } from './claimReading';
import { articlesOf, firstMention, linesOf, rangeOf, sortedMentions, type ServiceContext } from './context';
import { RecentMap } from './entities/memo';
import { escapeMarkdown, link, quote } from './markdown';
import { uriWithPosition } from './position';
import { articleName, sentenceAround, shorten } from './text';
import type { Entity, MergeReason, RawClaim } from './types';

export function doHover(ctx: ServiceContext, uri: string, position: Position): Hover | null {
  const li = linesOf(ctx, uri);
  if (!li) return null;
  const offset = li.offsetAt(position);
  const claim = ctx.index.claimAt(uri, offset);
  const hit = ctx.index.mentionAt(uri, offset);
  if (!claim && !hit) return null;
  const parts: string[] = [];
  let start = Number.MAX_SAFE_INTEGER;
  let end = -1;
  if (claim) {
    parts.push(claimCard(ctx, uri, claim));
    start = claim.start;
    end = claim.end;
  }
  if (hit) {
    const pending = ctx.index.isProvisional(hit.entity.id) ? '\n\n*Indexing the workspace: other articles are not linked yet.*' : '';
    parts.push(entityCard(ctx, hit.entity) + pending);
    if (!claim) {
      start = hit.mention.start;
      end = hit.mention.end;
    }
  }
  return {
    contents: { kind: MarkupKind.Markdown, value: parts.join('\n\n---\n\n') },
    range: rangeOf(ctx, uri, start, end),
  };
}

const TYPE_LABELS: Record<Entity['type'], string> = {
  person: 'person',
  organization: 'organization',
  place: 'place',
  event: 'event',
};

export function mergeExplanation(m: MergeReason): string {
  const into = m.into;
  switch (m.rule) {
    case 'exact':
      return `same spelling as ${into}`;
    case 'surname':
      return `surname of ${into}`;
    case 'acronym':
      return `acronym of ${into}`;
    case 'transliteration':
      return `transliteration variant of ${into}`;
    case 'country':
      return `another name of the country ${into}`;
    case 'dictionary':
      return `listed as an alias of ${into} in the project dictionary`;
    case 'case':
      return `different capitalisation of ${into}`;
    case 'possessive':
      return `possessive of ${into}`;
    case 'type':
      return `${into} given one type by majority`;
  }
  return `merged into ${into} (${String(m.rule)})`;
}

function explainWithDetail(m: MergeReason): string {
  const base = mergeExplanation(m);
  if (!m.detail) return base;
  // Details that restate the rule ("surname of …") replace the generic explanation.
  const firstWord = base.split(' ')[0].toLowerCase();
  return m.detail.toLowerCase().startsWith(firstWord) ? m.detail : `${base} (${m.detail})`;
}

/** Markdown card for an entity. */
const spellingCache = new WeakMap<Entity, Map<string, number>>();

/** How often each spelling of the entity occurs (cached per entity object: big entities have thousands of mentions). */
function spellingCounts(entity: Entity): Map<string, number> {
  let counts = spellingCache.get(entity);
  if (!counts) {
    counts = new Map();
    for (const m of entity.mentions) counts.set(m.text, (counts.get(m.text) ?? 0) + 1);
    spellingCache.set(entity, counts);
  }
  return counts;
}

/**
 * Cards of the entities hovered lately, most recent last. A card is a function of the entity
 * object (an edit that re-links an entity makes a new one, see references.ts) and of the
 * articles-per-card setting; building one escapes and links up to that many article names and
 * reads the first mention's article back, which made a hover allocate tens of kilobytes.
 */
const recentCards = new RecentMap<Entity, { max: number; card: string }>(256);

/** Whether the entity's card is among those kept (tests). */
export function hasEntityCard(entity: Entity): boolean {
  return recentCards.peek(entity) !== undefined;
}

export function entityCard(ctx: ServiceContext, entity: Entity): string {
  const max = ctx.settings().maxHoverArticles;
  const hit = recentCards.get(entity);
  if (hit && hit.max === max) return hit.card;
  const built = buildEntityCard(ctx, entity, max);
  // A card whose first-mention article could not be read back is not kept (the next hover tries again).
  if (built.complete) recentCards.set(entity, { max, card: built.card });
  return built.card;
}

function buildEntityCard(ctx: ServiceContext, entity: Entity, max: number): { card: string; complete: boolean } {
  const lines: string[] = [];
  lines.push(`**${escapeMarkdown(entity.name)}** — ${TYPE_LABELS[entity.type]}`);

  // Spellings, each with why it was merged.
  const seen = new Set<string>();
  const spellings: string[] = [];
  const aliases = [entity.name, ...entity.aliases.filter((a) => a !== entity.name)];
  const counts = spellingCounts(entity);
  for (const alias of aliases) {
    if (seen.has(alias)) continue;
    seen.add(alias);
    const why = entity.merges.filter((m) => m.alias === alias);
    const count = counts.get(alias) ?? 0;
    if (count === 0 && alias === entity.name && why.length === 0 && !entity.aliases.includes(alias)) continue;
    let item = `*${escapeMarkdown(alias)}*`;
    if (count > 0) item += ` (${count}×)`;
    if (why.length > 0) {
      item += ` — ${why.map((m) => escapeMarkdown(explainWithDetail(m))).join('; ')}`;
    }
    spellings.push(item);
  }
  // Merges whose alias is not among the aliases (defensive): still explain them.
  for (const m of entity.merges) {
    if (seen.has(m.alias)) continue;
    seen.add(m.alias);
    spellings.push(`*${escapeMarkdown(m.alias)}* — ${escapeMarkdown(mergeExplanation(m))}`);
  }
  if (spellings.length > 0) lines.push(`**Spellings:**\n${spellings.map((s) => `- ${s}`).join('\n')}`);

  // Mentions per article, each a link to the first mention in that article.
  const sorted = sortedMentions(entity);
  const perArticle = articlesOf(entity);
  const links = perArticle.slice(0, max).map((a) => {
    const pos = rangeOf(ctx, a.uri, a.first.start, a.first.end).start;
    return `${link(articleName(a.uri), uriWithPosition(a.uri, pos))} (${a.count})`;
  });
  if (perArticle.length > max) links.push(`and ${perArticle.length - max} more`);
  lines.push(
    `**${sorted.length} ${sorted.length === 1 ? 'mention' : 'mentions'}** in ${perArticle.length} ${perArticle.length === 1 ? 'article' : 'articles'}: ${links.join(' · ')}`,
  );

  let complete = true;
  const first = firstMention(entity);
  if (first) {
    const doc = ctx.index.document(first.uri);
    if (doc) {
      const text = doc.text;
      if (text.length === 0 && doc.textLength > 0) complete = false;
      const s = sentenceAround(text, first.start);
      const pos = rangeOf(ctx, first.uri, first.start, first.end).start;
      lines.push(`**First mention** (${link(articleName(first.uri), uriWithPosition(first.uri, pos))}):\n\n${quote(shorten(text.slice(s.start, s.end), 400))}`);
    }
  }
  return { card: lines.join('\n\n'), complete };
}

/** The attribution of a claim's sentence, using the entity mentions of its document. */
export function claimAttribution(ctx: ServiceContext, uri: string, claim: RawClaim) {
  const mentions: AttributionMention[] = [];
  for (const m of ctx.index.mentionsIn(uri)) {
    if (m.end <= claim.sentenceStart) continue;
    if (m.start >= claim.sentenceEnd) break;
    const e = ctx.index.entity(m.entityId);
    if (!e) continue;
    mentions.push({ start: m.start, end: m.end, text: m.text, type: e.type, entityId: e.id, name: e.name });
  }
  return findAttribution(claim.sentence, claim.sentenceStart, mentions);
}

const QUALIFIER_LABELS: Record<RawClaim['qualifier'], string> = {
  exact: 'exact',
  approx: 'approximate',
  over: 'more than',
  under: 'less than',
  'at-least': 'at least',
  'at-most': 'at most',
};

/** Markdown card for a claim. */
export function claimCard(ctx: ServiceContext, uri: string, claim: RawClaim): string {
  const lines: string[] = [];
  const head = [`**${escapeMarkdown(readClaim(claim))}**`, escapeMarkdown(quantityLabel(claim))];
  if (claim.qualifier !== 'exact') head.push(`qualifier: ${QUALIFIER_LABELS[claim.qualifier]}`);
  if (claim.checkworthy) head.push('check-worthy');
  lines.push(head.join(' — '));
  lines.push(`*${escapeMarkdown(claim.text)}* as written (${kindLabel(claim.kind)})`);
  lines.push(quote(shorten(claim.sentence, 500)));
  const who = claimAttribution(ctx, uri, claim);
  if (who) lines.push(`**Source:** ${escapeMarkdown(who.label)}`);
  const related = ctx.claims.related(uri, claim, { limit: ctx.settings().maxRelatedFigures });
  if (related.length > 0) {
    const items = related.map((r) => {
      const pos = rangeOf(ctx, r.uri, r.claim.start, r.claim.end).start;
      const shared = r.shared.slice(0, 3).map((e) => escapeMarkdown(e.name)).join(', ');
      return `- ${link(r.claim.text, uriWithPosition(r.uri, pos))} in ${escapeMarkdown(articleName(r.uri))}: ${escapeMarkdown(r.difference)}${shared ? ` (about ${shared})` : ''}`;
    });
    lines.push(`**Same quantity in other articles:**\n${items.join('\n')}`);
  } else {
    lines.push('*No figures about the same quantity in other articles.*');
  }
  return lines.join('\n\n');
}
