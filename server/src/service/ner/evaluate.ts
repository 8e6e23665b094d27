/**
 * Span-level evaluation on detokenised CoNLL documents (exact character spans, typed),
 * MISC excluded, place ↔ LOC, organization ↔ ORG, person ↔ PER.
 */
import type { RawMention } from '../types';
import type { DetokDoc } from './conll';

export interface PRF {
  tp: number;
  fp: number;
  fn: number;
  p: number;
  r: number;
  f: number;
}

export interface EvalResult {
  byType: Record<'PER' | 'ORG' | 'LOC', PRF>;
  overall: PRF;
  chars: number;
  ms: number;
}

const TYPE_MAP: Record<string, 'PER' | 'ORG' | 'LOC' | undefined> = { person: 'PER', organization: 'ORG', place: 'LOC' };

function prf(tp: number, fp: number, fn: number): PRF {
  const p = tp + fp ? tp / (tp + fp) : 0;
  const r = tp + fn ? tp / (tp + fn) : 0;
  return { tp, fp, fn, p, r, f: p + r ? (2 * p * r) / (p + r) : 0 };
}

export function evaluateDocs(docs: DetokDoc[], recognize: (text: string) => RawMention[], errors?: string[]): EvalResult {
  const counts = { PER: [0, 0, 0], ORG: [0, 0, 0], LOC: [0, 0, 0] } as Record<'PER' | 'ORG' | 'LOC', number[]>;
  let chars = 0;
  let ms = 0;
  for (const d of docs) {
    const t0 = performance.now();
    const pred = recognize(d.text);
    ms += performance.now() - t0;
    chars += d.text.length;
    const gold = new Map<string, string>();
    for (const g of d.spans) if (g.type !== 'MISC') gold.set(`${g.start}:${g.end}`, g.type);
    const seen = new Set<string>();
    for (const m of pred) {
      const t = TYPE_MAP[m.type];
      if (!t) continue;
      const key = `${m.start}:${m.end}`;
      if (gold.get(key) === t) {
        counts[t][0]++;
        seen.add(key);
      } else {
        counts[t][1]++;
        if (errors) errors.push(`FP ${t} "${m.text}" gold=${gold.get(key) ?? '-'} | ${ctx(d.text, m.start, m.end)}`);
      }
    }
    for (const [key, t] of gold) {
      if (seen.has(key)) continue;
      counts[t as 'PER'][2]++;
      if (errors) {
        const [s, e] = key.split(':').map(Number);
        errors.push(`FN ${t} "${d.text.slice(s, e)}" | ${ctx(d.text, s, e)}`);
      }
    }
  }
  const byType = {
    PER: prf(counts.PER[0], counts.PER[1], counts.PER[2]),
    ORG: prf(counts.ORG[0], counts.ORG[1], counts.ORG[2]),
    LOC: prf(counts.LOC[0], counts.LOC[1], counts.LOC[2]),
  };
  const all = [0, 1, 2].map((k) => counts.PER[k] + counts.ORG[k] + counts.LOC[k]);
  return { byType, overall: prf(all[0], all[1], all[2]), chars, ms };
}

function ctx(text: string, s: number, e: number): string {
  return (text.slice(Math.max(0, s - 40), s) + '[[' + text.slice(s, e) + ']]' + text.slice(e, e + 40)).replace(/\n/g, ' ⏎ ');
}

export function formatEval(r: EvalResult): string {
  const row = (name: string, x: PRF) =>
    `${name.padEnd(8)} P ${(x.p * 100).toFixed(2).padStart(6)}  R ${(x.r * 100).toFixed(2).padStart(6)}  F1 ${(x.f * 100).toFixed(2).padStart(6)}   (tp ${x.tp}, fp ${x.fp}, fn ${x.fn})`;
  return [row('PER', r.byType.PER), row('ORG', r.byType.ORG), row('LOC', r.byType.LOC), row('overall', r.overall)].join('\n');
}
