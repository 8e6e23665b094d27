/**
 * Offsets ↔ LSP positions for a document's text. Offsets and characters are both UTF-16 code
 * units, so the conversion only needs the line starts, which are cached per text.
 */
import type { Position, Range } from 'vscode-languageserver-protocol';

export class LineIndex {
  /** Offset of the first character of each line. */
  readonly lineStarts: ArrayLike<number>;
  private readonly source: string | (() => string);
  private readonly knownLength: number | undefined;

  /**
   * `lineStarts`, when given, must be `lineStartsOf(text)` (the index keeps them per article).
   * `text` may be a function, called whenever the text is needed and not kept here (the index
   * reads an article's text back from disk and keeps only the last few): with `lineStarts` and
   * `length` given, converting positions never needs the text itself.
   */
  constructor(text: string | (() => string), lineStarts?: ArrayLike<number>, length?: number) {
    this.source = text;
    this.lineStarts = lineStarts ?? lineStartsOf(this.text);
    this.knownLength = length;
  }

  get text(): string {
    return typeof this.source === 'string' ? this.source : this.source();
  }

  /** The text's length (without the text when it was given). */
  get length(): number {
    return this.knownLength ?? this.text.length;
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  positionAt(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.length));
    const line = lineAt(this.lineStarts, o);
    return { line, character: o - this.lineStarts[line] };
  }

  offsetAt(position: Position): number {
    if (position.line < 0) return 0;
    if (position.line >= this.lineStarts.length) return this.length;
    const start = this.lineStarts[position.line];
    const end = this.lineEnd(position.line);
    return Math.max(start, Math.min(start + Math.max(0, position.character), end));
  }

  /** Offset just past the last character of `line` (before its line break). */
  lineEnd(line: number): number {
    const text = this.text;
    const next = line + 1 < this.lineStarts.length ? this.lineStarts[line + 1] : text.length;
    let end = next;
    if (end > this.lineStarts[line] && text.charCodeAt(end - 1) === 10) end--;
    if (end > this.lineStarts[line] && text.charCodeAt(end - 1) === 13) end--;
    return end;
  }

  /** The text of the line containing `offset`, without its line break. */
  lineTextAt(offset: number): string {
    const { line } = this.positionAt(offset);
    const end = this.lineEnd(line);
    return this.text.slice(this.lineStarts[line], end);
  }

  range(start: number, end: number): Range {
    return { start: this.positionAt(start), end: this.positionAt(end) };
  }
}

/**
 * The line containing `offset` in a text with these line starts: the last line starting at or
 * before it. `from`, a line known to start at or before `offset` (e.g. a range's start line when
 * looking for its end), is looked at first: most ranges end on the line they start on.
 */
export function lineAt(starts: ArrayLike<number>, offset: number, from = 0): number {
  if (from + 1 >= starts.length || starts[from + 1] > offset) {
    if (starts[from] <= offset) return from;
    from = 0;
  }
  let lo = from;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Offsets of the first character of each line (after \n, \r\n or a lone \r), packed. */
export function lineStartsOf(text: string): Uint32Array {
  const starts: number[] = [0];
  // indexOf finds the next break far faster than a loop over every character; each of the two
  // searches is repeated only once the scan has passed its last hit.
  let n = text.indexOf('\n');
  let r = text.indexOf('\r');
  while (n >= 0 || r >= 0) {
    const i = r >= 0 && (n < 0 || r < n) ? (text.charCodeAt(r + 1) === 10 ? r + 2 : r + 1) : n + 1;
    starts.push(i);
    if (n >= 0 && n < i) n = text.indexOf('\n', i);
    if (r >= 0 && r < i) r = text.indexOf('\r', i);
  }
  return Uint32Array.from(starts);
}

/** A `file:` URI with a `#L<line>,<col>` fragment (1-based) that VS Code opens at that position. */
export function uriWithPosition(uri: string, position: Position): string {
  return `${uri}#L${position.line + 1},${position.character + 1}`;
}
