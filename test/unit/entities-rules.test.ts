/**
 * Type consensus (one type per name per article, then a clear majority across the corpus) and
 * family-name-first surnames. Invented names only.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { linkDocuments, type LinkerDocument } from '../../server/src/service/entities';
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
