/**
 * Workspace symbols: entities by name or any alias, fuzzy (the query's characters in order),
 * ranked; the location is the entity's first mention. Only the entity table is searched,
 * never document text.
 */
import { SymbolKind, type SymbolInformation } from 'vscode-languageserver-protocol';
import { firstMention, locationOf, type ServiceContext } from './context';
import type { Entity, EntityType } from './types';

const KINDS: Record<EntityType, SymbolKind> = {
  person: SymbolKind.Object,
  organization: SymbolKind.Class,
  place: SymbolKind.Package,
  event: SymbolKind.Event,
};

const TYPE_NAMES: Record<EntityType, string> = { person: 'person', organization: 'organization', place: 'place', event: 'event' };

/**
 * Scores `candidate` against `query` (both compared case-insensitively): undefined if the
 * query is not a subsequence; higher is better. Exact > prefix > word-start > substring >
 * scattered subsequence; shorter candidates and consecutive runs win ties.
 */
export function fuzzyScore(query: string, candidate: string): number | undefined {
  return fuzzyScoreLower(normaliseQuery(query), candidate.toLowerCase());
}

function normaliseQuery(query: string): string {
  return query.toLowerCase().replace(/\s+/g, ' ').trim();
}

/** `fuzzyScore` for a query already normalised and a candidate already lower-cased. */
function fuzzyScoreLower(q: string, c: string): number | undefined {
  if (q.length === 0) return 1;
  if (c === q) return 1000;
  if (c.startsWith(q)) return 800 - c.length / 100;
  const idx = c.indexOf(q);
  if (idx >= 0) {
    const wordStart = idx === 0 || /[\s\-'’.(]/.test(c[idx - 1]);
    return (wordStart ? 600 : 400) - c.length / 100 - idx / 1000;
  }
  // Subsequence: reward matches at word starts and consecutive runs.
  let score = 0;
  let ci = 0;
  let prev = -2;
  for (let qi = 0; qi < q.length; qi++) {
    const ch = q[qi];
    if (ch === ' ') continue;
    while (ci < c.length && c[ci] !== ch) ci++;
    if (ci >= c.length) return undefined;
    if (ci === 0 || /[\s\-'’.(]/.test(c[ci - 1])) score += 8;
    if (ci === prev + 1) score += 5;
    else score += 1;
    prev = ci;
    ci++;
  }
  return 100 + score - c.length / 100;
}

export interface EntityMatch {
  entity: Entity;
  score: number;
  /** The name or alias that matched best. */
  matched: string;
}

interface SearchRow {
  forms: string[];
  lower: string[];
}

/**
 * Every entity's names and aliases, lower-cased, and one flat array of their character sets
 * (`charMask`): the forms of entity i are masks[starts[i]] .. masks[starts[i + 1] - 1]. The scan
 * tests the masks in order and reads an entity's row only when one of its forms can match.
 */
interface SearchTable {
  rows: SearchRow[];
  masks: Uint32Array;
  starts: Uint32Array;
}

/** Built once per entity list (the list is rebuilt only after changes). */
const searchForms = new WeakMap<readonly Entity[], SearchTable>();

function formsOf(entities: readonly Entity[]): SearchTable {
  let table = searchForms.get(entities);
  if (!table) {
    const rows = entities.map((e) => {
      const forms = [e.name, ...e.aliases.filter((a) => a !== e.name)];
      return { forms, lower: forms.map((f) => f.toLowerCase()) };
    });
    const starts = new Uint32Array(rows.length + 1);
    for (let i = 0; i < rows.length; i++) starts[i + 1] = starts[i] + rows[i].forms.length;
    const masks = new Uint32Array(starts[rows.length]);
    for (let i = 0; i < rows.length; i++) rows[i].lower.forEach((l, j) => (masks[starts[i] + j] = charMask(l)));
    table = { rows, masks, starts };
    searchForms.set(entities, table);
  }
  return table;
}

/**
 * A 32-bit set of the characters of a lower-cased string: a bit per letter a–z, one for digits,
 * and five more shared by every other character (by code point). A form can contain the query
 * as a subsequence only if its set includes the query's, so one AND skips most forms.
 */
export function charMask(lower: string): number {
  let m = 0;
  for (let i = 0; i < lower.length; i++) {
    const c = lower.charCodeAt(i);
    if (c >= 97 && c <= 122) m |= 1 << (c - 97);
    else if (c >= 48 && c <= 57) m |= 1 << 26;
    else if (c !== 32) m |= 1 << (27 + (c % 5));
  }
  return m >>> 0;
}

const byScoreThenName = (a: EntityMatch, b: EntityMatch) =>
  b.score - a.score || (a.entity.name < b.entity.name ? -1 : a.entity.name > b.entity.name ? 1 : 0);

export function searchEntities(entities: readonly Entity[], query: string, limit = 200): EntityMatch[] {
  let out: EntityMatch[] = [];
  const q = normaliseQuery(query);
  const qmask = charMask(q);
  const { rows, masks, starts } = formsOf(entities);
  for (let i = 0; i < entities.length; i++) {
    // The character sets first, in one array: an entity none of whose forms can match ends here,
    // its row unread.
    const a = starts[i];
    const b = starts[i + 1];
    let k = a;
    while (k < b && (masks[k] & qmask) !== qmask) k++;
    if (k === b) continue;
    const { forms, lower } = rows[i];
    let best: number | undefined;
    let matched = '';
    for (let j = k - a; j < forms.length; j++) {
      if ((masks[a + j] & qmask) !== qmask) continue;
      const s = fuzzyScoreLower(q, lower[j]);
      if (s !== undefined && (best === undefined || s > best)) {
        best = s;
        matched = forms[j];
      }
    }
    if (best === undefined) continue;
    const entity = entities[i];
    out.push({ entity, score: best + Math.log(1 + entity.mentions.length) / 10, matched });
    // Keep only the best few as we go: a one-letter query matches most of the corpus.
    if (out.length >= 4 * limit + 64) out = out.sort(byScoreThenName).slice(0, limit);
  }
  out.sort(byScoreThenName);
  return out.slice(0, limit);
}

export function findWorkspaceSymbols(ctx: ServiceContext, query: string, limit = 200): SymbolInformation[] {
  const out: SymbolInformation[] = [];
  for (const { entity, matched } of searchEntities(ctx.index.entities(), query, limit)) {
    const first = firstMention(entity);
    if (!first) continue;
    out.push({
      name: entity.name,
      kind: KINDS[entity.type],
      containerName: matched !== entity.name ? `${TYPE_NAMES[entity.type]} · alias “${matched}”` : TYPE_NAMES[entity.type],
      location: locationOf(ctx, first),
    });
  }
  return out;
}
