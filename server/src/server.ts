/**
 * The Sourcelens language server. Started by the VS Code client over stdio (`--stdio`); the
 * other transports vscode-languageserver understands (`--node-ipc`, `--socket`, `--pipe`) work too.
 */
import { format } from 'node:util';
import { createConnection, ProposedFeatures, StreamMessageWriter, type Connection, type MessageReader } from 'vscode-languageserver/node';
import { startServer } from './handlers/lifecycle';
import { rawAwareEncoder } from './handlers/serializedResult';

/**
 * Over stdio (the transport the VS Code client and the benchmark use) the server writes with
 * an encoder that sends big answers serialised once (handlers/serializedResult.ts). Other
 * transports are set up by vscode-languageserver from the command line as usual.
 */
function connect(): Connection {
  if (!process.argv.includes('--stdio')) return createConnection(ProposedFeatures.all);
  const writer = new StreamMessageWriter(process.stdout, { charset: 'utf-8', contentTypeEncoder: rawAwareEncoder });
  // stdin is passed as a stream, not wrapped in a reader, so that vscode-languageserver still
  // ends the process when it closes (it looks for a stream's read/on); at run time it accepts a
  // stream for the input beside a writer for the output, its typings only either pair.
  const conn = createConnection(ProposedFeatures.all, process.stdin as unknown as MessageReader, writer);
  // stdout carries the protocol: console output goes to the client's log instead (as
  // vscode-languageserver does when it sets up stdio itself).
  console.log = (...args: unknown[]) => conn.console.log(format(...args));
  console.info = (...args: unknown[]) => conn.console.info(format(...args));
  console.warn = (...args: unknown[]) => conn.console.warn(format(...args));
  console.error = (...args: unknown[]) => conn.console.error(format(...args));
  return conn;
}

const connection = connect();

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
