/**
 * On-disk cache of per-document analyses, so that a second start over an unchanged corpus does
 * not run the recognisers again.
 *
 * - Key: SHA-1 of (fingerprint, NUL, document text). The fingerprint defaults to
 *   ANALYSER_VERSION; callers add anything else the analysis depends on (model files; see
 *   `fingerprintFiles`). The project dictionary does not belong in it: the index applies the
 *   dictionary after the (cached) analysis.
 * - Storage: ONE packed file `<dir>/analyses.bin`, read once at start-up. Entries are decoded
 *   lazily (on their first hit), so opening a 20,000-article cache costs one read and one CRC.
 *   The stored form is compact: spans whose `text`/`sentence` are exactly slices of the document
 *   are stored as offsets and re-sliced from the text on a hit.
 * - Memory: the file's bytes are held until the caller's first full pass is over
 *   (`markComplete`), which hits nearly every entry; from then on an entry is read from the file
 *   when needed (86 MB at 20,000 articles were held for the whole session before), as is an
 *   entry of this session once it has been written. The file read must be the one this cache
 *   read or wrote last (same device, inode, size and time), or its entries count as missing.
 * - Writes are debounced (default 2 s after the last new entry) and done off the hot path: the
 *   file is rewritten to a temporary name and renamed over the old one, so readers never see a
 *   torn file. `close()` writes synchronously (call it on shutdown).
 * - Bounded: a rewrite keeps only the entries used in this session (hit or stored, one per
 *   document URI: an edited document replaces its earlier entry) once the caller has called
 *   `markComplete()` after its first full pass over the corpus (WorkspaceIndex.fill does). Before
 *   that, unused entries from the previous file are kept, so a session that ends halfway through
 *   indexing does not throw half the cache away.
 * - Robust: a missing, truncated or corrupted file (bad magic, header, CRC or record) is ignored
 *   with one log message and rebuilt; a record that does not fit its document is a miss. Nothing
 *   in here throws to the caller.
 *
 * File format (little-endian):
 *   "SLACACHE" | u32 header length | header JSON {format, fingerprint, count, bodyBytes, crc32}
 *   body: count × ( 20-byte key | u32 payload length | payload: UTF-8 JSON, see `encode` )
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { ANALYSER_VERSION } from './analyse';
import { SlabCopier } from './ownedBytes';
import type { DocumentAnalysis, RawClaim, RawMention } from './types';

const MAGIC = Buffer.from('SLACACHE', 'latin1');
const FORMAT = 1;
export const CACHE_FILE_NAME = 'analyses.bin';

export interface AnalysisCacheOptions {
  /** Everything besides the text that the analysis depends on. Default: ANALYSER_VERSION. */
  fingerprint?: string;
  /** Where messages go (default: stderr, which is the server's log channel). */
  log?: (message: string) => void;
  /** Delay of the background write after the last new entry, ms (default 2000). */
  debounceMs?: number;
  /**
   * Longest time new entries wait for a write while entries keep arriving, ms (default 60000):
   * a long first indexing pass is saved in steps, so a crash or kill keeps most of the work.
   */
  maxWaitMs?: number;
  /**
   * Read the file on first use instead of in the constructor (the server: a second start then
   * answers from its index snapshot before paying for this read).
   */
  lazy?: boolean;
}

export interface AnalysisCacheStats {
  /** Entries read from disk at start-up. */
  loaded: number;
  hits: number;
  misses: number;
  /** Entries stored in this session. */
  stored: number;
  writes: number;
  /** Size of the file after the last read or write. */
  fileBytes: number;
  /** Milliseconds spent reading and checking the file at start-up. */
  loadMs: number;
}

interface Entry {
  /** Encoded payload, when held in memory (see the class comment); else it is in `source`. */
  raw: Buffer | undefined;
  /** Where the payload is in `source` (-1: not there, only in memory). */
  off: number;
  /** Number of URIs currently using this entry, plus 1 if used without a URI. */
  refs: number;
}

/** What identifies the cache file this cache read or wrote last (see the class comment). */
interface FileIdentity {
  dev: number;
  ino: number;
  size: number;
  mtimeMs: number;
}

const sameFile = (a: FileIdentity, b: fs.Stats) => a.dev === b.dev && a.ino === b.ino && a.size === b.size && a.mtimeMs === b.mtimeMs;

export class AnalysisCache {
  readonly file: string;
  readonly fingerprint: string;
  readonly stats: AnalysisCacheStats = { loaded: 0, hits: 0, misses: 0, stored: 0, writes: 0, fileBytes: 0, loadMs: 0 };
  private readonly entries = new Map<string, Entry>();
  private readonly byUri = new Map<string, string>();
  private readonly log: (message: string) => void;
  private readonly debounceMs: number;
  private readonly maxWaitMs: number;
  /** When the oldest unwritten change was made (0: none pending). */
  private pendingSince = 0;
  private timer: NodeJS.Timeout | undefined;
  private dirty = false;
  /**
   * Where payloads encoded in this thread are kept until the file is written: shared 1 MB slabs,
   * as the payloads from workers are (see ownedBytes.ts). Each on its own, the payloads of the
   * articles the server's thread analyses during the pass (10,000 at 20,000 articles) left the
   * thread's malloc heap about 50 MB bigger once they were written and freed.
   */
  private readonly slabs = new SlabCopier();
  private complete = false;
  private writing: Promise<void> | undefined;
  private closed = false;
  /** The file the entries' offsets point into, as read or written last. */
  private source: FileIdentity | undefined;
  /** Whether payloads that are in `source` are held in memory too (until `markComplete`). */
  private holding = true;

  constructor(readonly dir: string, opts: AnalysisCacheOptions = {}) {
    this.file = path.join(dir, CACHE_FILE_NAME);
    this.fingerprint = opts.fingerprint ?? ANALYSER_VERSION;
    this.log = opts.log ?? ((m) => console.error(`[sourcelens cache] ${m}`));
    this.debounceMs = opts.debounceMs ?? 2000;
    this.maxWaitMs = opts.maxWaitMs ?? 60_000;
    if (!opts.lazy) this.ensureLoaded();
  }

  private loaded = false;

  private ensureLoaded(): void {
    if (this.loaded) return;
    this.loaded = true;
    this.load();
  }

  /** The cache key of a text (binary SHA-1 as a latin1 string). */
  keyOf(text: string): string {
    return createHash('sha1').update(this.fingerprint).update('\0').update(text).digest('binary');
  }

  /** The cached analysis of `text`, or undefined. `uri` ties the entry to a document (see class comment). */
  get(text: string, uri?: string): DocumentAnalysis | undefined {
    this.ensureLoaded();
    return this.getByKey(this.keyOf(text), text, uri);
  }

  /** Stores the analysis of `text` (schedules a background write). */
  set(text: string, analysis: DocumentAnalysis, uri?: string): void {
    this.ensureLoaded();
    this.setByKey(this.keyOf(text), text, analysis, uri);
  }

  /** get, else compute and set; hashes the text once. */
  getOrCompute(text: string, compute: (text: string) => DocumentAnalysis, uri?: string): DocumentAnalysis {
    this.ensureLoaded();
    const key = this.keyOf(text);
    const hit = this.getByKey(key, text, uri);
    if (hit) return hit;
    const analysis = compute(text);
    this.setByKey(key, text, analysis, uri);
    return analysis;
  }

  /**
   * The stored payload (the `encode`d analysis) of `text`, undecoded, for a worker to decode; counts
   * as a hit. A payload that turns out not to fit is replaced through `storePayload`.
   */
  payloadOf(text: string, uri?: string): Buffer | undefined {
    this.ensureLoaded();
    const key = this.keyOf(text);
    const e = this.entries.get(key);
    const raw = e && this.rawOf(key, e);
    if (!e || !raw) {
      this.stats.misses++;
      return undefined;
    }
    this.stats.hits++;
    this.use(key, e, uri);
    return raw;
  }

  /** Stores an already encoded analysis of `text` (from a worker); replaces a different payload under the same key. */
  storePayload(text: string, raw: Buffer, uri?: string): void {
    this.ensureLoaded();
    const key = this.keyOf(text);
    const e = this.entries.get(key);
    if (e && this.rawOf(key, e)?.equals(raw)) {
      this.use(key, e, uri);
      return;
    }
    if (e) {
      e.raw = raw;
      e.off = -1;
    } else {
      this.entries.set(key, { raw, off: -1, refs: 0 });
      this.stats.stored++;
    }
    this.dirty = true;
    this.schedule();
    this.use(key, this.entries.get(key)!, uri);
  }

  /** The document at `uri` is gone: its entry is not written again unless another document uses it. */
  forget(uri: string): void {
    this.ensureLoaded();
    const key = this.byUri.get(uri);
    if (key === undefined) return;
    this.byUri.delete(uri);
    this.release(key);
  }

  /**
   * The caller has visited every document once: from now on a rewrite keeps only the entries used
   * in this session. Schedules a write if that drops anything.
   */
  markComplete(): void {
    this.ensureLoaded();
    this.stopHolding();
    if (this.setComplete()) this.schedule();
  }

  /**
   * `markComplete` and `flush` in one, for the end of a first pass: the write takes the payloads
   * still held instead of reading back from the file those an earlier write of the pass put
   * there (a pass over 60 s is saved in steps, see `maxWaitMs`: the whole file was read again,
   * at 20,000 articles most of the 1.5-2.2 s the end of the pass waited for the save). Held
   * until the write is over, then let go as `markComplete` lets them go.
   */
  async completeAndFlush(): Promise<void> {
    this.ensureLoaded();
    this.setComplete();
    try {
      await this.flush();
    } finally {
      this.stopHolding();
    }
  }

  /** Marks the first pass over; true when that made something to write (unused entries to drop). */
  private setComplete(): boolean {
    if (this.complete) return false;
    this.complete = true;
    for (const e of this.entries.values()) {
      if (e.refs === 0) {
        this.dirty = true;
        break;
      }
    }
    return this.dirty;
  }

  get size(): number {
    this.ensureLoaded();
    return this.entries.size;
  }

  /** Writes pending changes now (asynchronously; resolves when the file is renamed into place). */
  async flush(): Promise<void> {
    this.clearTimer();
    if (this.writing) await this.writing;
    if (!this.dirty) return;
    const snap = this.snapshot();
    this.writing = this.writeParts(snap).finally(() => (this.writing = undefined));
    await this.writing;
  }

  /**
   * Writes pending changes now, synchronously, unless a background write is in flight (then
   * nothing: that write, or the next, saves them). For a moment when the process can block
   * briefly and wants the memory back at once. (The server called it as its first pass ended,
   * before the link pass; it now awaits `flush` there, which frees the same memory at the same
   * point and answers requests during the write: see Workspace.indexAll.) Returns whether it wrote.
   */
  flushSync(): boolean {
    if (this.closed || this.writing) return false;
    this.clearTimer();
    if (!this.dirty) return false;
    const snap = this.snapshot();
    try {
      const id = this.writeNow(snap.parts);
      this.wrote(id, snap.written);
      return true;
    } catch (err) {
      this.dirty = true;
      this.log(`could not write ${this.file}: ${String(err)}`);
      return false;
    }
  }

  /**
   * Writes pending changes synchronously and stops the timer. Call on shutdown. A background
   * write still in flight is superseded (the process may exit before it finishes).
   */
  close(): void {
    // Never loaded means never changed: nothing to write.
    this.clearTimer();
    if (this.closed) return;
    this.closed = true;
    if (!this.dirty && !this.writing) return;
    try {
      this.writeNow(this.snapshot().parts);
    } catch (err) {
      this.log(`could not write ${this.file}: ${String(err)}`);
    }
  }

  // ---- internals ------------------------------------------------------------------------

  /**
   * Writes `parts` to a temporary file and renames it into place, synchronously (writev in
   * chunks: IOV_MAX is 1024 on Linux; no copy of the whole file into one buffer). Returns the
   * written file's identity. Throws after removing the temporary file.
   */
  private writeNow(parts: Buffer[]): fs.Stats {
    const tmp = `${this.file}.${process.pid}.sync.tmp`;
    let fd: number | undefined;
    try {
      fs.mkdirSync(this.dir, { recursive: true });
      fd = fs.openSync(tmp, 'w');
      for (let i = 0; i < parts.length; i += 512) {
        const chunk = parts.slice(i, i + 512);
        let done = fs.writevSync(fd, chunk);
        // A short write (rare): the rest one buffer at a time.
        for (const b of chunk) {
          if (done >= b.length) done -= b.length;
          else {
            writeFully(fd, b.subarray(done));
            done = 0;
          }
        }
      }
      const id = fs.fstatSync(fd);
      fs.closeSync(fd);
      fd = undefined;
      fs.renameSync(tmp, this.file);
      this.stats.writes++;
      return id;
    } catch (err) {
      try {
        if (fd !== undefined) fs.closeSync(fd);
        fs.rmSync(tmp, { force: true });
      } catch {
        // left for removeStaleTemporaries
      }
      throw err;
    }
  }

  private getByKey(key: string, text: string, uri?: string): DocumentAnalysis | undefined {
    const e = this.entries.get(key);
    const raw = e && this.rawOf(key, e);
    if (!e || !raw) {
      this.stats.misses++;
      return undefined;
    }
    const analysis = decode(raw, text);
    if (!analysis) {
      this.log(`dropped a cache entry that does not fit its document`);
      if (e.refs === 0) this.entries.delete(key);
      this.dirty = true;
      this.stats.misses++;
      return undefined;
    }
    this.stats.hits++;
    this.use(key, e, uri);
    return analysis;
  }

  private setByKey(key: string, text: string, analysis: DocumentAnalysis, uri?: string): void {
    let e = this.entries.get(key);
    if (!e) {
      let raw: Buffer;
      try {
        raw = this.slabs.copy(encode(analysis, text));
      } catch (err) {
        this.log(`could not encode an analysis: ${String(err)}`);
        return;
      }
      e = { raw, off: -1, refs: 0 };
      this.entries.set(key, e);
      this.stats.stored++;
      this.dirty = true;
      this.schedule();
    }
    this.use(key, e, uri);
  }

  private use(key: string, e: Entry, uri: string | undefined): void {
    if (uri === undefined) {
      if (e.refs === 0) e.refs = 1;
      return;
    }
    const prev = this.byUri.get(uri);
    if (prev === key) return;
    this.byUri.set(uri, key);
    e.refs++;
    if (prev !== undefined) this.release(prev);
  }

  private release(key: string): void {
    const e = this.entries.get(key);
    if (!e) return;
    e.refs = Math.max(0, e.refs - 1);
    if (e.refs === 0 && this.complete) {
      this.entries.delete(key);
      this.dirty = true;
      this.schedule();
    }
  }

  private schedule(): void {
    if (this.closed) return;
    const now = Date.now();
    if (this.pendingSince === 0) this.pendingSince = now;
    this.clearTimer();
    const wait = Math.max(0, Math.min(this.debounceMs, this.pendingSince + this.maxWaitMs - now));
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, wait);
    this.timer.unref?.();
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /**
   * The file's bytes as a list of buffers (header first), and where each entry's payload lands
   * in it. Clears `dirty`. Payloads not held in memory are read from the file (held only while
   * the new file is written).
   */
  private snapshot(): { parts: Buffer[]; written: Array<{ e: Entry; raw: Buffer; off: number }> } {
    this.pendingSince = 0;
    const body: Buffer[] = [];
    const written: Array<{ e: Entry; raw: Buffer; off: number }> = [];
    let count = 0;
    let bodyBytes = 0;
    let crc = 0;
    let file: Buffer | null | undefined; // the source file, read when first needed (null: gone)
    for (const [key, e] of this.entries) {
      if (this.complete && e.refs === 0) continue;
      let raw = e.raw;
      if (!raw) {
        if (file === undefined) file = this.readSource() ?? null;
        if (!file || e.off < 0) continue; // lost with its file: not written, as if never cached
        const n = file.readUInt32LE(e.off - 4);
        raw = file.subarray(e.off, e.off + n);
      }
      const head = Buffer.allocUnsafe(24);
      head.write(key, 0, 20, 'latin1');
      head.writeUInt32LE(raw.length, 20);
      body.push(head, raw);
      crc = zlib.crc32(head, crc);
      crc = zlib.crc32(raw, crc);
      written.push({ e, raw, off: bodyBytes + 24 });
      bodyBytes += 24 + raw.length;
      count++;
    }
    if (file === null) this.dropLostEntries();
    const header = Buffer.from(JSON.stringify({ format: FORMAT, fingerprint: this.fingerprint, count, bodyBytes, crc32: crc }));
    const len = Buffer.allocUnsafe(4);
    len.writeUInt32LE(header.length, 0);
    this.dirty = false;
    const bodyStart = MAGIC.length + 4 + header.length;
    for (const w of written) w.off += bodyStart;
    this.stats.fileBytes = bodyStart + bodyBytes;
    return { parts: [MAGIC, len, header, ...body], written };
  }

  private async writeParts({ parts, written }: ReturnType<AnalysisCache['snapshot']>): Promise<void> {
    const tmp = `${this.file}.${process.pid}.async.tmp`;
    try {
      // After close() a synchronous write has the newest snapshot; this one is superseded.
      if (this.closed) return;
      await fs.promises.mkdir(this.dir, { recursive: true });
      const fh = await fs.promises.open(tmp, 'w');
      let id: fs.Stats;
      try {
        // writev in chunks (IOV_MAX is 1024 on Linux).
        for (let i = 0; i < parts.length; i += 512) await fh.writev(parts.slice(i, i + 512));
        id = await fh.stat();
      } finally {
        await fh.close();
      }
      // close() wrote a newer snapshot synchronously in the meantime: keep that one.
      if (this.closed) {
        await fs.promises.rm(tmp, { force: true });
        return;
      }
      await fs.promises.rename(tmp, this.file);
      this.stats.writes++;
      this.wrote(id, written);
    } catch (err) {
      fs.promises.rm(tmp, { force: true }).catch(() => undefined);
      if (this.closed) return; // superseded by close(), whose own write reports its errors
      this.dirty = true;
      this.log(`could not write ${this.file}: ${String(err)}`);
    }
  }

  private load(): void {
    const t0 = performance.now();
    this.removeStaleTemporaries();
    let read: { buf: Buffer; id: fs.Stats };
    try {
      read = readWithIdentity(this.file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') this.log(`could not read ${this.file}, starting empty: ${String(err)}`);
      return;
    }
    const buf = read.buf;
    const problem = this.parse(buf);
    if (problem) {
      this.entries.clear();
      this.dirty = true; // rewrite it as soon as there is something to write
      this.log(`ignored ${this.file} (${problem}); it will be rebuilt`);
    } else {
      this.stats.loaded = this.entries.size;
      this.stats.fileBytes = buf.length;
      this.source = identity(read.id);
    }
    this.stats.loadMs = performance.now() - t0;
  }

  /** An entry's payload: held, or read from the file (undefined, and the entry dropped, if the file is not the one read or written last). */
  private rawOf(key: string, e: Entry): Buffer | undefined {
    if (e.raw) return e.raw;
    const raw = e.off >= 0 ? this.readSource(e.off) : undefined;
    if (!raw) {
      this.entries.delete(key);
      this.dirty = true;
    }
    return raw;
  }

  /**
   * `source`'s bytes (with `at`: the payload at that offset), or undefined if the file is not
   * the one this cache read or wrote last (replaced, changed or gone): then every entry that was
   * only in it is dropped.
   */
  private readSource(): Buffer | undefined;
  private readSource(at: number): Buffer | undefined;
  private readSource(at?: number): Buffer | undefined {
    if (!this.source) return undefined;
    let fd: number | undefined;
    try {
      fd = fs.openSync(this.file, 'r');
      if (!sameFile(this.source, fs.fstatSync(fd))) throw new Error('replaced');
      if (at === undefined) {
        const buf = Buffer.allocUnsafe(this.source.size);
        readFully(fd, buf, 0);
        return buf;
      }
      const len = Buffer.allocUnsafe(4);
      readFully(fd, len, at - 4);
      const raw = Buffer.allocUnsafe(len.readUInt32LE(0));
      readFully(fd, raw, at);
      return raw;
    } catch {
      this.log(`${this.file} changed since it was read; entries not held in memory are recomputed`);
      this.source = undefined;
      this.dropLostEntries();
      return undefined;
    } finally {
      if (fd !== undefined) fs.closeSync(fd);
    }
  }

  /** Drops every entry that is neither held in memory nor readable (its file is gone). */
  private dropLostEntries(): void {
    for (const [key, e] of this.entries) {
      if (e.raw) continue;
      this.entries.delete(key);
      this.dirty = true;
    }
  }

  /** Stops holding payloads that are in the file (see the class comment). */
  private stopHolding(): void {
    if (!this.holding) return;
    this.holding = false;
    for (const e of this.entries.values()) if (e.off >= 0) e.raw = undefined;
  }

  /**
   * A file this cache wrote (`id`) replaced the old one: the entries written point into it now
   * (and are not held in memory any more, past the first pass). An entry only in the old file
   * (unused when the snapshot was taken) is gone with it; one held in memory is written next time.
   */
  private wrote(id: fs.Stats, written: Array<{ e: Entry; raw: Buffer; off: number }>): void {
    const moved = new Set<Entry>();
    for (const w of written) {
      if (w.e.raw !== undefined && w.e.raw !== w.raw) continue; // replaced since the snapshot
      w.e.off = w.off;
      w.e.raw = this.holding ? w.raw : undefined;
      moved.add(w.e);
    }
    for (const [key, e] of this.entries) {
      if (moved.has(e) || e.off < 0) continue;
      if (e.raw) e.off = -1;
      else this.entries.delete(key);
    }
    this.source = identity(id);
  }

  /** Temporary files left by a process that died while writing (older than 10 minutes). */
  private removeStaleTemporaries(): void {
    try {
      const base = path.basename(this.file);
      for (const f of fs.readdirSync(this.dir)) {
        if (!f.startsWith(`${base}.`) || !f.endsWith('.tmp')) continue;
        const full = path.join(this.dir, f);
        if (Date.now() - fs.statSync(full).mtimeMs > 10 * 60_000) fs.rmSync(full, { force: true });
      }
    } catch {
      /* best effort */
    }
  }

  /** Fills `entries` from the file's bytes; returns a reason if the file is unusable. */
  private parse(buf: Buffer): string | undefined {
    if (buf.length < MAGIC.length + 4 || !buf.subarray(0, MAGIC.length).equals(MAGIC)) return 'not a Sourcelens cache file';
    const hlen = buf.readUInt32LE(MAGIC.length);
    const hstart = MAGIC.length + 4;
    if (hstart + hlen > buf.length) return 'truncated header';
    let header: { format?: unknown; fingerprint?: unknown; count?: unknown; bodyBytes?: unknown; crc32?: unknown };
    try {
      header = JSON.parse(buf.toString('utf8', hstart, hstart + hlen));
    } catch {
      return 'unreadable header';
    }
    if (header.format !== FORMAT) return `format ${String(header.format)}, expected ${FORMAT}`;
    if (header.fingerprint !== this.fingerprint) return 'made by another analyser version';
    const bodyStart = hstart + hlen;
    if (typeof header.bodyBytes !== 'number' || bodyStart + header.bodyBytes !== buf.length) return 'truncated or extended body';
    const body = buf.subarray(bodyStart);
    if (zlib.crc32(body) !== header.crc32) return 'checksum mismatch';
    let pos = 0;
    let count = 0;
    while (pos < body.length) {
      if (pos + 24 > body.length) return 'truncated record';
      const key = body.toString('latin1', pos, pos + 20);
      const n = body.readUInt32LE(pos + 20);
      if (pos + 24 + n > body.length) return 'truncated record';
      this.entries.set(key, { raw: body.subarray(pos + 24, pos + 24 + n), off: bodyStart + pos + 24, refs: 0 });
      pos += 24 + n;
      count++;
    }
    if (count !== header.count) return 'record count mismatch';
    return undefined;
  }
}

function identity(st: fs.Stats): FileIdentity {
  return { dev: st.dev, ino: st.ino, size: st.size, mtimeMs: st.mtimeMs };
}

/** A file's bytes and what identifies it, both from one open file (so they belong together). */
function readWithIdentity(file: string): { buf: Buffer; id: fs.Stats } {
  const fd = fs.openSync(file, 'r');
  try {
    const id = fs.fstatSync(fd);
    const buf = Buffer.allocUnsafe(id.size);
    readFully(fd, buf, 0);
    return { buf, id };
  } finally {
    fs.closeSync(fd);
  }
}

function writeFully(fd: number, buf: Buffer): void {
  for (let off = 0; off < buf.length; ) off += fs.writeSync(fd, buf, off);
}

function readFully(fd: number, buf: Buffer, at: number): void {
  for (let off = 0; off < buf.length; ) {
    const n = fs.readSync(fd, buf, off, buf.length - off, at + off);
    if (n === 0) throw new Error('unexpected end of file');
    off += n;
  }
}

/**
 * Opens (or creates) the cache in `dir`. Never throws: if the folder cannot be created the
 * problem is logged and undefined returned (run without a cache).
 */
export function openAnalysisCache(dir: string, opts: AnalysisCacheOptions = {}): AnalysisCache | undefined {
  try {
    fs.mkdirSync(dir, { recursive: true });
    return new AnalysisCache(dir, opts);
  } catch (err) {
    (opts.log ?? ((m: string) => console.error(`[sourcelens cache] ${m}`)))(`cache disabled (${dir}): ${String(err)}`);
    return undefined;
  }
}

/**
 * A fingerprint of ANALYSER_VERSION plus the contents of the given files (e.g. the tagger's model
 * and gazetteer), so that retraining invalidates the cache even if nobody bumps the version.
 * Missing files count as empty.
 */
export function fingerprintFiles(files: readonly string[], version = ANALYSER_VERSION): string {
  const h = createHash('sha1').update(version);
  for (const f of files) {
    h.update('\0').update(path.basename(f)).update('\0');
    try {
      h.update(fs.readFileSync(f));
    } catch {
      /* missing */
    }
  }
  return `${version}+${h.digest('hex').slice(0, 16)}`;
}

// ---- encoding -----------------------------------------------------------------------------

const MENTION_KEYS = 'start,end,text,type';
const CLAIM_KEYS = 'start,end,text,kind,value,unit,qualifier,checkworthy,sentence,sentenceStart,sentenceEnd';

const MENTION_KEY_SET: ReadonlySet<string> = new Set(MENTION_KEYS.split(','));
const CLAIM_KEY_SET: ReadonlySet<string> = new Set(CLAIM_KEYS.split(','));

/**
 * Whether the own enumerable keys of `o` are exactly `keys` (in any order). (Not by sorting and
 * joining them: that made three arrays and a string for every mention and claim an analysis
 * worker encoded; bench/README.md, item 58.)
 */
export function hasExactKeys(o: object, keys: ReadonlySet<string>): boolean {
  const own = Object.keys(o);
  if (own.length !== keys.size) return false;
  for (const k of own) if (!keys.has(k)) return false;
  return true;
}

/**
 * `text.slice(start, end) === s`, without making the slice when the offsets are in range (a
 * mention's or a claim's offsets always are): the same answer for any arguments.
 */
export function isSliceOf(text: string, s: string, start: number, end: number): boolean {
  if (Number.isInteger(start) && Number.isInteger(end) && 0 <= start && start <= end && end <= text.length) return typeof s === 'string' && s.length === end - start && text.startsWith(s, start);
  return text.slice(start, end) === s;
}

/**
 * Payload: {"m":[...],"c":[...],"x":{...}}. A mention is [start, length, type] when its text is
 * the document's slice, else the object itself; a claim is
 * [start, length, kind, value, unit, qualifier, checkworthy, sentenceStart, sentenceEnd] when its
 * text and sentence are slices, else the object. `x` keeps any other field of the analysis.
 */
export function encode(a: DocumentAnalysis, text: string): Buffer {
  const m: unknown[] = [];
  for (const x of a.mentions) {
    if (hasExactKeys(x, MENTION_KEY_SET) && isSliceOf(text, x.text, x.start, x.end)) m.push([x.start, x.end - x.start, x.type]);
    else m.push(x);
  }
  const c: unknown[] = [];
  for (const x of a.claims) {
    if (
      hasExactKeys(x, CLAIM_KEY_SET) &&
      isSliceOf(text, x.text, x.start, x.end) &&
      isSliceOf(text, x.sentence, x.sentenceStart, x.sentenceEnd)
    ) {
      c.push([x.start, x.end - x.start, x.kind, x.value, x.unit, x.qualifier, x.checkworthy ? 1 : 0, x.sentenceStart, x.sentenceEnd]);
    } else c.push(x);
  }
  const { mentions: _m, claims: _c, ...rest } = a;
  const payload: { m: unknown[]; c: unknown[]; x?: unknown } = { m, c };
  if (Object.keys(rest).length) payload.x = rest;
  return Buffer.from(JSON.stringify(payload));
}

/** The analysis back, or undefined if the payload is unreadable or does not fit `text`. */
export function decode(raw: Buffer, text: string): DocumentAnalysis | undefined {
  let p: { m?: unknown; c?: unknown; x?: unknown };
  try {
    p = JSON.parse(raw.toString('utf8'));
  } catch {
    return undefined;
  }
  if (!p || !Array.isArray(p.m) || !Array.isArray(p.c)) return undefined;
  const n = text.length;
  const mentions: RawMention[] = [];
  for (const x of p.m as unknown[]) {
    if (Array.isArray(x)) {
      const start = x[0] as number;
      const end = start + (x[1] as number);
      if (!(start >= 0 && end <= n && end >= start)) return undefined;
      mentions.push({ start, end, text: text.slice(start, end), type: x[2] });
    } else if (x && typeof x === 'object') mentions.push(x as RawMention);
    else return undefined;
  }
  const claims: RawClaim[] = [];
  for (const x of p.c as unknown[]) {
    if (Array.isArray(x)) {
      const start = x[0] as number;
      const end = start + (x[1] as number);
      const ss = x[7] as number;
      const se = x[8] as number;
      if (!(start >= 0 && end <= n && end >= start && ss >= 0 && se <= n && se >= ss)) return undefined;
      claims.push({
        start,
        end,
        text: text.slice(start, end),
        kind: x[2],
        value: x[3],
        unit: x[4],
        qualifier: x[5],
        checkworthy: x[6] === 1,
        sentence: text.slice(ss, se),
        sentenceStart: ss,
        sentenceEnd: se,
      });
    } else if (x && typeof x === 'object') claims.push(x as RawClaim);
    else return undefined;
  }
  const out: DocumentAnalysis = { mentions, claims };
  if (p.x && typeof p.x === 'object') Object.assign(out, p.x);
  return out;
}
