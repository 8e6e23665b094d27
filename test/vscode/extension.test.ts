/**
 * Sourcelens in a real (desktop) VS Code, through the extension API: run with `npx vscode-test`
 * (see .vscode-test.mjs; the workspace is the shared corpus). Mocha's TDD interface.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

declare function suite(name: string, fn: () => void): void;
declare function suiteSetup(fn: () => Promise<void>): void;
declare function test(name: string, fn: () => Promise<void>): void;

const EXTENSION_ID = 'sourcelens.sourcelens';

async function waitFor<T>(what: string, fn: () => PromiseLike<T | undefined> | T | undefined, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await fn();
      if (v !== undefined && v !== null && v !== false) return v as T;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}`);
}

async function openArticle(prefix: string): Promise<vscode.TextDocument> {
  const [file] = await vscode.workspace.findFiles(`${prefix}*.txt`);
  assert.ok(file, `article ${prefix}* in the workspace`);
  const doc = await vscode.workspace.openTextDocument(file);
  await vscode.window.showTextDocument(doc);
  // The extension switches corpus files to the article language.
  return waitFor(`${prefix} to become an article`, () => {
    const d = vscode.workspace.textDocuments.find((t) => t.uri.toString() === file.toString());
    return d?.languageId === 'article' ? d : undefined;
  });
}

function positionOf(doc: vscode.TextDocument, needle: string, delta = 1): vscode.Position {
  const i = doc.getText().indexOf(needle);
  assert.ok(i >= 0, `"${needle}" in ${doc.uri.fsPath}`);
  return doc.positionAt(i + delta);
}

function hoverText(hovers: vscode.Hover[]): string {
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))
    .join('\n');
}

suite('Sourcelens', () => {
  suiteSetup(async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is installed`);
    await ext.activate();
  });

  test('registers its commands', async () => {
    const commands = await vscode.commands.getCommands(true);
    for (const c of ['sourcelens.restartServer', 'sourcelens.refreshEntities', 'sourcelens.revealInEntities', 'sourcelens.filterEntities']) {
      assert.ok(commands.includes(c), c);
    }
  });

  test('hover on a person names its type', async () => {
    const doc = await openArticle('000');
    const pos = positionOf(doc, 'Azamat Beispekov');
    const text = await waitFor('a Sourcelens hover', async () => {
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, pos);
      const t = hoverText(hovers ?? []);
      return /person/i.test(t) ? t : undefined;
    });
    assert.match(text, /Beispekov/);
  });

  test('references of Yerkin Tukumov include the article that writes Erkin Tukumov', async () => {
    const doc = await openArticle('003');
    const pos = positionOf(doc, 'Yerkin Tukumov');
    const locations = await waitFor('references', async () => {
      const refs = await vscode.commands.executeCommand<vscode.Location[]>('vscode.executeReferenceProvider', doc.uri, pos);
      return refs && refs.length > 0 ? refs : undefined;
    });
    assert.ok(
      locations.some((l) => /[/\\]002_/.test(l.uri.fsPath)),
      `002 among ${locations.map((l) => l.uri.fsPath).join(', ')}`,
    );
  });

  test('semantic tokens use the contributed legend', async () => {
    const doc = await openArticle('000');
    const legend = await waitFor('a semantic token legend', () =>
      vscode.commands.executeCommand<vscode.SemanticTokensLegend>('vscode.provideDocumentSemanticTokensLegend', doc.uri),
    );
    assert.ok(legend.tokenTypes.includes('person'), legend.tokenTypes.join(','));
    const tokens = await waitFor('semantic tokens', () =>
      vscode.commands.executeCommand<vscode.SemanticTokens>('vscode.provideDocumentSemanticTokens', doc.uri),
    );
    assert.ok(tokens.data.length >= 5);
  });
});
