/**
 * Marks cursor positions in test text with a caret instead of counting columns.
 *
 *   const { text, offsets } = carets('Ask A^zamat Beispekov');   // offsets[0] === 5
 *
 * Every `^` is removed from the text and its offset recorded (in order). Use `^^` for a
 * literal caret.
 */
export function carets(marked: string, marker = '^'): { text: string; offsets: number[] } {
  let text = '';
  const offsets: number[] = [];
  for (let i = 0; i < marked.length; i++) {
    const ch = marked[i];
    if (ch === marker) {
      if (marked[i + 1] === marker) {
        text += marker;
        i++;
      } else {
        offsets.push(text.length);
      }
      continue;
    }
    text += ch;
  }
  return { text, offsets };
}

/** Converts an offset into an LSP position (line/character in UTF-16 units). */
export function positionAt(text: string, offset: number): { line: number; character: number } {
  let line = 0;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, character: offset - lineStart };
}

/** The offset of the first occurrence of `needle` (plus `delta`), failing loudly if absent. */
export function offsetOf(text: string, needle: string, delta = 0, from = 0): number {
  const i = text.indexOf(needle, from);
  if (i < 0) throw new Error(`"${needle}" not found in text`);
  return i + delta;
}
