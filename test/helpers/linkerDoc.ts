import { resolveDocument, type LinkerDocument, type LocalResult } from '../../server/src/service/entities';
import type { EntityType, RawMention } from '../../server/src/service/types';

/** A linker input whose mentions are the given surfaces, found left to right in `text`. */
export function doc(uri: string, text: string, spans: [string, EntityType][]): LinkerDocument {
  const mentions: RawMention[] = [];
  let from = 0;
  for (const [s, type] of spans) {
    const i = text.indexOf(s, from);
    if (i < 0) throw new Error(`"${s}" not found after ${from} in ${uri}`);
    mentions.push({ start: i, end: i + s.length, text: s, type });
    from = i + 1;
  }
  return { uri, text, mentions };
}

/**
 * An article made of `pool` entries (surface and type) in the order of `items`, each followed by
 * its filler, after an "Intro. " sentence: the linker's raw input.
 */
export function pooledText(uri: string, pool: readonly (readonly [string, EntityType])[], items: readonly (readonly [number, string])[]): LinkerDocument {
  let text = 'Intro. ';
  const mentions: RawMention[] = [];
  for (const [i, filler] of items) {
    const [s, type] = pool[i];
    mentions.push({ start: text.length, end: text.length + s.length, text: s, type });
    text += s + filler;
  }
  return { uri, text, mentions };
}

/** `pooledText`'s article resolved on its own (the linker's per-article input). */
export function pooledDoc(uri: string, pool: readonly (readonly [string, EntityType])[], items: readonly (readonly [number, string])[]): LocalResult {
  return resolveDocument(pooledText(uri, pool, items));
}
