/**
 * Find All References: on an entity, every mention in every indexed article (open or not),
 * across spellings; the first mention in the corpus counts as the declaration. On a claim,
 * the related figures in other articles (and the claim itself as the declaration).
 */
import type { Location, Position } from 'vscode-languageserver-protocol';
import { linesOf, locationOf, sortedMentions, type ServiceContext } from './context';
import { lineAt, type LineIndex } from './position';
import type { Entity } from './types';

export interface ReferenceOptions {
  includeDeclaration: boolean;
}

/**
 * Reference lists at least this long are the ones worth building ahead (`biggestEntities`) and
 * keeping as JSON (handlers/serializedResult.ts).
 */
export const BIG_LIST_FROM = 64;

/** Every mention of `entity` as a location (without the first one unless `includeDeclaration`). */
export function entityReferences(ctx: ServiceContext, entity: Entity, opts: ReferenceOptions): Location[] {
  const mentions = sortedMentions(entity);
  // Mentions come grouped by article: one line table per article, not one lookup per mention.
  const out: Location[] = [];
  let lines: LineIndex | undefined;
  let linesUri: string | undefined;
  for (let i = opts.includeDeclaration ? 0 : 1; i < mentions.length; i++) {
    const m = mentions[i];
    if (m.uri !== linesUri) {
      linesUri = m.uri;
      lines = linesOf(ctx, m.uri);
    }
    out.push(lines ? { uri: m.uri, range: lines.range(m.start, m.end) } : locationOf(ctx, m));
  }
  return out;
}

/**
 * The same list as `entityReferences`, written straight to its JSON as UTF-8 bytes: the same bytes
 * as `JSON.stringify` of that list, without the list. A list of thousands of locations is four
 * small objects per mention, a string of its JSON and then its bytes: at 10,000 articles, answering
 * the bench's references made about 30 MB of garbage a second, so that the server's minor
 * collections (5–15 ms each with an index of that size) fell into requests every 100 ms or so.
 * Here only the bytes are made (outside V8's heap), and a few small strings per article.
 */
export function entityReferencesJson(ctx: ServiceContext, entity: Entity, opts: ReferenceOptions): Uint8Array {
  const mentions = sortedMentions(entity);
  // About 80 bytes per location besides its URI (as JSON; most URIs are ASCII).
  const w = new JsonBytes(16 + mentions.length * (90 + (mentions[0]?.uri.length ?? 0)));
  w.ascii('[');
  let linesUri: string | undefined;
  let starts: ArrayLike<number> | undefined;
  let length = 0;
  // Where the current article's URI (as JSON) was first written: later mentions copy it from there.
  let uriAt = 0;
  let uriLength = 0;
  for (let i = opts.includeDeclaration ? 0 : 1; i < mentions.length; i++) {
    const m = mentions[i];
    w.ascii(w.size > 1 ? ',{"uri":' : '{"uri":');
    if (m.uri !== linesUri) {
      linesUri = m.uri;
      // The index's line table, as `linesOf` wraps it (read here without making the wrapper).
      const doc = ctx.index.document(m.uri);
      starts = doc?.lineStarts;
      length = doc?.textLength ?? 0;
      uriAt = w.size;
      w.jsonString(m.uri);
      uriLength = w.size - uriAt;
    } else w.again(uriAt, uriLength);
    // As `LineIndex.range` gives it; an article without a line table gives 0:0–0:0 (`rangeOf`).
    let sl = 0;
    let sc = 0;
    let el = 0;
    let ec = 0;
    if (starts) {
      const s = Math.max(0, Math.min(m.start, length));
      const e = Math.max(0, Math.min(m.end, length));
      sl = lineAt(starts, s);
      el = lineAt(starts, e, sl);
      sc = s - starts[sl];
      ec = e - starts[el];
    }
    w.ascii(',"range":{"start":{"line":');
    w.int(sl);
    w.ascii(',"character":');
    w.int(sc);
    w.ascii('},"end":{"line":');
    w.int(el);
    w.ascii(',"character":');
    w.int(ec);
    w.ascii('}}}');
  }
  w.ascii(']');
  return w.bytes();
}

const UTF8 = new TextEncoder();

/** A growing byte buffer for `entityReferencesJson`. */
class JsonBytes {
  private buf: Uint8Array;
  private n = 0;

  constructor(capacity: number) {
    this.buf = new Uint8Array(capacity);
  }

  get size(): number {
    return this.n;
  }

  private room(k: number): void {
    if (this.n + k <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.n + k));
    next.set(this.buf.subarray(0, this.n));
    this.buf = next;
  }

  /** A string of ASCII characters only. */
  ascii(s: string): void {
    this.room(s.length);
    for (let i = 0; i < s.length; i++) this.buf[this.n++] = s.charCodeAt(i);
  }

  /** A string as JSON.stringify writes it, in UTF-8. */
  jsonString(s: string): void {
    // Printable ASCII without quote or backslash (file URIs percent-encode the rest) byte by byte.
    this.room(s.length + 2);
    const start = this.n;
    this.buf[this.n++] = 34;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c < 32 || c > 126 || c === 34 || c === 92) {
        this.n = start;
        this.text(JSON.stringify(s));
        return;
      }
      this.buf[this.n++] = c;
    }
    this.buf[this.n++] = 34;
  }

  /** Any string, in UTF-8 (at most three bytes per UTF-16 unit). */
  private text(s: string): void {
    this.room(s.length * 3);
    this.n += UTF8.encodeInto(s, this.buf.subarray(this.n)).written;
  }

  /** `length` bytes written earlier, from `at`, once more. */
  again(at: number, length: number): void {
    this.room(length);
    this.buf.copyWithin(this.n, at, at + length);
    this.n += length;
  }

  /** A non-negative integer in decimal. */
  int(v: number): void {
    let digits = 1;
    for (let t = 10; t <= v; t *= 10) digits++;
    this.room(digits);
    for (let i = this.n + digits - 1; i >= this.n; i--) {
      this.buf[i] = 48 + (v % 10);
      v = (v - (v % 10)) / 10;
    }
    this.n += digits;
  }

  /** The bytes written, in a buffer of their own size (they may be kept). */
  bytes(): Uint8Array {
    return this.n === this.buf.length ? this.buf : this.buf.slice(0, this.n);
  }
}

/**
 * The `max` entities with the most mentions (at least BIG_LIST_FROM each), fewest first: the lists
 * worth building before anyone asks, since their cost grows with their length and the entities
 * a corpus mentions most are the ones reviewers look up most. Fewest first, so that building
 * them in this order leaves the biggest the last to be evicted from the recent lists.
 */
export function biggestEntities(ctx: ServiceContext, max: number): Entity[] {
  // Bigger: more mentions, or as many and a smaller id (the same answer in any visiting order).
  const bigger = (a: Entity, b: Entity) => a.mentions.length > b.mentions.length || (a.mentions.length === b.mentions.length && a.id < b.id);
  const top: Entity[] = []; // smallest first, at most `max`
  // A scan of the big ones, not the sorted list: sorting every entity (1.2 s at 10,000 articles)
  // after each edit would block the server for longer than the lists save.
  ctx.index.forEachEntity((e) => {
    if (top.length === max && !bigger(e, top[0])) return;
    let i = 0;
    while (i < top.length && bigger(e, top[i])) i++;
    top.splice(i, 0, e);
    if (top.length > max) top.shift();
  }, BIG_LIST_FROM);
  return top;
}

/** The entity mentioned at `position` (what Find All References lists the mentions of), if any. */
export function mentionedEntity(ctx: ServiceContext, uri: string, position: Position): Entity | null {
  const li = linesOf(ctx, uri);
  return li ? (ctx.index.mentionAt(uri, li.offsetAt(position))?.entity ?? null) : null;
}

export function findReferences(ctx: ServiceContext, uri: string, position: Position, opts: ReferenceOptions): Location[] {
  const li = linesOf(ctx, uri);
  if (!li) return [];
  const offset = li.offsetAt(position);
  const hit = ctx.index.mentionAt(uri, offset);
  if (hit) return entityReferences(ctx, hit.entity, opts);
  const claim = ctx.index.claimAt(uri, offset);
  if (claim) {
    const out: Location[] = [];
    if (opts.includeDeclaration) out.push(locationOf(ctx, { uri, start: claim.start, end: claim.end }));
    for (const r of ctx.claims.related(uri, claim, { limit: 1000 })) {
      out.push(locationOf(ctx, { uri: r.uri, start: r.claim.start, end: r.claim.end }));
    }
    return out;
  }
  return [];
}
