/**
 * How the language server is started: node flags the client (client/src/client.ts) and the
 * bench's LSP client (bench/lsp-client.ts) both give it, so that what is measured is what runs.
 */

/** `--expose-gc`: full collections between the phases of the first link pass (handlers/fullCollection.ts). */
export const SERVER_EXEC_ARGV: readonly string[] = ['--expose-gc'];
