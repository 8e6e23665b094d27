/**
 * A minimal LSP client for the benchmark: spawns `node dist/server.js --stdio`, speaks JSON-RPC
 * over its stdin/stdout (vscode-jsonrpc, the same transport VS Code uses), answers the requests a
 * server may send to the client, and records notifications with their arrival time.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import { SERVER_EXEC_ARGV, serverEnv } from '../server/src/launch';

export interface Notification {
  method: string;
  params: any;
  /** performance.now() at arrival. */
  at: number;
}

export interface StartOptions {
  serverJs: string;
  /** Extra node flags (after SERVER_EXEC_ARGV, which the extension also gives the server; before the script). */
  nodeArgs?: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

export class LspClient {
  readonly proc: ChildProcess;
  readonly conn: MessageConnection;
  readonly notifications: Notification[] = [];
  readonly stderr: string[] = [];
  /** performance.now() just before spawn. */
  readonly spawnedAt: number;
  initializeResult: any;
  private waiters: Array<{ pred: (n: Notification) => boolean; resolve: (n: Notification) => void }> = [];
  private exited: Promise<number | null>;
  /** Rejects when the server process exits (so no request waits forever on a dead server). */
  private readonly dead: Promise<never>;

  constructor(opts: StartOptions) {
    this.spawnedAt = performance.now();
    // The flags the extension starts the server with, then the caller's.
    const args = [...SERVER_EXEC_ARGV.filter((a) => !opts.nodeArgs?.includes(a)), ...(opts.nodeArgs ?? [])];
    // SOURCELENS_V8_TRACE=FILE: the protocol moves to fd 3 (bench/stdout-fd3.cjs) and what V8
    // prints on the server's stdout (e.g. with SOURCELENS_NODE_ARGS=--trace-gc-nvp) goes to FILE.
    const v8Trace = process.env.SOURCELENS_V8_TRACE;
    if (v8Trace) args.unshift('--require', path.join(__dirname, 'stdout-fd3.cjs'));
    this.proc = spawn(process.execPath, [...args, opts.serverJs, '--stdio'], {
      cwd: opts.cwd,
      // As the extension starts it (server/src/launch.ts), then the caller's own variables.
      env: { ...serverEnv(), ...opts.env },
      stdio: v8Trace ? ['pipe', fs.openSync(v8Trace, 'w'), 'pipe', 'pipe'] : ['pipe', 'pipe', 'pipe'],
    });
    const protocolOut = (v8Trace ? this.proc.stdio[3] : this.proc.stdout) as NodeJS.ReadableStream;
    this.exited = new Promise((resolve) => this.proc.on('exit', (code, signal) => resolve(code ?? (signal ? -1 : null))));
    this.dead = this.exited.then((code) => {
      const logs = this.notifications
        .filter((n) => n.method === 'window/logMessage' && n.params?.type === 1)
        .map((n) => String(n.params.message))
        .slice(-3);
      throw new Error(`server exited (code ${code}, signal ${this.proc.signalCode}); stderr: ${this.stderr.join('').slice(-1500)}; errors logged: ${logs.join(' | ').slice(0, 1500)}`);
    });
    this.dead.catch(() => undefined);
    this.proc.stderr!.setEncoding('utf8');
    this.proc.stderr!.on('data', (d: string) => {
      this.stderr.push(d);
      if (this.stderr.length > 2000) this.stderr.splice(0, 1000);
    });
    this.conn = createMessageConnection(new StreamMessageReader(protocolOut), new StreamMessageWriter(this.proc.stdin!));
    this.conn.onNotification((method: string, params: any) => {
      const n = { method, params, at: performance.now() };
      this.notifications.push(n);
      if (method === 'window/logMessage' && this.notifications.length > 5000) {
        // keep memory bounded on chatty servers
        this.notifications.splice(0, 1000);
      }
      this.waiters = this.waiters.filter((w) => {
        if (!w.pred(n)) return true;
        w.resolve(n);
        return false;
      });
    });
    this.conn.onRequest((method: string, params: any) => {
      switch (method) {
        case 'workspace/configuration':
          return (params?.items ?? []).map(() => null);
        case 'workspace/workspaceFolders':
          return null;
        default:
          return null; // client/registerCapability, window/workDoneProgress/create, ...
      }
    });
    this.conn.onError(() => undefined);
    this.conn.listen();
  }

  get pid(): number {
    return this.proc.pid!;
  }

  async initialize(folder: string, initializationOptions: Record<string, unknown> = {}): Promise<any> {
    const uri = pathToFileURL(folder).href;
    this.initializeResult = await this.request('initialize', {
      processId: process.pid,
      rootUri: uri,
      workspaceFolders: [{ uri, name: 'bench' }],
      initializationOptions,
      capabilities: {
        workspace: { workspaceFolders: true, configuration: true, symbol: {} },
        textDocument: {
          synchronization: { didSave: true, dynamicRegistration: false },
          hover: { contentFormat: ['markdown', 'plaintext'] },
          definition: {},
          references: {},
          documentSymbol: { hierarchicalDocumentSymbolSupport: true },
          semanticTokens: {
            requests: { full: true },
            tokenTypes: [],
            tokenModifiers: [],
            formats: ['relative'],
          },
        },
        window: { workDoneProgress: false },
      },
    });
    await this.conn.sendNotification('initialized', {});
    return this.initializeResult;
  }

  request<R = any>(method: string, params: unknown): Promise<R> {
    return Promise.race([this.conn.sendRequest(method, params) as Promise<R>, this.dead]);
  }

  notify(method: string, params: unknown): Promise<void> {
    return this.conn.sendNotification(method, params);
  }

  /** Resolves with the first notification (already received after `since`, or future) matching. */
  waitFor(pred: (n: Notification) => boolean, timeoutMs: number, since = -Infinity): Promise<Notification | undefined> {
    const seen = this.notifications.find((n) => n.at >= since && pred(n));
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => {
      const w = { pred, resolve: (n: Notification | undefined) => (clearTimeout(timer), resolve(n)) };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((x) => x !== w);
        resolve(undefined);
      }, timeoutMs);
      this.waiters.push(w as any);
    });
  }

  /** VmHWM and VmRSS of the server process, in KB, and its number of threads (Linux). */
  memory(): { hwmKB: number; rssKB: number; threads: number } | undefined {
    try {
      const s = fs.readFileSync(`/proc/${this.pid}/status`, 'utf8');
      const num = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+)`, 'm').exec(s)?.[1] ?? NaN);
      return { hwmKB: num('VmHWM'), rssKB: num('VmRSS'), threads: num('Threads') };
    } catch {
      return undefined;
    }
  }

  /** The server's resident memory by kind of mapping, in MB (Linux; see `residentByKind`). */
  residentByMapping(): Record<string, number> | undefined {
    try {
      return residentByKind(fs.readFileSync(`/proc/${this.pid}/smaps`, 'utf8'));
    } catch {
      return undefined;
    }
  }

  /** shutdown + exit, then kill if it does not leave within `timeoutMs`. */
  async stop(timeoutMs = 30_000): Promise<void> {
    if (this.proc.exitCode !== null || this.proc.signalCode !== null) return;
    try {
      await Promise.race([this.conn.sendRequest('shutdown'), unrefDelay(timeoutMs), this.exited]);
      await this.conn.sendNotification('exit');
    } catch {
      /* already gone */
    }
    const code = await Promise.race([this.exited, unrefDelay(timeoutMs).then(() => 'timeout' as const)]);
    if (code === 'timeout') this.proc.kill('SIGKILL');
    this.conn.dispose();
  }

  kill(): void {
    if (this.proc.exitCode === null) this.proc.kill('SIGKILL');
    this.conn.dispose();
  }
}

export const delay = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
/** A delay that does not keep the process alive (a stop's time limit, left pending once the server is gone). */
const unrefDelay = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());

/** Whether a response has content: a non-empty list, hover contents or token data. */
export function hasContent(x: any): boolean {
  if (x == null) return false;
  if (Array.isArray(x)) return x.length > 0;
  if (typeof x === 'object' && 'contents' in x) {
    const c = x.contents;
    if (typeof c === 'string') return c.length > 0;
    if (Array.isArray(c)) return c.length > 0;
    return !!c?.value;
  }
  if (typeof x === 'object' && 'data' in x) return Array.isArray(x.data) && x.data.length > 0;
  return true;
}

/** A hover with content that is not the provisional, article-only card given while indexing. */
export function isLinkedHover(x: any): boolean {
  return hasContent(x) && !JSON.stringify(x).includes('other articles are not linked yet');
}

/** Converts a string offset (UTF-16) to an LSP position. */
export function positionAt(text: string, offset: number): { line: number; character: number } {
  let line = 0;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, character: offset - lineStart };
}

/** Decodes LSP relative semantic tokens into absolute {line, char, length, type}. */
export function decodeSemanticTokens(data: number[] | undefined): Array<{ line: number; char: number; length: number; type: number }> {
  const out: Array<{ line: number; char: number; length: number; type: number }> = [];
  if (!data) return out;
  let line = 0;
  let char = 0;
  for (let i = 0; i + 4 < data.length; i += 5) {
    const dl = data[i];
    line += dl;
    char = dl === 0 ? char + data[i + 1] : data[i + 1];
    out.push({ line, char, length: data[i + 2], type: data[i + 3] });
  }
  return out;
}

/** The size of glibc's per-thread malloc heaps (HEAP_MAX_SIZE on 64-bit systems): each is mapped at a multiple of it. */
const ARENA_BYTES = 64 * 1024 * 1024;

/**
 * Resident memory by kind of mapping, in MB, from the text of /proc/PID/smaps: files;
 * glibc's per-thread malloc arenas ("malloc arenas": an anonymous read-write mapping that starts
 * at a multiple of 64 MB and, with the inaccessible rest reserved right after it, spans exactly
 * 64 MB, which is how glibc reserves one and grows it); other anonymous mappings ("anon": V8's
 * heap pages, large allocations); the rest by name ([heap], the main malloc heap; [stack]).
 */
export function residentByKind(smaps: string): Record<string, number> {
  const maps: Array<{ start: number; end: number; perms: string; name: string; kb: number }> = [];
  for (const line of smaps.split('\n')) {
    const m = /^([0-9a-f]+)-([0-9a-f]+) (\S+) \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (m) maps.push({ start: parseInt(m[1], 16), end: parseInt(m[2], 16), perms: m[3], name: m[4], kb: 0 });
    else if (line.startsWith('Rss:') && maps.length > 0) maps[maps.length - 1].kb += Number(line.split(/\s+/)[1]);
  }
  const kb = new Map<string, number>();
  maps.forEach((x, i) => {
    let kind = x.name ? (x.name.startsWith('/') ? 'file' : x.name) : 'anon';
    if (kind === 'anon' && x.perms.startsWith('rw') && x.start % ARENA_BYTES === 0) {
      const next = maps[i + 1];
      const reservedEnd = next && !next.name && next.start === x.end && next.perms.startsWith('---') ? next.end : x.end;
      if (reservedEnd - x.start === ARENA_BYTES) kind = 'malloc arenas';
    }
    kb.set(kind, (kb.get(kind) ?? 0) + x.kb);
  });
  return Object.fromEntries([...kb].sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, Math.round(v / 1024)]));
}
