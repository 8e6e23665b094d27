/**
 * canonicalUri (server/src/handlers/workspace.ts): editor and disk URIs of one file compare equal,
 * and the kept answers stay right past the number it keeps.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { canonicalUri } from '../../server/src/handlers/workspace';

test('canonicalUri: an editor spelling and the disk spelling of one file give the same URI, asked once or many times', () => {
  const disk = pathToFileURL('/news/Tromsø report #2.txt').href;
  for (let round = 0; round < 3; round++) {
    assert.equal(canonicalUri('file:///news/Troms%C3%B8%20report%20%232.txt'), disk);
    assert.equal(canonicalUri('file:///news/sub/../Troms%c3%b8%20report%20%232.txt'), disk);
    assert.equal(canonicalUri(disk), disk);
    assert.equal(canonicalUri('untitled:Untitled-1'), 'untitled:Untitled-1');
    assert.equal(canonicalUri('file://not a uri%'), 'file://not a uri%', 'what cannot be parsed is kept as it is');
  }
  // More distinct URIs than are kept: every answer is still the computed one.
  for (let i = 0; i < 3000; i++) assert.equal(canonicalUri(`file:///a/./b/${i}.txt`), `file:///a/b/${i}.txt`);
  assert.equal(canonicalUri('file:///news/sub/../Troms%c3%b8%20report%20%232.txt'), disk);
});
