/**
 * Scores recognised mentions against a hand-annotated fixture of the form
 *   { "<file name>": [ { "text": "…", "type": "person" | …, "start"?: n }, … ] }
 * where the items of a file are listed in document order. Items without `start` are located by
 * searching forward from the previous item for `text` at word boundaries (so annotators can
 * write mentions by reading, without counting characters). Scores exact character spans.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { EntityType, RawMention } from '../types';

export interface FixtureItem {
  text: string;
  type: EntityType;
  start?: number;
}

export interface FixtureScore {
  p: number;
  r: number;
  f: number;
  /** F1 when the type must also match */
  typedF: number;
  perFile: string[];
  errors: string[];
}

const WORD = /[\p{L}\p{N}]/u;

export function resolveFixture(text: string, items: FixtureItem[], file = ''): { start: number; end: number; type: EntityType; text: string }[] {
  let cursor = 0;
  return items.map((it) => {
    let start = it.start ?? -1;
    if (start < 0) {
      let from = cursor;
      for (;;) {
        const i = text.indexOf(it.text, from);
        if (i < 0) throw new Error(`fixture ${file}: "${it.text}" not found after offset ${cursor}`);
        const before = i > 0 ? text[i - 1] : ' ';
        const after = text[i + it.text.length] ?? ' ';
        if (!WORD.test(before) && !WORD.test(after)) {
          start = i;
          break;
        }
        from = i + 1;
      }
    } else if (text.slice(start, start + it.text.length) !== it.text) {
      throw new Error(`fixture ${file}: "${it.text}" not at ${start}`);
    }
    cursor = start + it.text.length;
    return { start, end: start + it.text.length, type: it.type, text: it.text };
  });
}

export function scoreFixture(fixture: Record<string, FixtureItem[]>, corpusDir: string, recognize: (t: string) => RawMention[]): FixtureScore {
  let tp = 0, fp = 0, fn = 0, ttp = 0;
  const perFile: string[] = [];
  const errors: string[] = [];
  for (const [file, items] of Object.entries(fixture)) {
    const text = fs.readFileSync(path.join(corpusDir, file), 'utf8');
    const gold = resolveFixture(text, items, file);
    const pred = recognize(text);
    const g = new Map(gold.map((m) => [`${m.start}:${m.end}`, m]));
    const p = new Map(pred.map((m) => [`${m.start}:${m.end}`, m]));
    let ftp = 0;
    for (const [k, m] of p) {
      const gm = g.get(k);
      if (gm) {
        ftp++;
        if (gm.type === m.type) ttp++;
        else errors.push(`${file}: TYPE "${m.text}" ${m.type} (gold ${gm.type})`);
      } else errors.push(`${file}: FP "${m.text}" ${m.type}`);
    }
    for (const [k, m] of g) if (!p.has(k)) errors.push(`${file}: FN "${m.text}" ${m.type}`);
    tp += ftp;
    fp += p.size - ftp;
    fn += g.size - ftp;
    const fr = g.size ? ftp / g.size : 1;
    const fpr = p.size ? ftp / p.size : 1;
    perFile.push(`${file}: gold ${g.size}, predicted ${p.size}, P ${(fpr * 100).toFixed(1)} R ${(fr * 100).toFixed(1)}`);
  }
  const P = tp + fp ? tp / (tp + fp) : 0;
  const R = tp + fn ? tp / (tp + fn) : 0;
  const tP = tp + fp ? ttp / (tp + fp) : 0;
  const tR = tp + fn ? ttp / (tp + fn) : 0;
  return {
    p: P,
    r: R,
    f: P + R ? (2 * P * R) / (P + R) : 0,
    typedF: tP + tR ? (2 * tP * tR) / (tP + tR) : 0,
    perFile,
    errors,
  };
}
