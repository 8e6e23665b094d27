/**
 * Big answers serialised once. Find All References on an entity mentioned thousands of times
 * answers with thousands of locations (about 650 KB of JSON for 4,500), and turning them into
 * JSON cost the server's main thread 3–6 ms on every request, though the service hands back the
 * same list until the entity changes. `serializedOnce` keeps the JSON of such a list beside it
 * (as long as the list lives), and the stdio transport's encoder (`rawAwareEncoder`) splices
 * those bytes into the response instead of serialising the list again.
 *
 * Over any other transport (IPC, sockets) a `SerializedResult` serialises as its value
 * (`toJSON`), so it is always safe to return one from a handler.
 */
import type { Message } from 'vscode-languageserver/node';

export class SerializedResult<T = unknown> {
  constructor(
    readonly value: T,
    /** `JSON.stringify(value)` as UTF-8. */
    readonly json: Buffer,
  ) {}

  toJSON(): T {
    return this.value;
  }
}

/** Lists shorter than this are cheap to serialise; keeping their bytes would cost more than it saves. */
export const SERIALIZE_FROM = 64;

const serialized = new WeakMap<object, SerializedResult>();

/**
 * `value` with its JSON kept for the next time the same list is answered. Callers must not change
 * a list after returning it (the service's lists are not changed: an edit builds new ones).
 */
export function serializedOnce<T extends readonly unknown[]>(value: T): T | SerializedResult<T> {
  if (value.length < SERIALIZE_FROM) return value;
  let s = serialized.get(value) as SerializedResult<T> | undefined;
  if (!s) {
    s = new SerializedResult(value, Buffer.from(JSON.stringify(value), 'utf8'));
    serialized.set(value, s);
  }
  return s;
}

/** Whether `value`'s JSON is kept (tests). */
export function isSerialized(value: object): boolean {
  return serialized.has(value);
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
