/**
 * Data types shared by every part of the Sourcelens language service.
 * Offsets are JavaScript string indices (UTF-16 code units) into a document's text.
 */

export type EntityType = 'person' | 'organization' | 'place' | 'event';

/** What the tagger reports for one span; `misc` survives only until event rules decide. */
export type MentionLabel = EntityType | 'misc';

/** One entity mention found in one document (before cross-document linking). */
export interface RawMention {
  start: number;
  end: number;
  /** Exactly `text.slice(start, end)` of the document. */
  text: string;
  type: EntityType;
}

export type ClaimKind = 'money' | 'percent' | 'count' | 'measure' | 'rank' | 'duration' | 'year' | 'date';
export type Qualifier = 'exact' | 'approx' | 'over' | 'under' | 'at-least' | 'at-most';

/** One numeric claim found in one document. */
export interface RawClaim {
  start: number;
  end: number;
  /** Exactly `text.slice(start, end)` of the document. */
  text: string;
  kind: ClaimKind;
  /** A number, or an ISO 8601 string (`2024-05-14`, `2024-05`) for dates. */
  value: number | string;
  /** ISO 4217 code for money, `%` for percentages, singular counted noun for counts, unit for measures, null if none. */
  unit: string | null;
  qualifier: Qualifier;
  checkworthy: boolean;
  /** The sentence containing the claim, and its offsets in the document. */
  sentence: string;
  sentenceStart: number;
  sentenceEnd: number;
}

/** Everything the per-document analysis produces. Pure function of the text (and the analyser version). */
export interface DocumentAnalysis {
  mentions: RawMention[];
  claims: RawClaim[];
}

/** Why two surface forms were put in one entity (shown in hover cards). */
export interface MergeReason {
  /** The alias that was merged in. */
  alias: string;
  /** The form it was merged into (usually the canonical name). */
  into: string;
  rule: 'exact' | 'surname' | 'acronym' | 'transliteration' | 'country' | 'dictionary' | 'case' | 'possessive' | 'type';
  detail?: string;
}

export interface EntityMentionRef {
  uri: string;
  start: number;
  end: number;
  text: string;
}

/** One real-world entity across the corpus. */
export interface Entity {
  /** Stable id, derived from the canonical name and type. */
  id: string;
  name: string;
  type: EntityType;
  /** Every distinct surface form seen (including `name` if it occurs). */
  aliases: string[];
  merges: MergeReason[];
  mentions: EntityMentionRef[];
}
