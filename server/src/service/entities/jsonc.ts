/**
 * A small JSON parser that keeps the offset of every value, so errors — syntax and schema —
 * can name a line and column. Accepts `//` and `/* *\/` comments and trailing commas (the
 * dialect of VS Code's own settings files); everything else is strict JSON.
 */

export type JsonNode =
  | { kind: 'object'; pos: number; entries: { key: string; keyPos: number; value: JsonNode }[] }
  | { kind: 'array'; pos: number; items: JsonNode[] }
  | { kind: 'string'; pos: number; value: string }
  | { kind: 'number'; pos: number; value: number }
  | { kind: 'boolean'; pos: number; value: boolean }
  | { kind: 'null'; pos: number };

export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly pos: number,
  ) {
    super(message);
  }
}

/** 1-based line and column (UTF-16 units) of an offset. */
export function lineColumn(text: string, pos: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < pos && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: pos - lineStart + 1 };
}

export interface ParseOutput {
  root: JsonNode;
  /** Duplicate keys etc. (offset, message). */
  notes: { pos: number; message: string }[];
}

export function parseJsonc(text: string): ParseOutput {
  let i = 0;
  const notes: ParseOutput['notes'] = [];
  const describe = (at: number) => {
    if (at >= text.length) return 'the end of the file';
    const ch = text[at];
    if (ch === '\n' || ch === '\r') return 'a line break';
    return `'${ch}'`;
  };
  const fail = (message: string, at = i): never => {
    throw new JsonSyntaxError(message, at);
  };

  const skip = () => {
    for (;;) {
      const c = text.charCodeAt(i);
      if (c === 32 || c === 9 || c === 10 || c === 13 || c === 0xfeff) i++;
      else if (c === 47 && text.charCodeAt(i + 1) === 47) {
        while (i < text.length && text.charCodeAt(i) !== 10) i++;
      } else if (c === 47 && text.charCodeAt(i + 1) === 42) {
        const end = text.indexOf('*/', i + 2);
        if (end < 0) fail('Unterminated /* comment');
        i = end + 2;
      } else return;
    }
  };

  const parseString = (): string => {
    const start = i;
    i++; // opening quote
    let out = '';
    for (;;) {
      if (i >= text.length) fail('Unterminated string (missing closing ")', start);
      const ch = text[i];
      if (ch === '"') {
        i++;
        return out;
      }
      if (ch === '\n') fail('Unterminated string: a line break inside a string (missing closing "?)', start);
      if (ch === '\\') {
        const e = text[i + 1];
        const map: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
        if (e in map) {
          out += map[e];
          i += 2;
        } else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
          out += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
          i += 6;
        } else fail(`Invalid escape sequence '\\${e ?? ''}' in string`);
      } else {
        out += ch;
        i++;
      }
    }
  };

  const parseValue = (context: string): JsonNode => {
    skip();
    const pos = i;
    const ch = text[i];
    if (ch === '{') {
      i++;
      const entries: { key: string; keyPos: number; value: JsonNode }[] = [];
      const seen = new Set<string>();
      for (;;) {
        skip();
        if (text[i] === '}') {
          i++;
          return { kind: 'object', pos, entries };
        }
        if (text[i] !== '"') {
          fail(
            entries.length === 0
              ? `Expected a property name in double quotes or '}' but found ${describe(i)}`
              : `Expected a property name in double quotes but found ${describe(i)}`,
          );
        }
        const keyPos = i;
        const key = parseString();
        if (seen.has(key)) notes.push({ pos: keyPos, message: `duplicate key "${key}" (the last one wins)` });
        seen.add(key);
        skip();
        if (text[i] !== ':') fail(`Expected ':' after property name "${key}" but found ${describe(i)}`);
        i++;
        const value = parseValue(`property "${key}"`);
        const existing = entries.findIndex((e) => e.key === key);
        if (existing >= 0) entries.splice(existing, 1);
        entries.push({ key, keyPos, value });
        skip();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') continue;
        fail(`Expected ',' or '}' after the value of "${key}" but found ${describe(i)}${text[i] === '"' ? ' (missing comma?)' : ''}`);
      }
    }
    if (ch === '[') {
      i++;
      const items: JsonNode[] = [];
      for (;;) {
        skip();
        if (text[i] === ']') {
          i++;
          return { kind: 'array', pos, items };
        }
        items.push(parseValue('array element'));
        skip();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') continue;
        fail(`Expected ',' or ']' in array but found ${describe(i)}${text[i] === '"' || text[i] === '{' || text[i] === '[' ? ' (missing comma?)' : ''}`);
      }
    }
    if (ch === '"') return { kind: 'string', pos, value: parseString() };
    const num = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(i, i + 64));
    if (num && num[0] !== '-') {
      i += num[0].length;
      return { kind: 'number', pos, value: Number(num[0]) };
    }
    for (const [word, node] of [
      ['true', { kind: 'boolean', pos, value: true }],
      ['false', { kind: 'boolean', pos, value: false }],
      ['null', { kind: 'null', pos }],
    ] as const) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return node as JsonNode;
      }
    }
    if (ch === "'") return fail(`Strings must use double quotes, not single quotes (${context})`);
    if (i >= text.length) return fail(`Unexpected end of file: expected a value for ${context}`);
    return fail(`Expected a value for ${context} but found ${describe(i)}`);
  };

  const root = parseValue('the file');
  skip();
  if (i < text.length) fail(`Unexpected ${describe(i)} after the end of the top-level value`);
  return { root, notes };
}
