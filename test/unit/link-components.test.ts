/**
 * CorpusLinker's components with pruned decisions (acronyms and surnames whose candidates are
 * spread over several components), lone key groups and incremental type votes: built in one
 * go or edited document by document, it must equal linkCorpus from scratch. The pool is made
 * of hubs: acronyms with several long forms, surnames of several people, names typed
 * differently in different articles.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { CorpusLinker, linkCorpus, type LinkerOptions, type LocalResult } from '../../server/src/service/entities';
import type { EntityType } from '../../server/src/service/types';
import { pooledDoc } from '../helpers/linkerDoc';

const POOL: [string, EntityType][] = [
  ['KTZ', 'organization'],
  ['Kazakhstan Temir Zholy', 'organization'],
  ['Kazakh Trade Zone', 'organization'],
  ['Kazakhstan Tax Zone', 'organization'],
  ['KT', 'organization'],
  ['Kazakh Telecom', 'organization'],
  ['UN', 'organization'],
  ['United Nations', 'organization'],
  ['Ukrainian Navy', 'organization'],
  ['Kim', 'person'],
  ['Jong Kim', 'person'],
  ['Min Kim', 'person'],
  ['Minh Kim', 'person'],
  ['Tokayev', 'person'],
  ['Kassym-Jomart Tokayev', 'person'],
  ['Kasym-Jomart Tokayev', 'person'],
  ['Mowi', 'organization'],
  ['Mowi', 'person'],
  ['Mowi', 'place'],
  ['Santiago', 'place'],
  ['Santiago', 'organization'],
  ['U.S.', 'place'],
  ['United States', 'place'],
  ['America', 'place'],
  ['Akorda', 'organization'],
  ['Regional Dialogue', 'event'],
  ['RD', 'event'],
];

const FILLERS = [' said. ', ' (', ') and ', ', '];
const docArb = fc.array(fc.tuple(fc.nat(POOL.length - 1), fc.nat(FILLERS.length - 1)), { minLength: 0, maxLength: 8 });

const build = (uri: string, items: [number, number][]): LocalResult => pooledDoc(uri, POOL, items.map(([i, f]) => [i, FILLERS[f]] as const));

function check(linker: CorpusLinker, model: Map<string, LocalResult>): void {
  const expected = linkCorpus([...model.values()]);
  assert.deepEqual(linker.entities(), expected);
  const counts: Record<EntityType, number> = { person: 0, organization: 0, place: 0, event: 0 };
  for (const e of expected) counts[e.type]++;
  assert.deepEqual(linker.countByType(), counts);
}

const uri = (i: number) => `file:///c/${String(i).padStart(2, '0')}.txt`;

/** Document i of the pool's docs as uri(i), or its removal (null), in the linker and in the model. */
function applyEdit(linker: CorpusLinker, model: Map<string, LocalResult>, i: number, d: [number, number][] | null): void {
  if (d === null) {
    linker.remove(uri(i));
    model.delete(uri(i));
  } else {
    const l = build(uri(i), d);
    linker.add(l);
    model.set(l.uri, l);
  }
}

describe('CorpusLinker components (pruned decisions, lone groups) equal linkCorpus', () => {
  it('built in one go, then edited, removed and re-added document by document', () => {
    fc.assert(
      fc.property(
        fc.array(docArb, { minLength: 5, maxLength: 30 }),
        fc.array(fc.tuple(fc.nat(29), fc.option(docArb, { nil: null })), { maxLength: 8 }),
        (docs, edits) => {
          const linker = new CorpusLinker();
          const model = new Map<string, LocalResult>();
          docs.forEach((d, i) => {
            const l = build(uri(i), d);
            linker.add(l);
            model.set(l.uri, l);
          });
          check(linker, model);
          for (const [i, d] of edits) {
            applyEdit(linker, model, i, d);
            check(linker, model);
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('one mention more of a frequent name in one article, and back', () => {
    const docs = Array.from({ length: 40 }, (_, i) => build(uri(i), [[16 + (i % 3), 0], [21 + (i % 3), 1], [i % 9, 3], [9 + (i % 4), 0]]));
    const linker = new CorpusLinker();
    for (const l of docs) linker.add(l);
    const model = new Map(docs.map((l) => [l.uri, l]));
    check(linker, model);
    for (let k = 0; k < 4; k++) {
      const i = 7 * k + 3;
      const l = k % 2 === 0 ? build(uri(i), [[16 + (i % 3), 0], [21 + (i % 3), 1], [i % 9, 3], [9 + (i % 4), 0], [16, 0]]) : docs[i];
      linker.add(l);
      model.set(l.uri, l);
      check(linker, model);
    }
  });
});

describe('CorpusLinker in steps (startLink, mentionsOfFirst, linkRest)', () => {
  /** What a document's mentions say about their entities, ids aside (renumbering may change them when the link ends). */
  const describeMentions = (list: ReturnType<CorpusLinker['mentionsOf']>) =>
    list.map(({ mention, entity }) => ({ start: mention.start, end: mention.end, name: entity.name, type: entity.type, aliases: entity.aliases, merges: entity.merges, mentions: entity.mentions }));

  it("gives an article its entities ahead of the rest, and ends as one link in one go", () => {
    fc.assert(
      fc.property(
        fc.array(docArb, { minLength: 5, maxLength: 30 }),
        fc.array(fc.nat(29), { maxLength: 10 }),
        fc.integer({ min: 1, max: 12 }),
        (docs, asked, batch) => {
          const linker = new CorpusLinker(undefined, { linkBatch: batch });
          const whole = new CorpusLinker();
          const model = new Map<string, LocalResult>();
          docs.forEach((d, i) => {
            const l = build(uri(i), d);
            linker.add(l);
            whole.add(l);
            model.set(l.uri, l);
          });
          const started = linker.startLink();
          assert.equal(started, linker.linking);
          for (const i of asked) {
            const u = uri(i % docs.length);
            assert.deepEqual(describeMentions(linker.mentionsOfFirst(u)), describeMentions(whole.mentionsOf(u)));
            // One batch per step (no time left after the first).
            linker.linkRest(0);
          }
          while (!linker.linkRest(0));
          assert.equal(linker.linking, false);
          check(linker, model);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('is finished by any other query, and an edit made meanwhile is linked after it', () => {
    const docs = Array.from({ length: 30 }, (_, i) => build(uri(i), [[16 + (i % 3), 0], [21 + (i % 3), 1], [i % 9, 3], [9 + (i % 4), 0]]));
    const linker = new CorpusLinker(undefined, { linkBatch: 4 });
    const model = new Map<string, LocalResult>();
    for (const l of docs) {
      linker.add(l);
      model.set(l.uri, l);
    }
    assert.equal(linker.startLink(), true);
    linker.mentionsOfFirst(uri(17));
    assert.equal(linker.linking, true, 'one article asked about: the rest is still to link');
    assert.equal(linker.dirty, true);
    const edited = build(uri(5), [[0, 1], [1, 2], [16, 0]]);
    linker.add(edited);
    model.set(edited.uri, edited);
    // With an edit waiting, an article's mentions come from the whole link, edit included.
    assert.deepEqual(linker.mentionsOfFirst(uri(5)), linker.mentionsOf(uri(5)));
    assert.equal(linker.linking, false);
    check(linker, model);
    // Linked already: nothing is left for steps.
    assert.equal(linker.startLink(), false);
  });
});

describe('CorpusLinker search for components in steps (beginSearch, searchStep)', () => {
  /** Runs the search one item per step (no time left, a look at the clock after every item); the number of steps. */
  const stepThrough = (linker: CorpusLinker, between: (step: number) => void = () => {}): number => {
    let steps = 0;
    while (!linker.searchStep(0)) between(++steps);
    return steps + 1;
  };

  /** Adds document i of `docs` as uri(i); what was added, by uri. */
  const fill = (linker: CorpusLinker, docs: [number, number][][]): Map<string, LocalResult> => {
    const model = new Map<string, LocalResult>();
    docs.forEach((d, i) => {
      const l = build(uri(i), d);
      linker.add(l);
      model.set(l.uri, l);
    });
    return model;
  };

  it('ends as the search in one go does, however it is cut, and stays dirty until then', () => {
    fc.assert(
      // (slice: the nodes of a key walked per step; keys here have up to dozens of nodes)
      fc.property(fc.array(docArb, { minLength: 5, maxLength: 30 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 6 }), (docs, batch, slice) => {
        const linker = new CorpusLinker(undefined, { linkBatch: batch, searchCheck: 1, searchSlice: slice });
        const model = fill(linker, docs);
        assert.equal(linker.beginSearch(), true);
        assert.equal(linker.beginSearch(), true, 'a search under way is continued');
        const steps = stepThrough(linker, () => {
          assert.equal(linker.dirty, true);
          assert.equal(linker.searching, true);
          for (const u of model.keys()) assert.equal(linker.has(u), true);
        });
        // One step per document at least (the first phase), and one more per phase.
        assert.ok(steps > docs.length, `${steps} steps for ${docs.length} documents`);
        assert.equal(linker.searching, false);
        assert.equal(linker.linking, true, 'the search stops before the components are linked');
        assert.equal(linker.startLink(), true);
        while (!linker.linkRest(0));
        check(linker, model);
      }),
      { numRuns: 100 },
    );
  });

  it('edits, removals and additions made during the search are linked after it', () => {
    fc.assert(
      fc.property(
        fc.array(docArb, { minLength: 5, maxLength: 25 }),
        fc.array(fc.tuple(fc.nat(60), fc.nat(29), fc.option(docArb, { nil: null })), { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 1, max: 6 }),
        (docs, edits, slice) => {
          const linker = new CorpusLinker(undefined, { searchCheck: 1, searchSlice: slice });
          const model = fill(linker, docs);
          assert.equal(linker.beginSearch(), true);
          const sorted = [...edits].sort((a, b) => a[0] - b[0]);
          let k = 0;
          const apply = (step: number) => {
            for (; k < sorted.length && sorted[k][0] <= step; k++) {
              const [, i, d] = sorted[k];
              applyEdit(linker, model, i, d);
              for (const u of model.keys()) assert.equal(linker.has(u), true);
              if (d === null) assert.equal(linker.has(uri(i)), false);
            }
          };
          stepThrough(linker, apply);
          apply(Infinity);
          check(linker, model);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('is finished by any query (then linked whole), and searchStep after that has nothing to do', () => {
    const docs = Array.from({ length: 30 }, (_, i) => build(uri(i), [[16 + (i % 3), 0], [21 + (i % 3), 1], [i % 9, 3], [9 + (i % 4), 0]]));
    const model = new Map(docs.map((l) => [l.uri, l]));
    for (const query of [(l: CorpusLinker) => l.entities(), (l: CorpusLinker) => l.mentionsOfFirst(uri(3)), (l: CorpusLinker) => l.startLink()]) {
      const linker = new CorpusLinker(undefined, { searchCheck: 1 });
      for (const l of docs) linker.add(l);
      assert.equal(linker.beginSearch(), true);
      for (let i = 0; i < 40; i++) assert.equal(linker.searchStep(0), false);
      query(linker);
      assert.equal(linker.searching, false);
      assert.equal(linker.searchStep(0), true);
      check(linker, model);
    }
  });

  /**
   * A linker with `docs` added and its first build done, searched in steps (`beginSearch`, then
   * `searchStep(0)` to the end) when `stepped`, else in one go by the check's first query.
   */
  const builtWith = (docs: LocalResult[], opts: LinkerOptions, stepped: boolean): CorpusLinker => {
    const linker = new CorpusLinker(undefined, opts);
    for (const l of docs) linker.add(l);
    if (stepped) {
      assert.equal(linker.beginSearch(), true);
      while (!linker.searchStep(0));
    }
    check(linker, new Map(docs.map((l) => [l.uri, l])));
    return linker;
  };

  it('leaves every bag of the key index in its usual form (an array of 2-8 entries, or a Set past that), in steps or in one go', () => {
    // (The first phase grows the bags in place; phase 3 settles them: see addNew, settleBag.)
    const docs = Array.from({ length: 40 }, (_, i) => build(uri(i), [[i % 4, 0], [9 + (i % 2), 1], [16, 3], [21 + (i % 3), 0], [i % 27, 2]]));
    for (const stepped of [false, true]) {
      const linker = builtWith(docs, { searchCheck: 1, searchSlice: 3 }, stepped);
      const bags = [...(linker as unknown as { keyNodes: Map<string, unknown> }).keyNodes.values()];
      let sets = 0;
      for (const bag of bags) {
        if (Array.isArray(bag)) assert.ok(bag.length >= 2 && bag.length <= 8, `an array bag of ${bag.length}`);
        else if (bag instanceof Set) (assert.ok(bag.size > 8, `a Set bag of ${bag.size}`), sets++);
      }
      assert.ok(sets > 0, 'some keys have more than eight nodes');
      // The key groups' indexes, grown in place by the registrations (addNew) and settled.
      let arrays = 0;
      for (const name of ['blocks', 'acrIdx', 'longIdx', 'surLong', 'surShort']) {
        for (const bag of (linker as unknown as Record<string, Map<string, unknown>>)[name].values()) {
          if (Array.isArray(bag)) {
            assert.ok(bag.length >= 2 && bag.length <= 8, `${name}: an array bag of ${bag.length}`);
            assert.equal(new Set(bag).size, bag.length, `${name}: an entry twice`);
            arrays++;
          } else if (bag instanceof Set) assert.ok(bag.size > 8, `${name}: a Set bag of ${bag.size}`);
        }
      }
      assert.ok(arrays > 0, 'some index keys have several groups');
    }
  });

  it('gives an index key of more than eight key groups a Set after the registrations, and a group its key once, in steps or in one go', () => {
    // Twelve full names ending in one surname: its key in the surname index has twelve groups.
    const names = ['Arman', 'Bolat', 'Daniyar', 'Erlan', 'Gulnara', 'Ilyas', 'Kairat', 'Laura', 'Marat', 'Nurlan', 'Olzhas', 'Serik'];
    // And a long form whose initials give one index key twice ("hs2", skipping either S): its group is entered once.
    const pool: [string, EntityType][] = [...names.map((n): [string, EntityType] => [`${n} Velmorov`, 'person']), ['Velmorov', 'person'], ['Hydrogen Sorvak Summit 2024', 'event']];
    const docs = names.map((_, i) => pooledDoc(uri(i), pool, [[i, ' said. ']]));
    docs.push(pooledDoc(uri(names.length), pool, [[names.length, ' said. '], [names.length + 1, ' said. ']]));
    for (const stepped of [false, true]) {
      const linker = builtWith(docs, { searchCheck: 1 }, stepped);
      const bags = [...(linker as unknown as { surLong: Map<string, unknown> }).surLong.values()];
      assert.equal(bags.length, 1);
      assert.ok(bags[0] instanceof Set && bags[0].size === names.length, `a Set of ${names.length} groups`);
      const long = [...(linker as unknown as { longIdx: Map<string, unknown> }).longIdx.values()];
      assert.ok(long.length > 0);
      for (const bag of long) assert.ok(!Array.isArray(bag), `one group, not ${JSON.stringify(Array.isArray(bag) && bag.length)} entries`);
    }
  });

  it('is not begun when there is no first build to do', () => {
    const linker = new CorpusLinker();
    assert.equal(linker.beginSearch(), false, 'no documents');
    linker.add(build(uri(0), [[0, 0]]));
    linker.entities();
    linker.add(build(uri(1), [[1, 0]]));
    assert.equal(linker.beginSearch(), false, 'linked already: an edit is an incremental flush');
    assert.equal(linker.searchStep(10), true);
  });
});

describe('CorpusLinker collectGarbage (full collections in the first build)', () => {
  const docs = Array.from({ length: 30 }, (_, i) => build(uri(i), [[16 + (i % 3), 0], [21 + (i % 3), 1], [i % 9, 3], [9 + (i % 4), 0]]));

  it('is called as the first build starts, before its components are linked and as it ends, never by edits, and changes nothing', () => {
    const phases: string[] = [];
    const linker = new CorpusLinker(undefined, { collectGarbage: (phase) => phases.push(phase) });
    const model = new Map<string, LocalResult>();
    for (const l of docs) {
      linker.add(l);
      model.set(l.uri, l);
    }
    assert.deepEqual(phases, []); // nothing is linked before a query
    check(linker, model);
    assert.deepEqual(phases, ['start', 'components', 'end']);
    const plain = new CorpusLinker();
    for (const l of docs) plain.add(l);
    assert.deepEqual(linker.entities(), plain.entities());

    const edited = build(uri(4), [[0, 1], [1, 2], [16, 0]]);
    linker.add(edited);
    model.set(edited.uri, edited);
    check(linker, model);
    linker.remove(uri(9));
    model.delete(uri(9));
    check(linker, model);
    assert.deepEqual(phases, ['start', 'components', 'end'], 'an edit re-links a region without forcing collections');
  });

  it('a build of an emptied linker is a first build again', () => {
    const phases: string[] = [];
    const linker = new CorpusLinker(undefined, { collectGarbage: (phase) => phases.push(phase) });
    for (const l of docs.slice(0, 3)) linker.add(l);
    linker.entities();
    for (const l of docs.slice(0, 3)) linker.remove(l.uri);
    linker.entities();
    phases.length = 0;
    for (const l of docs.slice(3, 6)) linker.add(l);
    check(linker, new Map(docs.slice(3, 6).map((l) => [l.uri, l])));
    assert.deepEqual(phases, ['start', 'components', 'end']);
  });
});
