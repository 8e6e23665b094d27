/**
 * A form's mentions and a cluster's forms are held without a list when there is one of them
 * (OneOrList, entities/model.ts), and a cluster of one form as the form itself (LocalClusterEntry): the helpers, and that resolveDocument and the worker's packed
 * form keep that shape (what saves the index's memory), while the content is the same as a list
 * would give (resolve-golden.test.ts pins the content).
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { clusterForms, forEachOf, isLoneForm, listAt, listLength, listOf, oneOrList, resolveDocument, type LocalResult } from '../../server/src/service/entities';
import { packArticle, receiveArticle } from '../../server/src/service/indexedDocument';
import { doc } from '../helpers/linkerDoc';

test('OneOrList helpers: one object without a list, any other length as the list', () => {
  const a = { n: 1 };
  const b = { n: 2 };
  assert.equal(oneOrList([a]), a);
  const two = [a, b];
  assert.equal(oneOrList(two), two);
  const none: { n: number }[] = [];
  assert.equal(oneOrList(none), none);
  for (const [x, items] of [
    [a, [a]],
    [two, [a, b]],
    [none, []],
  ] as const) {
    assert.equal(listLength(x), items.length);
    items.forEach((it, i) => assert.equal(listAt(x, i), it));
    assert.equal(listAt(x, items.length), undefined);
    const seen: Array<[unknown, number]> = [];
    forEachOf(x, (it, i) => seen.push([it, i]));
    assert.deepEqual(seen, items.map((it, i) => [it, i]));
    assert.deepEqual([...listOf(x)], [...items]);
  }
  assert.equal(listOf(two), two, 'a list is given as it is, not copied');
});

function shapes(local: LocalResult): { bareForms: number; loneForms: number; formLists: number; loneMentions: number; mentionLists: number } {
  const out = { bareForms: 0, loneForms: 0, formLists: 0, loneMentions: 0, mentionLists: 0 };
  for (const c of local.clusters) {
    if (isLoneForm(c)) out.bareForms++;
    else if (Array.isArray(c.forms)) {
      assert.ok(c.forms.length >= 2, 'a list of forms has two or more');
      out.formLists++;
    } else {
      assert.ok(c.definedAcronyms.length > 0, 'a cluster of one form is held as the form unless an acronym is defined for it');
      out.loneForms++;
    }
    for (const f of listOf(clusterForms(c))) {
      if (Array.isArray(f.mentions)) {
        assert.ok(f.mentions.length >= 2, 'a list of mentions has two or more');
        out.mentionLists++;
      } else out.loneMentions++;
    }
  }
  return out;
}

test('resolveDocument holds a lone form and a lone mention without a list, and so does what a worker sends', () => {
  const d = doc(
    'file:///a.txt',
    'Nadia Ferreira met Ferreira and Nadia Ferreira at the Baltic Grain Exchange (BGE). Oslo said BGE was late.',
    [
      ['Nadia Ferreira', 'person'],
      ['Ferreira', 'person'],
      ['Nadia Ferreira', 'person'],
      ['Baltic Grain Exchange', 'organization'],
      ['BGE', 'organization'],
      ['Oslo', 'place'],
      ['BGE', 'organization'],
    ],
  );
  const local = resolveDocument(d);
  const s = shapes(local);
  // Oslo: one form, one mention. The person: a full name (two mentions) and a surname (one).
  assert.ok(s.bareForms >= 1 && s.formLists >= 1 && s.loneMentions >= 1 && s.mentionLists >= 1, JSON.stringify(s));
  const received = receiveArticle(packArticle(d.text, local, []), d.uri).local;
  assert.deepEqual(shapes(received), s);
  assert.deepEqual(received, local);
});
