/**
 * The outline of an article: its entities grouped by type ("People", "Organizations",
 * "Places", "Events") and its numeric claims ("Claims"), each with its range.
 */
import { SymbolKind, type DocumentSymbol } from 'vscode-languageserver-protocol';
import { readClaim, quantityLabel } from './claimReading';
import { linesOf, type ServiceContext } from './context';
import type { EntityType } from './types';

const GROUPS: Array<{ type: EntityType; label: string; kind: SymbolKind }> = [
  { type: 'person', label: 'People', kind: SymbolKind.Object },
  { type: 'organization', label: 'Organizations', kind: SymbolKind.Class },
  { type: 'place', label: 'Places', kind: SymbolKind.Package },
  { type: 'event', label: 'Events', kind: SymbolKind.Event },
];

export function findDocumentSymbols(ctx: ServiceContext, uri: string): DocumentSymbol[] {
  const li = linesOf(ctx, uri);
  if (!li) return [];
  const out: DocumentSymbol[] = [];

  // One symbol per entity, at its first mention in this article; children are the other mentions.
  const byEntity = new Map<string, { first: { start: number; end: number }; count: number; spans: Array<{ start: number; end: number; text: string }> }>();
  for (const m of ctx.index.mentionsIn(uri)) {
    const e = byEntity.get(m.entityId);
    if (e) {
      e.count++;
      e.spans.push(m);
    } else byEntity.set(m.entityId, { first: m, count: 1, spans: [m] });
  }
  for (const g of GROUPS) {
    const children: DocumentSymbol[] = [];
    for (const [id, info] of byEntity) {
      const entity = ctx.index.entity(id);
      if (!entity || entity.type !== g.type) continue;
      const range = li.range(info.first.start, info.first.end);
      children.push({
        name: entity.name,
        detail: `${info.count} ${info.count === 1 ? 'mention' : 'mentions'}`,
        kind: g.kind,
        range,
        selectionRange: range,
      });
    }
    if (children.length === 0) continue;
    children.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
    out.push(group(g.label, `${children.length}`, SymbolKind.Namespace, children));
  }

  const claims = ctx.index.claimsIn(uri);
  if (claims.length > 0) {
    const children: DocumentSymbol[] = claims.map((c) => {
      const range = li.range(c.start, c.end);
      return {
        name: readClaim(c),
        detail: `${quantityLabel(c)}${c.checkworthy ? ' · check-worthy' : ''}`,
        kind: SymbolKind.Number,
        range,
        selectionRange: range,
      };
    });
    out.push(group('Claims', `${children.length}`, SymbolKind.Namespace, children));
  }
  return out;
}

/** A group symbol whose range spans its children (LSP requires children inside the parent). */
function group(name: string, detail: string, kind: SymbolKind, children: DocumentSymbol[]): DocumentSymbol {
  let first = children[0];
  let end = children[0].range.end;
  for (const c of children) {
    if (before(c.range.start, first.range.start)) first = c;
    if (before(end, c.range.end)) end = c.range.end;
  }
  return { name, detail, kind, range: { start: first.range.start, end }, selectionRange: first.selectionRange, children };
}

function before(a: { line: number; character: number }, b: { line: number; character: number }): boolean {
  return a.line < b.line || (a.line === b.line && a.character < b.character);
}
