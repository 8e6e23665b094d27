/** What every handler gets: the connection, the workspace (index + service) and a logger. */
import type { Connection } from 'vscode-languageserver/node';
import type { Logger } from './guard';
import { canonicalUri, type Workspace } from './workspace';

export interface HandlerContext {
  connection: Connection;
  workspace: Workspace;
  log: Logger;
}

/**
 * The canonical URI of a request's document, after applying any pending edit of it so the
 * answer matches what the user sees.
 */
export function documentFor(ctx: HandlerContext, uri: string): string {
  ctx.workspace.ensureFresh(uri);
  return canonicalUri(uri);
}
