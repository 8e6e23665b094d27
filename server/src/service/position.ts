/**
 * Offsets ↔ LSP positions for a document's text. Offsets and characters are both UTF-16 code
 * units, so the conversion only needs the line starts, which are cached per text.
 */
import type { Position, Range } from 'vscode-languageserver-protocol';

export class LineIndex {
  /** Offset of the first character of each line. */
  readonly lineStarts: number[];

  constructor(readonly text: string) {
    const starts = [0];
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 13 /* \r */) {
        if (text.charCodeAt(i + 1) === 10) i++;
        starts.push(i + 1);
      } else if (c === 10 /* \n */) {
        starts.push(i + 1);
      }
    }
    this.lineStarts = starts;
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  positionAt(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.text.length));
    const starts = this.lineStarts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: o - starts[lo] };
  }

  offsetAt(position: Position): number {
    if (position.line < 0) return 0;
    if (position.line >= this.lineStarts.length) return this.text.length;
    const start = this.lineStarts[position.line];
    const end = this.lineEnd(position.line);
    return Math.max(start, Math.min(start + Math.max(0, position.character), end));
  }

  /** Offset just past the last character of `line` (before its line break). */
  lineEnd(line: number): number {
    const next = line + 1 < this.lineStarts.length ? this.lineStarts[line + 1] : this.text.length;
    let end = next;
    if (end > this.lineStarts[line] && this.text.charCodeAt(end - 1) === 10) end--;
    if (end > this.lineStarts[line] && this.text.charCodeAt(end - 1) === 13) end--;
    return end;
  }

  /** The text of the line containing `offset`, without its line break. */
  lineTextAt(offset: number): string {
    const { line } = this.positionAt(offset);
    return this.text.slice(this.lineStarts[line], this.lineEnd(line));
  }

  range(start: number, end: number): Range {
    return { start: this.positionAt(start), end: this.positionAt(end) };
  }
}

/**
 * A small cache of line indexes keyed by URI; an entry is reused while the text is the same
 * string. Bounded so a workspace-wide query does not keep every article's lines alive.
 */
export class LineIndexCache {
  private readonly map = new Map<string, LineIndex>();

  constructor(private readonly max = 512) {}

  get(uri: string, text: string): LineIndex {
    const hit = this.map.get(uri);
    if (hit && (hit.text === text)) {
      // Refresh recency.
      this.map.delete(uri);
      this.map.set(uri, hit);
      return hit;
    }
    const li = new LineIndex(text);
    this.map.delete(uri);
    this.map.set(uri, li);
    if (this.map.size > this.max) {
      const oldest = this.map.keys().next().value;
      if (oldest !== undefined) this.map.delete(oldest);
    }
    return li;
  }

  delete(uri: string): void {
    this.map.delete(uri);
  }

  clear(): void {
    this.map.clear();
  }
}

/** A `file:` URI with a `#L<line>,<col>` fragment (1-based) that VS Code opens at that position. */
export function uriWithPosition(uri: string, position: Position): string {
  return `${uri}#L${position.line + 1},${position.character + 1}`;
}
