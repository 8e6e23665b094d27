/**
 * Incremental equivalence: applying any sequence of add / edit / delete / rename to an index
 * must leave it exactly as a fresh index built from the final corpus (entities, mentions,
 * claims, related figures). Model: foam's graph-incremental test.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { InMemoryCorpus } from '../../server/src/service/corpus';
import { createLanguageService } from '../../server/src/service/languageService';
import type { Entity } from '../../server/src/service/types';
import { WorkspaceIndex } from '../../server/src/service/workspaceIndex';
import { fakeAnalyse } from '../helpers/fakeAnalyse';
import { plainClaim } from '../helpers/claims';

const SENTENCES = [
  'Yerkin Tukumov met Kotra in Astana.',
  'Erkin Tukumov said Kazakhstan will invest $870 million.',
  'Tukumov noted 12% growth in Korea.',
  'Kotra hired 300 workers in Astana.',
  'Samruk Energy plans $5 billion for Kazakhstan.',
  'Azamat Beispekov opened the Astana Forum.',
  'Beispekov said over 4,700 jobs were created.',
  'KazISS and Kotra signed a deal worth $854.4 million.',
  'Nothing to see here.',
  'Korea and Kazakhstan agreed on 3.5% tariffs.',
];

const NAMES = ['a.txt', 'b.txt', 'c.md', 'd/e.txt', 'f.txt'];

type Op =
  | { op: 'add'; name: string; sentences: number[] }
  | { op: 'edit'; name: string; at: number; sentence: number }
  | { op: 'delete'; name: string }
  | { op: 'rename'; from: string; to: string };

const textOf = (ids: number[]) => 'Title\n\n' + ids.map((i) => SENTENCES[i]).join(' ') + '\n';

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant('add' as const), name: fc.constantFrom(...NAMES), sentences: fc.array(fc.nat(SENTENCES.length - 1), { maxLength: 5 }) }),
  fc.record({ op: fc.constant('edit' as const), name: fc.constantFrom(...NAMES), at: fc.nat(400), sentence: fc.nat(SENTENCES.length - 1) }),
  fc.record({ op: fc.constant('delete' as const), name: fc.constantFrom(...NAMES) }),
  fc.record({ op: fc.constant('rename' as const), from: fc.constantFrom(...NAMES), to: fc.constantFrom(...NAMES) }),
);

const uri = (name: string) => `file:///ws/${name}`;

/** Everything observable about an index, in a canonical order. */
function snapshot(index: WorkspaceIndex) {
  const entities = [...index.entities()]
    .map((e: Entity) => ({ ...e, mentions: [...e.mentions].sort((a, b) => (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : a.start - b.start)) }))
    .sort((a, b) => (a.id < b.id ? -1 : 1));
  const docs = [...index.documents()].map((d) => d.uri).sort();
  const perDoc = docs.map((u) => ({ uri: u, mentions: index.mentionsIn(u), claims: index.claimsIn(u).map(plainClaim), text: index.document(u)!.text }));
  return { entities, perDoc };
}

function relatedSnapshot(index: WorkspaceIndex, service: ReturnType<typeof createLanguageService>) {
  const out: string[] = [];
  for (const u of [...index.documents()].map((d) => d.uri).sort()) {
    const li = service.lines(u)!;
    for (const c of index.claimsIn(u)) {
      const r = service.relatedClaims(u, li.positionAt(c.start));
      out.push(`${u}@${c.start}: ${r?.related.map((x) => `${x.uri}@${x.range.start.character}:${x.difference}`).join(', ')}`);
    }
  }
  return out;
}

test('index: incremental updates equal a fresh index of the final corpus', () => {
  const analyse = fakeAnalyse();
  fc.assert(
    fc.property(fc.array(opArb, { minLength: 1, maxLength: 25 }), (ops) => {
      const corpus = new InMemoryCorpus();
      const index = new WorkspaceIndex({ analyse });
      const service = createLanguageService({ index });
      for (const o of ops) {
        switch (o.op) {
          case 'add':
            index.update(corpus.set(uri(o.name), textOf(o.sentences)));
            break;
          case 'edit': {
            const doc = corpus.get(uri(o.name));
            if (!doc) break;
            const at = Math.min(o.at, doc.text.length);
            index.update(corpus.set(doc.uri, doc.text.slice(0, at) + ' ' + SENTENCES[o.sentence] + ' ' + doc.text.slice(at)));
            break;
          }
          case 'delete':
            if (corpus.delete(uri(o.name))) index.remove(uri(o.name));
            break;
          case 'rename': {
            const doc = corpus.get(uri(o.from));
            if (!doc || o.from === o.to) break;
            corpus.delete(doc.uri);
            index.remove(doc.uri);
            index.update(corpus.set(uri(o.to), doc.text));
            break;
          }
        }
        // Query in between, so cached link results and the related-figures index are exercised.
        if (o.op !== 'delete') relatedSnapshot(index, service);
      }
      const fresh = new WorkspaceIndex({ analyse });
      fresh.fill(new InMemoryCorpus([...corpus.all()].map((d) => ({ ...d }))));
      assert.deepEqual(snapshot(index), snapshot(fresh));
      assert.deepEqual(relatedSnapshot(index, service), relatedSnapshot(fresh, createLanguageService({ index: fresh })));
    }),
    { numRuns: 60, seed: Number(process.env.FC_SEED ?? 4242) },
  );
});

test('index: fill() reconciles a changed corpus (added, changed, removed documents)', () => {
  const analyse = fakeAnalyse();
  const index = new WorkspaceIndex({ analyse });
  const corpus = new InMemoryCorpus([
    { uri: uri('a.txt'), text: textOf([0, 1]), version: 1 },
    { uri: uri('b.txt'), text: textOf([2]), version: 1 },
  ]);
  index.fill(corpus);
  corpus.delete(uri('a.txt'));
  corpus.set(uri('b.txt'), textOf([3, 4]));
  corpus.set(uri('c.txt'), textOf([5]));
  index.fill(corpus);
  const fresh = new WorkspaceIndex({ analyse });
  fresh.fill(corpus);
  assert.deepEqual(snapshot(index), snapshot(fresh));
});
