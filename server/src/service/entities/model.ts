/**
 * Types of the entity-linking stage that are not part of the shared contract (../types.ts).
 * A `LocalResult` is a pure function of one document; the index caches it per document and
 * feeds all of them to `linkCorpus`. It is plain JSON-serialisable data.
 */

import type { EntityMentionRef, EntityType, MergeReason, RawMention } from '../types';

/** Bump when the shape or the rules of `resolveDocument` change (invalidates cached LocalResults). */
export const LINKER_VERSION = 3;

export interface LinkerDocument {
  uri: string;
  text: string;
  mentions: RawMention[];
}

/** One distinct surface key of one type within one local cluster. */
export interface LocalForm {
  type: EntityType;
  /** `matchKey` of the cleaned surface (case/diacritic/punctuation-free). */
  key: string;
  /** Most frequent cleaned surface in this document for this key. */
  surface: string;
  /**
   * Cross-document join key: `country\0KOR` for a place that is a country, else `type\0key`.
   * Only used for 'name' forms.
   */
  join: string;
  /** Key tokens (hyphen parts separate). */
  tokens: string[];
  /** Any variant looks like an acronym ("KTZ", "KazISS"). */
  acronym: boolean;
  /**
   * How the form joined its cluster: 'name' stands on its own and is joined across documents by
   * key; 'surname'/'acronym' forms were resolved inside this document and are not used as
   * cross-document join keys (the same short form may mean someone else elsewhere).
   */
  role: 'name' | 'surname' | 'acronym';
  /** Country this place form denotes, from country data. */
  country?: { cca3: string; common: string; how: string };
  /**
   * Distinct raw mention texts with their counts. Absent when every mention's raw text equals
   * `surface` (the common case): then the one variant is `surface`, counted `mentions.length` times.
   */
  variants?: { text: string; count: number }[];
  /** Reasons raw variants were folded into `surface` (possessive, case, title…). */
  merges: MergeReason[];
  mentions: EntityMentionRef[];
}

/** An in-document merge of `forms[form]` into `forms[into]`. */
export interface LocalEdge {
  form: number;
  into: number;
  rule: MergeReason['rule'];
  detail?: string;
}

export interface LocalCluster {
  forms: LocalForm[];
  /** Index of the form that names the cluster. */
  anchor: number;
  edges: LocalEdge[];
  /** Acronyms defined for this cluster in the article ("… Zholy (KTZ)"), as written, even if not tagged. */
  definedAcronyms: string[];
}

export interface LocalResult {
  version: number;
  uri: string;
  clusters: LocalCluster[];
}
