/**
 * Wires the LSP connection: capabilities at initialize, settings, file watching, document
 * sync and every feature handler. The connection's transport (IPC from the VS Code client,
 * or --stdio for tests and benchmarks) is chosen by the caller.
 */
import {
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  TextDocumentSyncKind,
  TextDocuments,
  type Connection,
  type InitializeResult,
  type WorkspaceFolder,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import * as path from 'node:path';
import { releaseAnalyser } from '../service/analyse';
import { fingerprintFiles, openAnalysisCache, type AnalysisCache } from '../service/analysisCache';
import { SNAPSHOT_FILE_NAME } from '../service/indexSnapshot';
import { GAZETTEER_FILE, MODEL2_FILE, MODEL_FILE, findModelFile } from '../service/ner';
import { semanticTokensLegend } from '../service/semanticTokens';
import type { DocumentAnalysis } from '../service/types';
import type { HandlerContext } from './context';
import { registerCustomRequests } from './custom';
import { registerDefinition } from './definition';
import { registerDocumentHighlight } from './documentHighlight';
import { registerDocumentSymbols } from './documentSymbols';
import { guardNotification, type Logger } from './guard';
import { registerHover } from './hover';
import { registerReferences } from './references';
import { registerSemanticTokens } from './semanticTokens';
import { AnalysisPool, defaultPoolSize, mainThreadHelps } from './analysisPool';
import { fullCollector, minHeapFromEnv } from './fullCollection';
import { rewarmIdleFromEnv } from './workerWarmth';
import { Workspace } from './workspace';
import { registerWorkspaceSymbols } from './workspaceSymbols';

export interface ServerOptions {
  /** Replaces the per-document analysis (tests). */
  analyse?: (text: string) => DocumentAnalysis;
  editDelay?: number;
}

export const SERVER_VERSION = '0.1.0';

/** The shipped model files (the analysis depends on them). */
function modelFiles(): string[] {
  const files: string[] = [];
  for (const f of [MODEL_FILE, MODEL2_FILE, GAZETTEER_FILE]) {
    try {
      files.push(findModelFile(f));
    } catch {
      // optional or missing model file: the fingerprint counts it as empty
    }
  }
  return files;
}

/** The analysis cache in `dir`, keyed by the analyser version and the shipped model files. */
function openCache(dir: string, log: Logger): AnalysisCache | undefined {
  return openAnalysisCache(dir, { fingerprint: fingerprintFiles(modelFiles()), log: (m) => log.info(`[cache] ${m}`), lazy: true });
}

/** The linked-index snapshot in `dir`: any change of the models or of the server's own code (this bundle) invalidates it. */
function snapshotOptions(dir: string): { file: string; fingerprint: string } {
  return { file: path.join(dir, SNAPSHOT_FILE_NAME), fingerprint: fingerprintFiles([...modelFiles(), __filename]) };
}

export function startServer(connection: Connection, opts: ServerOptions = {}): void {
  const log: Logger = {
    info: (m) => connection.console.info(m),
    warn: (m) => connection.console.warn(m),
    error: (m) => connection.console.error(m),
  };
  const documents = new TextDocuments(TextDocument);
  let workspace: Workspace | undefined;
  let watchDynamic = false;
  let configDynamic = false;
  let hasFolderEvents = false;

  // Handlers are registered once; they reach the workspace created at initialize.
  const ctx: HandlerContext = {
    connection,
    log,
    get workspace(): Workspace {
      if (!workspace) throw new Error('server not initialized');
      return workspace;
    },
  };

  connection.onInitialize((params): InitializeResult => {
    const caps = params.capabilities;
    const init = (params.initializationOptions ?? {}) as { untrusted?: boolean; settings?: unknown; cacheDir?: unknown };
    const cache = typeof init.cacheDir === 'string' && init.cacheDir ? openCache(init.cacheDir, log) : undefined;
    const folders: WorkspaceFolder[] =
      params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri, name: 'root' }] : []);
    watchDynamic = !!caps.workspace?.didChangeWatchedFiles?.dynamicRegistration;
    configDynamic = !!caps.workspace?.didChangeConfiguration?.dynamicRegistration;
    hasFolderEvents = !!caps.workspace?.workspaceFolders;
    workspace = new Workspace({
      connection,
      documents,
      log,
      untrusted: init.untrusted === true,
      folders,
      capabilities: {
        configuration: !!caps.workspace?.configuration,
        semanticTokensRefresh: !!caps.workspace?.semanticTokens?.refreshSupport,
      },
      analyse: opts.analyse,
      cache,
      snapshot: cache && !opts.analyse ? snapshotOptions(cache.dir) : undefined,
      // Worker threads run the real analyser only; a test's replacement runs in process.
      pool: opts.analyse ? undefined : (size, purpose) => AnalysisPool.create((m) => log.info(m), size === undefined ? defaultPoolSize() : Math.min(size, defaultPoolSize()), undefined, purpose),
      editDelay: opts.editDelay,
      collectGarbage: fullCollector({ log: (m) => log.info(m), minHeap: minHeapFromEnv() }),
      releaseAnalyser: opts.analyse ? undefined : releaseAnalyser,
      helpIndexing: !opts.analyse && mainThreadHelps(),
      editRewarmIdleMs: rewarmIdleFromEnv(),
    });
    if (init.settings !== undefined && !caps.workspace?.configuration) {
      void workspace.readSettings(init.settings).then((s) => (workspace!.settings = s));
    }
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        hoverProvider: true,
        definitionProvider: true,
        referencesProvider: true,
        documentHighlightProvider: true,
        documentSymbolProvider: { label: 'Sourcelens' },
        workspaceSymbolProvider: true,
        semanticTokensProvider: { legend: semanticTokensLegend, full: true, range: true },
        workspace: hasFolderEvents ? { workspaceFolders: { supported: true, changeNotifications: true } } : undefined,
      },
      serverInfo: { name: 'sourcelens', version: SERVER_VERSION },
    };
  });

  connection.onInitialized(
    guardNotification(log, 'initialized', async () => {
      const w = ctx.workspace;
      w.settings = await w.readSettings(w.settings);
      if (watchDynamic) {
        const watchers = [{ globPattern: '**/*' }];
        await connection.client
          .register(DidChangeWatchedFilesNotification.type, { watchers })
          .catch((err) => log.warn(`Could not register file watchers: ${String(err)}`));
      }
      if (configDynamic) {
        await connection.client.register(DidChangeConfigurationNotification.type, { section: 'sourcelens' }).catch(() => undefined);
      }
      if (hasFolderEvents) {
        connection.workspace.onDidChangeWorkspaceFolders(
          guardNotification(log, 'didChangeWorkspaceFolders', async (e) => {
            w.addFolders(e.added, e.removed);
            w.loadDictionaries();
            await w.indexAll();
          }),
        );
      }
      w.loadDictionaries();
      await w.indexAll();
    }),
  );

  connection.onDidChangeConfiguration(
    guardNotification(log, 'didChangeConfiguration', async (params) => {
      const w = ctx.workspace;
      const pushed = (params.settings as { sourcelens?: unknown } | undefined)?.sourcelens;
      const next = await w.readSettings(pushed);
      const prev = w.settings;
      w.settings = next;
      const corpusChanged =
        JSON.stringify([prev.include, prev.exclude, prev.maxFileSize]) !== JSON.stringify([next.include, next.exclude, next.maxFileSize]);
      if (corpusChanged) {
        log.info('Corpus settings changed; re-indexing.');
        await w.indexAll();
      } else if (JSON.stringify(prev.entityTypes) !== JSON.stringify(next.entityTypes)) {
        connection.languages.semanticTokens.refresh();
      }
    }),
  );

  connection.onDidChangeWatchedFiles(guardNotification(log, 'didChangeWatchedFiles', (params) => ctx.workspace.didChangeWatchedFiles(params.changes)));

  documents.onDidOpen(guardNotification(log, 'didOpen', (e) => ctx.workspace.didOpen(e.document)));
  documents.onDidChangeContent(guardNotification(log, 'didChange', (e) => ctx.workspace.didChange(e.document)));
  documents.onDidClose(guardNotification(log, 'didClose', (e) => ctx.workspace.didClose(e.document)));

  registerHover(ctx);
  registerDefinition(ctx);
  registerReferences(ctx);
  registerDocumentHighlight(ctx);
  registerDocumentSymbols(ctx);
  registerWorkspaceSymbols(ctx);
  registerSemanticTokens(ctx);
  registerCustomRequests(ctx);

  connection.onShutdown(() => workspace?.dispose());
  connection.onExit(() => workspace?.dispose());

  documents.listen(connection);
  connection.listen();
}
