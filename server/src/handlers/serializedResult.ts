/**
 * Big answers serialised once. Find All References on an entity mentioned thousands of times
 * answers with thousands of locations (about 650 KB of JSON for 4,500). Building them and turning
 * them into JSON cost the server's main thread 5–10 ms, though the answer stays the same until the
 * entity changes (an edit that re-links an entity makes a new entity object). So the JSON of the
 * recent big lists is kept, as bytes, per entity (`entityReferencesOnce`), and the stdio
 * transport's encoder (`rawAwareEncoder`) splices those bytes into the response.
 *
 * The bytes are written straight from the entity's mentions (`entityReferencesJson`), without
 * the list: at 10,000 articles, building lists and their JSON was four-fifths of what the server
 * allocated while answering references, and every 16 MB of it brought a minor collection of
 * 5–15 ms into some request.
 *
 * Only the bytes are kept, not the list: thousands of small location objects kept alive were
 * copied by every minor garbage collection that found them young and then lived in the old
 * generation, where at 10,000 articles every minor collection already costs 5–15 ms; built and
 * dropped within one request they cost almost nothing to collect.
 *
 * Over any other transport (IPC, sockets) a `SerializedResult` serialises as its value
 * (`toJSON`, parsed back from the bytes), so it is always safe to return one from a handler.
 */
import type { Message } from 'vscode-languageserver/node';
import type { Location } from 'vscode-languageserver-protocol';
import type { LanguageService } from '../service/languageService';
import { RecentMap } from '../service/entities/memo';
import { BIG_LIST_FROM } from '../service/references';
import type { Entity } from '../service/types';

export class SerializedResult<T = unknown> {
  constructor(
    /** The value as UTF-8 JSON. */
    readonly json: Buffer,
  ) {}

  toJSON(): T {
    return JSON.parse(this.json.toString('utf8')) as T;
  }
}

/**
 * How many bytes of big lists' JSON are kept: the lists the warmer has ready (`WARM_LISTS`, about
 * 4 MB at 10,000 articles) and those a reviewer asked for since, by last use. A budget in bytes,
 * not a number of lists: kept bytes that are let go lie outside V8's heap until a full
 * collection finds them, and V8 counts them as external memory. With the last 32 lists kept, a
 * stream of references over more big entities than that (the bench's 200 samples hold more)
 * rebuilt and dropped lists until V8 started a full incremental collection for "external memory
 * pressure", about every 6 s at 10,000 articles, whose marking steps and slower minor
 * collections fell into requests (bench/README.md, item 33). Lists shorter than BIG_LIST_FROM
 * are cheap to build and serialise; keeping their bytes would cost more than it saves.
 */
const KEPT_LIST_BYTES = 24 * 2 ** 20;
const recent = new RecentMap<number, SerializedResult<Location[]>>(KEPT_LIST_BYTES, (r) => r.json.byteLength);
const numbers = new WeakMap<Entity, number>();
let nextNumber = 0;
/** One key per entity object and includeDeclaration: a number, so the kept lists never keep an entity alive. */
function keyOf(entity: Entity, includeDeclaration: boolean): number {
  let n = numbers.get(entity);
  if (n === undefined) numbers.set(entity, (n = nextNumber++));
  return 2 * n + (includeDeclaration ? 1 : 0);
}

/**
 * Every mention of `entity` as locations: a big list as its kept JSON (built and serialised on
 * the first ask), a small one as the list itself.
 */
export function entityReferencesOnce(service: LanguageService, entity: Entity, includeDeclaration: boolean): Location[] | SerializedResult<Location[]> {
  const key = keyOf(entity, includeDeclaration);
  const kept = recent.get(key);
  if (kept) return kept;
  if (entity.mentions.length - (includeDeclaration ? 0 : 1) < BIG_LIST_FROM) return service.entityReferences(entity, { includeDeclaration });
  const bytes = service.entityReferencesJson(entity, { includeDeclaration });
  const s = new SerializedResult<Location[]>(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  recent.set(key, s);
  return s;
}

/** Whether the JSON of `entity`'s list is kept (tests). */
export function isSerialized(entity: Entity, includeDeclaration = true): boolean {
  return recent.peek(keyOf(entity, includeDeclaration)) !== undefined;
}

/**
 * The JSON-RPC content encoder of the stdio transport: `JSON.stringify` as the default one does,
 * except that a response whose result is a `SerializedResult` gets the result's bytes as they are.
 */
export const rawAwareEncoder = {
  name: 'application/json',
  encode(msg: Message): Promise<Uint8Array> {
    try {
      const result = (msg as { result?: unknown }).result;
      if (result instanceof SerializedResult) {
        const { result: _, ...rest } = msg as { result?: unknown };
        // `{...rest,"result":<bytes>}`: the envelope without the result, its closing brace replaced.
        const head = JSON.stringify(rest);
        return Promise.resolve(Buffer.concat([Buffer.from(`${head.slice(0, -1)}${head.length > 2 ? ',' : ''}"result":`, 'utf8'), result.json, CLOSE]));
      }
      return Promise.resolve(Buffer.from(JSON.stringify(msg), 'utf8'));
    } catch (err) {
      return Promise.reject(err);
    }
  },
};
const CLOSE = Buffer.from('}', 'utf8');
