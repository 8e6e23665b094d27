/**
 * The Entities view (`sourcelens.entities`): Type → Entity → Article → Mention.
 *
 * Items have stable ids derived from the entity id, article URI and mention position, so a
 * refresh after the server's IndexChanged notification keeps what the user expanded, and
 * `reveal` can find an item by walking `getParent`.
 */
import * as vscode from 'vscode';
import {
  EntityAtRequest,
  EntityListRequest,
  EntityMentionsRequest,
  type EntityArticles,
  type EntitySummary,
  type MentionContext,
} from '../../server/src/protocol';
import type { EntityType } from '../../server/src/service/types';
import type { SourcelensClient } from './client';

export const ENTITY_TYPES: readonly EntityType[] = ['person', 'organization', 'place', 'event'];

const TYPE_LABEL: Record<EntityType, string> = {
  person: 'People',
  organization: 'Organizations',
  place: 'Places',
  event: 'Events',
};

export const TYPE_ICON: Record<EntityType, string> = {
  person: 'person',
  organization: 'organization',
  place: 'location',
  event: 'calendar',
};

export type EntitySort = 'count' | 'name';

export type EntityNode =
  | { kind: 'type'; type: EntityType; count: number }
  | { kind: 'entity'; entity: EntitySummary }
  | { kind: 'article'; entity: EntitySummary; uri: string; title: string; mentions: MentionContext[] }
  | { kind: 'mention'; entity: EntitySummary; uri: string; title: string; mention: MentionContext };

function plural(n: number, one: string, many = one + 's'): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** A range from the protocol as a VS Code range. */
export function toRange(r: { start: { line: number; character: number }; end: { line: number; character: number } }): vscode.Range {
  return new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
}

/**
 * The context line shortened for a tree item: a little text before the mention (cut at a word
 * boundary, so the mention shows even in a narrow sidebar), then as much after it as fits,
 * with the mention highlighted.
 */
export function contextLabel(context: string, mention: string, max = 90, before = 24): vscode.TreeItemLabel {
  const text = context.replace(/\s+/g, ' ').trim();
  const at = text.indexOf(mention);
  if (at < 0) return { label: text.length <= max ? text : text.slice(0, max - 1) + '…' };
  let start = 0;
  if (at > before) {
    start = at - before;
    const space = text.indexOf(' ', start);
    if (space >= 0 && space < at) start = space + 1;
  }
  const end = Math.min(text.length, Math.max(start + max, at + mention.length));
  const label = (start > 0 ? '…' : '') + text.slice(start, end) + (end < text.length ? '…' : '');
  const hl = at - start + (start > 0 ? 1 : 0);
  return { label, highlights: [[hl, hl + mention.length]] };
}

export class EntitiesProvider implements vscode.TreeDataProvider<EntityNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<EntityNode | undefined | void>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.changed];

  private entities: EntitySummary[] | undefined;
  private readonly mentionCache = new Map<string, Promise<EntityArticles | null | undefined>>();
  private filterText = '';
  private sortOrder: EntitySort;
  private refreshTimer: NodeJS.Timeout | undefined;
  view: vscode.TreeView<EntityNode> | undefined;

  constructor(
    private readonly client: SourcelensClient,
    private readonly memento: vscode.Memento,
  ) {
    this.sortOrder = memento.get<EntitySort>('sourcelens.entities.sort') === 'name' ? 'name' : 'count';
    void this.updateContext();
    this.disposables.push(
      client.onIndexChanged(() => this.scheduleRefresh()),
      client.onStateChanged(() => this.scheduleRefresh()),
    );
  }

  get filter(): string {
    return this.filterText;
  }

  get sort(): EntitySort {
    return this.sortOrder;
  }

  /** Re-reads everything from the server; expanded items stay expanded (stable ids). */
  refresh(): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.refreshTimer = undefined;
    this.entities = undefined;
    this.mentionCache.clear();
    this.changed.fire();
  }

  private scheduleRefresh(): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => this.refresh(), 150);
  }

  async setSort(sort: EntitySort): Promise<void> {
    this.sortOrder = sort;
    await this.memento.update('sourcelens.entities.sort', sort);
    await this.updateContext();
    this.refresh();
  }

  async setFilter(text: string): Promise<void> {
    this.filterText = text.trim();
    await this.updateContext();
    this.refresh();
  }

  private async updateContext(): Promise<void> {
    await vscode.commands.executeCommand('setContext', 'sourcelens.entities.sort', this.sortOrder);
    await vscode.commands.executeCommand('setContext', 'sourcelens.entities.filtered', this.filterText !== '');
    if (this.view) {
      this.view.description = this.filterText ? `filter: ${this.filterText}` : undefined;
    }
  }

  private async loadEntities(): Promise<EntitySummary[]> {
    if (this.entities) return this.entities;
    const list = await this.client.request(EntityListRequest, {
      filter: this.filterText || undefined,
      sort: this.sortOrder,
    });
    const entities = (list ?? []).slice();
    // The server sorts too; sort here so the order holds whatever it sends.
    const byName = (a: EntitySummary, b: EntitySummary) => a.name.localeCompare(b.name, undefined, { sensitivity: 'base' });
    entities.sort(this.sortOrder === 'name' ? byName : (a, b) => b.mentionCount - a.mentionCount || b.articleCount - a.articleCount || byName(a, b));
    if (list) this.entities = entities;
    this.updateMessage(list === undefined, entities.length);
    return entities;
  }

  private updateMessage(unavailable: boolean, count: number): void {
    if (!this.view) return;
    if (unavailable) {
      this.view.message = this.client.isRunning ? 'Sourcelens could not list the entities. See the Sourcelens output.' : 'Sourcelens is starting…';
    } else if (count === 0) {
      this.view.message = this.filterText
        ? `No entity matches "${this.filterText}".`
        : this.client.stats?.indexing
          ? 'Indexing the articles…'
          : 'No entities found in the articles of this workspace.';
    } else {
      this.view.message = undefined;
    }
  }

  private mentions(entity: EntitySummary): Promise<EntityArticles | null | undefined> {
    let p = this.mentionCache.get(entity.id);
    if (!p) {
      p = this.client.request(EntityMentionsRequest, { id: entity.id });
      this.mentionCache.set(entity.id, p);
      p.then((r) => {
        if (r === undefined) this.mentionCache.delete(entity.id);
      });
    }
    return p;
  }

  async getChildren(node?: EntityNode): Promise<EntityNode[]> {
    if (!node) {
      const entities = await this.loadEntities();
      return ENTITY_TYPES.map((type) => ({ kind: 'type' as const, type, count: entities.filter((e) => e.type === type).length })).filter(
        (n) => n.count > 0,
      );
    }
    switch (node.kind) {
      case 'type':
        return (await this.loadEntities()).filter((e) => e.type === node.type).map((entity) => ({ kind: 'entity' as const, entity }));
      case 'entity': {
        const r = await this.mentions(node.entity);
        return (r?.articles ?? []).map((a) => ({ kind: 'article' as const, entity: node.entity, uri: a.uri, title: a.title, mentions: a.mentions }));
      }
      case 'article':
        return node.mentions.map((mention) => ({ kind: 'mention' as const, entity: node.entity, uri: node.uri, title: node.title, mention }));
      case 'mention':
        return [];
    }
  }

  async getParent(node: EntityNode): Promise<EntityNode | undefined> {
    switch (node.kind) {
      case 'type':
        return undefined;
      case 'entity': {
        const entities = await this.loadEntities();
        return { kind: 'type', type: node.entity.type, count: entities.filter((e) => e.type === node.entity.type).length };
      }
      case 'article':
        return { kind: 'entity', entity: node.entity };
      case 'mention': {
        const r = await this.mentions(node.entity);
        const article = r?.articles.find((a) => a.uri === node.uri);
        return { kind: 'article', entity: node.entity, uri: node.uri, title: node.title, mentions: article?.mentions ?? [node.mention] };
      }
    }
  }

  getTreeItem(node: EntityNode): vscode.TreeItem {
    switch (node.kind) {
      case 'type': {
        const item = new vscode.TreeItem(TYPE_LABEL[node.type], vscode.TreeItemCollapsibleState.Expanded);
        item.id = `type/${node.type}`;
        item.description = String(node.count);
        item.iconPath = new vscode.ThemeIcon(TYPE_ICON[node.type]);
        item.contextValue = 'sourcelens.entityType';
        return item;
      }
      case 'entity': {
        const e = node.entity;
        const item = new vscode.TreeItem(e.name, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `entity/${e.id}`;
        item.description = `${plural(e.mentionCount, 'mention')} · ${plural(e.articleCount, 'article')}`;
        item.iconPath = new vscode.ThemeIcon(TYPE_ICON[e.type]);
        const tip = new vscode.MarkdownString();
        tip.appendMarkdown(`**`).appendText(e.name).appendMarkdown(`** · ${e.type}\n\n`);
        const others = e.aliases.filter((a) => a !== e.name);
        if (others.length) tip.appendMarkdown('Also written: ').appendText(others.join(', ')).appendMarkdown('\n\n');
        tip.appendText(`${plural(e.mentionCount, 'mention')} in ${plural(e.articleCount, 'article')}`);
        item.tooltip = tip;
        item.contextValue = 'sourcelens.entity';
        return item;
      }
      case 'article': {
        const uri = vscode.Uri.parse(node.uri);
        const item = new vscode.TreeItem(node.title || vscode.workspace.asRelativePath(uri), vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `article/${node.entity.id}/${node.uri}`;
        item.description = `${vscode.workspace.asRelativePath(uri, false)} · ${plural(node.mentions.length, 'mention')}`;
        item.iconPath = vscode.ThemeIcon.File;
        item.resourceUri = uri;
        item.tooltip = `${node.title}\n${uri.fsPath}`;
        item.contextValue = 'sourcelens.article';
        return item;
      }
      case 'mention': {
        const m = node.mention;
        const range = toRange(m.range);
        const item = new vscode.TreeItem(contextLabel(m.context, m.text), vscode.TreeItemCollapsibleState.None);
        item.id = `mention/${node.entity.id}/${node.uri}/${range.start.line}:${range.start.character}`;
        item.description = `line ${range.start.line + 1}`;
        item.tooltip = m.context;
        item.iconPath = new vscode.ThemeIcon('symbol-text');
        item.contextValue = 'sourcelens.mention';
        item.command = {
          title: 'Open Mention',
          command: 'vscode.open',
          arguments: [vscode.Uri.parse(node.uri), { selection: range, preserveFocus: false, preview: true } satisfies vscode.TextDocumentShowOptions],
        };
        return item;
      }
    }
  }

  /** Shows the entity (and the mention) at a position in the view. */
  async revealAt(uri: vscode.Uri, position: vscode.Position): Promise<boolean> {
    if (!this.view) return false;
    const entity = await this.client.request(EntityAtRequest, {
      uri: uri.toString(),
      position: { line: position.line, character: position.character },
    });
    if (!entity) return false;
    // A filter that hides the entity would make it unrevealable.
    if (this.filterText) {
      const visible = (await this.loadEntities()).some((e) => e.id === entity.id);
      if (!visible) await this.setFilter('');
    }
    const entityNode: EntityNode = { kind: 'entity', entity };
    let target: EntityNode = entityNode;
    const r = await this.mentions(entity);
    const article = r?.articles.find((a) => a.uri === uri.toString());
    const mention = article?.mentions.find((m) => toRange(m.range).contains(position));
    if (article && mention) target = { kind: 'mention', entity, uri: article.uri, title: article.title, mention };
    try {
      await this.view.reveal(target, { select: true, focus: true, expand: target === entityNode ? 1 : false });
    } catch {
      await this.view.reveal(entityNode, { select: true, focus: true, expand: 1 });
    }
    return true;
  }

  dispose(): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    for (const d of this.disposables) d.dispose();
  }
}
