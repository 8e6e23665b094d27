import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import {
  distinctNameTokens,
  ensureCorpus,
  generateArticles,
  generateEditArticle,
  loadSources,
} from '../../bench/generate';

const sources = loadSources();
const texts = (n: number, seed?: string) => [...generateArticles(sources, n, seed)].map((a) => a.text);

describe('synthetic corpus generator', () => {
  it('is deterministic for a seed and differs across seeds', () => {
    const a = texts(40, 's1');
    assert.deepEqual(texts(40, 's1'), a);
    assert.notDeepEqual(texts(40, 's2'), a);
    assert.equal(generateEditArticle(sources, 40, 's1'), generateEditArticle(sources, 40, 's1'));
  });

  it('produces N articles of realistic sizes', () => {
    const a = [...generateArticles(sources, 300)];
    assert.equal(a.length, 300);
    assert.equal(new Set(a.map((x) => x.name)).size, 300);
    const sizes = a.map((x) => Buffer.byteLength(x.text)).sort((x, y) => x - y);
    assert.ok(sizes[0] >= 2000 && sizes[sizes.length - 1] <= 24_000, `${sizes[0]}..${sizes[sizes.length - 1]}`);
    const median = sizes[sizes.length >> 1];
    assert.ok(median > 5000 && median < 11_000, `median ${median}`);
    assert.equal(new Set(a.map((x) => x.text)).size, 300, 'no two articles alike');
    const edit = generateEditArticle(sources, 300);
    assert.ok(edit.length >= 10_000 && edit.length <= 11_000, `edit article ${edit.length}`);
  });

  it('grows the number of distinct names with N', () => {
    const small = distinctNameTokens(texts(100), sources).size;
    const large = distinctNameTokens(texts(800), sources).size;
    assert.ok(small > 200, `small ${small}`);
    assert.ok(large > 3 * small, `${small} -> ${large}`);
  });

  it('writes a corpus folder once and reuses it', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-gen-'));
    try {
      const logs: string[] = [];
      const a = ensureCorpus(25, { root, seed: 'x', log: (m) => logs.push(m) });
      assert.equal(a.reused, false);
      assert.equal(a.files.length, 25);
      for (const f of a.files) assert.ok(fs.existsSync(path.join(a.dir, f)), f);
      assert.ok(fs.existsSync(path.join(a.dir, 'edit-10k.txt')));
      assert.equal(fs.readFileSync(path.join(a.dir, a.files[3]), 'utf8'), texts(25, 'x')[3]);
      const b = ensureCorpus(25, { root, seed: 'x' });
      assert.equal(b.reused, true);
      assert.equal(ensureCorpus(25, { root, seed: 'y' }).reused, false);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
