/**
 * CoNLL-2003 reading and detokenisation, shared by the training and evaluation scripts.
 * (No CoNLL data lives in the repository; these functions read the shared files at run time.)
 */
import * as fs from 'node:fs';

export type ConllType = 'PER' | 'ORG' | 'LOC' | 'MISC';

export interface ConllSentence {
  tokens: string[];
  /** IOB1 tags as in the file (`O`, `I-PER`, `B-LOC`, …). */
  tags: string[];
}

export interface ConllDoc {
  sentences: ConllSentence[];
}

export interface GoldSpan {
  start: number;
  end: number;
  type: ConllType;
}

export interface DetokDoc {
  text: string;
  spans: GoldSpan[];
  /** Character offsets of each CoNLL token (flattened over sentences). */
  tokenStarts: number[];
  tokenEnds: number[];
}

export function readConll(file: string): ConllDoc[] {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const docs: ConllDoc[] = [];
  let doc: ConllDoc | null = null;
  let sent: ConllSentence = { tokens: [], tags: [] };
  const flush = () => {
    if (sent.tokens.length) {
      if (!doc) {
        doc = { sentences: [] };
        docs.push(doc);
      }
      doc.sentences.push(sent);
    }
    sent = { tokens: [], tags: [] };
  };
  for (const line of lines) {
    const l = line.trim();
    if (!l) {
      flush();
      continue;
    }
    const parts = l.split(' ');
    if (parts[0] === '-DOCSTART-') {
      flush();
      doc = { sentences: [] };
      docs.push(doc);
      continue;
    }
    sent.tokens.push(parts[0]);
    sent.tags.push(parts[parts.length - 1]);
  }
  flush();
  return docs.filter((d) => d.sentences.length > 0);
}

const NO_SPACE_BEFORE = new Set([',', '.', ';', ':', '!', '?', ')', ']', '}', '%', "'s", "'S", "n't", "N'T", "'re", "'ve", "'ll", "'d", "'m", "'RE", "'VE", "'LL", "'D", "'M", '...']);
const NO_SPACE_AFTER = new Set(['(', '[', '{', '$']);

export interface DetokOptions {
  /** Use typographic quotes/apostrophes (“ ” ’) instead of straight ones. */
  curly?: boolean;
}

/** Joins one sentence's tokens into ordinary text, recording each token's offsets. */
export function detokenizeSentence(tokens: string[], opts: DetokOptions = {}): { text: string; starts: number[]; ends: number[] } {
  let text = '';
  const starts: number[] = [];
  const ends: number[] = [];
  let quoteOpen = false;
  let glueNext = true;
  for (let i = 0; i < tokens.length; i++) {
    let tok = tokens[i];
    let space = !glueNext;
    let nextGlue = false;
    if (NO_SPACE_BEFORE.has(tok)) space = false;
    if (tok === '"') {
      if (quoteOpen) {
        space = false;
        quoteOpen = false;
        if (opts.curly) tok = '\u201d';
      } else {
        nextGlue = true;
        quoteOpen = true;
        if (opts.curly) tok = '\u201c';
      }
    } else if (NO_SPACE_AFTER.has(tok)) {
      nextGlue = true;
    }
    if (opts.curly && /^'[a-zA-Z]{1,2}$/.test(tok)) tok = '\u2019' + tok.slice(1);
    if (opts.curly && tok === "n't") tok = 'n\u2019t';
    if (space && text.length) text += ' ';
    starts.push(text.length);
    text += tok;
    ends.push(text.length);
    glueNext = nextGlue;
  }
  return { text, starts, ends };
}

/** Converts IOB1 tags into typed spans over token indices [s, e). */
export function tagsToSpans(tags: string[]): { s: number; e: number; type: ConllType }[] {
  const out: { s: number; e: number; type: ConllType }[] = [];
  let cur: { s: number; e: number; type: ConllType } | null = null;
  for (let i = 0; i < tags.length; i++) {
    const t = tags[i];
    if (t === 'O') {
      cur = null;
      continue;
    }
    const [bio, type] = t.split('-') as [string, ConllType];
    if (!cur || cur.type !== type || bio === 'B') {
      cur = { s: i, e: i + 1, type };
      out.push(cur);
    } else cur.e = i + 1;
  }
  return out;
}

/** Detokenises a whole document: one sentence a line, gold spans as character offsets. */
export function detokenizeDoc(doc: ConllDoc, opts: DetokOptions = {}): DetokDoc {
  let text = '';
  const spans: GoldSpan[] = [];
  const tokenStarts: number[] = [];
  const tokenEnds: number[] = [];
  for (const sent of doc.sentences) {
    if (text.length) text += '\n';
    const base = text.length;
    const d = detokenizeSentence(sent.tokens, opts);
    text += d.text;
    for (let i = 0; i < d.starts.length; i++) {
      tokenStarts.push(base + d.starts[i]);
      tokenEnds.push(base + d.ends[i]);
    }
    for (const sp of tagsToSpans(sent.tags)) {
      spans.push({ start: base + d.starts[sp.s], end: base + d.ends[sp.e - 1], type: sp.type });
    }
  }
  return { text, spans, tokenStarts, tokenEnds };
}
