/**
 * The Claims view (`sourcelens.claims`): numeric claims grouped by article, or across articles
 * by quantity (money · USD, percent, …). Check-worthy claims come first in every group.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { ClaimListRequest, type ClaimGroup, type ClaimSummary } from '../../server/src/protocol';
import type { SourcelensClient } from './client';
import { toRange } from './entitiesView';

export type ClaimGrouping = 'article' | 'quantity';

export type ClaimNode = { kind: 'group'; groupBy: ClaimGrouping; group: ClaimGroup } | { kind: 'claim'; groupBy: ClaimGrouping; group: ClaimGroup; claim: ClaimSummary };

const KIND_ICON: Record<string, string> = {
  money: 'credit-card',
  percent: 'graph',
  count: 'symbol-number',
  measure: 'symbol-ruler',
  rank: 'list-ordered',
  duration: 'watch',
  year: 'calendar',
  date: 'calendar',
};

/** Check-worthy first, then in reading order (article, line, column). */
export function compareClaims(a: ClaimSummary, b: ClaimSummary): number {
  return (
    Number(b.checkworthy) - Number(a.checkworthy) ||
    a.uri.localeCompare(b.uri) ||
    a.range.start.line - b.range.start.line ||
    a.range.start.character - b.range.start.character
  );
}

export class ClaimsProvider implements vscode.TreeDataProvider<ClaimNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ClaimNode | undefined | void>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.changed];
  private grouping: ClaimGrouping;
  private refreshTimer: NodeJS.Timeout | undefined;
  view: vscode.TreeView<ClaimNode> | undefined;

  constructor(
    private readonly client: SourcelensClient,
    private readonly memento: vscode.Memento,
  ) {
    this.grouping = memento.get<ClaimGrouping>('sourcelens.claims.groupBy') === 'quantity' ? 'quantity' : 'article';
    void vscode.commands.executeCommand('setContext', 'sourcelens.claims.groupBy', this.grouping);
    this.disposables.push(
      client.onIndexChanged(() => this.scheduleRefresh()),
      client.onStateChanged(() => this.scheduleRefresh()),
    );
  }

  get groupBy(): ClaimGrouping {
    return this.grouping;
  }

  async setGrouping(g: ClaimGrouping): Promise<void> {
    this.grouping = g;
    await this.memento.update('sourcelens.claims.groupBy', g);
    await vscode.commands.executeCommand('setContext', 'sourcelens.claims.groupBy', g);
    this.refresh();
  }

  refresh(): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.refreshTimer = undefined;
    this.changed.fire();
  }

  private scheduleRefresh(): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => this.refresh(), 150);
  }

  async getChildren(node?: ClaimNode): Promise<ClaimNode[]> {
    if (node?.kind === 'claim') return [];
    if (node?.kind === 'group') {
      return node.group.claims
        .slice()
        .sort(compareClaims)
        .map((claim) => ({ kind: 'claim' as const, groupBy: node.groupBy, group: node.group, claim }));
    }
    const groupBy = this.grouping;
    const groups = await this.client.request(ClaimListRequest, { groupBy });
    if (this.view) {
      this.view.message =
        groups === undefined
          ? this.client.isRunning
            ? 'Sourcelens could not list the claims. See the Sourcelens output.'
            : 'Sourcelens is starting…'
          : groups.length === 0
            ? 'No numeric claims found in the articles of this workspace.'
            : undefined;
      this.view.description = groupBy === 'article' ? 'by article' : 'by quantity';
    }
    return (groups ?? []).map((group) => ({ kind: 'group' as const, groupBy, group }));
  }

  getParent(node: ClaimNode): ClaimNode | undefined {
    return node.kind === 'claim' ? { kind: 'group', groupBy: node.groupBy, group: node.group } : undefined;
  }

  getTreeItem(node: ClaimNode): vscode.TreeItem {
    if (node.kind === 'group') {
      const g = node.group;
      const worthy = g.claims.filter((c) => c.checkworthy).length;
      const item = new vscode.TreeItem(g.label, vscode.TreeItemCollapsibleState.Expanded);
      item.id = `claims/${node.groupBy}/${g.uri ?? g.label}`;
      item.description = `${g.claims.length} claim${g.claims.length === 1 ? '' : 's'}${worthy ? ` · ${worthy} check-worthy` : ''}`;
      if (g.uri) {
        item.resourceUri = vscode.Uri.parse(g.uri);
        item.iconPath = vscode.ThemeIcon.File;
        item.tooltip = item.resourceUri.fsPath;
      } else {
        item.iconPath = new vscode.ThemeIcon(KIND_ICON[g.claims[0]?.kind ?? ''] ?? 'symbol-number');
      }
      item.contextValue = 'sourcelens.claimGroup';
      return item;
    }
    const c = node.claim;
    const uri = vscode.Uri.parse(c.uri);
    const item = new vscode.TreeItem(c.text, vscode.TreeItemCollapsibleState.None);
    item.id = `claims/${node.groupBy}/${node.group.uri ?? node.group.label}/${c.id}`;
    const where = node.groupBy === 'quantity' ? ` · ${path.basename(uri.fsPath)}` : '';
    item.description = `${c.reading}${where}`;
    item.iconPath = c.checkworthy
      ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'))
      : new vscode.ThemeIcon(KIND_ICON[c.kind] ?? 'symbol-number');
    const tip = new vscode.MarkdownString();
    tip.appendMarkdown(`**`).appendText(c.reading).appendMarkdown(`** · ${c.kind}${c.checkworthy ? ' · check-worthy' : ''}\n\n`);
    tip.appendText(c.sentence);
    item.tooltip = tip;
    item.contextValue = c.checkworthy ? 'sourcelens.claim.checkworthy' : 'sourcelens.claim';
    item.command = {
      title: 'Open Claim',
      command: 'vscode.open',
      arguments: [uri, { selection: toRange(c.range), preview: true } satisfies vscode.TextDocumentShowOptions],
    };
    return item;
  }

  dispose(): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    for (const d of this.disposables) d.dispose();
  }
}
