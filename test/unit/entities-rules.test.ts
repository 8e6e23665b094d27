/**
 * Type consensus (one type per name per article, then a clear majority across the corpus) and
 * family-name-first surnames. Invented names only.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { clusterEdges, clusterForms, linkDocuments, listOf, resolveDocument, type LinkerDocument } from '../../server/src/service/entities';
import type { Entity, EntityType, RawMention } from '../../server/src/service/types';

function doc(uri: string, spans: [string, EntityType][]): LinkerDocument {
  let text = '';
  const mentions: RawMention[] = [];
  for (const [s, type] of spans) {
    text += 'Then ';
    mentions.push({ start: text.length, end: text.length + s.length, text: s, type });
    text += s + '. ';
  }
  return { uri, text, mentions };
}

const find = (es: Entity[], text: string, type?: EntityType) =>
  es.filter((e) => (!type || e.type === type) && e.mentions.some((m) => m.text === text));

describe('type consensus', () => {
  it('within an article, the majority type of a name wins and the reason is recorded', () => {
    const es = linkDocuments([doc('file:///a', [['Central Asia', 'organization'], ['Central Asia', 'place'], ['Central Asia', 'place']])]);
    assert.equal(es.length, 1);
    assert.equal(es[0].type, 'place');
    assert.equal(es[0].mentions.length, 3);
    const r = es[0].merges.find((m) => m.rule === 'type');
    assert.ok(r && /organization/.test(r.detail!) && /majority type place/.test(r.detail!), JSON.stringify(es[0].merges));
  });

  it('a tie within an article changes nothing (a city and a club of the same name stay apart)', () => {
    const es = linkDocuments([doc('file:///a', [['Almaty', 'place'], ['Almaty', 'organization']])]);
    assert.equal(es.length, 2);
    assert.deepEqual(es.map((e) => e.type).sort(), ['organization', 'place']);
  });

  it('a one-token person name and the one other-typed full name ending in it take the majority type and link', () => {
    const es = linkDocuments([doc('file:///a', [['Uzra Zeya', 'place'], ['Zeya', 'person'], ['Zeya', 'person']])]);
    assert.equal(es.length, 1);
    assert.equal(es[0].type, 'person');
    assert.equal(es[0].name, 'Uzra Zeya');
    assert.ok(es[0].merges.some((m) => m.rule === 'type'));
    assert.ok(es[0].merges.some((m) => m.rule === 'surname'));
  });

  it('does not retype a full name when a person name also ends in that surname', () => {
    const es = linkDocuments([doc('file:///a', [['Uzra Zeya', 'place'], ['Alim Zeya', 'person'], ['Zeya', 'person']])]);
    assert.equal(find(es, 'Uzra Zeya', 'place').length, 1);
    assert.equal(find(es, 'Zeya')[0].id, find(es, 'Alim Zeya')[0].id);
  });

  it('across the corpus, a clear majority (twice the mentions) retypes stand-alone forms, which then link', () => {
    const es = linkDocuments([
      doc('file:///a', [['Dorvan Union', 'organization'], ['DU', 'organization'], ['DU', 'organization']]),
      doc('file:///b', [['DU', 'place']]),
    ]);
    const du = find(es, 'DU');
    assert.equal(du.length, 1, JSON.stringify(es.map((e) => [e.id, e.aliases])));
    assert.equal(du[0].type, 'organization');
    assert.equal(du[0].mentions.length, 4);
    assert.ok(du[0].merges.some((m) => m.rule === 'type' && /across the corpus/.test(m.detail!)));
  });

  it('across the corpus, two well-attested types of one name stay apart', () => {
    const es = linkDocuments([
      doc('file:///a', [['Velmora', 'person'], ['Velmora', 'person'], ['Velmora', 'person']]),
      doc('file:///b', [['Velmora', 'place'], ['Velmora', 'place']]),
      doc('file:///c', [['Velmora', 'place'], ['Velmora', 'place']]),
    ]);
    assert.deepEqual(es.map((e) => `${e.type}:${e.mentions.length}`).sort(), ['person:3', 'place:4']);
  });
});

describe('family name first', () => {
  it('links a family name to the one full name it starts, with a reason', () => {
    const es = linkDocuments([doc('file:///a', [['Koo Hong-seok', 'person'], ['Koo', 'person'], ['Hong Beom-do', 'person'], ['Hong', 'person']])]);
    assert.equal(find(es, 'Koo')[0].id, find(es, 'Koo Hong-seok')[0].id);
    assert.equal(find(es, 'Hong')[0].id, find(es, 'Hong Beom-do')[0].id);
    const r = find(es, 'Koo')[0].merges.find((m) => m.alias === 'Koo');
    assert.equal(r?.rule, 'surname');
    assert.match(r!.detail!, /family name first/);
  });

  it('prefers a last-token surname match', () => {
    const es = linkDocuments([doc('file:///a', [['Hong Beom-do', 'person'], ['Tarek Hong', 'person'], ['Hong', 'person']])]);
    assert.equal(find(es, 'Hong')[0].id, find(es, 'Tarek Hong')[0].id);
  });

  it('does not link when two full names start with it', () => {
    const es = linkDocuments([doc('file:///a', [['Koo Hong-seok', 'person'], ['Koo Min-ji', 'person'], ['Koo', 'person']])]);
    assert.equal(find(es, 'Koo')[0].mentions.length, 1);
  });

  it('does not link when another full name has it as a whole word', () => {
    const es = linkDocuments([doc('file:///a', [['Hong Beom-do', 'person'], ['Ana Hong Silva', 'person'], ['Hong', 'person']])]);
    assert.equal(find(es, 'Hong')[0].mentions.length, 1);
  });
});

describe('acronyms within an article (resolveDocument)', () => {
  /** The surfaces in the article's cluster of `surface`, sorted. */
  const clusterOf = (local: ReturnType<typeof resolveDocument>, surface: string): string[] => {
    const c = local.clusters.find((cl) => listOf(clusterForms(cl)).some((f) => f.surface === surface));
    assert.ok(c, `a cluster with "${surface}"`);
    return listOf(clusterForms(c)).map((f) => f.surface).sort();
  };

  it('joins an acronym to the one same-type long form its letters match, whatever other types match', () => {
    const local = resolveDocument(doc('file:///a', [['Velmor Trade Agency', 'organization'], ['Velmor Tin Archipelago', 'place'], ['VTA', 'organization']]));
    assert.deepEqual(clusterOf(local, 'VTA'), ['VTA', 'Velmor Trade Agency']);
    const c = local.clusters.find((cl) => listOf(clusterForms(cl)).some((f) => f.surface === 'VTA'))!;
    assert.ok(clusterEdges(c).some((e) => e.rule === 'acronym' && /letters of "Velmor Trade Agency"/.test(e.detail ?? "")), JSON.stringify(clusterEdges(c)));
  });

  it('leaves an acronym alone when the letters of two same-type long forms match it', () => {
    const local = resolveDocument(doc('file:///a', [['Velmor Trade Agency', 'organization'], ['Velmor Tariff Authority', 'organization'], ['VTA', 'organization']]));
    assert.deepEqual(clusterOf(local, 'VTA'), ['VTA']);
  });

  it('checks every acronym of an article against the same long forms', () => {
    const local = resolveDocument(
      doc('file:///a', [
        ['Velmor Trade Agency', 'organization'],
        ['Orsk Port Board', 'organization'],
        ['VTA', 'organization'],
        ['OPB', 'organization'],
        ['VTA', 'organization'],
      ]),
    );
    assert.deepEqual(clusterOf(local, 'VTA'), ['VTA', 'Velmor Trade Agency']);
    assert.deepEqual(clusterOf(local, 'OPB'), ['OPB', 'Orsk Port Board']);
  });
});
