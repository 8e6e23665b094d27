/**
 * Entity linking: one identity per real-world entity across the corpus.
 *
 *   const local = resolveDocument({ uri, text, mentions });   // per document, cache it
 *   const entities = linkCorpus([...cachedLocals], dictionary); // from scratch
 *
 * or incrementally (same result; an edit re-links only what it can influence):
 *   const linker = new CorpusLinker(dictionary);
 *   linker.add(local); linker.remove(uri); linker.entities(); linker.mentionsOf(uri);
 *
 * The project dictionary (`.sourcelens/entities.json`, see DICTIONARY.md):
 *   parseDictionary(text) → { ok, dictionary, warnings } | { ok: false, error: { message, line, column } }
 *   findDictionaryMentions(text, dictionary) → RawMention[]   (merge with mergeDictionaryMentions)
 */

import type { Entity } from '../types';
import type { Dictionary } from './dictionary';
import { linkCorpus } from './link';
import { resolveDocument } from './local';
import type { LinkerDocument } from './model';

export { resolveDocument } from './local';
export { linkCorpus } from './link';
export { CorpusLinker, type LinkerOptions } from './corpusLinker';
export {
  parseDictionary,
  findDictionaryMentions,
  mergeDictionaryMentions,
  EMPTY_DICTIONARY,
  type Dictionary,
  type DictionaryEntity,
  type DictionaryIgnore,
  type ParseDictionaryResult,
} from './dictionary';
export { LINKER_VERSION, clusterAnchor, clusterDefinedAcronyms, clusterEdges, clusterForms, isLoneForm, forEachOf, listAt, listLength, listOf, oneOrList, type LinkerDocument, type LocalResult, type LocalCluster, type LocalClusterEntry, type LocalForm, type LocalEdge, type OneOrList } from './model';
export { resolveCountry, type CountryMatch } from './countries';
export { matchesAcronym, expansionWords, acronymLetters } from './acronym';

/** Convenience for tests and the CLI: both stages in one call. */
export function linkDocuments(docs: readonly LinkerDocument[], dictionary?: Dictionary): Entity[] {
  return linkCorpus(docs.map(resolveDocument), dictionary);
}
