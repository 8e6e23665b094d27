/**
 * Incremental linking (CorpusLinker) ≡ linking from scratch (linkCorpus): random sequences of
 * add / replace / remove / dictionary changes, compared after every step. Model: foam's
 * graph-incremental test.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { CorpusLinker, linkCorpus, type Dictionary, type LocalResult } from '../../server/src/service/entities';
import type { EntityType } from '../../server/src/service/types';
import { pooledDoc } from '../helpers/linkerDoc';

const POOL: [string, EntityType][] = [
  ['Yerkin Tukumov', 'person'],
  ['Erkin Tukumov', 'person'],
  ['Tukumov', 'person'],
  ["Tukumov's", 'person'],
  ['Azamat Beispekov', 'person'],
  ['Beispekov', 'person'],
  ['Nurlan Beispekov', 'person'],
  ['Kassym-Jomart Tokayev', 'person'],
  ['Kasym-Jomart Tokayev', 'person'],
  ['Tokayev', 'person'],
  ['Koo Hong-seok', 'person'],
  ['Koo', 'person'],
  ['Hong', 'person'],
  ['Hong Beom-do', 'person'],
  ['Kazakhstan Institute for Strategic Studies', 'organization'],
  ['KazISS', 'organization'],
  ['KazISS', 'place'],
  ['KOTRA', 'organization'],
  ['Kotra', 'organization'],
  ['Korea Trade-Investment Promotion Agency', 'organization'],
  ['Korea Trade Investment Promotion Agency', 'organization'],
  ['United Nations', 'organization'],
  ['United Nations', 'place'],
  ['UN', 'place'],
  ['UN', 'organization'],
  ['Central Asia', 'place'],
  ['Central Asia', 'organization'],
  ['Almaty', 'place'],
  ['Almaty', 'organization'],
  ['Korea', 'place'],
  ['Korea', 'organization'],
  ['South Korea', 'place'],
  ['U.S.', 'place'],
  ['USA', 'place'],
  ['Astana Forum', 'event'],
  ['Monday', 'person'],
];

const DICTS: (Dictionary | undefined)[] = [
  undefined,
  { version: 1, entities: [], ignore: [{ text: 'Monday' }, { text: 'Tukumov', type: 'person' }], merge: [], separate: [] },
  { version: 1, entities: [{ name: 'Korea Trade Agency', type: 'organization', aliases: ['Kotra'] }], ignore: [], merge: [['Almaty', 'Central Asia']], separate: [['Erkin Tukumov', 'Yerkin Tukumov']] },
];

const docArb = fc.array(fc.tuple(fc.nat(POOL.length - 1), fc.constantFrom(' said. ', ' (', ') and ', ', ')), { minLength: 0, maxLength: 10 });
const URIS = ['file:///p/a.txt', 'file:///p/b.txt', 'file:///p/c.txt', 'file:///p/d.txt', 'file:///p/e.txt', 'file:///p/f.txt'];

type Op = { op: 'put'; uri: number; doc: [number, string][] } | { op: 'remove'; uri: number } | { op: 'dict'; dict: number } | { op: 'check' };
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ op: fc.constant('put' as const), uri: fc.nat(URIS.length - 1), doc: docArb }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('remove' as const), uri: fc.nat(URIS.length - 1) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('dict' as const), dict: fc.nat(DICTS.length - 1) }) },
  { weight: 2, arbitrary: fc.constant({ op: 'check' as const }) },
);

const build = (uri: string, items: [number, string][]): LocalResult => pooledDoc(uri, POOL, items);

function check(linker: CorpusLinker, model: Map<string, LocalResult>, dict: Dictionary | undefined): void {
  const expected = linkCorpus([...model.values()], dict);
  assert.deepEqual(linker.entities(), expected);
  // Per-document views agree with the entity list.
  const byId = new Map(expected.map((e) => [e.id, e]));
  for (const uri of model.keys()) {
    for (const { mention, entity } of linker.mentionsOf(uri)) {
      assert.ok(byId.get(entity.id)?.mentions.some((m) => m.uri === uri && m.start === mention.start), `${mention.text} in ${uri}`);
      assert.equal(linker.entityOf(uri, mention)?.id, entity.id);
      assert.deepEqual(linker.entity(entity.id), byId.get(entity.id));
    }
  }
}

describe('CorpusLinker (incremental) equals linkCorpus (from scratch)', () => {
  it('after any sequence of add / replace / remove / dictionary changes', () => {
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 1, maxLength: 14 }), fc.boolean(), (ops, checkEvery) => {
        const linker = new CorpusLinker();
        const model = new Map<string, LocalResult>();
        let dict: Dictionary | undefined;
        for (const op of ops) {
          if (op.op === 'put') {
            const local = build(URIS[op.uri], op.doc);
            linker.add(local);
            model.set(local.uri, local);
          } else if (op.op === 'remove') {
            linker.remove(URIS[op.uri]);
            model.delete(URIS[op.uri]);
          } else if (op.op === 'dict') {
            dict = DICTS[op.dict];
            linker.setDictionary(dict);
          } else check(linker, model, dict);
          if (checkEvery) check(linker, model, dict);
        }
        check(linker, model, dict);
      }),
      { numRuns: 300 },
    );
  });

  it('matches on a larger corpus built in one go and then edited document by document', () => {
    fc.assert(
      fc.property(fc.array(docArb, { minLength: 10, maxLength: 25 }), fc.array(fc.tuple(fc.nat(24), docArb), { maxLength: 6 }), (docs, edits) => {
        const linker = new CorpusLinker();
        const model = new Map<string, LocalResult>();
        docs.forEach((d, i) => {
          const l = build(`file:///q/${String(i).padStart(2, '0')}.txt`, d);
          linker.add(l);
          model.set(l.uri, l);
        });
        check(linker, model, undefined);
        for (const [i, d] of edits) {
          const l = build(`file:///q/${String(i).padStart(2, '0')}.txt`, d);
          linker.add(l);
          model.set(l.uri, l);
          check(linker, model, undefined);
        }
      }),
      { numRuns: 60 },
    );
  });
});
