import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { globToRegExp, inCorpus, DEFAULT_EXCLUDE, DEFAULT_INCLUDE } from '../../server/src/service/glob';
import { decodeArticle, listCorpusFiles, loadFolder } from '../../server/src/service/loader';

const made: string[] = [];
after(() => {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
});

function tempFolder(files: Record<string, string | Uint8Array>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sourcelens-loader-'));
  made.push(dir);
  for (const [rel, content] of Object.entries(files)) {
    const full = path.join(dir, rel);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, content);
  }
  return dir;
}

test('glob: ** crosses folders, * stays in one, braces alternate', () => {
  assert.ok(globToRegExp('**/*.txt').test('a.txt'));
  assert.ok(globToRegExp('**/*.txt').test('x/y/a.txt'));
  assert.ok(!globToRegExp('*.txt').test('x/a.txt'));
  assert.ok(globToRegExp('news/**').test('news/2024/a.md'));
  assert.ok(globToRegExp('**/*.{txt,md}').test('a/b.md'));
  assert.ok(!globToRegExp('**/*.{txt,md}').test('a/b.mdx'));
  assert.ok(globToRegExp('file?.txt').test('file1.txt'));
  assert.ok(globToRegExp('[ab].txt').test('b.txt'));
  assert.ok(!globToRegExp('[!ab].txt').test('a.txt'));
  assert.ok(!globToRegExp('a.txt').test('aXtxt'), 'dots are literal');
});

test('glob: default filter keeps articles and drops node_modules and .git', () => {
  const f = { include: DEFAULT_INCLUDE, exclude: DEFAULT_EXCLUDE };
  assert.ok(inCorpus('000_a.txt', f));
  assert.ok(inCorpus('notes/b.md', f));
  assert.ok(!inCorpus('node_modules/x/readme.md', f));
  assert.ok(!inCorpus('a/.git/HEAD.txt', f));
  assert.ok(!inCorpus('data.json', f));
});

test('decodeArticle: binary, non-UTF-8, oversized and BOM', () => {
  assert.deepEqual(decodeArticle(new Uint8Array([104, 0, 105])), { ok: false, reason: 'binary file (contains NUL bytes)' });
  assert.deepEqual(decodeArticle(new Uint8Array([0xc3, 0x28])), { ok: false, reason: 'not valid UTF-8' });
  const big = decodeArticle(new Uint8Array(2048).fill(65), 1024);
  assert.equal(big.ok, false);
  assert.match((big as { reason: string }).reason, /too large \(2\.0 KB > limit 1\.0 KB\)/);
  assert.deepEqual(decodeArticle(new TextEncoder().encode('\ufeffHello')), { ok: true, text: 'Hello' });
});

test('loadFolder: reads articles, skips bad files with a reason, ignores node_modules', () => {
  const dir = tempFolder({
    'a.txt': 'Alpha article',
    'sub/b.md': '# Beta',
    'bin.txt': new Uint8Array([1, 2, 0, 3]),
    'latin1.txt': new Uint8Array([0x63, 0x61, 0x66, 0xe9]),
    'huge.txt': 'x'.repeat(3000),
    'node_modules/pkg/c.txt': 'ignored',
    'image.png': new Uint8Array([137, 80, 78, 71]),
  });
  const r = loadFolder(dir, { maxFileSize: 2000 });
  assert.deepEqual(r.files.map((f) => f.path), ['a.txt', 'sub/b.md']);
  assert.equal(r.files[0].text, 'Alpha article');
  assert.ok(r.files[0].uri.startsWith('file://'));
  const reasons = Object.fromEntries(r.skipped.map((s) => [s.path, s.reason]));
  assert.match(reasons['bin.txt'], /binary/);
  assert.match(reasons['latin1.txt'], /UTF-8/);
  assert.match(reasons['huge.txt'], /too large/);
  assert.equal(r.skipped.length, 3);
});

test('loadFolder: include/exclude settings are honoured', () => {
  const dir = tempFolder({ 'keep/a.txt': 'A', 'drop/b.txt': 'B', 'c.md': 'C' });
  assert.deepEqual(listCorpusFiles(dir, { include: ['**/*.txt'], exclude: ['drop/**'] }), ['keep/a.txt']);
});

test('loadFolder: empty folder gives empty result; a missing folder is a clear error', () => {
  const dir = tempFolder({});
  assert.deepEqual(loadFolder(dir), { files: [], skipped: [] });
  assert.throws(() => loadFolder(path.join(dir, 'nope')), /folder not found/);
});

test('loadFolder: an unreadable file (a broken link) is skipped with its reason, not thrown', () => {
  const dir = tempFolder({ 'a.txt': 'A', 'target.md': 'T' });
  fs.symlinkSync(path.join(dir, 'missing.txt'), path.join(dir, 'b.txt'));
  fs.symlinkSync(path.join(dir, 'target.md'), path.join(dir, 'link.md'));
  const r = loadFolder(dir);
  assert.deepEqual(r.files.map((f) => f.path), ['a.txt', 'link.md', 'target.md']);
  assert.deepEqual(r.skipped, [{ path: 'b.txt', reason: 'unreadable (ENOENT)' }]);
});
