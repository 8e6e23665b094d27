/**
 * The linked index as it stood when the last session settled, on disk, so that a second start
 * answers hovers, definitions and references with corpus-wide entities at once, while the first
 * indexing pass rebuilds the live index behind it (see WorkspaceIndex.useSnapshot).
 *
 * What it holds: for each article its URI, content key and file size and time, its line starts
 * and its mentions with their entity; for each entity its name, type, spellings, merge reasons
 * and mentions. Claims are not in it: they come with each article's (cached) analysis.
 *
 * File (`index.bin`, little-endian), written front to back as records are made:
 *   "SLINDEX1" | records (UTF-8 JSON each, decoded only when asked for)
 *   | u32 × (entities + 1) entity record offsets | u32 × (docs + 1) document record offsets
 *   | header JSON {format, fingerprint, crc32, docs, ids, counts} | u32 header length.
 * Offsets count from the first record. The CRC covers the records and the tables. A file that
 * fails any check is ignored (one log line) and rewritten when the index next settles.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import * as zlib from 'node:zlib';
import { hashString } from './ner/features';
import type { Entity, EntityMentionRef, EntityType, MergeReason } from './types';
import type { ResolvedMention, WorkspaceIndex } from './workspaceIndex';

const MAGIC = Buffer.from('SLINDEX1', 'latin1');
const FORMAT = 1;
export const SNAPSHOT_FILE_NAME = 'index.bin';
/** How much of the file `entities()` reads at once. */
const WINDOW_BYTES = 4 << 20;
/** The writer's buffer (see writeIndexSnapshot). */
const CHUNK_BYTES = 1 << 20;
/** The longest the writer works between two pauses (see writeIndexSnapshot). */
const SLICE_MS = 10;
/**
 * The same after a pause that requests kept going until its cap: at 10,000 articles a slice of
 * 10 ms every 5 s, with the garbage collections its allocation brought, was the slowest of a
 * stream of hovers or references (13–25 ms against 0.2–1 ms).
 */
export const BUSY_SLICE_MS = 2;

/** What identifies an article's content on disk and in memory. */
export interface SnapshotFileInfo {
  size: number;
  mtimeMs: number;
}

export interface SnapshotDoc extends SnapshotFileInfo {
  uri: string;
  /** `contentKey` of the text that was indexed. */
  key: string;
}

/** A content hash of an article's text (hex SHA-1). */
export function contentKey(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

type EntityRecord = [name: string, type: EntityType, aliases: string[], merges: MergeReason[], texts: string[], mentions: number[]];
type DocRecord = [lineStarts: number[], mentions: Array<number | string>, length: number];

export interface Header {
  format: number;
  fingerprint: string;
  crc32: number;
  docs: Array<[string, string, number, number]>;
  ids: string[];
  counts: Record<EntityType, number>;
}

/**
 * Where a snapshot's bytes are read from: the file itself, open for the life of the snapshot
 * (`openSnapshotFile`: records are read when asked for), or bytes in memory (`bytesSource`).
 * At 20,000 articles the file is 174 MB; held in memory it sat on top of the first pass of a second
 * start, which rebuilds the live index while the snapshot answers.
 */
export interface SnapshotSource {
  readonly size: number;
  /** `len` bytes from `pos` (fewer only if the file was cut short under us). */
  read(pos: number, len: number): Buffer;
  close(): void;
}

export function bytesSource(buf: Buffer): SnapshotSource {
  return { size: buf.length, read: (pos, len) => buf.subarray(pos, pos + len), close: () => undefined };
}

/** A snapshot file held open: its source, and the checksum of a range read off this thread. */
export interface SnapshotFile extends SnapshotSource {
  /** The CRC-32 of `len` bytes from `pos`, read in 8 MB pieces on libuv's pool; -1 if the file is shorter. */
  crc32(pos: number, len: number): Promise<number>;
}

/** The file, open; read with positioned reads (records are a few kilobytes, from the page cache). */
export async function openSnapshotFile(file: string): Promise<SnapshotFile> {
  const fh = await fs.promises.open(file, 'r');
  try {
    const { size } = await fh.stat();
    let closed = false;
    return {
      size,
      crc32: async (pos, len) => {
        const buf = Buffer.allocUnsafe(Math.min(len, 8 << 20));
        let crc = 0;
        for (let done = 0; done < len; ) {
          const { bytesRead } = await fh.read(buf, 0, Math.min(buf.length, len - done), pos + done);
          if (bytesRead === 0) return -1;
          crc = zlib.crc32(buf.subarray(0, bytesRead), crc);
          done += bytesRead;
        }
        return crc;
      },
      read: (pos, len) => {
        // After close the descriptor may be another file's: nothing is read.
        if (closed) return Buffer.alloc(0);
        const buf = Buffer.allocUnsafe(len);
        let got = 0;
        while (got < len) {
          const n = fs.readSync(fh.fd, buf, got, len - got, pos + got);
          if (n === 0) break;
          got += n;
        }
        return got === len ? buf : buf.subarray(0, got);
      },
      close: () => {
        if (closed) return;
        closed = true;
        void fh.close().catch(() => undefined);
      },
    };
  } catch (err) {
    await fh.close();
    throw err;
  }
}

/** Says why `file` is not used (one log line); undefined, for the caller to return. */
function ignored(log: (m: string) => void, file: string, why: string): undefined {
  log(`ignored ${file} (${why}); it will be rewritten`);
  return undefined;
}

export class IndexSnapshot {
  readonly docs: readonly SnapshotDoc[];
  private readonly docIndex = new Map<string, number>();
  private readonly ids: readonly string[];
  private readonly counts: Record<EntityType, number>;
  private readonly decoded = new Map<number, Entity>();
  private all: Entity[] | undefined;

  private constructor(
    header: Header,
    /** The file (or bytes); records are at MAGIC.length + their offset. */
    private readonly source: SnapshotSource,
    private readonly entityOffsets: Uint32Array,
    private readonly docOffsets: Uint32Array,
  ) {
    this.docs = header.docs.map(([uri, key, size, mtimeMs]) => ({ uri, key, size, mtimeMs }));
    this.docs.forEach((d, i) => this.docIndex.set(d.uri, i));
    this.ids = header.ids;
    this.counts = header.counts;
  }

  /** Reads `file`; undefined (and one log line, unless the file is simply missing) if it is unusable. */
  static load(file: string, fingerprint: string, log: (m: string) => void): IndexSnapshot | undefined {
    let buf: Buffer;
    try {
      buf = fs.readFileSync(file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') log(`could not read ${file}: ${String(err)}`);
      return undefined;
    }
    return IndexSnapshot.fromBytes(buf, file, fingerprint, log);
  }

  /** The snapshot in `buf` (the contents of `file`, read by the caller); undefined if unusable. */
  static fromBytes(buf: Buffer, file: string, fingerprint: string, log: (m: string) => void): IndexSnapshot | undefined {
    const src = bytesSource(buf);
    const h = IndexSnapshot.readHeader(src, file, fingerprint, log);
    if (!h) return undefined;
    return IndexSnapshot.withTables(src, h, zlib.crc32(buf.subarray(MAGIC.length, h.crcEnd)), file, log);
  }

  /**
   * The snapshot in the open file `src` (see openSnapshotFile), which it reads its records from
   * until `close`; undefined (and `src` closed) if unusable. The checksum is computed over the
   * file in pieces, so the file is never held whole.
   */
  static async fromFile(src: SnapshotFile, file: string, fingerprint: string, log: (m: string) => void): Promise<IndexSnapshot | undefined> {
    let snap: IndexSnapshot | undefined;
    try {
      const h = IndexSnapshot.readHeader(src, file, fingerprint, log);
      snap = h && IndexSnapshot.withTables(src, h, await src.crc32(MAGIC.length, h.crcEnd - MAGIC.length), file, log);
    } catch (err) {
      ignored(log, file, String(err));
    }
    if (!snap) src.close();
    return snap;
  }

  /** Checks the magic and reads the header; the position where the checksummed bytes end. */
  private static readHeader(src: SnapshotSource, file: string, fingerprint: string, log: (m: string) => void): { header: Header; crcEnd: number } | undefined {
    const problem = (why: string) => ignored(log, file, why);
    if (src.size < MAGIC.length + 4 || !src.read(0, MAGIC.length).equals(MAGIC)) return problem('not a Sourcelens index file');
    const hlen = src.read(src.size - 4, 4).readUInt32LE(0);
    const hstart = src.size - 4 - hlen;
    if (hstart < MAGIC.length) return problem('truncated header');
    let header: Header;
    try {
      header = JSON.parse(src.read(hstart, hlen).toString('utf8')) as Header;
    } catch {
      return problem('unreadable header');
    }
    if (header.format !== FORMAT) return problem(`format ${String(header.format)}, expected ${FORMAT}`);
    if (header.fingerprint !== fingerprint) return problem('made by another analyser, linker or dictionary');
    if (!Array.isArray(header.docs) || !Array.isArray(header.ids) || !header.counts) return problem('malformed header');
    return { header, crcEnd: hstart };
  }

  /** The rest of the checks (`crc`: of the records and tables as read) and the offset tables. */
  private static withTables(src: SnapshotSource, h: { header: Header; crcEnd: number }, crc: number, file: string, log: (m: string) => void): IndexSnapshot | undefined {
    const problem = (why: string) => ignored(log, file, why);
    const { header, crcEnd: hstart } = h;
    const tablesLen = (header.ids.length + 1 + header.docs.length + 1) * 4;
    const tablesStart = hstart - tablesLen;
    if (tablesStart < MAGIC.length) return problem('truncated tables');
    if (crc !== header.crc32) return problem('checksum mismatch');
    const tables = src.read(tablesStart, tablesLen);
    const entityOffsets = new Uint32Array(header.ids.length + 1);
    const docOffsets = new Uint32Array(header.docs.length + 1);
    for (let i = 0; i < entityOffsets.length; i++) entityOffsets[i] = tables.readUInt32LE(i * 4);
    for (let i = 0; i < docOffsets.length; i++) docOffsets[i] = tables.readUInt32LE((entityOffsets.length + i) * 4);
    const bodyLen = tablesStart - MAGIC.length;
    if (entityOffsets[entityOffsets.length - 1] > bodyLen || docOffsets[docOffsets.length - 1] > bodyLen) return problem('truncated records');
    return new IndexSnapshot(header, src, entityOffsets, docOffsets);
  }

  /** Lets the file go (records can no longer be read; what was decoded stays). */
  close(): void {
    this.source.close();
  }

  /** The bytes between two offsets of the body; none if unreadable now (the callers' JSON.parse then fails: no answer from the snapshot). */
  private body(from: number, to: number): Buffer {
    try {
      return this.source.read(MAGIC.length + from, to - from);
    } catch {
      return Buffer.alloc(0);
    }
  }

  /** A record's text. */
  private record(from: number, to: number): string {
    return this.body(from, to).toString('utf8');
  }

  has(uri: string): boolean {
    return this.docIndex.has(uri);
  }

  doc(uri: string): SnapshotDoc | undefined {
    const i = this.docIndex.get(uri);
    return i === undefined ? undefined : this.docs[i];
  }

  entityCounts(): Record<EntityType, number> {
    return { ...this.counts };
  }

  entity(id: string): Entity | undefined {
    // `ids` is sorted (WorkspaceIndex.entities() is): binary search.
    let lo = 0;
    let hi = this.ids.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const x = this.ids[mid];
      if (x === id) return this.entityAt(mid);
      if (x < id) lo = mid + 1;
      else hi = mid - 1;
    }
    return undefined;
  }

  /** Every entity, sorted by id (decodes them all: for the entity list, not for a hover). */
  entities(windowBytes = WINDOW_BYTES): readonly Entity[] {
    if (!this.all) {
      // The records in 4 MB windows (one read each), not a read per record (`windowBytes`: tests).
      const off = this.entityOffsets;
      const last = off[off.length - 1];
      let win: Buffer = Buffer.alloc(0);
      let winStart = 0;
      this.all = this.ids.map((_, i) => {
        if (off[i + 1] > winStart + win.length) {
          winStart = off[i];
          const end = Math.min(last, Math.max(off[i + 1], winStart + windowBytes));
          win = this.body(winStart, end);
        }
        const within = off[i + 1] <= winStart + win.length;
        return this.entityAt(i, within ? win.toString('utf8', off[i] - winStart, off[i + 1] - winStart) : '')!;
      });
    }
    return this.all;
  }

  /** The article's mentions with their entity ids, sorted by offset; undefined if the article is not in the snapshot. */
  mentionsIn(uri: string): ResolvedMention[] | undefined {
    const rec = this.docRecord(uri);
    if (!rec) return undefined;
    const out: ResolvedMention[] = [];
    const flat = rec[1];
    for (let i = 0; i + 3 < flat.length; i += 4) {
      out.push({ uri, start: flat[i] as number, end: flat[i + 1] as number, entityId: this.ids[flat[i + 2] as number], text: flat[i + 3] as string });
    }
    return out;
  }

  /** The article's line starts and text length as indexed. */
  lines(uri: string): { lineStarts: Uint32Array; length: number } | undefined {
    const rec = this.docRecord(uri);
    return rec ? { lineStarts: Uint32Array.from(rec[0]), length: rec[2] } : undefined;
  }

  private docRecord(uri: string): DocRecord | undefined {
    const i = this.docIndex.get(uri);
    if (i === undefined) return undefined;
    try {
      return JSON.parse(this.record(this.docOffsets[i], this.docOffsets[i + 1])) as DocRecord;
    } catch {
      return undefined;
    }
  }

  /** `text`: the record, when the caller has read it already. */
  private entityAt(i: number, text?: string): Entity | undefined {
    const hit = this.decoded.get(i);
    if (hit) return hit;
    let rec: EntityRecord;
    try {
      rec = JSON.parse(text ?? this.record(this.entityOffsets[i], this.entityOffsets[i + 1])) as EntityRecord;
    } catch {
      return undefined;
    }
    const [name, type, aliases, merges, texts, flat] = rec;
    const mentions: EntityMentionRef[] = [];
    for (let k = 0; k + 3 < flat.length; k += 4) {
      mentions.push({ uri: this.docs[flat[k]].uri, start: flat[k + 1], end: flat[k + 2], text: texts[flat[k + 3]] });
    }
    const e: Entity = { id: this.ids[i], name, type, aliases, merges, mentions };
    this.decoded.set(i, e);
    return e;
  }
}

/**
 * The pieces of `JSON.stringify(header)`, in order: the fields before the two long lists, each
 * list's items one by one, and the end.
 */
export function* headerPieces(header: Header): Generator<string> {
  const { format, fingerprint, crc32, docs, ids, counts } = header;
  yield `${JSON.stringify({ format, fingerprint, crc32 }).slice(0, -1)},"docs":[`;
  for (let i = 0; i < docs.length; i++) yield (i > 0 ? ',' : '') + JSON.stringify(docs[i]);
  yield '],"ids":[';
  // Ids in runs of a few hundred: a piece per id would be half a million calls.
  for (let i = 0; i < ids.length; i += 256) yield (i > 0 ? ',' : '') + ids.slice(i, i + 256).map((id) => JSON.stringify(id)).join(',');
  yield `],"counts":${JSON.stringify(counts)}}`;
}

/**
 * The position of each entity in `entities` by its id (-1: none): an open-addressed table of
 * numbers in one typed array, probed with a string hash of the id. A Map of the ids (305,000 at
 * 20,000 articles) allocated about 21 MB of the JS heap, its growth included, for the length of
 * the snapshot write, and that write is where the process's memory peaks.
 */
export function idTable(entities: readonly Entity[]): (id: string) => number {
  let size = 16;
  while (size < 2 * entities.length) size *= 2;
  const mask = size - 1;
  const table = new Int32Array(size).fill(-1);
  for (let i = 0; i < entities.length; i++) {
    let at = hashString(entities[i].id) & mask;
    while (table[at] >= 0 && entities[table[at]].id !== entities[i].id) at = (at + 1) & mask;
    table[at] = i; // a repeated id takes its last position, as Map.set would
  }
  return (id) => {
    for (let at = hashString(id) & mask; ; at = (at + 1) & mask) {
      const i = table[at];
      if (i < 0 || entities[i].id === id) return i;
    }
  };
}

/**
 * Writes the index's current linked state to `file` (via a temporary file and a rename), in
 * slices that yield to the event loop. `info` gives each article's file size and time as read
 * (undefined: the article is not a file on disk as indexed, e.g. an unsaved editor; then no
 * snapshot is written, since a second start could not check it). `pause` is awaited between
 * slices (default: one turn of the event loop; the server waits longer while requests come in);
 * when it resolves to true (requests are still coming), the next slice is BUSY_SLICE_MS long.
 * Returns whether it wrote.
 */
export async function writeIndexSnapshot(
  file: string,
  fingerprint: string,
  index: WorkspaceIndex,
  info: (uri: string) => SnapshotFileInfo | undefined,
  isCurrent: () => boolean = () => true,
  pause: () => Promise<boolean | void> = () => nextTurn(),
): Promise<boolean> {
  // The first list after a link pass sorts every entity in one go (0.3 s at 10,000 articles, in
  // the middle of a stream of requests in the bench's latency section): only once a pause ends
  // with no request coming in.
  for (let busy = !index.entitiesListed; busy; ) {
    busy = (await pause()) === true;
    if (!isCurrent()) return false;
  }
  const entities = index.entities();
  const docs = [...index.documents()].sort((a, b) => (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : 0));
  const docIdx = new Map<string, number>();
  const header: Header = { format: FORMAT, fingerprint, crc32: 0, docs: [], ids: [], counts: index.entityCounts() };
  // Every step below runs in slices of at most SLICE_MS, with `pause` between two; the write
  // stops (returns false) once the index has changed.
  let sliceStart = Date.now();
  let sliceMs = SLICE_MS;
  const stillCurrent = async () => {
    if (Date.now() - sliceStart >= sliceMs) {
      sliceMs = (await pause()) === true ? BUSY_SLICE_MS : SLICE_MS;
      sliceStart = Date.now();
    }
    return isCurrent();
  };
  // Hashing every text takes a while on a big corpus: in slices too, like the records below.
  for (const d of docs) {
    const fi = info(d.uri);
    if (!fi) return false;
    docIdx.set(d.uri, header.docs.length);
    header.docs.push([d.uri, index.contentKeyOf(d), fi.size, fi.mtimeMs]);
    if (!(await stillCurrent())) return false;
  }
  for (let i = 0; i < entities.length; i++) {
    header.ids.push(entities[i].id);
    if ((i & 4095) === 4095 && !(await stillCurrent())) return false;
  }
  const entityIdx = idTable(entities);
  // The offset tables, filled in place as records are written (entity offsets, then document
  // offsets, each with its end). At 20,000 articles, arrays grown by push and then joined
  // allocated about 12 MB that reached the old generation while the snapshot was written.
  const tables = Buffer.alloc((entities.length + 1 + docs.length + 1) * 4);
  let slot = 0;
  const offsetHere = (pos: number) => tables.writeUInt32LE(pos, 4 * slot++);
  const tmp = `${file}.${process.pid}.tmp`;
  await fs.promises.mkdir(path.dirname(file), { recursive: true });
  const fh = await fs.promises.open(tmp, 'w');
  let ok = false;
  try {
    // Records are encoded into one 1 MB buffer, written when full: memory stays flat however big
    // the index (a Buffer per record, half a million of them at 20,000 articles, raised the
    // process's peak while the snapshot was written).
    const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
    let used = 0;
    let pos = 0;
    let crc = 0;
    /** Whether what is written counts in the CRC (the records and the tables; not the header). */
    let checked = true;
    const drain = async () => {
      if (used === 0) return;
      const b = chunk.subarray(0, used);
      if (checked) crc = zlib.crc32(b, crc);
      await fh.write(b);
      used = 0;
    };
    const put = async (s: string | Buffer) => {
      const n = typeof s === 'string' ? Buffer.byteLength(s) : s.length;
      pos += n;
      if (used + n > CHUNK_BYTES) await drain();
      if (n > CHUNK_BYTES) {
        const b = typeof s === 'string' ? Buffer.from(s) : s;
        if (checked) crc = zlib.crc32(b, crc);
        await fh.write(b);
      } else {
        if (typeof s === 'string') chunk.write(s, used);
        else s.copy(chunk, used);
        used += n;
      }
    };
    await fh.write(MAGIC);
    const textIdx = new Map<string, number>();
    for (let i = 0; i < entities.length; i++) {
      const e = entities[i];
      const texts: string[] = [];
      textIdx.clear();
      const flat: number[] = [];
      for (const m of e.mentions) {
        let t = textIdx.get(m.text);
        if (t === undefined) {
          t = texts.length;
          texts.push(m.text);
          textIdx.set(m.text, t);
        }
        const d = docIdx.get(m.uri);
        if (d === undefined) return false; // the index changed under us
        flat.push(d, m.start, m.end, t);
      }
      offsetHere(pos);
      const rec: EntityRecord = [e.name, e.type, e.aliases, e.merges, texts, flat];
      await put(JSON.stringify(rec));
      if ((i & 255) === 0 && !(await stillCurrent())) return false;
    }
    offsetHere(pos);
    for (let i = 0; i < docs.length; i++) {
      const flat: Array<number | string> = [];
      for (const { mention: m, entity } of index.linkedPairsOf(docs[i].uri)) {
        const ei = entityIdx(entity.id);
        if (ei < 0) return false;
        flat.push(m.start, m.end, ei, m.text);
      }
      offsetHere(pos);
      const rec: DocRecord = [[...docs[i].lineStarts], flat, docs[i].textLength];
      await put(JSON.stringify(rec));
      if ((i & 63) === 0 && !(await stillCurrent())) return false;
    }
    offsetHere(pos);
    await put(tables);
    await drain();
    checked = false;
    header.crc32 = crc;
    // The header is JSON.stringify(header), written a piece at a time. Made whole it was held
    // three times at once (the string, its UTF-8 copy, that copy joined to the length) at the
    // very end of the write: at 5,000 articles the header is 3.2 MB (an entry per article and an
    // id per entity), at 20,000 about three times that.
    const headerStart = pos;
    for (const piece of headerPieces(header)) await put(piece);
    const len = Buffer.allocUnsafe(4);
    len.writeUInt32LE(pos - headerStart, 0);
    await put(len);
    await drain();
    if (!isCurrent()) return false;
    ok = true;
  } finally {
    await fh.close();
    if (!ok) await fs.promises.rm(tmp, { force: true }).catch(() => undefined);
  }
  try {
    await fs.promises.rename(tmp, file);
  } catch (err) {
    await fs.promises.rm(tmp, { force: true }).catch(() => undefined);
    throw err;
  }
  return true;
}
