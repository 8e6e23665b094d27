/**
 * Synthetic corpus generator for the benchmark.
 *
 * Builds N articles from the real corpus (../shared/corpus) and samples/ by recombining their
 * paragraphs and rewriting names and figures, so that the index sees many distinct entities
 * rather than the same five articles again and again:
 *
 * - Every article draws a target size log-uniformly between 3 KB and 19 KB (the range of the
 *   real articles), opens with the head (headline, byline, lede) of one source article and
 *   continues with paragraphs drawn from all sources until the size is reached.
 * - Name tokens (capitalised words whose lower-case form never occurs in the sources, e.g.
 *   "Beispekov", "Kazakhstan", "CORFO"; title words such as "Minister" are kept) are replaced,
 *   consistently inside one article, by a variant of that token: variant 0 is the original
 *   word, variant k > 0 a word built from syllable tables by a PRNG seeded with (seed, token,
 *   k). Each article belongs to a "story world" w (skewed toward 0, the original names; W ≈
 *   2·N^0.6 worlds) and uses variant w of every token, so articles of one world share their
 *   people, places and organisations the way articles about one story do; 10% of the tokens of
 *   an article take an independent variant instead (new people in every article). Distinct
 *   names therefore grow with N (≈ linearly, 10 % per article) and recurring entities are
 *   referenced from many articles.
 * - Numbers are perturbed keeping their shape (separators, digit count; years stay plausible,
 *   one- and two-digit numbers stay valid days).
 *
 * Deterministic for (seed, N, GENERATOR_VERSION, sources). Written to bench/corpora/<N>/ as
 * articles/<ddd>/<nnnnn>.txt (1,000 per folder) plus edit-10k.txt (one ~10 KB article for the
 * edit test) and manifest.json; reused when the manifest matches.
 *
 *   node --import tsx bench/generate.ts 1000 [10000 ...] [--seed S] [--force]
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

export const GENERATOR_VERSION = 4;
export const DEFAULT_SEED = 'sourcelens-bench';

export const repoRoot = path.resolve(__dirname, '..');
export const corporaRoot = path.join(repoRoot, 'bench', 'corpora');

/** Like test/helpers/paths.ts sharedDir(): SOURCELENS_SHARED, <repo>/../shared, /work/shared. */
export function sharedCorpusDir(): string {
  const candidates = [process.env.SOURCELENS_SHARED, path.resolve(repoRoot, '..', 'shared'), '/work/shared'];
  for (const c of candidates) {
    if (c && fs.existsSync(path.join(c, 'corpus'))) return path.join(c, 'corpus');
  }
  throw new Error(`shared/ not found (tried ${candidates.filter(Boolean).join(', ')}); set SOURCELENS_SHARED`);
}

export interface SourceArticle {
  name: string;
  text: string;
}

/** The real corpus plus samples/, sorted by name (so the order never depends on the file system). */
export function loadSources(): SourceArticle[] {
  const out: SourceArticle[] = [];
  for (const dir of [sharedCorpusDir(), path.join(repoRoot, 'samples')]) {
    for (const f of fs.readdirSync(dir).sort()) {
      if (!/\.(txt|md)$/.test(f)) continue;
      out.push({ name: `${path.basename(dir)}/${f}`, text: fs.readFileSync(path.join(dir, f), 'utf8') });
    }
  }
  if (out.length === 0) throw new Error('no source articles found');
  return out;
}

// ---- PRNG ---------------------------------------------------------------------------------

function hash32(s: string): number {
  // FNV-1a, then a murmur finaliser.
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** mulberry32: small, fast, good enough for synthetic text. Returns floats in [0, 1). */
export function prng(seed: string | number): () => number {
  let a = typeof seed === 'number' ? seed >>> 0 : hash32(seed);
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];

// ---- names ----------------------------------------------------------------------------------

const ONSETS = ['b', 'd', 'k', 'l', 'm', 'n', 'r', 's', 't', 'v', 'z', 'g', 'p', 'h', 'f', 'j', 'sh', 'ch', 'kh', 'zh', 'tr', 'br', 'st', 'kr', 'dr', 'gr', 'pl', 'y'];
const VOWELS = ['a', 'e', 'i', 'o', 'u', 'a', 'e', 'o', 'ai', 'ei', 'ou', 'ia', 'ya', 'ae'];
const CODAS = ['', '', '', 'n', 'r', 'l', 's', 'k', 'm', 't', 'v', 'x', 'sh', 'nd', 'rt', 'lm'];
const ENDINGS = ['', '', '', '', 'ov', 'ev', 'in', 'ski', 'son', 'sen', 'ez', 'ani', 'ura', 'stan', 'ia', 'berg', 'ton', 'ek'];

/** Capitalised words that are never replaced even though their lower case is absent from the sources. */
const KEEP = new Set(
  (
    'January February March April May June July August September October November December ' +
    'Monday Tuesday Wednesday Thursday Friday Saturday Sunday I'
  ).split(' '),
);

function syllableWord(r: () => number, targetLen: number): string {
  const syl = Math.max(1, Math.min(4, Math.round(targetLen / 4.2 + (r() - 0.5))));
  let w = '';
  for (let i = 0; i < syl; i++) w += (i === 0 || r() < 0.85 ? pick(r, ONSETS) : '') + pick(r, VOWELS) + (i === syl - 1 || r() < 0.3 ? pick(r, CODAS) : '');
  if (w.length < targetLen && r() < 0.4) w += pick(r, ENDINGS);
  return w;
}

/** Variant `k` of name token `token` (variant 0 is the token itself). Stable for (seed, token, k). */
export function variantOf(seed: string, token: string, k: number): string {
  if (k === 0) return token;
  const r = prng(`${seed}\u0000${token}\u0000${k}`);
  if (token.length >= 2 && token === token.toUpperCase()) {
    // An acronym: same shape, other letters.
    let s = '';
    for (let i = 0; i < token.length; i++) s += String.fromCharCode(65 + Math.floor(r() * 26));
    return s;
  }
  const w = syllableWord(r, token.length);
  return w[0].toUpperCase() + w.slice(1);
}

const WORD_OR_NUMBER = /(\p{Lu}[\p{L}\p{M}]*)|(\d[\d,.]*\d|\d)/gu;
const LOWER_WORD = /\p{Ll}[\p{L}\p{M}]*/gu;

/**
 * Which capitalised words count as name tokens: longer than one letter, their lower-case form
 * never occurs in the sources, and they occur at least once inside a sentence (so sentence-initial
 * words such as "Regarding" stay).
 */
export function nameTokenTest(sources: readonly SourceArticle[]): (w: string) => boolean {
  const lower = new Set<string>();
  const inside = new Set<string>();
  for (const s of sources) {
    for (const m of s.text.matchAll(LOWER_WORD)) lower.add(m[0]);
    for (const m of s.text.matchAll(/(?<=[\p{L}\p{M},;:’'-] ?|[\p{Ll},;] \(?)\p{Lu}[\p{L}\p{M}]*/gu)) inside.add(m[0]);
  }
  return (w) => w.length > 1 && !KEEP.has(w) && !lower.has(w.toLowerCase()) && inside.has(w);
}

// ---- numbers --------------------------------------------------------------------------------

function perturbNumber(r: () => number, s: string): string {
  const digits = s.replace(/[^0-9]/g, '');
  if (/^\d{4}$/.test(s)) {
    const y = Number(s);
    if (y >= 1900 && y <= 2099) return String(Math.min(2099, Math.max(1900, y + Math.floor(r() * 11) - 5)));
  }
  if (s === digits && digits.length === 1) return String(1 + Math.floor(r() * 9));
  if (s === digits && digits.length === 2) return String(10 + Math.floor(r() * 19));
  let out = '';
  let first = true;
  for (const c of s) {
    if (c >= '0' && c <= '9') {
      out += first && c !== '0' ? String(1 + Math.floor(r() * 9)) : String(Math.floor(r() * 10));
      first = false;
    } else out += c;
  }
  return out;
}

// ---- articles -------------------------------------------------------------------------------

interface Prepared {
  seed: string;
  n: number;
  /** Paragraphs of every source. */
  paragraphs: string[];
  /** Heads (first paragraphs up to ~600 chars) of every source. */
  heads: string[][];
  isName: (w: string) => boolean;
  /** Number of non-zero variants per name token for independent picks. */
  variants: number;
  /** Number of story worlds. */
  worlds: number;
}

export function prepare(sources: readonly SourceArticle[], n: number, seed = DEFAULT_SEED): Prepared {
  const paragraphs: string[] = [];
  const heads: string[][] = [];
  for (const s of sources) {
    const paras = s.text
      .split(/\n\s*\n/)
      .map((p) => p.trim())
      .filter((p) => p.length > 0);
    const head: string[] = [];
    let len = 0;
    for (const p of paras) {
      if (len > 600 || head.length >= 6) break;
      head.push(p);
      len += p.length;
    }
    heads.push(head);
    // Body paragraphs: long enough to be prose, not bylines and photo credits.
    for (const p of paras) if (p.length >= 80) paragraphs.push(p);
  }
  return {
    seed,
    n,
    paragraphs,
    heads,
    isName: nameTokenTest(sources),
    variants: Math.ceil(n / 4) + 8,
    worlds: Math.ceil(2 * Math.pow(n, 0.6)),
  };
}

/** Article `i` of a corpus of `p.n` (deterministic, independent of the other articles). */
export function generateArticle(p: Prepared, i: number, targetSize?: number): string {
  const r = prng(`${p.seed}\u0000${p.n}\u0000${i}`);
  const target = targetSize ?? Math.round(3000 * Math.pow(19000 / 3000, r()));
  const parts: string[] = [...pick(r, p.heads)];
  let len = parts.reduce((a, s) => a + s.length + 2, 0);
  const used = new Set<string>(parts);
  while (len < target) {
    let para = pick(r, p.paragraphs);
    // Avoid repeating a paragraph inside one article while there are others to choose from.
    for (let t = 0; t < 8 && used.has(para); t++) para = pick(r, p.paragraphs);
    used.add(para);
    if (len + para.length > target * 1.08 && len > target * 0.8) break;
    parts.push(para);
    len += para.length + 2;
  }
  const mapping = new Map<string, string>();
  // The article's story world: 0 (original names) is the most frequent, then 1, 2, ...
  const world = Math.floor(p.worlds * r() * r());
  const text = parts.join('\n\n');
  const out = text.replace(WORD_OR_NUMBER, (m, word: string | undefined) => {
    if (word !== undefined) {
      if (!p.isName(word)) return m;
      let v = mapping.get(word);
      if (v === undefined) {
        // The world's variant, or (10%) an independent one (offset past the world variants).
        const k = r() < 0.1 ? p.worlds + 1 + Math.floor(p.variants * r()) : world;
        v = variantOf(p.seed, word, k);
        mapping.set(word, v);
      }
      return v;
    }
    return perturbNumber(r, m);
  });
  return out + '\n';
}

/** N articles, deterministic for (sources, n, seed). */
export function* generateArticles(sources: readonly SourceArticle[], n: number, seed = DEFAULT_SEED): Generator<{ name: string; text: string }> {
  const p = prepare(sources, n, seed);
  for (let i = 0; i < n; i++) yield { name: articlePath(i), text: generateArticle(p, i) };
}

/** One article of ~10 KB (10,000–11,000 characters) for the edit test. */
export function generateEditArticle(sources: readonly SourceArticle[], n: number, seed = DEFAULT_SEED): string {
  const p = prepare(sources, n, seed);
  for (let attempt = 0; ; attempt++) {
    const t = generateArticle(p, -1 - attempt, 10_200);
    if ((t.length >= 10_000 && t.length <= 11_000) || attempt > 50) return t;
  }
}

export function articlePath(i: number): string {
  const d = String(Math.floor(i / 1000)).padStart(3, '0');
  return `articles/${d}/${String(i).padStart(5, '0')}.txt`;
}

/**
 * Distinct name-like tokens in `texts` (capitalised, longer than one letter, lower-case form
 * absent from the sources), as a measure of entity variety.
 */
export function distinctNameTokens(texts: Iterable<string>, sources: readonly SourceArticle[]): Set<string> {
  const lower = new Set<string>();
  for (const s of sources) for (const m of s.text.matchAll(LOWER_WORD)) lower.add(m[0]);
  const out = new Set<string>();
  for (const t of texts) {
    for (const m of t.matchAll(/\p{Lu}[\p{L}\p{M}]*/gu)) {
      const w = m[0];
      if (w.length > 1 && !KEEP.has(w) && !lower.has(w.toLowerCase())) out.add(w);
    }
  }
  return out;
}

// ---- on disk --------------------------------------------------------------------------------

export interface Manifest {
  generatorVersion: number;
  seed: string;
  n: number;
  sourcesHash: string;
  files: number;
  bytes: number;
  editArticle: string;
  createdAt: string;
}

export interface CorpusOnDisk {
  dir: string;
  manifest: Manifest;
  reused: boolean;
  /** Relative paths of the N articles (without the edit article). */
  files: string[];
}

function sourcesHash(sources: readonly SourceArticle[]): string {
  const h = createHash('sha1');
  for (const s of sources) h.update(s.name).update('\0').update(s.text).update('\0');
  return h.digest('hex').slice(0, 16);
}

/** Writes bench/corpora/<n>/ unless a matching one exists. */
export function ensureCorpus(n: number, opts: { seed?: string; root?: string; force?: boolean; log?: (s: string) => void } = {}): CorpusOnDisk {
  const seed = opts.seed ?? DEFAULT_SEED;
  const dir = path.join(opts.root ?? corporaRoot, String(n));
  const sources = loadSources();
  const sh = sourcesHash(sources);
  const files = Array.from({ length: n }, (_, i) => articlePath(i));
  const manifestPath = path.join(dir, 'manifest.json');
  if (!opts.force && fs.existsSync(manifestPath)) {
    try {
      const m = JSON.parse(fs.readFileSync(manifestPath, 'utf8')) as Manifest;
      if (m.generatorVersion === GENERATOR_VERSION && m.seed === seed && m.n === n && m.sourcesHash === sh) {
        return { dir, manifest: m, reused: true, files };
      }
    } catch {
      /* regenerate */
    }
  }
  const t0 = performance.now();
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  let bytes = 0;
  let i = 0;
  for (const a of generateArticles(sources, n, seed)) {
    const full = path.join(dir, a.name);
    if (i % 1000 === 0) fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, a.text);
    bytes += Buffer.byteLength(a.text);
    i++;
  }
  const edit = generateEditArticle(sources, n, seed);
  fs.writeFileSync(path.join(dir, 'edit-10k.txt'), edit);
  bytes += Buffer.byteLength(edit);
  const manifest: Manifest = {
    generatorVersion: GENERATOR_VERSION,
    seed,
    n,
    sourcesHash: sh,
    files: n + 1,
    bytes,
    editArticle: 'edit-10k.txt',
    createdAt: new Date().toISOString(),
  };
  fs.writeFileSync(manifestPath, JSON.stringify(manifest, null, 2) + '\n');
  opts.log?.(`generated ${n} articles (${(bytes / 1e6).toFixed(1)} MB) in ${dir} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return { dir, manifest, reused: false, files };
}

// Run as a script (not when bundled into another bench tool, where `require.main === module` holds too).
if (require.main === module && /generate\.[cm]?[jt]s$/.test(process.argv[1] ?? '')) {
  const args = process.argv.slice(2);
  let seed = DEFAULT_SEED;
  let force = false;
  const sizes: number[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--seed') seed = args[++i];
    else if (args[i] === '--force') force = true;
    else if (/^\d+$/.test(args[i])) sizes.push(Number(args[i]));
    else {
      console.error('usage: node --import tsx bench/generate.ts N [N...] [--seed S] [--force]');
      process.exit(2);
    }
  }
  for (const n of sizes.length ? sizes : [1000]) {
    const c = ensureCorpus(n, { seed, force, log: console.log });
    if (c.reused) console.log(`reused ${c.dir} (${c.manifest.files} files, ${(c.manifest.bytes / 1e6).toFixed(1)} MB)`);
  }
}
