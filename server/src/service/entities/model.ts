/**
 * Types of the entity-linking stage that are not part of the shared contract (../types.ts).
 * A `LocalResult` is a pure function of one document; the index caches it per document and
 * feeds all of them to `linkCorpus`. It is plain JSON-serialisable data.
 */

import type { EntityMentionRef, EntityType, MergeReason, RawMention } from '../types';
import { NONE } from './memo';

/** Bump when the shape or the rules of `resolveDocument` change (invalidates cached LocalResults). */
export const LINKER_VERSION = 5;

export interface LinkerDocument {
  uri: string;
  text: string;
  mentions: RawMention[];
}

/**
 * A list of objects that is most often one long: the one object itself, or an array of any
 * other length. The index keeps a form's mentions and a cluster's forms for the whole session,
 * and most have one: at 5,000 articles a heap snapshot counted 287,000 one-mention lists and
 * 290,000 one-form lists, each an array and its backing store (56 bytes) around an 8-byte
 * reference. Read with `listLength`/`listAt`/`forEachOf`; made with `oneOrList`.
 */
export type OneOrList<T extends object> = T | T[];

/** `list`, or its one element when it has exactly one. */
export function oneOrList<T extends object>(list: T[]): OneOrList<T> {
  return list.length === 1 ? list[0] : list;
}

export function listLength<T extends object>(x: OneOrList<T>): number {
  return Array.isArray(x) ? x.length : 1;
}

/** The `i`-th element (`undefined` past the end). */
export function listAt<T extends object>(x: OneOrList<T>, i: number): T | undefined {
  return Array.isArray(x) ? x[i] : i === 0 ? x : undefined;
}

export function forEachOf<T extends object>(x: OneOrList<T>, fn: (item: T, i: number) => void): void {
  if (!Array.isArray(x)) fn(x, 0);
  else for (let i = 0; i < x.length; i++) fn(x[i], i);
}

/** As an array: the list itself, or a new one-element array (for code off the hot paths). */
export function listOf<T extends object>(x: OneOrList<T>): readonly T[] {
  return Array.isArray(x) ? x : [x];
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
  /** Its mentions in document order; a lone mention (four forms in five) is held without a list (see `OneOrList`). */
  mentions: OneOrList<EntityMentionRef>;
}

/** An in-document merge of `forms[form]` into `forms[into]`. */
export interface LocalEdge {
  form: number;
  into: number;
  rule: MergeReason['rule'];
  detail?: string;
}

export interface LocalCluster {
  /** Its forms; a lone form (nineteen clusters in twenty) is held without a list (see `OneOrList`). */
  forms: OneOrList<LocalForm>;
  /** Index of the form that names the cluster. */
  anchor: number;
  edges: LocalEdge[];
  /** Acronyms defined for this cluster in the article ("… Zholy (KTZ)"), as written, even if not tagged. */
  definedAcronyms: string[];
}

/**
 * One cluster of a LocalResult. A cluster of one form with no acronym defined for it (most
 * clusters: it has no in-article merges either) is held as that form itself rather than in a
 * LocalCluster around it (56 bytes and its form list, for every such cluster of every article
 * the index holds). Read with `clusterForms`, `clusterAnchor`, `clusterEdges`,
 * `clusterDefinedAcronyms`; `isLoneForm` tells which it is.
 */
export type LocalClusterEntry = LocalCluster | LocalForm;

export function isLoneForm(c: LocalClusterEntry): c is LocalForm {
  return (c as Partial<LocalCluster>).forms === undefined;
}

export function clusterForms(c: LocalClusterEntry): OneOrList<LocalForm> {
  return isLoneForm(c) ? c : c.forms;
}

export function clusterAnchor(c: LocalClusterEntry): number {
  return isLoneForm(c) ? 0 : c.anchor;
}

export function clusterEdges(c: LocalClusterEntry): readonly LocalEdge[] {
  return isLoneForm(c) ? NONE : c.edges;
}

export function clusterDefinedAcronyms(c: LocalClusterEntry): readonly string[] {
  return isLoneForm(c) ? NONE : c.definedAcronyms;
}

export interface LocalResult {
  version: number;
  uri: string;
  clusters: LocalClusterEntry[];
}
