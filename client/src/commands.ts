/**
 * Every `sourcelens.*` command (category "Sourcelens" in the manifest).
 */
import * as vscode from 'vscode';
import type { SourcelensClient } from './client';
import type { ClaimsProvider } from './claimsView';
import type { EntitiesProvider } from './entitiesView';

export const DICTIONARY_PATH = '.sourcelens/entities.json';

/** Written when the user opens a dictionary that does not exist yet (JSON with comments). */
export const DICTIONARY_TEMPLATE = `{
  // The Sourcelens project dictionary. Changes apply when the file is saved.
  "version": 1,
  // Names the recogniser should know, with their other spellings, e.g.
  // { "name": "Yerkin Tukumov", "type": "person", "aliases": ["Erkin Tukumov"] }
  "entities": [],
  // Forms that are never entities: "Send to", or { "text": "Photo", "type": "person" }.
  "ignore": [],
  // Groups of forms that are one entity, e.g. ["KazISS", "Kazakhstan Institute for Strategic Studies"].
  "merge": [],
  // Groups of forms that must stay apart, e.g. ["Korea", "North Korea"].
  "separate": []
}
`;

export interface CommandDeps {
  client: SourcelensClient;
  entities: EntitiesProvider;
  claims: ClaimsProvider;
}

export function registerCommands(deps: CommandDeps): vscode.Disposable[] {
  const { client, entities, claims } = deps;
  const reg = (id: string, fn: (...args: any[]) => unknown) => vscode.commands.registerCommand(id, fn);
  return [
    reg('sourcelens.restartServer', async () => {
      await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Window, title: 'Sourcelens: restarting the server' },
        () => client.restart(),
      );
    }),
    reg('sourcelens.refreshEntities', () => entities.refresh()),
    reg('sourcelens.sortEntitiesByCount', () => entities.setSort('count')),
    reg('sourcelens.sortEntitiesByName', () => entities.setSort('name')),
    reg('sourcelens.filterEntities', async () => {
      const text = await vscode.window.showInputBox({
        title: 'Filter Entities',
        prompt: 'Show only entities whose name or alias contains this text (empty shows all)',
        placeHolder: 'e.g. Tukumov',
        value: entities.filter,
      });
      if (text !== undefined) await entities.setFilter(text);
    }),
    reg('sourcelens.clearEntityFilter', () => entities.setFilter('')),
    reg('sourcelens.revealInEntities', async (uri?: vscode.Uri, position?: vscode.Position) => {
      const editor = vscode.window.activeTextEditor;
      const target = uri instanceof vscode.Uri ? uri : editor?.document.uri;
      // From the editor's context menu the argument is the document's URI, not a position.
      const pos = position instanceof vscode.Position ? position : editor && target?.toString() === editor.document.uri.toString() ? editor.selection.active : undefined;
      if (!target || !pos) {
        void vscode.window.showInformationMessage('Sourcelens: place the cursor on an entity in an article first.');
        return;
      }
      const found = await entities.revealAt(target, pos);
      if (!found) void vscode.window.setStatusBarMessage('$(info) Sourcelens: no entity at the cursor', 4000);
    }),
    reg('sourcelens.showClaimsByArticle', () => claims.setGrouping('article')),
    reg('sourcelens.showClaimsByQuantity', () => claims.setGrouping('quantity')),
    reg('sourcelens.toggleClaimGrouping', () => claims.setGrouping(claims.groupBy === 'article' ? 'quantity' : 'article')),
    reg('sourcelens.refreshClaims', () => claims.refresh()),
    reg('sourcelens.showOutput', () => client.output.show(true)),
    reg('sourcelens.openDictionary', async () => {
      const folders = vscode.workspace.workspaceFolders ?? [];
      const folder = folders.length <= 1 ? folders[0] : await vscode.window.showWorkspaceFolderPick({ placeHolder: 'Open the entity dictionary of which folder?' });
      if (!folder) {
        if (folders.length === 0) void vscode.window.showInformationMessage('Sourcelens: open a folder of articles first; the dictionary lives in its .sourcelens folder.');
        return;
      }
      const file = vscode.Uri.joinPath(folder.uri, ...DICTIONARY_PATH.split('/'));
      let exists = true;
      try {
        await vscode.workspace.fs.stat(file);
      } catch {
        exists = false;
      }
      if (!exists) {
        const create = await vscode.window.showInformationMessage(
          `${folder.name} has no entity dictionary (${DICTIONARY_PATH}). Create one?`,
          { modal: false },
          'Create',
        );
        if (create !== 'Create') return;
        await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(file, '..'));
        await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(DICTIONARY_TEMPLATE));
      }
      await vscode.window.showTextDocument(file);
    }),
  ];
}
