import type { LinkerDocument } from '../../server/src/service/entities';
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
