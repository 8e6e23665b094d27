/**
 * Sourcelens for VS Code: entities and numeric claims in a folder of news articles.
 */
import * as vscode from 'vscode';
import { ArticleLanguageAssigner } from './articleLanguage';
import { ClaimsProvider } from './claimsView';
import { SourcelensClient } from './client';
import { registerCommands } from './commands';
import { classifyChange } from './config';
import { EntitiesProvider } from './entitiesView';
import { StatusBar } from './statusBar';

let client: SourcelensClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const sub = (...d: vscode.Disposable[]) => context.subscriptions.push(...d);

  client = new SourcelensClient(context);
  sub(client);

  const languages = new ArticleLanguageAssigner();
  sub(languages);

  const entities = new EntitiesProvider(client, context.workspaceState);
  const entitiesView = vscode.window.createTreeView('sourcelens.entities', { treeDataProvider: entities, showCollapseAll: true });
  entities.view = entitiesView;
  sub(entities, entitiesView);

  const claims = new ClaimsProvider(client, context.workspaceState);
  const claimsView = vscode.window.createTreeView('sourcelens.claims', { treeDataProvider: claims, showCollapseAll: true });
  claims.view = claimsView;
  sub(claims, claimsView);

  sub(new StatusBar(client));
  sub(...registerCommands({ client, entities, claims }));

  const c = client;
  sub(
    vscode.workspace.onDidChangeConfiguration(async (e) => {
      // The server re-reads its settings itself (it registered for the `sourcelens` section):
      // it re-indexes on corpus changes and refreshes the highlighting on entityTypes changes.
      // Here only the language of open documents may need to follow include/exclude.
      if (classifyChange(e).corpus) await languages.refreshAll();
    }),
    vscode.workspace.onDidChangeWorkspaceFolders(() => void languages.refreshAll()),
    // Trust lifts the restrictions the server applied at start.
    vscode.workspace.onDidGrantWorkspaceTrust(() => void c.restart()),
  );

  await languages.refreshAll();
  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
