/**
 * The language client: starts dist/server.js over stdio, keeps it running across restarts (a
 * restart builds a fresh client so the document selector and initialization options follow the
 * settings), and re-publishes the server's index notifications as VS Code events so the views
 * and the status bar do not care which client instance is current.
 */
import * as vscode from 'vscode';
import {
  LanguageClient,
  State,
  TransportKind,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import type { RequestType } from 'vscode-languageserver-protocol';
import { IndexChangedNotification, StatsRequest, type IndexStats } from '../../server/src/protocol';
import { readSettings } from './config';
import { ARTICLE_LANGUAGE } from './articleLanguage';
import { SERVER_EXEC_ARGV, serverEnv } from '../../server/src/launch';

export type IndexChange = IndexStats & { uris: string[] };
export type ClientState = 'starting' | 'running' | 'stopped';

export class SourcelensClient implements vscode.Disposable {
  readonly output: vscode.OutputChannel;
  private client: LanguageClient | undefined;
  private clientDisposables: vscode.Disposable[] = [];
  private starting: Promise<void> | undefined;
  private lastStats: IndexStats | undefined;

  private readonly indexChanged = new vscode.EventEmitter<IndexChange>();
  /** The server's index changed (or the server was restarted and reported its index). */
  readonly onIndexChanged = this.indexChanged.event;
  private readonly stateChanged = new vscode.EventEmitter<ClientState>();
  readonly onStateChanged = this.stateChanged.event;

  constructor(private readonly context: vscode.ExtensionContext) {
    this.output = vscode.window.createOutputChannel('Sourcelens');
  }

  get stats(): IndexStats | undefined {
    return this.lastStats;
  }

  get isRunning(): boolean {
    return this.client?.state === State.Running;
  }

  start(): Promise<void> {
    if (!this.starting) this.starting = this.doStart().finally(() => (this.starting = undefined));
    return this.starting;
  }

  private async doStart(): Promise<void> {
    const settings = readSettings();
    const module = this.context.asAbsolutePath('dist/server.js');
    // stdio rather than IPC: the server's stdio writer sends its big answers (Find All
    // References on a much-mentioned entity) as JSON serialised once (server/src/handlers/
    // serializedResult.ts); Node's IPC channel would serialise them again on every request.
    const serverOptions: ServerOptions = {
      // --expose-gc: the server forces full collections between the phases of its first link
      // pass, which keeps its memory peak down on large corpora (server/src/handlers/fullCollection.ts).
      // Its environment: malloc settings that give memory back (server/src/launch.ts).
      run: { module, transport: TransportKind.stdio, options: { env: serverEnv(), execArgv: [...SERVER_EXEC_ARGV] } },
      debug: { module, transport: TransportKind.stdio, options: { env: serverEnv(), execArgv: [...SERVER_EXEC_ARGV, '--nolazy', '--inspect=6009'] } },
    };
    const clientOptions: LanguageClientOptions = {
      // Articles by language, plus every file the include globs name: the server applies
      // include/exclude itself, so a corpus file is analysed even before its language is set.
      documentSelector: [
        { scheme: 'file', language: ARTICLE_LANGUAGE },
        ...settings.include.map((pattern) => ({ scheme: 'file', pattern })),
      ],
      // No `synchronize`: the server registers its file watchers and the `sourcelens`
      // configuration section itself (dynamic registration), re-indexes when include, exclude
      // or maxFileSize change, and refreshes the semantic tokens when entityTypes changes.
      initializationOptions: () => ({
        settings: readSettings(),
        untrusted: !vscode.workspace.isTrusted,
        // The analysis cache and the linked-index snapshot live in this workspace's storage, so
        // a second start reads instead of re-analysing (none without a workspace).
        cacheDir: this.context.storageUri ? vscode.Uri.joinPath(this.context.storageUri, 'index').fsPath : undefined,
      }),
      outputChannel: this.output,
      markdown: { isTrusted: { enabledCommands: ['sourcelens.revealInEntities'] }, supportHtml: false },
    };
    const client = new LanguageClient('sourcelens', 'Sourcelens', serverOptions, clientOptions);
    this.client = client;
    this.clientDisposables = [
      client.onNotification(IndexChangedNotification, (change) => {
        this.lastStats = change;
        this.indexChanged.fire(change);
      }),
      client.onDidChangeState((e) => {
        this.stateChanged.fire(e.newState === State.Running ? 'running' : e.newState === State.Starting ? 'starting' : 'stopped');
      }),
    ];
    this.stateChanged.fire('starting');
    try {
      await client.start();
    } catch (err) {
      this.output.appendLine(`Sourcelens: the language server did not start: ${err instanceof Error ? err.message : String(err)}`);
      void vscode.window.showErrorMessage('Sourcelens: the language server did not start. See the Sourcelens output.', 'Show Output').then((a) => {
        if (a) this.output.show(true);
      });
      this.stateChanged.fire('stopped');
      return;
    }
    // The server announces its index with IndexChanged; if none came (it may have been sent
    // before the handler was in place), ask for the numbers once.
    const fallback = setTimeout(async () => {
      if (this.lastStats || this.client !== client || client.state !== State.Running) return;
      try {
        const stats = await client.sendRequest(StatsRequest, undefined);
        if (stats && !this.lastStats && this.client === client) {
          this.lastStats = stats;
          this.indexChanged.fire({ ...stats, uris: [] });
        }
      } catch {
        // A server without sourcelens/stats: keep waiting for the notification.
      }
    }, 5000);
    this.clientDisposables.push({ dispose: () => clearTimeout(fallback) });
  }

  async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    for (const d of this.clientDisposables) d.dispose();
    this.clientDisposables = [];
    if (client && client.state !== State.Stopped) {
      try {
        await client.stop(5000);
      } catch (err) {
        this.output.appendLine(`Sourcelens: stopping the server: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    this.stateChanged.fire('stopped');
  }

  async restart(): Promise<void> {
    if (this.starting) await this.starting;
    await this.stop();
    this.lastStats = undefined;
    await this.start();
  }

  /** Sends a custom request once the server runs; undefined if it is not running or failed. */
  async request<P, R>(type: RequestType<P, R, void>, params: P): Promise<R | undefined> {
    if (this.starting) await this.starting;
    const client = this.client;
    if (!client || client.state !== State.Running) return undefined;
    try {
      return await client.sendRequest(type, params);
    } catch (err) {
      this.output.appendLine(`Sourcelens: ${type.method} failed: ${err instanceof Error ? err.message : String(err)}`);
      return undefined;
    }
  }

  dispose(): void {
    void this.stop();
    this.indexChanged.dispose();
    this.stateChanged.dispose();
    this.output.dispose();
  }
}
