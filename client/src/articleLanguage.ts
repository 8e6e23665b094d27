/**
 * Gives corpus files the `article` language. Sourcelens does not claim every .txt or .md file
 * in the manifest; instead, when a .txt/.md file inside a workspace folder opens and matches
 * `sourcelens.include` minus `sourcelens.exclude`, its language is switched to `article`.
 * A user who switches such a file back (language picker) is respected until it is closed.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { matchesAny } from '../../server/src/service/glob';
import { readSettings } from './config';

export const ARTICLE_LANGUAGE = 'article';
const CANDIDATE_LANGUAGES = new Set(['plaintext', 'markdown']);
const CANDIDATE_EXTENSIONS = new Set(['.txt', '.md']);

/** The path of a file relative to its workspace folder (forward slashes), or undefined outside folders. */
export function folderRelativePath(uri: vscode.Uri): string | undefined {
  if (uri.scheme !== 'file') return undefined;
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  if (!folder || folder.uri.scheme !== 'file') return undefined;
  const rel = path.relative(folder.uri.fsPath, uri.fsPath);
  if (!rel || rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
  return rel.split(path.sep).join('/');
}

/** Whether a file is an article by the settings of its workspace folder. */
export function isCorpusFile(uri: vscode.Uri): boolean {
  if (!CANDIDATE_EXTENSIONS.has(path.extname(uri.fsPath).toLowerCase())) return false;
  const rel = folderRelativePath(uri);
  if (rel === undefined) return false;
  const s = readSettings(uri);
  return matchesAny(rel, s.include) && !matchesAny(rel, s.exclude);
}

export class ArticleLanguageAssigner implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  /** Documents this class switched, and when each was last closed. */
  private readonly switched = new Map<string, number>();

  constructor() {
    this.disposables.push(
      vscode.workspace.onDidOpenTextDocument((d) => void this.consider(d)),
      vscode.workspace.onDidCloseTextDocument((d) => {
        if (this.switched.has(d.uri.toString())) this.switched.set(d.uri.toString(), Date.now());
      }),
    );
  }

  /** Re-checks every open document (after activation, or when the corpus settings changed). */
  async refreshAll(): Promise<void> {
    this.switched.clear();
    await Promise.all(
      vscode.workspace.textDocuments.map(async (d) => {
        const ext = path.extname(d.uri.fsPath).toLowerCase();
        if (d.languageId === ARTICLE_LANGUAGE && CANDIDATE_EXTENSIONS.has(ext) && !isCorpusFile(d.uri)) {
          // No longer part of the corpus: give it back its ordinary language.
          await vscode.languages.setTextDocumentLanguage(d, ext === '.md' ? 'markdown' : 'plaintext').then(undefined, () => undefined);
        } else {
          await this.consider(d);
        }
      }),
    );
  }

  private async consider(doc: vscode.TextDocument): Promise<void> {
    if (!CANDIDATE_LANGUAGES.has(doc.languageId) || !isCorpusFile(doc.uri)) return;
    const key = doc.uri.toString();
    const closedAt = this.switched.get(key);
    // Closed and reopened at once with another language: the user picked it; leave it.
    if (closedAt !== undefined && closedAt > 0 && Date.now() - closedAt < 1000) return;
    this.switched.set(key, 0);
    try {
      await vscode.languages.setTextDocumentLanguage(doc, ARTICLE_LANGUAGE);
    } catch {
      // The document was closed meanwhile.
    }
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
