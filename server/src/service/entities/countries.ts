/**
 * Country resolution from data (world-countries, countries-list), never from a corpus list.
 *
 * A place surface resolves to a country (ISO 3166 alpha-3) when, after cleaning:
 *  1. its key equals a key of the country's `name.common`, `name.official`, a Latin or native
 *     `altSpellings` entry, or a countries-list `name`/`alias` ("America") — *primary* names;
 *  2. or it is written in capitals (dots removed: "U.S." → "US") and equals the country's
 *     `cca2`, `cca3` or an all-capital altSpelling ("UK", "USA", "DPRK") — *codes*;
 *  3. or its key equals a *derived* name: a primary name with a pure state designator removed —
 *     "Republic of X", "Kingdom of X", "State of X", "Commonwealth of X", … and the ISO inverted
 *     form "X, Republic of". This is where bare "Korea" comes from: South Korea's altSpellings
 *     contain "Korea, Republic of" and "Republic of Korea", both → "Korea"; North Korea's
 *     "Korea, Democratic People's Republic of" carries a qualifier that is not a pure designator,
 *     so it derives nothing. A derived name is dropped if it is claimed by two countries or
 *     collides with another country's primary name.
 *  4. a leading compass abbreviation is expanded first: "S. Korea" → "South Korea",
 *     "N. Macedonia" → "North Macedonia".
 * A primary name claimed by two countries is dropped (ambiguous) rather than guessed.
 */

import worldCountries from 'world-countries';
import { countries as clCountries } from 'countries-list';
import { Memo } from './memo';
import { matchKey } from './normalize';

export interface CountryMatch {
  cca3: string;
  /** `name.common` — the canonical name of the entity. */
  common: string;
  /** How the surface matched, for the merge reason. */
  how: string;
}

interface Entry {
  cca3: string;
  how: string;
}

const DESIGNATOR = '(?:republic|kingdom|state|commonwealth|principality|grand duchy|sultanate|federation|union|emirate)';
const DESIGNATOR_PREFIX = new RegExp(`^(?:the\\s+)?${DESIGNATOR}\\s+of\\s+(?:the\\s+)?(.+)$`, 'i');
const DESIGNATOR_SUFFIX = new RegExp(`^(.+?),\\s*(?:the\\s+)?${DESIGNATOR}\\s+of(?:\\s+the)?$`, 'i');

let tables: { primary: Map<string, Entry>; codes: Map<string, Entry>; derived: Map<string, Entry>; common: Map<string, string> } | null = null;

function build(): NonNullable<typeof tables> {
  const primary = new Map<string, Entry | null>();
  const codes = new Map<string, Entry | null>();
  const derived = new Map<string, Entry | null>();
  const common = new Map<string, string>();
  const add = (m: Map<string, Entry | null>, key: string, e: Entry) => {
    if (!key) return;
    const prev = m.get(key);
    if (prev === undefined) m.set(key, e);
    else if (prev !== null && prev.cca3 !== e.cca3) m.set(key, null); // ambiguous: drop
  };
  const byCca2 = new Map<string, string>();
  for (const c of worldCountries) {
    common.set(c.cca3, c.name.common);
    byCca2.set(c.cca2, c.cca3);
    const names: [string, string][] = [
      [c.name.common, 'name.common'],
      [c.name.official, 'name.official'],
    ];
    for (const alt of c.altSpellings) {
      const bare = alt.replace(/\./g, '');
      if (/^[A-Z]{2,5}$/.test(bare)) add(codes, bare, { cca3: c.cca3, how: `altSpelling "${alt}"` });
      else names.push([alt, `altSpelling "${alt}"`]);
    }
    add(codes, c.cca2, { cca3: c.cca3, how: `cca2 "${c.cca2}"` });
    add(codes, c.cca3, { cca3: c.cca3, how: `cca3 "${c.cca3}"` });
    for (const [n, how] of names) {
      add(primary, matchKey(n), { cca3: c.cca3, how: how === 'name.common' || how === 'name.official' ? `${how} "${n}"` : how });
      const d = DESIGNATOR_PREFIX.exec(n) ?? DESIGNATOR_SUFFIX.exec(n);
      if (d) add(derived, matchKey(d[1]), { cca3: c.cca3, how: `"${n}" without its state designator` });
    }
  }
  for (const [cc, data] of Object.entries(clCountries as Record<string, { name: string; alias?: string[] }>)) {
    const cca3 = byCca2.get(cc);
    if (!cca3) continue;
    for (const n of [data.name, ...(data.alias ?? [])]) {
      const bare = n.replace(/\./g, '');
      if (/^[A-Z]{2,5}$/.test(bare)) add(codes, bare, { cca3, how: `countries-list alias "${n}"` });
      else if (!primary.has(matchKey(n))) add(primary, matchKey(n), { cca3, how: `countries-list name "${n}"` });
    }
  }
  const clean = (m: Map<string, Entry | null>) => {
    const out = new Map<string, Entry>();
    for (const [k, v] of m) if (v) out.set(k, v);
    return out;
  };
  const p = clean(primary);
  const d = clean(derived);
  for (const k of [...d.keys()]) if (primary.has(k)) d.delete(k); // primary names (even ambiguous ones) win
  return { primary: p, codes: clean(codes), derived: d, common };
}

function getTables() {
  return (tables ??= build());
}

/** `name.common` of a country by alpha-3 code. */
export function countryCommonName(cca3: string): string | undefined {
  return getTables().common.get(cca3);
}

const COMPASS: Record<string, string> = { n: 'North', s: 'South', e: 'East', w: 'West' };

const memo = new Memo<CountryMatch | null>(100_000);

/** Empties the table of resolved surfaces (see releaseResolverMemos). */
export function releaseCountryMemo(): void {
  memo.clear();
}

/** Resolve a cleaned place surface to a country, or null. Results are shared objects: do not mutate. */
export function resolveCountry(surface: string): CountryMatch | null {
  return memo.get(surface, lookup);
}

function lookup(surface: string): CountryMatch | null {
  const t = getTables();
  const result = (e: Entry, prefix = ''): CountryMatch => ({ cca3: e.cca3, common: t.common.get(e.cca3)!, how: prefix + e.how });

  const bare = surface.replace(/[.\s]/g, '');
  if (/^[A-Z]{2,5}$/.test(bare)) {
    const e = t.codes.get(bare);
    if (e) return result(e);
  }
  const key = matchKey(surface);
  const p = t.primary.get(key);
  if (p) return result(p);
  const d = t.derived.get(key);
  if (d) return result(d);
  const compass = /^([NSEWnsew])\.\s*(\S.*)$/.exec(surface);
  if (compass) {
    const expanded = `${COMPASS[compass[1].toLowerCase()]} ${compass[2]}`;
    const e = t.primary.get(matchKey(expanded)) ?? t.derived.get(matchKey(expanded));
    if (e) return result(e, `"${compass[1]}." read as "${COMPASS[compass[1].toLowerCase()]}"; `);
  }
  return null;
}
