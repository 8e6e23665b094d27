/**
 * Who a sentence attributes a statement to: "…, said Beispekov", "Tukumov noted that …",
 * "according to Kotra", or quoted speech ("Beispekov: “…”", "“…,” Beispekov said").
 * A small pattern finder over one sentence and the entity mentions in it.
 */
import type { EntityType } from './types';

export interface AttributionMention {
  start: number;
  end: number;
  text: string;
  type: EntityType;
  entityId?: string;
  /** The entity's canonical name, when known. */
  name?: string;
}

export interface Attribution {
  /** The reporting verb or phrase as normalised: "said", "according to". */
  verb: string;
  speaker: AttributionMention;
  /** "said Beispekov", "according to Kotra". */
  label: string;
}

const VERBS = 'said|says|say|told|tells|noted|notes|stated|states|added|adds|explained|explains|announced|announces|reported|reports|emphasized|emphasised|stressed|stresses|remarked|claimed|claims|estimated|estimates|according to';
const VERB_RE = new RegExp(`\\b(${VERBS})\\b`, 'gi');

/** Characters that may sit between a speaker and its verb without breaking the link. */
const MAX_GAP_AFTER = 60; // "said Yerkin Tukumov" / "said the head of the agency, Kotra"
const MAX_GAP_BEFORE = 90; // "Yerkin Tukumov, Director of the KazISS under the President, noted"

const TYPE_PREFERENCE: Record<EntityType, number> = { person: 3, organization: 2, place: 0.5, event: 0 };

/**
 * Finds the speaker of `sentence` (which starts at `sentenceStart` in the document). `mentions`
 * are document mentions (document offsets); those outside the sentence are ignored.
 */
export function findAttribution(
  sentence: string,
  sentenceStart: number,
  mentions: readonly AttributionMention[],
): Attribution | undefined {
  const inSentence = mentions
    .filter((m) => m.start >= sentenceStart && m.end <= sentenceStart + sentence.length && TYPE_PREFERENCE[m.type] > 0)
    .map((m) => ({ ...m, s: m.start - sentenceStart, e: m.end - sentenceStart }));
  if (inSentence.length === 0) return undefined;

  let best: { score: number; verb: string; m: (typeof inSentence)[number] } | undefined;
  const consider = (score: number, verb: string, m: (typeof inSentence)[number]) => {
    if (!best || score > best.score) best = { score, verb, m };
  };

  VERB_RE.lastIndex = 0;
  let v: RegExpExecArray | null;
  while ((v = VERB_RE.exec(sentence))) {
    const verb = v[1].toLowerCase().replace(/\s+/g, ' ');
    const vs = v.index;
    const ve = vs + v[0].length;
    if (verb === 'according to') {
      // The source follows: "according to Kotra", "according to the Kazakh statistics bureau".
      for (const m of inSentence) {
        const gap = m.s - ve;
        if (gap >= 0 && gap <= 25 && !/[.;:!?”"]/.test(sentence.slice(ve, m.s))) consider(10 + TYPE_PREFERENCE[m.type] - gap / 25, verb, m);
      }
      continue;
    }
    for (const m of inSentence) {
      // A place or event only speaks through "according to" ("Singapore, stated: …" is not a source).
      if (m.type !== 'person' && m.type !== 'organization') continue;
      if (m.s >= ve) {
        // "said Beispekov", "said Kotra's chief"
        const between = sentence.slice(ve, m.s);
        if (between.length <= MAX_GAP_AFTER && !/[;:“”"]/.test(between) && !/\b(that|to|in|on|at|about)\b/i.test(between)) {
          consider(6 + TYPE_PREFERENCE[m.type] - between.length / MAX_GAP_AFTER, verb, m);
        }
      } else if (m.e <= vs) {
        // "Beispekov said", "Tukumov, Director of …, noted"
        const between = sentence.slice(m.e, vs);
        if (between.length <= MAX_GAP_BEFORE && !/[;“”"]/.test(between) && !/\b(said|says|told|noted|stated)\b/i.test(between)) {
          // Prefer the subject at the start of the clause.
          consider(6.05 + TYPE_PREFERENCE[m.type] - between.length / MAX_GAP_BEFORE, verb, m);
        }
      }
    }
  }
  if (best) return make(best.verb, best.m);

  // Quoted speech without a reporting verb: "Beispekov: “…”" or "“…” – Beispekov".
  const colon = /^([^“"]{0,120}?)[:]\s*[“"]/.exec(sentence);
  if (colon) {
    const m = lastBefore(inSentence, colon[1].length);
    if (m) return make('said', m);
  }
  const dash = /[”"]\s*[–—-]\s*/.exec(sentence);
  if (dash) {
    const after = dash.index + dash[0].length;
    const m = inSentence.find((x) => x.s >= after && x.s - after <= 5);
    if (m) return make('said', m);
  }
  return undefined;
}

function lastBefore<T extends { s: number; e: number; type: EntityType }>(list: T[], offset: number): T | undefined {
  let best: T | undefined;
  for (const m of list) if (m.e <= offset && (!best || TYPE_PREFERENCE[m.type] >= TYPE_PREFERENCE[best.type])) best = m;
  return best;
}

function make(verb: string, m: AttributionMention & { s?: number; e?: number }): Attribution {
  const speaker: AttributionMention = { start: m.start, end: m.end, text: m.text, type: m.type, entityId: m.entityId, name: m.name };
  const who = m.name && m.name !== m.text ? `${m.text} (${m.name})` : m.text;
  const v = verb === 'according to' ? verb : pastTense(verb);
  return { verb: v, speaker, label: `${v} ${who}` };
}

function pastTense(verb: string): string {
  const map: Record<string, string> = {
    says: 'said', say: 'said', tells: 'told', notes: 'noted', states: 'stated', adds: 'added', explains: 'explained',
    announces: 'announced', reports: 'reported', stresses: 'stressed', claims: 'claimed', estimates: 'estimated',
  };
  return map[verb] ?? verb;
}
