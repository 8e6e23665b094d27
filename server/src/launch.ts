/**
 * How the language server is started: node flags and environment that the client
 * (client/src/client.ts) and the bench's LSP client (bench/lsp-client.ts) both give it, so that
 * what is measured is what runs.
 */

/**
 * `--expose-gc`: full collections between the phases of the first link pass
 * (handlers/fullCollection.ts). `--max-semi-space-size=32` (MB; V8's default is 16): the server's
 * thread analyses articles during the first pass (see AnalysisPool's `mainThreadHelps`), and with
 * the default young generation much of an article's short-lived data outlived two scavenges and
 * was promoted, to be freed only by full collections of a heap of a gigabyte. At 20,000 articles
 * (`bench/start-trace.ts 20000 --open`, bench/README.md) the pass's CPU fell from 104 to 98-100 s
 * and the peak RSS from 1,500 to 1,448-1,459 MB. The flag is the process's: the indexing
 * workers get it too; the edit worker sets its own (EDIT_WORKER_YOUNG_MB).
 */
export const SERVER_EXEC_ARGV: readonly string[] = ['--expose-gc', '--max-semi-space-size=32'];

/**
 * Environment variables the server starts with, under any the user's environment already sets.
 *
 * glibc's malloc: blocks of 128 KB and more are mapped and unmapped on their own
 * (`MALLOC_MMAP_THRESHOLD_`), and the top of a heap is given back past 128 KB free
 * (`MALLOC_TRIM_THRESHOLD_`). By default both thresholds grow with the program's large blocks
 * (up to 32 MB), after which large short-lived blocks are carved from malloc's heaps and what
 * they leave free can stay resident (which blocks these are here was not traced). At
 * 20,000 articles a cold start peaked at 1,936 and 1,939 MB with these against 2,017 and
 * 2,029 MB without, and its RSS after indexing was 1,797-1,837 against 1,893-1,928 MB; a
 * second start peaked at 1,895-1,900 against 1,911-1,912 MB (bench/start-trace.ts, two runs of
 * each, interleaved). Other C libraries ignore them.
 */
export const SERVER_ENV_DEFAULTS: Readonly<Record<string, string>> = Object.freeze({
  MALLOC_MMAP_THRESHOLD_: '131072',
  MALLOC_TRIM_THRESHOLD_: '131072',
});

/** The server's environment: `SERVER_ENV_DEFAULTS` under `env` (the user's own values win). */
export function serverEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return { ...SERVER_ENV_DEFAULTS, ...env };
}
