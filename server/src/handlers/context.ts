/** What every handler gets: the connection, the workspace (index + service) and a logger. */
import type { Connection } from 'vscode-languageserver/node';
import { guardRequest, type Logger } from './guard';
import { canonicalUri, type Workspace } from './workspace';

export interface HandlerContext {
  connection: Connection;
  workspace: Workspace;
  log: Logger;
}

/**
 * The canonical URI of a request's document, after applying any pending edit of it so the
 * answer matches what the user sees (an edit being analysed in the edit worker is waited for).
 */
export async function documentFor(ctx: HandlerContext, uri: string): Promise<string> {
  for (let pending = ctx.workspace.ensureFresh(uri); pending; pending = ctx.workspace.pendingEdit(uri)) await pending;
  return canonicalUri(uri);
}

/**
 * `guardRequest` for a request answered from the index: at start-up it first waits for the
 * workspace's start-up gate (the last session's snapshot being loaded; see Workspace.startupGate).
 * Every such request is noted as it starts and as it ends, so that background work gives way
 * (handlers/backgroundPause.ts).
 */
export function guardIndexRequest<P extends unknown[], R>(ctx: HandlerContext, name: string, fn: (...args: P) => R | Promise<R>) {
  return guardRequest(ctx.log, name, async (...args: P) => {
    ctx.workspace.noteRequest();
    try {
      const gate = ctx.workspace.startupGate;
      return await (gate ? gate.then(() => fn(...args)) : fn(...args));
    } finally {
      // Noted again as it ends, answer computed: a handler can take longer than the quiet that
      // background work and the link's first step wait for (see inSteps).
      ctx.workspace.noteRequest();
    }
  });
}
