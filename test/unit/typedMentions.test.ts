import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WorkspaceIndex } from '../../server/src/service/workspaceIndex';
import { fakeAnalyse } from '../helpers/fakeAnalyse';

const docs: Record<string, string> = {
  'file:///c/a.txt': 'Azamat Beispekov met Kotra in Astana. Beispekov said Kazakhstan would grow.',
  'file:///c/b.txt': 'Kotra opened an office in Astana. Korea and Kazakhstan signed the deal.',
};

function typed(index: WorkspaceIndex, uri: string) {
  return index.typedMentionsIn(uri).map((m) => `${m.start}-${m.end}:${m.type}`);
}

test('typedMentionsIn: after an edit it answers from the article itself without linking the corpus', () => {
  const index = new WorkspaceIndex({ analyse: fakeAnalyse() });
  let v = 1;
  for (const [uri, text] of Object.entries(docs)) index.update({ uri, text, version: v++ });
  assert.ok(!index.linked, 'updates wait for the link pass');
  const before = typed(index, 'file:///c/a.txt');
  assert.ok(!index.linked, 'typedMentionsIn did not run the link pass');
  index.entities();
  assert.ok(index.linked);
  assert.deepEqual(typed(index, 'file:///c/a.txt'), before, 'linked and local answers agree when no vote changes a type');

  const edited = 'Samruk Energy hired Azamat Beispekov. ' + docs['file:///c/a.txt'];
  index.update({ uri: 'file:///c/a.txt', text: edited, version: 9 });
  const stale = index.typedMentionsIn('file:///c/a.txt');
  assert.ok(!index.linked);
  assert.equal(edited.slice(stale[0].start, stale[0].end), 'Samruk Energy', 'the new mention is there at once');
  assert.equal(stale[0].type, 'organization');
  assert.deepEqual(stale.map((m) => edited.slice(m.start, m.end)), ['Samruk Energy', 'Azamat Beispekov', 'Azamat Beispekov', 'Kotra', 'Astana', 'Beispekov', 'Kazakhstan']);
  const fresh = new WorkspaceIndex({ analyse: fakeAnalyse() });
  fresh.update({ uri: 'file:///c/a.txt', text: edited, version: 1 });
  fresh.update({ uri: 'file:///c/b.txt', text: docs['file:///c/b.txt'], version: 1 });
  fresh.entities();
  assert.deepEqual(stale, fresh.typedMentionsIn('file:///c/a.txt'), 'the quick answer equals the linked answer of a fresh index');
});
