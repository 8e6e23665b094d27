/**
 * Word knowledge for the claim recogniser: number words, scale words, ordinals, months, units,
 * qualifiers, and the function words that bound a counted noun phrase. All general English; no
 * figure from any corpus.
 */
import { WordTable } from './wordtable';

export interface Lex {
  /** cardinal number word value */
  card?: number;
  tens?: boolean;
  /** power of ten of a scale word (hundred 2, thousand 3, million 6, …) */
  scale?: number;
  /** the scale abbreviation is only valid glued to digits or after a currency ("300m", "$5 bn") */
  scaleWeak?: boolean;
  ord?: number;
  month?: number;
  /** the month name is also an ordinary word ("may", "march") or an abbreviation */
  monthWeak?: boolean;
  weekday?: boolean;
  /** measure unit, normalised symbol */
  unit?: string;
  /** the unit is only valid glued or hyphenated to the figure ("100m", "5-t") */
  unitGlued?: boolean;
  /** duration unit, singular */
  time?: string;
  /** percentage words: '%', 'pp', 'bp' */
  pct?: string;
  /** ends a counted noun phrase */
  stop?: boolean;
  /** function word: a capitalised one before a figure does not make it part of a name */
  func?: boolean;
  /** anaphoric determiner ("the two countries"): a small spelled number after it is no claim */
  det?: boolean;
  rankVerb?: boolean;
  /** nouns after an ordinal that make it a sequence, not a rank ("third time", "second half") */
  seqNoun?: boolean;
  /** ordinal context words: "place", "position" */
  place?: boolean;
  /** time-of-day markers after a figure */
  clock?: boolean;
  /** plural-looking words that are not counted nouns ("logistics") */
  notPlural?: boolean;
}

const L = new Map<string, Lex>();
function add(words: string | string[], lex: Lex): void {
  for (const w of typeof words === 'string' ? words.split(' ') : words) {
    if (!w) continue;
    const k = w.toLowerCase();
    L.set(k, { ...(L.get(k) ?? {}), ...lex });
  }
}

const UNITS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve',
  'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen'];
UNITS.forEach((w, i) => add(w, { card: i }));
const TENS = ['twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];
TENS.forEach((w, i) => add(w, { card: (i + 2) * 10, tens: true }));
add('fourty', { card: 40, tens: true });
add('hundred', { scale: 2 });
add('thousand', { scale: 3 });
add('million', { scale: 6 });
add('billion', { scale: 9 });
add('trillion', { scale: 12 });
add('mln mn mio', { scale: 6 });
add('bln bn', { scale: 9 });
add('trn tn tln', { scale: 12 });
add('lakh lakhs', { scale: 5 });
add('crore crores', { scale: 7 });
add('millions', { scale: 6, scaleWeak: true });
add('billions', { scale: 9, scaleWeak: true });
add('k', { scale: 3, scaleWeak: true });
add('m mil', { scale: 6, scaleWeak: true });
add('b', { scale: 9, scaleWeak: true });

const ORD_UNITS = ['', 'first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth', 'ninth', 'tenth',
  'eleventh', 'twelfth', 'thirteenth', 'fourteenth', 'fifteenth', 'sixteenth', 'seventeenth', 'eighteenth', 'nineteenth'];
ORD_UNITS.forEach((w, i) => i > 0 && add(w, { ord: i }));
const ORD_TENS = ['twentieth', 'thirtieth', 'fortieth', 'fiftieth', 'sixtieth', 'seventieth', 'eightieth', 'ninetieth'];
ORD_TENS.forEach((w, i) => add(w, { ord: (i + 2) * 10 }));
add('hundredth', { ord: 100 });
add('thousandth', { ord: 1000 });
add('millionth', { ord: 1000000 });

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october',
  'november', 'december'];
MONTHS.forEach((w, i) => add(w, { month: i + 1, monthWeak: w === 'may' || w === 'march' }));
const MONTH_ABBR: Array<[string, number]> = [['jan', 1], ['feb', 2], ['mar', 3], ['apr', 4], ['jun', 6], ['jul', 7],
  ['aug', 8], ['sep', 9], ['sept', 9], ['oct', 10], ['nov', 11], ['dec', 12]];
for (const [w, m] of MONTH_ABBR) add(w, { month: m, monthWeak: true });
add('monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri sat sun', { weekday: true });

// measures: word → symbol
const UNIT_LIST: Array<[string, string]> = [
  ['km kms kilometre kilometres kilometer kilometers klm', 'km'],
  ['metre metres meter meters', 'm'],
  ['cm centimetre centimetres centimeter centimeters', 'cm'],
  ['mm millimetre millimetres millimeter millimeters', 'mm'],
  ['mile miles', 'mi'],
  ['ft foot feet', 'ft'],
  ['inch inches', 'in'],
  ['yard yards yd yds', 'yd'],
  ['kg kgs kilogram kilograms kilogramme kilogrammes kilo kilos', 'kg'],
  ['gram grams gramme grammes', 'g'],
  ['mg milligram milligrams', 'mg'],
  ['ton tons tonne tonnes mt', 't'],
  ['lb lbs', 'lb'],
  ['oz ounce ounces', 'oz'],
  ['ha hectare hectares', 'ha'],
  ['acre acres', 'acre'],
  ['litre litres liter liters', 'l'],
  ['barrel barrels bbl bbls', 'bbl'],
  ['bpd', 'bbl/d'],
  ['bcm', 'bcm'],
  ['mw megawatt megawatts', 'MW'],
  ['gw gigawatt gigawatts', 'GW'],
  ['kw kilowatt kilowatts', 'kW'],
  ['kwh', 'kWh'],
  ['mwh', 'MWh'],
  ['gwh', 'GWh'],
  ['twh', 'TWh'],
  ['mph', 'mph'],
  ['kph kmh', 'km/h'],
  ['teu teus', 'TEU'],
  ['km2', 'km2'],
];
for (const [ws, sym] of UNIT_LIST) add(ws, { unit: sym });
add('m', { unit: 'm', unitGlued: true });
add('g', { unit: 'g', unitGlued: true });
add('t', { unit: 't', unitGlued: true });
add('l', { unit: 'l', unitGlued: true });

const TIME_LIST: Array<[string, string]> = [
  ['year years yr yrs', 'year'],
  ['month months', 'month'],
  ['week weeks', 'week'],
  ['day days', 'day'],
  ['hour hours hr hrs', 'hour'],
  ['minute minutes mins', 'minute'],
  ['seconds', 'second'],
  ['decade decades', 'decade'],
  ['century centuries', 'century'],
];
for (const [ws, u] of TIME_LIST) add(ws, { time: u });

add('percent pct pc percentage', { pct: '%' });
add('bps', { pct: 'bp' });

// words that end a counted noun phrase
add(
  'of in on at to from by with for into onto between among amongst per than since during under over across through ' +
    'within without about against including worth totaling totalling valued costing via after before until till ' +
    'is are was were be been being have has had will would can could may might should must shall do does did ' +
    'that which who whom whose while when where as but if because so yet although though whereas ' +
    'the a an this these those its their his her our my your ' +
    'said says say told according reported added each every per cent percent ago old later earlier ' +
    'there here then now also still already only just even not no nor',
  { stop: true },
);
add('the a an this these those its their his her our my your both all some such', { func: true });
add('the these those both our their its his her my your' , { det: true });
add(
  'in on at to from by with for of since until till before after during between among than about around over under ' +
    'above below nearly almost some approximately roughly only just more less fewer up down and or but as if when while ' +
    'since so yet also total totalling totaling including plus minus per within without across through into onto against ' +
    'i you he she it we they this that these those there here what which who whom whose where why how ' +
    'is are was were be been has have had will would can could may might should must do does did ' +
    'no not nor all any each every many much most several some such other another same last next first second ' +
    'mr mrs ms dr prof no number page chapter',
  { func: true },
);
add('rank ranks ranked ranking placed place finished finishes finish came comes come stood stands stand occupies occupied occupy rated ranging', { rankVerb: true });
add('time times half halves quarter quarters round rounds term terms floor floors grade grades generation generations wave waves leg legs stage stages phase phases day week month year century centuries decade millennium hand person option', { seqNoun: true });
add('place position spot rank slot', { place: true });
add('am pm gmt utc cet est edt pst bst msk hrs hours', { clock: true });
add(
  'logistics news economics politics physics mathematics statistics means series species arms headquarters ' +
    'whereabouts electronics robotics genetics athletics ethics graphics dynamics analytics aerobics ' +
    'gymnastics linguistics thanks congratulations outskirts premises savings earnings proceeds remains ' +
    'basis analysis crisis thesis status bus gas plus campus virus census bonus apparatus consensus ' +
    'chassis axis emphasis hypothesis diagnosis synthesis prognosis',
  { notPlural: true },
);

let maxLen = 0;
for (const k of L.keys()) maxLen = Math.max(maxLen, k.length);
export const LEX = new WordTable<Lex>(L.entries(), maxLen);

/** For each first letter a–z, a bit mask of the lengths of trigger words (numbers, ordinals, months). */
export function triggerShapes(): Int32Array {
  const out = new Int32Array(26);
  for (const [k, v] of L) {
    if (v.card === undefined && v.scale === undefined && v.ord === undefined && v.month === undefined) continue;
    const c = k.charCodeAt(0) - 97;
    if (c >= 0 && c < 26 && k.length < 31) out[c] |= 1 << k.length;
  }
  return out;
}

/** Lexicon entry of a word token, or undefined. */
export function lexAt(text: string, s: number, e: number): Lex | undefined {
  return LEX.getSlice(text, s, e);
}

/** Qualifier phrases, read backwards from the figure (last word first). */
export type QualifierName = 'exact' | 'approx' | 'over' | 'under' | 'at-least' | 'at-most';
export const QUALIFIER_PHRASES: Array<[string[], QualifierName]> = (
  [
    ['no more than', 'at-most'], ['not more than', 'at-most'], ['no less than', 'at-least'], ['not less than', 'at-least'],
    ['no fewer than', 'at-least'], ['not fewer than', 'at-least'], ['a maximum of', 'at-most'], ['a minimum of', 'at-least'],
    ['as many as', 'at-most'], ['as much as', 'at-most'], ['as high as', 'at-most'], ['as little as', 'at-least'],
    ['as few as', 'at-least'], ['in excess of', 'over'], ['upwards of', 'over'], ['more than', 'over'], ['greater than', 'over'],
    ['higher than', 'over'], ['larger than', 'over'], ['bigger than', 'over'], ['less than', 'under'], ['fewer than', 'under'],
    ['lower than', 'under'], ['smaller than', 'under'], ['just over', 'over'], ['well over', 'over'], ['just under', 'under'],
    ['well under', 'under'], ['just below', 'under'], ['just above', 'over'], ['short of', 'under'], ['at least', 'at-least'],
    ['at most', 'at-most'], ['up to', 'at-most'], ['maximum of', 'at-most'], ['minimum of', 'at-least'], ['close to', 'approx'],
    ['an estimated', 'approx'], ['estimated at', 'approx'], ['some', 'approx'], ['about', 'approx'], ['around', 'approx'],
    ['approximately', 'approx'], ['approx', 'approx'], ['roughly', 'approx'], ['nearly', 'approx'], ['almost', 'approx'],
    ['circa', 'approx'], ['approaching', 'approx'], ['estimated', 'approx'], ['over', 'over'], ['above', 'over'],
    ['exceeded', 'over'], ['exceeds', 'over'], ['exceed', 'over'], ['exceeding', 'over'], ['surpassed', 'over'],
    ['surpassing', 'over'], ['topped', 'over'], ['tops', 'over'], ['under', 'under'], ['below', 'under'],
    ['minimum', 'at-least'], ['maximum', 'at-most'],
  ] as Array<[string, QualifierName]>
).map(([p, q]) => [p.split(' ').reverse(), q] as [string[], QualifierName]);

/** Irregular plurals of counted nouns → singular. */
export const IRREGULAR_SINGULAR: Record<string, string> = {
  people: 'person', persons: 'person', men: 'man', women: 'woman', children: 'child', feet: 'foot', teeth: 'tooth',
  mice: 'mouse', geese: 'goose', aircraft: 'aircraft', sheep: 'sheep', deer: 'deer', fish: 'fish', staff: 'staff',
  personnel: 'personnel', police: 'police', cattle: 'cattle', livestock: 'livestock', offspring: 'offspring', data: 'data',
  media: 'media', criteria: 'criterion', phenomena: 'phenomenon', lives: 'life', wives: 'wife', knives: 'knife',
  leaves: 'leaf', wolves: 'wolf', halves: 'half', shelves: 'shelf', thieves: 'thief', loaves: 'loaf', calves: 'calf',
  buses: 'bus', viruses: 'virus', bonuses: 'bonus', campuses: 'campus', censuses: 'census', statuses: 'status',
  heroes: 'hero', potatoes: 'potato', tomatoes: 'tomato', vetoes: 'veto', echoes: 'echo', torpedoes: 'torpedo',
  crises: 'crisis', analyses: 'analysis', theses: 'thesis', bases: 'base', oases: 'oasis', axes: 'axis',
  indices: 'index', matrices: 'matrix', appendices: 'appendix', vertices: 'vertex', alumni: 'alumnus',
  troops: 'troop', dice: 'die', oxen: 'ox', series: 'series', species: 'species', means: 'means', barracks: 'barracks',
  headquarters: 'headquarters', crossroads: 'crossroads', aircrafts: 'aircraft', spacecraft: 'spacecraft',
  hovercraft: 'hovercraft', watercraft: 'watercraft', gases: 'gas', businesses: 'business',
};

/** Singular of a (lower-case) plural noun by rule. */
export function singularize(w: string): string {
  const irr = IRREGULAR_SINGULAR[w];
  if (irr) return irr;
  const n = w.length;
  if (n > 4 && w.endsWith('ies')) return w.slice(0, -3) + 'y';
  if (n > 4 && (w.endsWith('sses') || w.endsWith('xes') || w.endsWith('ches') || w.endsWith('shes') || w.endsWith('zzes'))) return w.slice(0, -2);
  if (n > 3 && w.endsWith('s') && !w.endsWith('ss') && !w.endsWith('us') && !w.endsWith('is')) return w.slice(0, -1);
  return w;
}

/** Does a (lower-case) word look like a plural noun? */
export function looksPlural(w: string): boolean {
  if (IRREGULAR_SINGULAR[w] !== undefined) return true;
  const n = w.length;
  if (n < 3 || w.charCodeAt(n - 1) !== 115 /* s */) return false;
  if (w.endsWith('ss') || w.endsWith('us') || w.endsWith('is') || w.endsWith('ous') || w.endsWith("'s")) return false;
  return true;
}
