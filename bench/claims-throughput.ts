/**
 * Claim recogniser throughput: `extractClaims` vs compromise's number parsing on the same text in
 * the same run, plus pathological inputs. Prints a table and merges its numbers into
 * bench/results.json (other keys of that file are kept).
 *
 *   node --import tsx bench/claims-throughput.ts
 *
 * The corpus is the shared one (resolved like test/helpers/paths.ts: $SOURCELENS_SHARED,
 * ../shared beside the repo, /work/shared), replicated to ≥20 MB.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import nlp from 'compromise';
import { extractClaims } from '../server/src/service/claims';

const repoRoot = path.resolve(__dirname, '..');

function sharedCorpusDir(): string {
  const candidates = [process.env.SOURCELENS_SHARED, path.resolve(repoRoot, '..', 'shared'), '/work/shared'];
  for (const c of candidates) {
    if (c && fs.existsSync(path.join(c, 'corpus'))) return path.join(c, 'corpus');
  }
  throw new Error(`shared/ not found (tried ${candidates.filter(Boolean).join(', ')}); set SOURCELENS_SHARED`);
}

function mb(text: string): number {
  return Buffer.byteLength(text, 'utf8') / 1e6;
}

/** Best-of-`runs` MB/s of `fn` over `text`. */
function measure(text: string, fn: (t: string) => unknown, runs: number): { mbps: number; ms: number; out: unknown } {
  let best = Infinity;
  let out: unknown;
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    out = fn(text);
    const dt = performance.now() - t0;
    if (dt < best) best = dt;
  }
  return { mbps: mb(text) / (best / 1000), ms: best, out };
}

export interface ClaimsBenchResult {
  throughput: { sourcelensMBps: number; compromiseMBps: number; ratio: number; corpusMB: number; compromiseSampleMB: number };
  claims: { perMB: number; pathological: Record<string, { MB: number; MBps: number; claims: number }> };
}

export function runClaimsBench(opts: { targetMB?: number; compromiseSampleKB?: number; write?: boolean; log?: boolean } = {}): ClaimsBenchResult {
  const targetMB = opts.targetMB ?? 20;
  const sampleKB = opts.compromiseSampleKB ?? 200;
  const log = opts.log ?? true;
  const dir = sharedCorpusDir();
  const articles = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.txt'))
    .sort()
    .map((f) => fs.readFileSync(path.join(dir, f), 'utf8'));
  const one = articles.join('\n\n');
  const parts: string[] = [];
  let size = 0;
  while (size < targetMB * 1e6) {
    parts.push(one);
    size += Buffer.byteLength(one, 'utf8') + 2;
  }
  const big = parts.join('\n\n');

  // warm up both on the single corpus copy
  for (let i = 0; i < 5; i++) extractClaims(one);
  nlp(one).numbers().json();

  const ours = measure(big, extractClaims, 3);
  const nClaims = (ours.out as unknown[]).length;

  // compromise on a bounded sample of the same text (it is ~100× slower)
  const sample = big.slice(0, sampleKB * 1000);
  const theirs = measure(sample, (t) => nlp(t).numbers().json(), 2);
  const oursSample = measure(sample, extractClaims, 5);

  const digitsAndCommas = (n: number): string => {
    let s = '';
    let seed = 7;
    while (s.length < n) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      s += seed % 4 === 0 ? ',' : String(seed % 10);
    }
    return s;
  };
  const pathological: Record<string, string> = {
    '1 MB of digits and commas': digitsAndCommas(1 << 20),
    '1 MB of grouped thousands "1,000,"': '1,000,'.repeat(175000),
    '50k currency signs then a figure': '$'.repeat(50000) + '5 million',
    '50k mixed currency signs': '$€£¥₩₸'.repeat(8400),
    '50k spaced currency signs': '$ '.repeat(50000),
    '1 MB of "5 " (a claim per 2 bytes)': '5 '.repeat(500000),
    '1 MB of NUL and lone surrogates': '\u0000\ud800'.repeat(500000) + '$5',
    '1 MB without spaces': 'a'.repeat(1 << 20),
  };
  const patho: ClaimsBenchResult['claims']['pathological'] = {};
  for (const [name, text] of Object.entries(pathological)) {
    const r = measure(text, extractClaims, 2);
    patho[name] = { MB: +mb(text).toFixed(3), MBps: +r.mbps.toFixed(2), claims: (r.out as unknown[]).length };
  }

  const result: ClaimsBenchResult = {
    throughput: {
      sourcelensMBps: +ours.mbps.toFixed(2),
      compromiseMBps: +theirs.mbps.toFixed(4),
      ratio: +(ours.mbps / theirs.mbps).toFixed(1),
      corpusMB: +mb(big).toFixed(2),
      compromiseSampleMB: +mb(sample).toFixed(3),
    },
    claims: { perMB: +(nClaims / mb(big)).toFixed(1), pathological: patho },
  };

  if (log) {
    const rows: Array<[string, string, string]> = [
      ['extractClaims, shared corpus ×' + parts.length, `${mb(big).toFixed(1)} MB`, `${ours.mbps.toFixed(2)} MB/s (${nClaims} claims)`],
      ['extractClaims, same sample as compromise', `${mb(sample).toFixed(2)} MB`, `${oursSample.mbps.toFixed(2)} MB/s`],
      ['compromise nlp(t).numbers().json()', `${mb(sample).toFixed(2)} MB`, `${theirs.mbps.toFixed(4)} MB/s`],
      ['ratio sourcelens / compromise', '', `${result.throughput.ratio}×`],
      ...Object.entries(patho).map(([k, v]): [string, string, string] => [k, `${v.MB} MB`, `${v.MBps} MB/s (${v.claims} claims)`]),
    ];
    const w0 = Math.max(...rows.map((r) => r[0].length));
    const w1 = Math.max(...rows.map((r) => r[1].length));
    console.log('\nClaim recogniser throughput');
    for (const [a, b, c] of rows) console.log(`  ${a.padEnd(w0)}  ${b.padStart(w1)}  ${c}`);
  }

  if (opts.write ?? true) {
    const file = path.join(repoRoot, 'bench', 'results.json');
    let existing: Record<string, unknown> = {};
    try {
      existing = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
    } catch {
      existing = {};
    }
    const merged: Record<string, unknown> = { ...existing };
    merged.throughput = { ...((existing.throughput as object | undefined) ?? {}), ...result.throughput };
    merged.claims = { ...((existing.claims as object | undefined) ?? {}), ...result.claims };
    fs.writeFileSync(file, JSON.stringify(merged, null, 2) + '\n');
  }
  return result;
}

if (require.main === module) {
  runClaimsBench();
}
