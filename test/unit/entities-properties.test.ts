/**
 * Property tests for entity linking (fast-check): every mention ends in exactly one entity
 * (unless ignored), output is independent of input order, cached per-document results link
 * to the same output as fresh ones.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { linkCorpus, linkDocuments, resolveDocument, type Dictionary, type LinkerDocument } from '../../server/src/service/entities';
import type { EntityType } from '../../server/src/service/types';
import { pooledText } from '../helpers/linkerDoc';

const POOL: [string, EntityType][] = [
  ['Yerkin Tukumov', 'person'],
  ['Erkin Tukumov', 'person'],
  ['Tukumov', 'person'],
  ["Tukumov's", 'person'],
  ['Azamat Beispekov', 'person'],
  ['Beispekov', 'person'],
  ['Shavkat Mirziyoyev', 'person'],
  ['Mirziyoyeva', 'person'],
  ['Kassym-Jomart Tokayev', 'person'],
  ['Kasym-Jomart Tokayev', 'person'],
  ['President Tokayev', 'person'],
  ['Nurlan Tokayev', 'person'],
  ['Kazakhstan Institute for Strategic Studies', 'organization'],
  ['KazISS', 'organization'],
  ['KOTRA', 'organization'],
  ['Kotra', 'organization'],
  ['Korea Trade-Investment Promotion Agency', 'organization'],
  ['Korea Herald', 'organization'],
  ['Kazakh government', 'organization'],
  ['Almaty', 'place'],
  ['Almaty', 'organization'],
  ['Almaty region', 'place'],
  ['Korea', 'place'],
  ['S. Korea', 'place'],
  ['South Korea', 'place'],
  ['U.S.', 'place'],
  ['USA', 'place'],
  ['Kazakhstan', 'place'],
  ['Astana International Forum', 'event'],
  ['Monday', 'person'],
];

/** A document: chosen pool entries separated by filler (sometimes "(…)" so acronyms get defined). */
const docArb = fc.array(fc.tuple(fc.nat(POOL.length - 1), fc.constantFrom(' said. ', ' (', ') and ', ', ')), { minLength: 0, maxLength: 12 });
const corpusArb = fc.array(docArb, { minLength: 1, maxLength: 6 });

function build(spec: [number, string][][]): LinkerDocument[] {
  return spec.map((items, d) => pooledText(`file:///p/doc-${d}.txt`, POOL, items));
}

const key = (uri: string, m: { start: number; end: number }) => `${uri}#${m.start}-${m.end}`;

describe('entity linking properties', () => {
  it('every input mention ends in exactly one entity; ignored ones in none', () => {
    fc.assert(
      fc.property(corpusArb, fc.boolean(), (spec, withIgnore) => {
        const docs = build(spec);
        const dict: Dictionary | undefined = withIgnore ? { version: 1, entities: [], ignore: [{ text: 'Monday' }], merge: [], separate: [] } : undefined;
        const entities = linkDocuments(docs, dict);
        const seen = new Map<string, number>();
        for (const e of entities) {
          assert.ok(e.mentions.length > 0);
          for (const m of e.mentions) seen.set(key(m.uri, m), (seen.get(key(m.uri, m)) ?? 0) + 1);
        }
        for (const d of docs) {
          for (const m of d.mentions) {
            const expected = withIgnore && m.text === 'Monday' ? 0 : 1;
            assert.equal(seen.get(key(d.uri, m)) ?? 0, expected, `${m.text} in ${d.uri}`);
          }
        }
        const total = docs.reduce((n, d) => n + d.mentions.filter((m) => !(withIgnore && m.text === 'Monday')).length, 0);
        assert.equal([...seen.values()].reduce((a, b) => a + b, 0), total);
        for (const e of entities) {
          const types = new Set(e.mentions.map((m) => docs.find((d) => d.uri === m.uri)!.mentions.find((x) => x.start === m.start)!.type));
          // Mixed tagger types only through the type-consensus rule, which records its reason.
          if (types.size > 1) assert.ok(e.merges.some((r) => r.rule === 'type'), `${e.id} mixes types without a 'type' reason`);
          else assert.equal(e.type, [...types][0]);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('is independent of document order (cached locals vs fresh, reversed)', () => {
    fc.assert(
      fc.property(corpusArb, (spec) => {
        const docs = build(spec);
        const cached = docs.map(resolveDocument);
        const a = linkCorpus(cached);
        const b = linkDocuments([...docs].reverse());
        assert.deepEqual(a, b);
        assert.deepEqual(linkCorpus(cached), a, 'linkCorpus does not mutate its input');
      }),
      { numRuns: 100 },
    );
  });
});
