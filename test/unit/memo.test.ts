import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RecentMap } from '../../server/src/service/entities/memo';

test('RecentMap: past its cap it drops the entry used longest ago; get counts as a use, peek does not', () => {
  const m = new RecentMap<string, number>(2);
  m.set('a', 1);
  m.set('b', 2);
  assert.equal(m.get('a'), 1); // a is now the most recent
  m.set('c', 3); // drops b
  assert.equal(m.peek('b'), undefined);
  assert.equal(m.peek('a'), 1);
  assert.equal(m.peek('c'), 3);
  assert.equal(m.peek('a'), 1); // peeking a keeps it the oldest
  m.set('d', 4); // drops a
  assert.equal(m.peek('a'), undefined);
  assert.deepEqual([m.peek('c'), m.peek('d')], [3, 4]);
  // Setting a present key replaces it and makes it the most recent.
  m.set('c', 30);
  m.set('e', 5); // drops d
  assert.deepEqual([m.peek('c'), m.peek('d'), m.peek('e')], [30, undefined, 5]);
  assert.equal(m.delete('c'), true);
  assert.equal(m.get('c'), undefined);
});
