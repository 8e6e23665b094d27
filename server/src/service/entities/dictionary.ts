/**
 * The user-controlled project dictionary, `.sourcelens/entities.json`. Schema: DICTIONARY.md.
 */

import type { EntityType, RawMention } from '../types';
import { type JsonNode, JsonSyntaxError, lineColumn, parseJsonc } from './jsonc';
import { matchKey } from './normalize';

export interface DictionaryEntity {
  name: string;
  type: EntityType;
  aliases: string[];
}

export interface DictionaryIgnore {
  text: string;
  /** Only mentions of this type are ignored; all types when absent. */
  type?: EntityType;
}

export interface Dictionary {
  version: 1;
  entities: DictionaryEntity[];
  ignore: DictionaryIgnore[];
  /** Each group: surface forms whose entities must be one entity. */
  merge: string[][];
  /** Each group: surface forms whose entities must stay apart (pairwise). */
  separate: string[][];
}

export type ParseDictionaryResult =
  | { ok: true; dictionary: Dictionary; warnings: string[] }
  | { ok: false; error: { message: string; line: number; column: number } };

export const EMPTY_DICTIONARY: Dictionary = Object.freeze({ version: 1, entities: [], ignore: [], merge: [], separate: [] }) as Dictionary;

const TYPES: readonly EntityType[] = ['person', 'organization', 'place', 'event'];

class SchemaError extends Error {
  constructor(
    message: string,
    readonly pos: number,
  ) {
    super(message);
  }
}

export function parseDictionary(text: string): ParseDictionaryResult {
  const at = (pos: number) => lineColumn(text, pos);
  const err = (message: string, pos: number): ParseDictionaryResult => {
    const { line, column } = at(pos);
    return { ok: false, error: { message: `Line ${line}, column ${column}: ${message}`, line, column } };
  };
  if (text.trim() === '') return { ok: true, dictionary: { version: 1, entities: [], ignore: [], merge: [], separate: [] }, warnings: ['the dictionary file is empty'] };
  let parsed;
  try {
    parsed = parseJsonc(text);
  } catch (e) {
    if (e instanceof JsonSyntaxError) return err(e.message, e.pos);
    throw e;
  }
  const warnings: string[] = [];
  const warn = (pos: number, message: string) => warnings.push(`line ${at(pos).line}: ${message}`);
  for (const n of parsed.notes) warn(n.pos, n.message);
  try {
    return { ok: true, dictionary: validate(parsed.root, warn), warnings };
  } catch (e) {
    if (e instanceof SchemaError) return err(e.message, e.pos);
    throw e;
  }
}

function validate(root: JsonNode, warn: (pos: number, message: string) => void): Dictionary {
  const dict: Dictionary = { version: 1, entities: [], ignore: [], merge: [], separate: [] };
  if (root.kind !== 'object') throw new SchemaError(`The dictionary must be a JSON object ({ "version": 1, "entities": [...] }), not ${kindName(root)}`, root.pos);

  const version = root.entries.find((e) => e.key === 'version');
  if (!version) warn(root.pos, 'no "version"; assuming 1');
  else if (version.value.kind !== 'number' || version.value.value !== 1)
    throw new SchemaError(`Unsupported "version": only 1 is supported`, version.value.pos);

  for (const { key, keyPos, value } of root.entries) {
    switch (key) {
      case 'version':
        break;
      case 'entities':
        for (const item of arrayOf(value, '"entities"')) dict.entities.push(entity(item, warn));
        break;
      case 'ignore':
        for (const item of arrayOf(value, '"ignore"')) dict.ignore.push(ignoreEntry(item, warn));
        break;
      case 'merge':
      case 'separate':
        for (const item of arrayOf(value, `"${key}"`)) dict[key].push(group(item, key));
        break;
      default:
        warn(keyPos, `unknown key "${key}" ignored (expected version, entities, ignore, merge, separate)`);
    }
  }

  // Cross-entry checks (warnings only).
  const owner = new Map<string, string>();
  for (const e of dict.entities) {
    for (const t of [e.name, ...e.aliases]) {
      const k = matchKey(t);
      const prev = owner.get(k);
      if (prev !== undefined && prev !== e.name) warnings(`"${t}" is listed under both "${prev}" and "${e.name}"; it links to "${prev}"`);
      else owner.set(k, e.name);
    }
  }
  const sepPairs = new Set<string>();
  for (const g of dict.separate) for (const a of g) for (const b of g) if (a !== b) sepPairs.add(`${matchKey(a)}\u0000${matchKey(b)}`);
  for (const g of dict.merge) {
    for (const a of g) for (const b of g) if (sepPairs.has(`${matchKey(a)}\u0000${matchKey(b)}`) && a < b) warnings(`"${a}" and "${b}" are both merged and separated; "separate" wins`);
  }
  return dict;

  function warnings(message: string) {
    warn(root.pos, message);
  }
}

function kindName(n: JsonNode): string {
  return n.kind === 'array' ? 'an array' : n.kind === 'object' ? 'an object' : `a ${n.kind}`;
}

function arrayOf(n: JsonNode, what: string): JsonNode[] {
  if (n.kind !== 'array') throw new SchemaError(`${what} must be an array, not ${kindName(n)}`, n.pos);
  return n.items;
}

function nonEmptyString(n: JsonNode | undefined, what: string, parentPos: number): string {
  if (!n) throw new SchemaError(`${what} is missing`, parentPos);
  if (n.kind !== 'string') throw new SchemaError(`${what} must be a string, not ${kindName(n)}`, n.pos);
  if (n.value.trim() === '') throw new SchemaError(`${what} must not be empty`, n.pos);
  return n.value.trim();
}

function entityType(n: JsonNode | undefined, what: string, parentPos: number): EntityType {
  const s = nonEmptyString(n, what, parentPos);
  if (!(TYPES as readonly string[]).includes(s)) throw new SchemaError(`${what} must be one of ${TYPES.map((t) => `"${t}"`).join(', ')}, not "${s}"`, n!.pos);
  return s as EntityType;
}

function field(o: Extract<JsonNode, { kind: 'object' }>, key: string): JsonNode | undefined {
  return o.entries.find((e) => e.key === key)?.value;
}

function entity(n: JsonNode, warn: (pos: number, m: string) => void): DictionaryEntity {
  if (n.kind !== 'object') throw new SchemaError(`Each entry of "entities" must be an object like { "name": "…", "type": "person", "aliases": [] }, not ${kindName(n)}`, n.pos);
  const name = nonEmptyString(field(n, 'name'), 'Entity "name"', n.pos);
  const type = entityType(field(n, 'type'), `"type" of entity "${name}"`, n.pos);
  const aliases: string[] = [];
  const a = field(n, 'aliases');
  if (a) {
    for (const item of arrayOf(a, `"aliases" of entity "${name}"`)) aliases.push(nonEmptyString(item, `An alias of entity "${name}"`, item.pos));
  }
  for (const e of n.entries) {
    if (!['name', 'type', 'aliases'].includes(e.key)) warn(e.keyPos, `unknown key "${e.key}" in entity "${name}" ignored${e.key === 'alias' ? ' (did you mean "aliases"?)' : ''}`);
  }
  return { name, type, aliases };
}

function ignoreEntry(n: JsonNode, warn: (pos: number, m: string) => void): DictionaryIgnore {
  if (n.kind === 'string') return { text: nonEmptyString(n, 'An "ignore" entry', n.pos) };
  if (n.kind !== 'object') throw new SchemaError(`Each entry of "ignore" must be a string or { "text": "…", "type": "…" }, not ${kindName(n)}`, n.pos);
  const text = nonEmptyString(field(n, 'text'), '"text" of an "ignore" entry', n.pos);
  const t = field(n, 'type');
  for (const e of n.entries) if (e.key !== 'text' && e.key !== 'type') warn(e.keyPos, `unknown key "${e.key}" in an "ignore" entry ignored`);
  return t ? { text, type: entityType(t, `"type" of ignore entry "${text}"`, n.pos) } : { text };
}

function group(n: JsonNode, key: 'merge' | 'separate'): string[] {
  if (n.kind !== 'array') throw new SchemaError(`Each entry of "${key}" must be an array of two or more names, like ["A", "B"], not ${kindName(n)}`, n.pos);
  const out = n.items.map((item) => nonEmptyString(item, `A name in "${key}"`, item.pos));
  if (out.length < 2) throw new SchemaError(`Each entry of "${key}" needs at least two names, found ${out.length}`, n.pos);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Dictionary mentions in text.

const compiled = new WeakMap<Dictionary, { re: RegExp | null; types: Map<string, EntityType> }>();

function compile(dictionary: Dictionary) {
  let c = compiled.get(dictionary);
  if (c) return c;
  const types = new Map<string, EntityType>();
  for (const e of dictionary.entities) for (const t of [e.name, ...e.aliases]) if (!types.has(t)) types.set(t, e.type);
  const forms = [...types.keys()].sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
  const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s+');
  const re = forms.length === 0 ? null : new RegExp(`(?<![\\p{L}\\p{N}])(?:${forms.map(esc).join('|')})(?![\\p{L}\\p{N}])`, 'gu');
  c = { re, types };
  compiled.set(dictionary, c);
  return c;
}

/**
 * Occurrences of dictionary names and aliases in `text` (case-sensitive, whole words, longest
 * first, whitespace inside a name may be any whitespace run). The index adds them to the
 * tagger's mentions with `mergeDictionaryMentions`.
 */
export function findDictionaryMentions(text: string, dictionary: Dictionary): RawMention[] {
  const { re, types } = compile(dictionary);
  if (!re) return [];
  const out: RawMention[] = [];
  re.lastIndex = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const surface = m[0];
    const type = types.get(surface) ?? types.get(surface.replace(/\s+/g, ' ')) ?? findType(types, surface);
    out.push({ start: m.index, end: m.index + surface.length, text: surface, type });
  }
  return out;
}

function findType(types: Map<string, EntityType>, surface: string): EntityType {
  const norm = surface.replace(/\s+/g, ' ');
  for (const [t, ty] of types) if (t.replace(/\s+/g, ' ') === norm) return ty;
  return 'organization';
}

/**
 * Tagger mentions plus dictionary mentions: a dictionary mention is added where it overlaps no
 * tagger mention, and replaces tagger mentions that lie strictly inside it (the tagger split a
 * name the user spelled out); where it overlaps a tagger mention otherwise, the tagger wins.
 * Sorted by offset.
 */
export function mergeDictionaryMentions(tagger: readonly RawMention[], fromDictionary: readonly RawMention[]): RawMention[] {
  const sorted = [...tagger].sort((a, b) => a.start - b.start || a.end - b.end);
  const drop = new Set<RawMention>();
  const add: RawMention[] = [];
  for (const d of fromDictionary) {
    const overlapping = sorted.filter((t) => t.start < d.end && d.start < t.end);
    if (overlapping.length === 0) add.push(d);
    else if (overlapping.every((t) => t.start >= d.start && t.end <= d.end && t.end - t.start < d.end - d.start)) {
      for (const t of overlapping) drop.add(t);
      add.push(d);
    }
  }
  return [...sorted.filter((t) => !drop.has(t)), ...add].sort((a, b) => a.start - b.start || a.end - b.end);
}
