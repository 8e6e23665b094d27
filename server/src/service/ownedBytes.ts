/**
 * Copies of the buffers a worker thread transfers, made in memory this thread owns.
 *
 * A transferred ArrayBuffer keeps the memory the worker allocated it in: with glibc, a chunk of
 * the worker thread's own malloc arena. The index keeps some of those buffers for a long time (an
 * article's line starts for the session, its cache payload until the cache file is written)
 * between others that are freed at once, so the arenas end up with pages that are mostly free and
 * never given back, and they stay after the workers stop. A cold start at 20,000 articles kept
 * about 100 MB more outside V8's heap than a second start, which transfers almost nothing that
 * is kept (`bench/start-trace.ts --memprobe --smaps`, cold against `--warm`).
 *
 * So what is kept is copied: small long-lived arrays into this thread's own heap (they are a
 * few hundred bytes), cache payloads into shared slabs big enough to be mapped on their own
 * (`MALLOC_MMAP_THRESHOLD_` is 128 KB for the server, see launch.ts), which go back to the
 * system whole once every payload in them is dropped. The worker's buffers are then garbage at
 * once, and its arena reuses their chunks for the next article.
 */

/** Slab size: a few hundred payloads (they are 2-10 KB); above the mmap threshold. */
const SLAB_BYTES = 1 << 20;
/** Payloads at least this big get a buffer of their own rather than a share of a slab. */
const OWN_BUFFER_BYTES = SLAB_BYTES >> 3;

export class SlabCopier {
  private slab: Buffer | undefined;
  private used = 0;

  /** A copy of `src` in a slab (or in a buffer of its own when big). */
  copy(src: Uint8Array): Buffer {
    const n = src.byteLength;
    if (n >= OWN_BUFFER_BYTES) {
      const own = Buffer.allocUnsafeSlow(n);
      own.set(src);
      return own;
    }
    if (!this.slab || this.used + n > this.slab.length) {
      this.slab = Buffer.allocUnsafeSlow(SLAB_BYTES);
      this.used = 0;
    }
    const out = this.slab.subarray(this.used, this.used + n);
    out.set(src);
    // 8-byte aligned starts, as separate allocations would have.
    this.used += (n + 7) & ~7;
    return out;
  }

  /** Starts a new slab next time (the current one is freed once its payloads are). */
  release(): void {
    this.slab = undefined;
    this.used = 0;
  }
}

/** A copy of a small typed array that lives long, allocated by this thread. */
export function ownCopy(a: Uint32Array): Uint32Array {
  return new Uint32Array(a);
}
