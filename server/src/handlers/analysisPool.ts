/**
 * A small pool of worker threads running indexing jobs (worker/analysisJob.ts), so the first
 * indexing pass uses every core while the main thread keeps answering requests. A job that a
 * worker cannot run (the worker died, the bundle is missing) is rejected; the caller runs it in
 * process instead, so the pool never loses an article.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker, type ResourceLimits } from 'node:worker_threads';
import { ArticleReceiver } from '../service/indexedDocument';
import { ownCopy, SlabCopier } from '../service/ownedBytes';
import type { AnalysisJob, AnalysisJobResult, WorkerResult } from '../worker/analysisJob';

interface Pending {
  uri: string;
  resolve: (r: AnalysisJobResult) => void;
  reject: (e: Error) => void;
}

interface Slot {
  worker: Worker;
  pending: Map<number, Pending>;
  dead: boolean;
  /** Rebuilds the worker's packed articles, every one in the order sent (see transfer.ts). */
  receiver: ArticleReceiver;
  /** How long the worker had waited for work as of its last answer (ms, see `waitedMs`). */
  waitedMs: number;
}

export const WORKER_FILE = 'analysisWorker.js';

/**
 * What a pool's workers are for: the indexing pass, or the edits of open articles (one worker,
 * alive for the whole session, one article at a time).
 */
export type PoolPurpose = 'indexing' | 'edits';

/**
 * The edit worker's young generation, in MB (V8's default for a worker is 16 MB semi-spaces).
 * It analyses one article of a few kilobytes per edit, so a small young generation costs a few
 * more short scavenges, and the worker's resident memory, which it holds for the whole session
 * an article is open, is smaller (see bench/README.md).
 */
export const EDIT_WORKER_YOUNG_MB = 4;

export class AnalysisPool {
  private readonly slots: Slot[] = [];
  private nextId = 1;
  private turn = 0;
  private disposed = false;
  /** New cache payloads, copied out of the workers' memory (see service/ownedBytes.ts). */
  private readonly payloads = new SlabCopier();

  private constructor(
    private readonly file: string,
    size: number,
    private readonly log: (message: string) => void,
    private readonly purpose: PoolPurpose,
  ) {
    for (let i = 0; i < size; i++) this.slots.push(this.spawn());
  }

  /**
   * A pool of `size` workers (default: `defaultPoolSize`), or undefined when the worker bundle
   * is not beside this file (running from sources) or `size` is 0.
   */
  static create(log: (message: string) => void, size = defaultPoolSize(), dir = __dirname, purpose: PoolPurpose = 'indexing'): AnalysisPool | undefined {
    const file = path.join(dir, WORKER_FILE);
    if (size <= 0 || !fs.existsSync(file)) return undefined;
    try {
      return new AnalysisPool(file, size, log, purpose);
    } catch (err) {
      log(`analysis workers unavailable (${String(err)}); indexing in process`);
      return undefined;
    }
  }

  /** Each live worker's engine limits (as `Worker.resourceLimits` reports them). */
  resourceLimits(): ResourceLimits[] {
    return this.slots.filter((s) => !s.dead).map((s) => ({ ...s.worker.resourceLimits }));
  }

  get size(): number {
    return this.slots.filter((s) => !s.dead).length;
  }

  /**
   * How long the workers have waited for work since they started, all together, as of their
   * last answers (ms): the time between a worker's answer and the start of its next job, which
   * includes receiving that job when it was already queued (see analysisWorker.ts).
   */
  waitedMs(): number {
    return this.slots.reduce((sum, s) => sum + s.waitedMs, 0);
  }

  run(job: AnalysisJob): Promise<AnalysisJobResult> {
    const live = this.slots.filter((s) => !s.dead);
    if (this.disposed || live.length === 0) return Promise.reject(new Error('no analysis worker'));
    // The least busy worker (round robin among equals).
    let slot = live[this.turn++ % live.length];
    for (const s of live) if (s.pending.size < slot.pending.size) slot = s;
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      slot.pending.set(id, { uri: job.uri, resolve, reject });
      try {
        slot.worker.postMessage({ id, job });
      } catch (err) {
        slot.pending.delete(id);
        reject(err instanceof Error ? err : new Error(String(err)));
      }
    });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const s of this.slots) this.fail(s, new Error('analysis pool disposed'));
    for (const s of this.slots) void s.worker.terminate();
    this.payloads.release();
  }

  private spawn(): Slot {
    // Workers get a modest heap: they hold one article at a time plus the tagger's caches.
    // Its stdout goes to stderr: the server's stdout carries the protocol (over stdio), and a
    // worker's output would otherwise be copied into it.
    const young = this.purpose === 'edits' ? { maxYoungGenerationSizeMb: EDIT_WORKER_YOUNG_MB } : {};
    const worker = new Worker(this.file, { resourceLimits: { maxOldGenerationSizeMb: 1024, ...young }, stdout: true });
    worker.stdout.pipe(process.stderr, { end: false });
    worker.unref();
    const slot: Slot = { worker, pending: new Map(), dead: false, receiver: new ArticleReceiver(), waitedMs: 0 };
    worker.on('message', (msg: { id: number; result?: WorkerResult; error?: string; waitedMs?: number }) => {
      if (typeof msg.waitedMs === 'number' && Number.isFinite(msg.waitedMs)) slot.waitedMs = msg.waitedMs;
      const p = slot.pending.get(msg.id);
      if (!p || slot.dead) return;
      slot.pending.delete(msg.id);
      if (!msg.result) return p.reject(new Error(msg.error ?? 'analysis worker failed'));
      let result: AnalysisJobResult;
      try {
        // Every result is rebuilt, even one its caller will discard: later ones refer to its strings.
        // What is kept (line starts, a new payload until the cache is written) is copied into
        // this thread's memory, and the worker's buffers are garbage at once (see service/ownedBytes.ts).
        const local = msg.result.local ? slot.receiver.receive(msg.result.local, p.uri) : undefined;
        if (local) local.lineStarts = ownCopy(local.lineStarts);
        const payload = msg.result.fresh ? this.payloads.copy(msg.result.payload) : msg.result.payload;
        result = { ...msg.result, payload, local };
      } catch (err) {
        // This worker's later results cannot be read either: stop it; its jobs are redone elsewhere.
        this.log(`analysis worker sent an unreadable result (${String(err)}); stopping it`);
        p.reject(err instanceof Error ? err : new Error(String(err)));
        this.fail(slot, new Error('analysis worker stopped'));
        void worker.terminate();
        return;
      }
      p.resolve(result);
    });
    worker.on('error', (err) => {
      this.log(`analysis worker failed: ${String(err)}`);
      this.fail(slot, err instanceof Error ? err : new Error(String(err)));
    });
    worker.on('exit', (code) => {
      if (!this.disposed && !slot.dead) this.log(`analysis worker exited (code ${code})`);
      this.fail(slot, new Error(`analysis worker exited (code ${code})`));
    });
    return slot;
  }

  private fail(slot: Slot, err: Error): void {
    slot.dead = true;
    const pending = [...slot.pending.values()];
    slot.pending.clear();
    for (const p of pending) p.reject(err);
  }
}

function cores(): number {
  return typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
}

/**
 * One worker per core, at most four; with this thread helping the pass (`mainThreadHelps`), one
 * core is left to it. Measured on this project's 2-core machine (bench/README.md): at 1,000
 * articles in process was faster, from 4,000 on workers were; at 20,000, one worker with this
 * thread analysing too beat two workers with this thread only receiving their results.
 * `SOURCELENS_WORKERS=n` overrides; 0 analyses in process.
 */
export function defaultPoolSize(): number {
  const env = Number(process.env.SOURCELENS_WORKERS);
  if (process.env.SOURCELENS_WORKERS && Number.isInteger(env) && env >= 0) return env;
  const n = cores();
  if (n < 2) return 0;
  return Math.min(4, mainThreadHelps() ? n - 1 : n);
}

/**
 * Whether this thread analyses articles beside the workers during the indexing pass (see
 * `Workspace.indexAll`): yes, unless `SOURCELENS_MAIN_HELPS=0`. An article analysed here is not
 * packed, sent and rebuilt, and a machine with two cores runs two busy threads instead of three.
 */
export function mainThreadHelps(): boolean {
  return process.env.SOURCELENS_MAIN_HELPS !== '0';
}
