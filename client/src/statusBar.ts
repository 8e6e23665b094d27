/**
 * The status bar item: "Sourcelens: 5 articles · 149 entities · 120 claims", a spinner while the
 * server indexes, and a warning when the server is not running. Clicking focuses the entity view.
 */
import * as vscode from 'vscode';
import type { IndexStats } from '../../server/src/protocol';
import type { ClientState, SourcelensClient } from './client';

function plural(n: number, one: string, many = one + 's'): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

export function statsText(s: IndexStats): string {
  return `Sourcelens: ${plural(s.articles, 'article')} · ${plural(s.entities, 'entity', 'entities')} · ${plural(s.claims, 'claim')}`;
}

export class StatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly disposables: vscode.Disposable[] = [];
  private state: ClientState = 'starting';

  constructor(private readonly client: SourcelensClient) {
    this.item = vscode.window.createStatusBarItem('sourcelens.status', vscode.StatusBarAlignment.Left, 10);
    this.item.name = 'Sourcelens';
    this.item.command = 'sourcelens.entities.focus';
    this.disposables.push(
      this.item,
      client.onIndexChanged(() => this.update()),
      client.onStateChanged((s) => {
        this.state = s;
        this.update();
      }),
    );
    this.update();
    this.item.show();
  }

  private update(): void {
    const stats = this.client.stats;
    this.item.backgroundColor = undefined;
    if (this.state === 'stopped' && !this.client.isRunning) {
      this.item.text = '$(warning) Sourcelens: server stopped';
      this.item.tooltip = 'The Sourcelens language server is not running. Click to open the entity view; run "Sourcelens: Restart Server" to start it.';
      this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
      return;
    }
    if (!stats || stats.indexing || this.state === 'starting') {
      this.item.text = '$(sync~spin) Sourcelens: indexing…';
      this.item.tooltip = 'Sourcelens is reading the articles in the workspace.';
      return;
    }
    this.item.text = statsText(stats);
    const md = new vscode.MarkdownString(undefined, true);
    md.appendMarkdown(`**Sourcelens**\n\n`);
    const byType = stats.byType ?? {};
    md.appendMarkdown(
      `$(person) ${byType.person ?? 0} people · $(organization) ${byType.organization ?? 0} organizations · ` +
        `$(location) ${byType.place ?? 0} places · $(calendar) ${byType.event ?? 0} events\n\n`,
    );
    if (stats.skipped?.length) {
      md.appendMarkdown(`${plural(stats.skipped.length, 'file')} skipped:\n\n`);
      for (const s of stats.skipped.slice(0, 10)) {
        md.appendMarkdown('- ');
        md.appendText(`${vscode.workspace.asRelativePath(vscode.Uri.parse(s.uri))}: ${s.reason}`);
        md.appendMarkdown('\n');
      }
      if (stats.skipped.length > 10) md.appendMarkdown(`- … and ${stats.skipped.length - 10} more\n`);
      md.appendMarkdown('\n');
    }
    md.appendMarkdown('Click to show the entities.');
    this.item.tooltip = md;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
