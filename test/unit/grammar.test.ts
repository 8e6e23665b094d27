/**
 * The Article TextMate grammar (syntaxes/article.tmLanguage.json): every regex compiles, and a
 * small single-line interpreter of the grammar's rules (match, begin/end, include, captures;
 * earliest match wins, ties go to the earlier rule, an end pattern wins over nested rules)
 * gives the expected scopes for quotations, money, percentages, datelines and dates.
 * The grammar keeps to regex syntax that Oniguruma and JavaScript read the same way.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';

interface Rule {
  name?: string;
  match?: string;
  begin?: string;
  end?: string;
  include?: string;
  patterns?: Rule[];
  captures?: Record<string, { name: string }>;
  beginCaptures?: Record<string, { name: string }>;
  endCaptures?: Record<string, { name: string }>;
}
interface Grammar extends Rule {
  scopeName: string;
  repository: Record<string, Rule>;
}

const grammarPath = path.resolve(__dirname, '..', '..', 'syntaxes', 'article.tmLanguage.json');
const grammar = JSON.parse(fs.readFileSync(grammarPath, 'utf8')) as Grammar;

function compile(source: string): RegExp {
  return new RegExp(source, 'dg');
}

/** Every rule, with the repository includes resolved (one level at a time, no cycles here). */
function expand(rules: Rule[]): Rule[] {
  const out: Rule[] = [];
  for (const r of rules) {
    if (r.include) {
      assert.ok(r.include.startsWith('#'), `only repository includes are used (${r.include})`);
      const target = grammar.repository[r.include.slice(1)];
      assert.ok(target, `include ${r.include} exists in the repository`);
      out.push(...(target.match || target.begin ? [target] : expand(target.patterns ?? [])));
    } else if (r.match || r.begin) {
      out.push(r);
    } else if (r.patterns) {
      out.push(...expand(r.patterns));
    }
  }
  return out;
}

type EndRegExp = RegExp & { caps?: Rule['captures'] };

interface Token {
  text: string;
  scopes: string[];
}

function capturesTokens(m: RegExpExecArray, caps: Rule['captures'], outer: string[], tokens: Token[]): void {
  const ind = m.indices!;
  // Capture 0 names the whole match; numbered captures are nested inside it.
  const whole = caps?.['0'];
  if (whole) outer = [...outer, whole.name];
  const starts: Array<{ s: number; e: number; name: string }> = [];
  for (const [k, v] of Object.entries(caps ?? {})) {
    const span = ind[Number(k)];
    if (k !== '0' && span && span[1] > span[0]) starts.push({ s: span[0], e: span[1], name: v.name });
  }
  starts.sort((a, b) => a.s - b.s);
  let pos = m.index;
  const end = m.index + m[0].length;
  for (const c of starts) {
    if (c.s < pos) continue;
    if (c.s > pos) tokens.push({ text: m.input.slice(pos, c.s), scopes: outer });
    tokens.push({ text: m.input.slice(c.s, c.e), scopes: [...outer, c.name] });
    pos = c.e;
  }
  if (pos < end) tokens.push({ text: m.input.slice(pos, end), scopes: outer });
}

/** Tokenizes one line from `pos`; inside a begin/end rule stops after its end. Returns the next position. */
function scan(line: string, rules: Rule[], pos: number, scopes: string[], tokens: Token[], end?: RegExp): number {
  let plainFrom = pos;
  const flushPlain = (to: number) => {
    if (to > plainFrom) tokens.push({ text: line.slice(plainFrom, to), scopes });
  };
  while (pos <= line.length) {
    let best: { m: RegExpExecArray; rule?: Rule } | undefined;
    if (end) {
      end.lastIndex = pos;
      const m = end.exec(line);
      if (m) best = { m };
    }
    for (const rule of rules) {
      const re = compile(rule.match ?? rule.begin!);
      re.lastIndex = pos;
      const m = re.exec(line);
      if (m && (!best || m.index < best.m.index)) best = { m, rule };
    }
    if (!best) break;
    const { m, rule } = best;
    flushPlain(m.index);
    if (!rule) {
      capturesTokens(m, (end as EndRegExp).caps, scopes, tokens);
      return m.index + m[0].length;
    }
    const inner = rule.name ? [...scopes, rule.name] : scopes;
    if (rule.match) {
      capturesTokens(m, rule.captures, inner, tokens);
      pos = m.index + Math.max(m[0].length, 1);
    } else {
      capturesTokens(m, rule.beginCaptures, inner, tokens);
      const endRe: EndRegExp = compile(rule.end!);
      endRe.caps = rule.endCaptures;
      pos = scan(line, expand(rule.patterns ?? []), m.index + m[0].length, inner, tokens, endRe);
    }
    plainFrom = pos;
    if (m[0].length === 0 && rule.match) pos++;
  }
  flushPlain(line.length);
  return line.length;
}

function tokenize(line: string): Token[] {
  const tokens: Token[] = [];
  scan(line, expand(grammar.patterns ?? []), 0, [grammar.scopeName], tokens);
  return tokens;
}

/** The innermost scopes of the token(s) covering `text` exactly, or of the token containing it. */
function scopesOf(line: string, text: string): string[] {
  const tokens = tokenize(line);
  const exact = tokens.find((t) => t.text === text);
  if (exact) return exact.scopes;
  const at = line.indexOf(text);
  assert.ok(at >= 0, `"${text}" in "${line}"`);
  let pos = 0;
  for (const t of tokens) {
    if (pos <= at && at + text.length <= pos + t.text.length) return t.scopes;
    pos += t.text.length;
  }
  // Spread over several tokens: the scopes they share.
  const covering: Token[] = [];
  pos = 0;
  for (const t of tokens) {
    if (pos + t.text.length > at && pos < at + text.length) covering.push(t);
    pos += t.text.length;
  }
  return covering[0].scopes.filter((s) => covering.every((t) => t.scopes.includes(s)));
}

function has(line: string, text: string, scope: string): void {
  const scopes = scopesOf(line, text);
  assert.ok(scopes.includes(scope), `"${text}" in "${line}" should have ${scope}; has ${scopes.join(' ')}`);
}

function hasNot(line: string, text: string, scopePrefix: string): void {
  const scopes = scopesOf(line, text);
  assert.ok(!scopes.some((s) => s.startsWith(scopePrefix)), `"${text}" in "${line}" should not have ${scopePrefix}*; has ${scopes.join(' ')}`);
}

test('grammar: metadata and every regex compiles', () => {
  assert.equal(grammar.scopeName, 'text.article');
  let count = 0;
  const visit = (r: Rule, where: string) => {
    for (const key of ['match', 'begin', 'end'] as const) {
      const src = r[key];
      if (src === undefined) continue;
      assert.doesNotThrow(() => compile(src), `${where}.${key} compiles: ${src}`);
      count++;
    }
    r.patterns?.forEach((p, i) => visit(p, `${where}.patterns[${i}]`));
    if (r.include?.startsWith('#')) assert.ok(grammar.repository[r.include.slice(1)], `${where} includes ${r.include}`);
  };
  visit(grammar, 'grammar');
  for (const [k, r] of Object.entries(grammar.repository)) visit(r, `repository.${k}`);
  assert.ok(count >= 10, `expected the grammar's regexes, found ${count}`);
});

test('grammar: the manifest contributes it for the article language', () => {
  const pkg = JSON.parse(fs.readFileSync(path.resolve(__dirname, '..', '..', 'package.json'), 'utf8'));
  const g = pkg.contributes.grammars.find((x: { language: string }) => x.language === 'article');
  assert.equal(g.scopeName, 'text.article');
  assert.equal(path.resolve(__dirname, '..', '..', g.path), grammarPath);
  assert.ok(pkg.contributes.languages.some((l: { id: string }) => l.id === 'article'));
});

test('grammar: typographic and straight quotations', () => {
  const q = '“We want to build a drone hub,” he said.';
  has(q, 'We want to build a drone hub,', 'string.quoted.double.typographic.article');
  has(q, '“', 'punctuation.definition.string.begin.article');
  has(q, '”', 'punctuation.definition.string.end.article');
  hasNot(q, ' he said.', 'string.');
  const s = 'He called it "a milestone" on Friday.';
  has(s, 'a milestone', 'string.quoted.double.article');
  hasNot(s, ' on Friday.', 'string.');
  // A quotation left open runs to the end of the paragraph, as in news copy.
  has('“The first part of a long quote', 'The first part of a long quote', 'string.quoted.double.typographic.article');
  // Numbers inside quotations are still numbers.
  has('“Exports grew 12% last year,” she said.', '12%', 'constant.numeric.percentage.article');
});

test('grammar: money, percentages and plain numbers', () => {
  has('The budget is $854.4 million this year.', '$854.4 million', 'constant.numeric.currency.article');
  has('The budget is $854.4 million this year.', '$', 'punctuation.definition.currency.article');
  has('a loan of €1,200 was approved', '€1,200', 'constant.numeric.currency.article');
  has('worth ₩3.5 trillion in total', '₩3.5 trillion', 'constant.numeric.currency.article');
  has('trade reached US$6.8 billion', 'US$6.8 billion', 'constant.numeric.currency.article');
  has('about 300 million dollars', '300 million dollars', 'constant.numeric.currency.article');
  has('Exports grew 12.5% in May', '12.5%', 'constant.numeric.percentage.article');
  has('up 40 percent from 2023', '40 percent', 'constant.numeric.percentage.article');
  has('It employs 4,700 people.', '4,700', 'constant.numeric.article');
  has('the age of 75 and', '75', 'constant.numeric.article');
  hasNot('the G4 City project', 'G4', 'constant.numeric');
  hasNot('COVID19 cases', 'COVID19', 'constant.numeric');
});

test('grammar: datelines at the start of a line', () => {
  const a = 'ASTANA – South Korea and Kazakhstan have traveled an unknown path together';
  has(a, 'ASTANA', 'entity.name.section.dateline.place.article');
  has(a, '–', 'punctuation.separator.dateline.article');
  has(a, 'ASTANA', 'meta.dateline.article');
  hasNot(a, ' South Korea and Kazakhstan have traveled an unknown path together', 'meta.dateline');

  const y = 'SEOUL, May 14 (Yonhap) -- South Korea said on Tuesday';
  has(y, 'SEOUL', 'entity.name.section.dateline.place.article');
  has(y, 'May 14', 'constant.other.date.dateline.article');
  has(y, '(Yonhap)', 'entity.name.tag.agency.article');
  has(y, '--', 'punctuation.separator.dateline.article');

  has('NEW YORK (AP) — Stocks fell', 'NEW YORK', 'entity.name.section.dateline.place.article');
  has('WASHINGTON, D.C., June 3 — The talks', 'D.C., June 3', 'constant.other.date.dateline.article');
  // Not at the start of a line, or not capitals: no dateline.
  hasNot('Kazakhstan – the only country', 'Kazakhstan', 'meta.dateline');
  hasNot('They met in ASTANA – then left', 'ASTANA', 'meta.dateline');
});

test('grammar: the interpreter tells scopes apart (self-check)', () => {
  const t = tokenize('ASTANA – It cost $5 million, “a lot”.');
  assert.deepEqual(
    t.map((x) => [x.text, x.scopes.at(-1)]),
    [
      ['ASTANA', 'entity.name.section.dateline.place.article'],
      [' ', 'meta.dateline.article'],
      ['–', 'punctuation.separator.dateline.article'],
      [' It cost ', 'text.article'],
      ['$', 'punctuation.definition.currency.article'],
      ['5 million', 'constant.numeric.currency.article'],
      [', ', 'text.article'],
      ['“', 'punctuation.definition.string.begin.article'],
      ['a lot', 'string.quoted.double.typographic.article'],
      ['”', 'punctuation.definition.string.end.article'],
      ['.', 'text.article'],
    ],
  );
  assert.throws(() => has('It cost $5 million', 'It cost', 'constant.numeric.article'));
});

test('grammar: dates', () => {
  has('May 14, 2024 - 13:57 By Sanjay Kumar', 'May 14, 2024', 'constant.other.date.article');
  has('On 23 May, Kazakhstan President', '23 May', 'constant.other.date.article');
  has('in August 2021, during', 'August 2021', 'constant.other.date.article');
  has('on Tuesday, Sept. 3 the', 'Tuesday, Sept. 3', 'constant.other.date.article');
  has('published 2024-05-14 at noon', '2024-05-14', 'constant.other.date.iso.article');
  hasNot('She may 14 times have said', 'may 14', 'constant.other.date');
});
