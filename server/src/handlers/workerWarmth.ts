/**
 * When the edit worker should analyse an open article again just to be warm for its next edit.
 *
 * A worker left idle goes cold. V8's memory reducer collects and compacts an idle isolate's heap
 * some seconds after its last allocation, and on a virtual machine the caches and page tables of
 * the worker's model tables are gone by then too. On this project's 2-core machine, the edit
 * worker's first job after 90 s idle took 50-107 ms for the 10 KB bench article, against 15-27
 * ms for the jobs after it (`EDX_PREOPEN=1 EDX_WAIT_MS=90000 node --import tsx
 * bench/edit-trace.ts 10000 6`, bench/README.md item 65). The user's first keystroke after
 * reading for a while paid that.
 *
 * So activity on an open article after a pause, such as opening it, hovering, moving the cursor
 * (document highlights) or a scroll that asks for its tokens, warms the worker again: it analyses
 * that article once and the result is dropped. This class only keeps the clock. It counts the jobs
 * in flight, records when the last one ended, and says whether the worker has been idle long
 * enough that activity should warm it.
 */
export class WorkerWarmth {
  private running = 0;
  /** When the last job ended (undefined: none has ended yet, e.g. during the first warm-up). */
  private idleSince: number | undefined;

  constructor(
    /** Idle time after which activity warms the worker again. */
    readonly idleMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** A job (an edit, a warm-up) was given to the worker. */
  begin(): void {
    this.running++;
  }

  /** A job given with `begin` has settled. */
  end(): void {
    if (this.running > 0) this.running--;
    if (this.running === 0) this.idleSince = this.now();
  }

  /** Whether a job is in flight. */
  get busy(): boolean {
    return this.running > 0;
  }

  /** How long the worker has been idle (0 while busy or before any job ended). */
  idleFor(): number {
    return this.running > 0 || this.idleSince === undefined ? 0 : this.now() - this.idleSince;
  }

  /** Whether activity now should warm the worker: idle, and for at least `idleMs`. */
  get cold(): boolean {
    return this.idleSince !== undefined && this.running === 0 && this.now() - this.idleSince >= this.idleMs;
  }
}

/** Default idle time before activity warms the edit worker again (see WorkerWarmth). */
export const EDIT_REWARM_IDLE_MS = 5000;

/** `SOURCELENS_EDIT_REWARM_MS` (tests: a short pause), else the default. */
export function rewarmIdleFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const v = env.SOURCELENS_EDIT_REWARM_MS;
  const ms = Number(v);
  return v !== undefined && v !== '' && Number.isFinite(ms) && ms >= 0 ? ms : EDIT_REWARM_IDLE_MS;
}
