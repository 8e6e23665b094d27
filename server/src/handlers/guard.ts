/**
 * Wraps request and notification handlers so that an exception answers with a ResponseError
 * (requests) or is logged (notifications), and the server keeps serving.
 */
import { ErrorCodes, ResponseError } from 'vscode-languageserver/node';

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

function describe(err: unknown): string {
  if (err instanceof Error) return err.stack ?? `${err.name}: ${err.message}`;
  return String(err);
}

/** A request handler that never throws: failures become `ResponseError(InternalError)`. */
export function guardRequest<P extends unknown[], R>(
  log: Logger,
  name: string,
  fn: (...args: P) => R | Promise<R>,
): (...args: P) => Promise<R | ResponseError<void>> {
  return async (...args: P) => {
    try {
      return await fn(...args);
    } catch (err) {
      if (err instanceof ResponseError) return err as ResponseError<void>;
      log.error(`${name} failed: ${describe(err)}`);
      return new ResponseError<void>(ErrorCodes.InternalError, `Sourcelens: ${name} failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  };
}

/** A notification handler that logs failures instead of throwing. */
export function guardNotification<P extends unknown[]>(log: Logger, name: string, fn: (...args: P) => void | Promise<void>): (...args: P) => void {
  return (...args: P) => {
    try {
      const r = fn(...args);
      if (r && typeof (r as Promise<void>).catch === 'function') {
        (r as Promise<void>).catch((err) => log.error(`${name} failed: ${describe(err)}`));
      }
    } catch (err) {
      log.error(`${name} failed: ${describe(err)}`);
    }
  };
}
