/**
 * Project dictionary (.sourcelens/entities.json): parsing with line numbers, and its effect on linking.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import {
  findDictionaryMentions,
  linkDocuments,
  mergeDictionaryMentions,
  parseDictionary,
  type Dictionary,
} from '../../server/src/service/entities';
import { doc } from '../helpers/linkerDoc';
import type { RawMention } from '../../server/src/service/types';

function parsed(text: string): Dictionary {
  const r = parseDictionary(text);
  if (!r.ok) throw new Error(r.error.message);
  return r.dictionary;
}

function error(text: string) {
  const r = parseDictionary(text);
  assert.equal(r.ok, false, 'expected a parse error');
  return (r as Extract<typeof r, { ok: false }>).error;
}

describe('parseDictionary', () => {
  it('parses the documented schema (with comments and trailing commas)', () => {
    const r = parseDictionary(`{
  // project dictionary
  "version": 1,
  "entities": [
    { "name": "Kazakhstan Temir Zholy", "type": "organization", "aliases": ["KTZ", "Temir Zholy"] },
  ],
  "ignore": ["Monday", { "text": "Astana", "type": "person" }],
  "merge": [["Samruk", "Samruk-Kazyna"]],
  "separate": [["Erkin Tukumov", "Yerkin Tukumov"]]
}`);
    assert.equal(r.ok, true);
    if (!r.ok) return;
    assert.deepEqual(r.dictionary, {
      version: 1,
      entities: [{ name: 'Kazakhstan Temir Zholy', type: 'organization', aliases: ['KTZ', 'Temir Zholy'] }],
      ignore: [{ text: 'Monday' }, { text: 'Astana', type: 'person' }],
      merge: [['Samruk', 'Samruk-Kazyna']],
      separate: [['Erkin Tukumov', 'Yerkin Tukumov']],
    });
    assert.deepEqual(r.warnings, []);
  });

  it('reports a missing comma with its line and column', () => {
    const e = error('{\n  "version": 1,\n  "entities": [\n    { "name": "A", "type": "person" }\n    { "name": "B", "type": "person" }\n  ]\n}');
    assert.equal(e.line, 5);
    assert.equal(e.column, 5);
    assert.match(e.message, /^Line 5, column 5: .*(missing comma)/);
  });

  it('reports a missing value, an unterminated string, single quotes and trailing garbage', () => {
    assert.equal(error('{\n  "version": \n}').line, 3);
    const u = error('{\n  "entities": [\n    { "name": "Tokayev\n  ]\n}');
    assert.equal(u.line, 3);
    assert.match(u.message, /Unterminated string/);
    assert.match(error("{\n 'version': 1 }").message, /double quotes/);
    const g = error('{ "version": 1 }\n}');
    assert.equal(g.line, 2);
  });

  it('accepts an empty file with a warning', () => {
    const r = parseDictionary('   \n');
    assert.equal(r.ok, true);
    if (r.ok) assert.equal(r.warnings.length, 1);
  });

  it('validates the schema and points at the offending entry', () => {
    const badType = error('{\n  "version": 1,\n  "entities": [\n    { "name": "KTZ", "type": "company" }\n  ]\n}');
    assert.equal(badType.line, 4);
    assert.match(badType.message, /"type" of entity "KTZ" must be one of "person", "organization", "place", "event"/);
    const noName = error('{\n  "entities": [\n    { "name": "A", "type": "person" },\n    { "type": "person" }\n  ]\n}');
    assert.equal(noName.line, 4);
    assert.match(noName.message, /name/);
    const shortPair = error('{\n  "merge": [\n    ["Only one"]\n  ]\n}');
    assert.equal(shortPair.line, 3);
    assert.equal(error('{ "version": 2 }').line, 1);
    assert.match(error('[1, 2]').message, /must be a JSON object/);
    const alias = error('{\n "entities": [ { "name": "A", "type": "person",\n   "aliases": ["ok", 42] } ]\n}');
    assert.equal(alias.line, 3);
  });

  it('warns (with lines) about unknown keys, duplicates and conflicts', () => {
    const r = parseDictionary(
      '{\n "version": 1,\n "entites": [],\n "entities": [ { "name": "A", "type": "person", "alias": ["x"] } ],\n "merge": [["P", "Q"]],\n "separate": [["P", "Q"]]\n}',
    );
    assert.equal(r.ok, true);
    if (!r.ok) return;
    assert.ok(r.warnings.some((w) => w.startsWith('line 3:') && w.includes('"entites"')));
    assert.ok(r.warnings.some((w) => w.startsWith('line 4:') && w.includes('did you mean "aliases"')));
    assert.ok(r.warnings.some((w) => w.includes('"separate" wins')));
  });
});

describe('dictionary effects on linking', () => {
  const D1 = doc('file:///d1.txt', 'Temir Zholy and KTZ announced a tender. Monday was busy. Samruk said so.', [
    ['Temir Zholy', 'organization'],
    ['KTZ', 'organization'],
    ['Monday', 'person'],
    ['Samruk', 'organization'],
  ]);
  const D2 = doc('file:///d2.txt', 'Samruk-Kazyna and Erkin Tukumov. Yerkin Tukumov.', [
    ['Samruk-Kazyna', 'organization'],
    ['Erkin Tukumov', 'person'],
    ['Yerkin Tukumov', 'person'],
  ]);
  const dict = parsed(`{
    "version": 1,
    "entities": [{ "name": "Kazakhstan Temir Zholy", "type": "organization", "aliases": ["KTZ", "Temir Zholy"] }],
    "ignore": ["Monday"],
    "merge": [["Samruk", "Samruk-Kazyna"]],
    "separate": [["Erkin Tukumov", "Yerkin Tukumov"]]
  }`);

  it('without the dictionary, the defaults apply', () => {
    const list = linkDocuments([D1, D2]);
    assert.ok(list.some((e) => e.name === 'Monday'));
    const tuk = list.filter((e) => e.name.endsWith('Tukumov'));
    assert.equal(tuk.length, 1, 'Erkin/Yerkin merge by default');
  });

  it('aliases merge into the dictionary entity, which names it', () => {
    const list = linkDocuments([D1, D2], dict);
    const ktz = list.find((e) => e.name === 'Kazakhstan Temir Zholy')!;
    assert.equal(ktz.id, 'organization:kazakhstan-temir-zholy');
    assert.deepEqual(ktz.mentions.map((m) => m.text).sort(), ['KTZ', 'Temir Zholy']);
    assert.ok(ktz.merges.every((m) => m.rule === 'dictionary'));
  });

  it('ignores false positives', () => {
    const list = linkDocuments([D1, D2], dict);
    assert.ok(!list.some((e) => e.mentions.some((m) => m.text === 'Monday')));
    const typed = linkDocuments([D1], { ...dict, ignore: [{ text: 'Monday', type: 'place' }] });
    assert.ok(typed.some((e) => e.name === 'Monday'), 'a typed ignore only hides that type');
  });

  it('forces and forbids merges', () => {
    const list = linkDocuments([D1, D2], dict);
    const samruk = list.find((e) => e.mentions.some((m) => m.text === 'Samruk'))!;
    assert.ok(samruk.mentions.some((m) => m.text === 'Samruk-Kazyna'));
    assert.ok(samruk.merges.some((m) => m.rule === 'dictionary'));
    const tuk = list.filter((e) => e.name.endsWith('Tukumov'));
    assert.equal(tuk.length, 2, 'separate wins over transliteration');
  });

  it('separate also splits an in-article surname link', () => {
    const D3 = doc('file:///d3.txt', 'Yerkin Tukumov spoke. Tukumov left.', [
      ['Yerkin Tukumov', 'person'],
      ['Tukumov', 'person'],
    ]);
    const list = linkDocuments([D3], { version: 1, entities: [], ignore: [], merge: [], separate: [['Tukumov', 'Yerkin Tukumov']] });
    assert.equal(list.length, 2);
  });

  it('finds dictionary names the tagger missed and merges them into tagger output', () => {
    const text = 'Officials of Kazakhstan Temir Zholy (KTZ) said KTZ-owned wagons and KTZs… Temir  Zholy again.';
    const found = findDictionaryMentions(text, dict);
    assert.deepEqual(
      found.map((m) => [m.text, m.type]),
      [
        ['Kazakhstan Temir Zholy', 'organization'],
        ['KTZ', 'organization'],
        ['KTZ', 'organization'],
        ['Temir  Zholy', 'organization'],
      ],
    );
    for (const m of found) assert.equal(text.slice(m.start, m.end), m.text);
    // The tagger split the name: the dictionary mention replaces the pieces inside it.
    const start = text.indexOf('Kazakhstan');
    const tagger: RawMention[] = [
      { start, end: start + 10, text: 'Kazakhstan', type: 'place' },
      { start: text.indexOf('KTZ'), end: text.indexOf('KTZ') + 3, text: 'KTZ', type: 'organization' },
    ];
    const merged = mergeDictionaryMentions(tagger, found);
    assert.deepEqual(
      merged.map((m) => m.text),
      ['Kazakhstan Temir Zholy', 'KTZ', 'KTZ', 'Temir  Zholy'],
    );
  });
});
