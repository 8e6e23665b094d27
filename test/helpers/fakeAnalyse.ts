/**
 * A deterministic stand-in for the real analyser (NER + claims) in feature tests: entities
 * come from a fixed lexicon, claims from a few regular expressions. Feature tests then depend
 * only on the language service, not on what the trained tagger happens to find.
 */
import { sentenceAround } from '../../server/src/service/text';
import type { DocumentAnalysis, EntityType, RawClaim, RawMention } from '../../server/src/service/types';

export type Lexicon = Record<string, EntityType>;

export const DEFAULT_LEXICON: Lexicon = {
  'Azamat Beispekov': 'person',
  Beispekov: 'person',
  'Yerkin Tukumov': 'person',
  'Erkin Tukumov': 'person',
  Tukumov: 'person',
  Kotra: 'organization',
  KazISS: 'organization',
  'Samruk Energy': 'organization',
  Kazakhstan: 'place',
  Korea: 'place',
  Astana: 'place',
  'Astana Forum': 'event',
};

const SCALE: Record<string, number> = { thousand: 1e3, million: 1e6, billion: 1e9, trillion: 1e12 };

export function fakeAnalyse(lexicon: Lexicon = DEFAULT_LEXICON): (text: string) => DocumentAnalysis {
  const names = Object.keys(lexicon).sort((a, b) => b.length - a.length);
  const escaped = names.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const nameRe = new RegExp(`(?<![\\p{L}\\p{N}])(${escaped.join('|')})(?![\\p{L}\\p{N}])`, 'gu');
  return (text: string) => {
    const mentions: RawMention[] = [];
    for (const m of text.matchAll(nameRe)) {
      mentions.push({ start: m.index!, end: m.index! + m[0].length, text: m[0], type: lexicon[m[0]] });
    }
    const claims: RawClaim[] = [];
    const add = (start: number, end: number, c: Pick<RawClaim, 'kind' | 'value' | 'unit' | 'qualifier'>) => {
      const s = sentenceAround(text, start);
      claims.push({
        start,
        end,
        text: text.slice(start, end),
        ...c,
        checkworthy: c.kind === 'money' || c.kind === 'count',
        sentence: text.slice(s.start, s.end),
        sentenceStart: s.start,
        sentenceEnd: s.end,
      });
    };
    for (const m of text.matchAll(/\$(\d+(?:\.\d+)?)\s*(million|billion)/g)) {
      add(m.index!, m.index! + m[0].length, { kind: 'money', value: Math.round(Number(m[1]) * SCALE[m[2]]), unit: 'USD', qualifier: 'exact' });
    }
    for (const m of text.matchAll(/(\d+(?:\.\d+)?)\s*(million|billion)\s+USD/g)) {
      add(m.index!, m.index! + m[0].length, { kind: 'money', value: Math.round(Number(m[1]) * SCALE[m[2]]), unit: 'USD', qualifier: 'exact' });
    }
    for (const m of text.matchAll(/(\d+(?:\.\d+)?)%/g)) {
      add(m.index!, m.index! + m[0].length, { kind: 'percent', value: Number(m[1]), unit: '%', qualifier: 'exact' });
    }
    for (const m of text.matchAll(/(?:(over|about) )?(\d[\d,]*) (jobs|workers)/g)) {
      const unit = m[3] === 'jobs' ? 'job' : 'worker';
      add(m.index!, m.index! + m[0].length, {
        kind: 'count',
        value: Number(m[2].replace(/,/g, '')),
        unit,
        qualifier: m[1] === 'over' ? 'over' : m[1] === 'about' ? 'approx' : 'exact',
      });
    }
    claims.sort((a, b) => a.start - b.start);
    // Drop overlapping claims (keep the first).
    const out: RawClaim[] = [];
    for (const c of claims) if (!out.length || c.start >= out[out.length - 1].end) out.push(c);
    return { mentions, claims: out };
  };
}
