/**
 * Semantic tokens: entity mentions by type and numeric claims, with the `checkworthy`
 * modifier on claims worth checking. Tokens never span lines and never overlap (where a claim
 * and a mention overlap, the one starting first wins; on a tie, the claim).
 */
import type { Range, SemanticTokens, SemanticTokensLegend } from 'vscode-languageserver-protocol';
import { linesOf, type ServiceContext, type TokenCategory } from './context';

export const TOKEN_TYPES: readonly TokenCategory[] = ['person', 'organization', 'place', 'event', 'claim'];
export const TOKEN_MODIFIERS = ['checkworthy'] as const;

export const semanticTokensLegend: SemanticTokensLegend = {
  tokenTypes: [...TOKEN_TYPES],
  tokenModifiers: [...TOKEN_MODIFIERS],
};

interface Span {
  start: number;
  end: number;
  type: number;
  modifiers: number;
}

export interface DecodedToken {
  line: number;
  character: number;
  length: number;
  type: TokenCategory;
  modifiers: string[];
}

export function getSemanticTokens(ctx: ServiceContext, uri: string, range?: Range): SemanticTokens {
  const li = linesOf(ctx, uri);
  if (!li) return { data: [] };
  const show = new Set(ctx.settings().entityTypes);
  let from = 0;
  let to = li.length;
  if (range) {
    from = li.offsetAt(range.start);
    to = li.offsetAt(range.end);
  }
  const spans: Span[] = [];
  if (show.has('claim')) {
    for (const c of ctx.index.claimsIn(uri)) {
      if (c.end <= from || c.start >= to) continue;
      spans.push({ start: c.start, end: c.end, type: TOKEN_TYPES.indexOf('claim'), modifiers: c.checkworthy ? 1 : 0 });
    }
  }
  for (const m of ctx.index.typedMentionsIn(uri)) {
    if (m.end <= from || m.start >= to) continue;
    if (!show.has(m.type)) continue;
    spans.push({ start: m.start, end: m.end, type: TOKEN_TYPES.indexOf(m.type), modifiers: 0 });
  }
  // Claims first on ties (they were pushed first and the sort is stable).
  spans.sort((a, b) => a.start - b.start);

  const data: number[] = [];
  let prevLine = 0;
  let prevChar = 0;
  let lastEnd = -1;
  for (const s of spans) {
    if (s.start < lastEnd) continue; // overlapping: keep the earlier token
    lastEnd = s.end;
    // Split at line breaks.
    let pos = s.start;
    while (pos < s.end) {
      const p = li.positionAt(pos);
      const lineEnd = li.lineEnd(p.line);
      const segEnd = Math.min(s.end, lineEnd);
      if (segEnd > pos) {
        const deltaLine = p.line - prevLine;
        const deltaChar = deltaLine === 0 ? p.character - prevChar : p.character;
        data.push(deltaLine, deltaChar, segEnd - pos, s.type, s.modifiers);
        prevLine = p.line;
        prevChar = p.character;
      }
      if (p.line + 1 >= li.lineCount) break;
      pos = Math.max(segEnd, li.lineStarts[p.line + 1]);
    }
  }
  return { data };
}

/** Decodes the relative encoding back into absolute tokens (tests, debugging). */
export function decodeSemanticTokens(data: readonly number[]): DecodedToken[] {
  const out: DecodedToken[] = [];
  let line = 0;
  let character = 0;
  for (let i = 0; i + 4 < data.length; i += 5) {
    line += data[i];
    character = data[i] === 0 ? character + data[i + 1] : data[i + 1];
    const mods: string[] = [];
    TOKEN_MODIFIERS.forEach((m, bit) => {
      if (data[i + 4] & (1 << bit)) mods.push(m);
    });
    out.push({ line, character, length: data[i + 2], type: TOKEN_TYPES[data[i + 3]], modifiers: mods });
  }
  return out;
}
