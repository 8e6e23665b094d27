/**
 * The Sourcelens language server. Started by the VS Code client over IPC; `--stdio` (and the
 * other transports vscode-languageserver understands) work too, for tests and benchmarks.
 */
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './handlers/lifecycle';

const connection = createConnection(ProposedFeatures.all);

// A bug in one handler must not take the server down: log and keep serving.
process.on('uncaughtException', (err) => {
  try {
    connection.console.error(`Uncaught exception: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
  } catch {
    // the connection itself is gone
  }
});
process.on('unhandledRejection', (err) => {
  try {
    connection.console.error(`Unhandled rejection: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
  } catch {
    // ignore
  }
});

startServer(connection);
