/**
 * How the server process is started, shared by the extension's client and the benchmark (which
 * must measure the server as users run it).
 */

/**
 * Environment variables the server starts with, under any the user's environment already sets.
 *
 * `MALLOC_ARENA_MAX=2` (glibc): every analysis worker thread gets malloc arenas of its own, and
 * what they hold stays resident after the workers stop. Two arenas in all: at 20,000 articles a
 * cold start peaked at 2,210 MB RSS with it against 2,298-2,306 MB without, and the RSS after
 * indexing was 1,950 against 2,091 MB (bench/start-trace.ts, one run each). Other C libraries
 * ignore it.
 */
export const SERVER_ENV_DEFAULTS: Readonly<Record<string, string>> = Object.freeze({ MALLOC_ARENA_MAX: '2' });

/** The server's environment: `SERVER_ENV_DEFAULTS` under `env` (the user's own values win). */
export function serverEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return { ...SERVER_ENV_DEFAULTS, ...env };
}
