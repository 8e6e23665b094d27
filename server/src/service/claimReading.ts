/**
 * The normalised reading of a numeric claim ("over 4,700 jobs", "US$854.4 million"), its
 * quantity (kind + unit, the key related figures are grouped by) and the difference between
 * two figures of the same quantity.
 */
import type { ClaimKind, Qualifier, RawClaim } from './types';

type ClaimLike = Pick<RawClaim, 'kind' | 'value' | 'unit' | 'qualifier'>;

const QUALIFIER_WORDS: Record<Qualifier, string> = {
  exact: '',
  approx: 'about',
  over: 'over',
  under: 'under',
  'at-least': 'at least',
  'at-most': 'at most',
};

const CURRENCY_PREFIX: Record<string, string> = {
  USD: 'US$',
  EUR: '€',
  GBP: '£',
  JPY: '¥',
  CNY: 'CN¥',
  INR: '₹',
  KRW: '₩',
  RUB: '₽',
  KZT: '₸',
  AUD: 'A$',
  CAD: 'C$',
  NZD: 'NZ$',
  HKD: 'HK$',
};

const SCALES: Array<[number, string]> = [
  [1e12, 'trillion'],
  [1e9, 'billion'],
  [1e6, 'million'],
];

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

const numberFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 3 });

export function formatNumber(n: number): string {
  return numberFormat.format(n);
}

/** 854400000 → "854.4 million"; 4700 → "4,700". */
export function formatScaled(n: number): string {
  const abs = Math.abs(n);
  for (const [scale, word] of SCALES) {
    if (abs >= scale) return `${formatNumber(round(n / scale, 3))} ${word}`;
  }
  return formatNumber(n);
}

function round(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

const IRREGULAR_PLURALS: Record<string, string> = {
  person: 'people',
  man: 'men',
  woman: 'women',
  child: 'children',
  foot: 'feet',
  tooth: 'teeth',
  mouse: 'mice',
  sheep: 'sheep',
  fish: 'fish',
  deer: 'deer',
  series: 'series',
  species: 'species',
  aircraft: 'aircraft',
  staff: 'staff',
  personnel: 'personnel',
};

export function pluralize(noun: string): string {
  const lower = noun.toLowerCase();
  if (IRREGULAR_PLURALS[lower]) return IRREGULAR_PLURALS[lower];
  if (/[^aeiou]y$/i.test(noun)) return noun.slice(0, -1) + 'ies';
  if (/(s|x|z|ch|sh)$/i.test(noun)) return noun + 'es';
  return noun + 's';
}

/** Whether a measure unit is a word that takes a plural ("tonne", not "km" or "MW"). */
function isWordUnit(unit: string): boolean {
  return /^[a-z]{4,}$/.test(unit) || /^[a-z]+ [a-z]+$/.test(unit);
}

function ordinal(n: number): string {
  const i = Math.round(n);
  const mod100 = Math.abs(i) % 100;
  const mod10 = Math.abs(i) % 10;
  const suffix = mod100 >= 11 && mod100 <= 13 ? 'th' : mod10 === 1 ? 'st' : mod10 === 2 ? 'nd' : mod10 === 3 ? 'rd' : 'th';
  return `${i}${suffix}`;
}

/** "2024-05-14" → "14 May 2024", "2024-05" → "May 2024", "--11-11" → "11 November". */
export function formatDate(iso: string): string {
  let m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (m) return `${Number(m[3])} ${MONTHS[Number(m[2]) - 1] ?? m[2]} ${m[1]}`;
  m = /^(\d{4})-(\d{2})$/.exec(iso);
  if (m) return `${MONTHS[Number(m[2]) - 1] ?? m[2]} ${m[1]}`;
  m = /^--(\d{2})-(\d{2})$/.exec(iso);
  if (m) return `${Number(m[2])} ${MONTHS[Number(m[1]) - 1] ?? m[1]}`;
  return iso;
}

/** The bare figure without its qualifier: "US$854.4 million", "4,700 jobs", "12.5%". */
export function figureOf(claim: ClaimLike): string {
  const { kind, value, unit } = claim;
  if (typeof value === 'string') return kind === 'date' ? formatDate(value) : value;
  switch (kind) {
    case 'money': {
      const code = (unit ?? '').toUpperCase();
      const prefix = CURRENCY_PREFIX[code];
      const amount = formatScaled(value);
      if (prefix) return `${prefix}${amount}`;
      return code ? `${amount} ${code}` : amount;
    }
    case 'percent':
      return `${formatNumber(value)}%`;
    case 'count': {
      const n = formatScaled(value);
      if (!unit) return n;
      return `${n} ${value === 1 ? unit : pluralize(unit)}`;
    }
    case 'measure':
    case 'duration': {
      const n = formatNumber(value);
      if (!unit) return n;
      return `${n} ${value !== 1 && isWordUnit(unit) ? pluralize(unit) : unit}`;
    }
    case 'rank':
      return unit ? `${ordinal(value)} ${unit}` : ordinal(value);
    case 'year':
      return String(value);
    case 'date':
      return String(value);
  }
  return String(value);
}

/** The normalised reading: qualifier plus figure ("over 4,700 jobs"). */
export function readClaim(claim: ClaimLike): string {
  const q = QUALIFIER_WORDS[claim.qualifier] ?? '';
  const figure = figureOf(claim);
  return q ? `${q} ${figure}` : figure;
}

const KIND_LABELS: Record<ClaimKind, string> = {
  money: 'money',
  percent: 'percentage',
  count: 'count',
  measure: 'measure',
  rank: 'rank',
  duration: 'duration',
  year: 'year',
  date: 'date',
};

export function kindLabel(kind: ClaimKind): string {
  return KIND_LABELS[kind] ?? kind;
}

/** The key figures about the same quantity share: kind plus unit (the counted noun for counts). */
export function quantityKey(claim: Pick<RawClaim, 'kind' | 'unit'>): string {
  const unit = (claim.unit ?? '').trim();
  const u = claim.kind === 'money' ? unit.toUpperCase() : unit.toLowerCase();
  return `${claim.kind}|${u}`;
}

/** A human label for a quantity key: "money · USD", "count · job", "percentage". */
export function quantityLabel(claim: Pick<RawClaim, 'kind' | 'unit'>): string {
  const label = kindLabel(claim.kind);
  if (!claim.unit || claim.kind === 'percent') return label;
  return `${label} · ${claim.kind === 'money' ? claim.unit.toUpperCase() : claim.unit}`;
}

function parseIsoDate(s: string): number | undefined {
  const m = /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$/.exec(s);
  if (!m) return undefined;
  return Date.UTC(Number(m[1]), m[2] ? Number(m[2]) - 1 : 0, m[3] ? Number(m[3]) : 1);
}

function signed(n: number, digits: number): string {
  const r = round(n, digits);
  if (r === 0) return '±0';
  return (r > 0 ? '+' : '−') + formatNumber(Math.abs(r));
}

/**
 * How `other` differs from `base`, for figures of the same quantity: "+2.4%", "−1.5 pp",
 * "+2 years", "same figure".
 */
export function describeDifference(base: ClaimLike, other: ClaimLike): string {
  if (base.kind === 'date' || typeof base.value === 'string' || typeof other.value === 'string') {
    if (typeof base.value === 'string' && typeof other.value === 'string') {
      if (base.value === other.value) return 'same date';
      const a = parseIsoDate(base.value);
      const b = parseIsoDate(other.value);
      if (a !== undefined && b !== undefined) {
        const days = Math.round((b - a) / 86_400_000);
        if (Math.abs(days) >= 365 && days % 365 === 0) return `${signed(days / 365, 0)} years`;
        return `${signed(days, 0)} days`;
      }
    }
    return 'different date';
  }
  const a = base.value;
  const b = other.value;
  if (a === b) return 'same figure';
  switch (base.kind) {
    case 'percent':
      return `${signed(b - a, 2)} pp`;
    case 'year': {
      const d = b - a;
      return `${signed(d, 0)} ${Math.abs(d) === 1 ? 'year' : 'years'}`;
    }
    case 'rank':
      return `${signed(b - a, 0)} places`;
    default: {
      if (a === 0) return `${signed(b - a, 3)}`;
      const pct = ((b - a) / Math.abs(a)) * 100;
      const digits = Math.abs(pct) >= 100 ? 0 : 1;
      const r = round(pct, digits);
      if (r === 0) return pct > 0 ? '+<0.1%' : '−<0.1%';
      return `${signed(pct, digits)}%`;
    }
  }
}

/** Relative distance of two figures in [0, 1] (0 = equal), used to rank related figures. */
export function relativeDistance(a: ClaimLike, b: ClaimLike): number {
  if (typeof a.value === 'number' && typeof b.value === 'number') {
    const m = Math.max(Math.abs(a.value), Math.abs(b.value));
    if (m === 0) return 0;
    return Math.min(1, Math.abs(a.value - b.value) / m);
  }
  if (typeof a.value === 'string' && typeof b.value === 'string') {
    const x = parseIsoDate(a.value);
    const y = parseIsoDate(b.value);
    if (x === undefined || y === undefined) return a.value === b.value ? 0 : 1;
    return Math.min(1, Math.abs(x - y) / (365 * 86_400_000));
  }
  return 1;
}
