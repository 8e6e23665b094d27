/**
 * Currency knowledge for the claim recogniser.
 *
 * ISO 4217 codes, English names ("Kazakhstani Tenge", "South Korean Won") and symbols come from the
 * `countries-list` package; on top of that a compact hand table adds what the data lacks: pre-euro
 * currencies common in newswire (DM, markka, francs, lire, …), plural and spelling variants
 * (roubles, dlrs, kronor), newswire abbreviations (stg, SFr, Dkr) and the default reading of an
 * ambiguous bare noun ("dollars" → USD, "pounds" → GBP, "won" → KRW).
 */
import { currencies as CL_CURRENCIES } from 'countries-list/currencies';
import { WordTable } from './wordtable';

/** Pre-euro and other withdrawn currencies that old newswire uses. */
const HISTORICAL: Record<string, string> = {
  DEM: 'German Mark',
  FIM: 'Finnish Markka',
  FRF: 'French Franc',
  BEF: 'Belgian Franc',
  LUF: 'Luxembourg Franc',
  ITL: 'Italian Lira',
  NLG: 'Dutch Guilder',
  ESP: 'Spanish Peseta',
  PTE: 'Portuguese Escudo',
  ATS: 'Austrian Schilling',
  IEP: 'Irish Punt',
  GRD: 'Greek Drachma',
  XEU: 'European Currency Unit',
  CYP: 'Cypriot Pound',
  SUR: 'Soviet Rouble',
};

/** When two currencies share a name fragment, the earlier one in this list wins. */
const PREFERENCE = [
  'USD', 'EUR', 'GBP', 'JPY', 'CNY', 'CHF', 'CAD', 'AUD', 'KRW', 'RUB', 'INR', 'KZT', 'HKD', 'SGD', 'NZD', 'SEK',
  'DKK', 'NOK', 'TRY', 'BRL', 'MXN', 'ZAR', 'EGP', 'KWD', 'SAR', 'AED', 'IRR', 'UZS', 'KGS', 'AZN', 'XOF', 'XAF',
];

/** Bare currency nouns (any inflection) → canonical singular noun. */
const NOUN_FORMS: Record<string, string> = {
  dollar: 'dollar', dollars: 'dollar', dlr: 'dollar', dlrs: 'dollar',
  cent: 'cent', cents: 'cent', ct: 'cent', cts: 'cent',
  euro: 'euro', euros: 'euro',
  pound: 'pound', pounds: 'pound', sterling: 'sterling', stg: 'sterling', pence: 'penny', penny: 'penny',
  yen: 'yen', yuan: 'yuan', renminbi: 'yuan', rmb: 'yuan',
  won: 'won',
  ruble: 'ruble', rubles: 'ruble', rouble: 'ruble', roubles: 'ruble',
  rupee: 'rupee', rupees: 'rupee', rupiah: 'rupiah', rupiahs: 'rupiah',
  ringgit: 'ringgit', baht: 'baht', peso: 'peso', pesos: 'peso', real: 'real', reais: 'real', rand: 'rand',
  franc: 'franc', francs: 'franc',
  mark: 'mark', marks: 'mark', deutschemark: 'mark', deutschemarks: 'mark', dmark: 'mark', dmarks: 'mark',
  markka: 'markka', markkaa: 'markka', markkas: 'markka',
  guilder: 'guilder', guilders: 'guilder', lira: 'lira', liras: 'lira', lire: 'lire',
  peseta: 'peseta', pesetas: 'peseta', escudo: 'escudo', escudos: 'escudo',
  schilling: 'schilling', schillings: 'schilling', drachma: 'drachma', drachmas: 'drachma', drachmae: 'drachma',
  punt: 'punt', punts: 'punt',
  krona: 'krona', kronor: 'krona', krone: 'krone', kroner: 'krone', kronur: 'krona', crown: 'crown', crowns: 'crown',
  shekel: 'shekel', shekels: 'shekel', sheqel: 'shekel', sheqalim: 'shekel',
  dinar: 'dinar', dinars: 'dinar', dirham: 'dirham', dirhams: 'dirham', riyal: 'riyal', riyals: 'riyal', rial: 'rial', rials: 'rial',
  tenge: 'tenge', tenges: 'tenge', som: 'som', soms: 'som', soum: 'som', soums: 'som', somoni: 'somoni',
  manat: 'manat', manats: 'manat', lari: 'lari', laris: 'lari', dram: 'dram', drams: 'dram',
  hryvnia: 'hryvnia', hryvnias: 'hryvnia', hryvnas: 'hryvnia', hryvnya: 'hryvnia',
  zloty: 'zloty', zlotys: 'zloty', zlotych: 'zloty', zloties: 'zloty',
  forint: 'forint', forints: 'forint', koruna: 'koruna', korunas: 'koruna', koruny: 'koruna',
  lev: 'lev', leva: 'lev', leu: 'leu', lei: 'leu', kuna: 'kuna', kunas: 'kuna',
  naira: 'naira', cedi: 'cedi', cedis: 'cedi', kwacha: 'kwacha', birr: 'birr', taka: 'taka', kyat: 'kyat', kyats: 'kyat',
  dong: 'dong', kip: 'kip', riel: 'riel', riels: 'riel', afghani: 'afghani', afghanis: 'afghani',
  shilling: 'shilling', shillings: 'shilling', tugrik: 'tugrik', tugriks: 'tugrik', togrog: 'tugrik',
  ecu: 'ecu', ecus: 'ecu', sdr: 'sdr', sdrs: 'sdr', bolivar: 'bolivar', bolivars: 'bolivar', bolivares: 'bolivar',
  lempira: 'lempira', lempiras: 'lempira', quetzal: 'quetzal', quetzales: 'quetzal', guarani: 'guarani', guaranis: 'guarani',
  rufiyaa: 'rufiyaa', pataca: 'pataca', patacas: 'pataca', kwanza: 'kwanza', kwanzas: 'kwanza', ariary: 'ariary',
  metical: 'metical', meticais: 'metical', ngultrum: 'ngultrum', pula: 'pula', loti: 'loti', maloti: 'loti', lilangeni: 'lilangeni', emalangeni: 'lilangeni',
  denar: 'denar', denars: 'denar', dalasi: 'dalasi', gourde: 'gourde', gourdes: 'gourde', nakfa: 'nakfa', kina: 'kina', vatu: 'vatu', tala: 'tala',
};

/** Default code of each canonical noun when no adjective says otherwise. */
const NOUN_DEFAULT: Record<string, string> = {
  dollar: 'USD', cent: 'USD', euro: 'EUR', pound: 'GBP', sterling: 'GBP', penny: 'GBP', yen: 'JPY', yuan: 'CNY', won: 'KRW',
  ruble: 'RUB', rupee: 'INR', rupiah: 'IDR', ringgit: 'MYR', baht: 'THB', peso: 'MXN', real: 'BRL', rand: 'ZAR',
  franc: 'FRF', mark: 'DEM', markka: 'FIM', guilder: 'NLG', lira: 'TRY', lire: 'ITL', peseta: 'ESP', escudo: 'PTE',
  schilling: 'ATS', drachma: 'GRD', punt: 'IEP', krona: 'SEK', krone: 'DKK', crown: 'SEK', shekel: 'ILS', dinar: 'KWD',
  dirham: 'AED', riyal: 'SAR', rial: 'IRR', tenge: 'KZT', som: 'KGS', somoni: 'TJS', manat: 'AZN', lari: 'GEL', dram: 'AMD',
  hryvnia: 'UAH', zloty: 'PLN', forint: 'HUF', koruna: 'CZK', lev: 'BGN', leu: 'RON', kuna: 'HRK', naira: 'NGN', cedi: 'GHS',
  kwacha: 'ZMW', birr: 'ETB', taka: 'BDT', kyat: 'MMK', dong: 'VND', kip: 'LAK', riel: 'KHR', afghani: 'AFN', shilling: 'KES',
  tugrik: 'MNT', ecu: 'XEU', sdr: 'XDR', bolivar: 'VES', lempira: 'HNL', quetzal: 'GTQ', guarani: 'PYG', rufiyaa: 'MVR',
  pataca: 'MOP', kwanza: 'AOA', ariary: 'MGA', metical: 'MZN', ngultrum: 'BTN', pula: 'BWP', loti: 'LSL', lilangeni: 'SZL',
  denar: 'MKD', dalasi: 'GMD', gourde: 'HTG', nakfa: 'ERN', kina: 'PGK', vatu: 'VUV', tala: 'WST',
};

/** Extra "adjective(s) + noun" names (keys use canonical nouns) that the data does not spell this way. */
const EXTRA_NAMES: Record<string, string> = {
  'us dollar': 'USD', 'u s dollar': 'USD', 'american dollar': 'USD', 'greenback dollar': 'USD',
  'new taiwan dollar': 'TWD', 'taiwan dollar': 'TWD', 'taiwanese dollar': 'TWD', 'singaporean dollar': 'SGD', 'aussie dollar': 'AUD',
  'kiwi dollar': 'NZD', 'hk dollar': 'HKD', 'canada dollar': 'CAD', 'australia dollar': 'AUD',
  'finnish markka': 'FIM', 'finnish mark': 'FIM', 'german mark': 'DEM', 'deutsche mark': 'DEM', 'west german mark': 'DEM', 'd mark': 'DEM',
  'french franc': 'FRF', 'belgian franc': 'BEF', 'luxembourg franc': 'LUF', 'swiss franc': 'CHF', 'cfa franc': 'XOF',
  'dutch guilder': 'NLG', 'netherlands guilder': 'NLG', 'italian lira': 'ITL', 'italian lire': 'ITL', 'turkish lira': 'TRY',
  'spanish peseta': 'ESP', 'portuguese escudo': 'PTE', 'austrian schilling': 'ATS', 'irish punt': 'IEP', 'irish pound': 'IEP',
  'greek drachma': 'GRD', 'cyprus pound': 'CYP', 'cypriot pound': 'CYP', 'swedish crown': 'SEK', 'danish crown': 'DKK',
  'norwegian crown': 'NOK', 'icelandic crown': 'ISK', 'czech crown': 'CZK', 'swedish krona': 'SEK', 'norwegian krone': 'NOK',
  'danish krone': 'DKK', 'british pound': 'GBP', 'pound sterling': 'GBP', 'uk pound': 'GBP', 'egyptian pound': 'EGP',
  'korean won': 'KRW', 'south korean won': 'KRW', 'north korean won': 'KPW', 'chinese yuan': 'CNY', 'chinese renminbi': 'CNY',
  'kazakh tenge': 'KZT', 'kazakhstan tenge': 'KZT', 'russian ruble': 'RUB', 'soviet ruble': 'SUR', 'belarusian ruble': 'BYN', 'belarus ruble': 'BYN',
  'uzbek som': 'UZS', 'uzbek sum': 'UZS', 'kyrgyz som': 'KGS', 'tajik somoni': 'TJS', 'azerbaijani manat': 'AZN', 'turkmen manat': 'TMT',
  'hong kong dollar': 'HKD', 'new zealand dollar': 'NZD', 'brazilian real': 'BRL', 'south african rand': 'ZAR', 'indian rupee': 'INR',
  'saudi riyal': 'SAR', 'iranian rial': 'IRR', 'ukrainian hryvnia': 'UAH', 'polish zloty': 'PLN', 'hungarian forint': 'HUF',
  'philippine peso': 'PHP', 'mexican peso': 'MXN', 'argentine peso': 'ARS', 'chilean peso': 'CLP', 'colombian peso': 'COP',
  'european currency unit': 'XEU', 'special drawing right': 'XDR',
};

/** Codes and newswire abbreviations that stand before or after a figure ("DM 1.5 million", "40 mln stg"). */
const ALIASES: Record<string, string> = {
  DM: 'DEM', DMK: 'DEM', DFL: 'NLG', STG: 'GBP', SFR: 'CHF', SWFR: 'CHF', FFR: 'FRF', BFR: 'BEF', LFR: 'LUF',
  SKR: 'SEK', DKR: 'DKK', NKR: 'NOK', RS: 'INR', RP: 'IDR', RM: 'MYR', NIS: 'ILS', RMB: 'CNY', PTAS: 'ESP', PTA: 'ESP',
  ECU: 'XEU', ECUS: 'XEU', EURO: 'EUR', SCH: 'ATS', LIT: 'ITL', ESC: 'PTE',
};
/** Aliases that are only codes when written exactly like this (they are ordinary words otherwise). */
const ALIAS_CASE_SENSITIVE = new Set(['RS', 'RP', 'RM', 'LIT', 'ESC', 'SCH', 'RMB', 'NIS', 'PTA', 'EURO']);
/** ISO codes that are also English words or common acronyms: recognised only in upper case next to a figure. */
const CODE_NEEDS_UPPER = new Set(['ALL', 'CUP', 'TOP', 'GEL', 'MAD', 'PEN', 'SOS', 'BOB', 'MOP', 'BAM', 'AMD', 'TRY', 'CAD', 'PHP', 'NAD', 'DOP', 'ARS', 'RON', 'KES', 'LAK', 'SAR', 'MUR', 'BIF', 'ANG', 'AOA', 'AWG', 'GYD', 'HUF']);
/** Codes never treated as currency next to a figure. */
const CODE_EXCLUDED = new Set(['XXX', 'XTS', 'USN', 'USS', 'XAG', 'XAU', 'XPD', 'XPT', 'XBA', 'XBB', 'XBC', 'XBD', 'XSU', 'XUA', 'CHE', 'CHW', 'COU', 'MXV', 'UYI', 'UYW', 'CLF', 'BOV', 'XAD']);

/** Letters glued before a "$" sign. */
const DOLLAR_PREFIX: Record<string, string> = {
  us: 'USD', u: 'USD', usd: 'USD', c: 'CAD', ca: 'CAD', can: 'CAD', cdn: 'CAD', a: 'AUD', au: 'AUD', aud: 'AUD', hk: 'HKD',
  nz: 'NZD', s: 'SGD', sg: 'SGD', nt: 'TWD', r: 'BRL', mex: 'MXN', mx: 'MXN', z: 'ZWL', j: 'JMD', ec: 'XCD', t: 'TOP', tt: 'TTD',
  b: 'BND', bds: 'BBD', fj: 'FJD', l: 'LRD', n: 'NAD', si: 'SBD', rd: 'DOP', col: 'COP', ar: 'ARS', cop: 'COP', clp: 'CLP',
};

/** Single-character currency signs. */
const SIGNS: Record<string, string> = {
  '$': 'USD', '€': 'EUR', '£': 'GBP', '¥': 'JPY', '￥': 'JPY', '₩': 'KRW', '₸': 'KZT', '₽': 'RUB', '₹': 'INR', '₺': 'TRY',
  '₴': 'UAH', '₪': 'ILS', '₫': 'VND', '₱': 'PHP', '฿': 'THB', '₦': 'NGN', '₼': 'AZN', '₾': 'GEL', '₮': 'MNT', '₭': 'LAK',
  '₲': 'PYG', '₡': 'CRC', '₣': 'FRF', '₤': 'ITL', '₧': 'ESP', '₯': 'GRD', '₠': 'XEU', '₢': 'BRL', '৳': 'BDT', '៛': 'KHR',
  '֏': 'AMD', '؋': 'AFN', '₵': 'GHS', '₿': 'XBT', '¢': 'USD', '＄': 'USD', '￡': 'GBP', '￦': 'KRW',
};

function rank(code: string): number {
  const i = PREFERENCE.indexOf(code);
  return i < 0 ? 1000 : i;
}

function canonNoun(word: string): string | undefined {
  return NOUN_FORMS[word];
}

const ALL_CODES = new Set<string>();
/** "adjective(s) + canonical noun" → code. */
const NAMES = new Map<string, string>();

(function build(): void {
  const put = (key: string, code: string, override = false): void => {
    const cur = NAMES.get(key);
    if (cur === undefined || override || rank(code) < rank(cur)) NAMES.set(key, code);
  };
  const data = CL_CURRENCIES as Record<string, { name: string; symbol: string }>;
  for (const [code, info] of Object.entries(data)) {
    if (CODE_EXCLUDED.has(code)) continue;
    ALL_CODES.add(code);
    const words = info.name
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/\([^)]*\)/g, ' ')
      .split(/[^a-z]+/)
      .filter(Boolean);
    if (words.length < 2) continue;
    const noun = canonNoun(words[words.length - 1]);
    if (!noun) continue;
    // every suffix of the adjectives: "south korean won", "korean won"
    for (let k = 0; k < words.length - 1; k++) put([...words.slice(k, -1), noun].join(' '), code);
  }
  for (const [code, name] of Object.entries(HISTORICAL)) {
    ALL_CODES.add(code);
    const words = name.toLowerCase().split(' ');
    const noun = canonNoun(words[words.length - 1]);
    if (noun) put([...words.slice(0, -1), noun].join(' '), code);
  }
  for (const [k, code] of Object.entries(EXTRA_NAMES)) put(k, code, true);
})();

export interface CurrencyNoun {
  /** canonical singular noun */
  noun: string;
  /** default code when no adjective decides */
  code: string;
  /** multiplier of the unit (cents, pence → 0.01) */
  factor: number;
  /** only a currency with an adjective in front ("Brazilian real"), never bare ("three real risks") */
  needsAdjective: boolean;
}

const NOUN_TABLE = new WordTable<CurrencyNoun>(
  Object.entries(NOUN_FORMS).map(([w, noun]) => [
    w,
    { noun, code: NOUN_DEFAULT[noun] ?? 'XXX', factor: noun === 'cent' || noun === 'penny' ? 0.01 : 1, needsAdjective: w === 'real' },
  ]),
);

/** Currency noun at text[s:e) (case-insensitive), e.g. "dollars", "dlrs", "markkaa". */
export function currencyNounAt(text: string, s: number, e: number): CurrencyNoun | undefined {
  return NOUN_TABLE.getSlice(text, s, e);
}

/** Code for "adjectives + noun" (lower case, canonical noun), e.g. "finnish markka" → FIM. */
export function currencyByName(adjectives: string[], noun: string): string | undefined {
  for (let k = 0; k < adjectives.length; k++) {
    const code = NAMES.get([...adjectives.slice(k), noun].join(' '));
    if (code) return code;
  }
  return undefined;
}

/** True if some currency name ends with "<word> …" before the noun (an adjective worth looking at). */
const ADJECTIVES = new Set<string>();
for (const key of NAMES.keys()) {
  const parts = key.split(' ');
  for (let i = 0; i < parts.length - 1; i++) ADJECTIVES.add(parts[i]);
}
export function isCurrencyAdjective(word: string): boolean {
  return ADJECTIVES.has(word);
}

/**
 * A currency code or newswire abbreviation written as a word ("USD", "KZT", "DM", "Stg", "SFr").
 * `raw` is the word as written. Returns the ISO code or undefined.
 */
export function currencyCodeWord(raw: string): string | undefined {
  if (raw.length < 2 || raw.length > 5) return undefined;
  const up = raw.toUpperCase();
  const isUpper = raw === up;
  if (raw.length === 3 && ALL_CODES.has(up)) {
    if (CODE_NEEDS_UPPER.has(up) && !isUpper) return undefined;
    if (!isUpper && raw !== raw.toLowerCase()) return undefined; // "Can", "Top" … mixed case: not a code
    return up;
  }
  const alias = ALIASES[up];
  if (alias) {
    if (ALIAS_CASE_SENSITIVE.has(up)) {
      // "Rs", "RM", "Rp", "NIS": as written in print, capitalised
      if (raw === up || (raw[0] === up[0] && raw.slice(1) === up.slice(1).toLowerCase())) return alias;
      return undefined;
    }
    return alias;
  }
  return undefined;
}

/** Code for a currency sign character, or undefined. */
export function currencySign(ch: string): string | undefined {
  return SIGNS[ch];
}

/** Code for letters glued before "$" ("US", "C", "HK"), lower case; undefined if unknown. */
export function dollarPrefix(letters: string): string | undefined {
  return DOLLAR_PREFIX[letters];
}

export function isCurrencyCode(code: string): boolean {
  return ALL_CODES.has(code);
}
