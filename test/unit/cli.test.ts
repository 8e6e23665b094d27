import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { repoRoot, sharedCorpusDir } from '../helpers/paths';

/** Temporary folders made by these tests, removed when the file's tests end. */
const made: string[] = [];
after(() => {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
});
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sourcelens-cli-'));
  made.push(dir);
  return dir;
}

const cli = path.join(repoRoot, 'dist', 'cli.js');

function run(...args: string[]) {
  return spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

before(() => {
  // The CLI is tested as shipped: the bundle, not the sources.
  const r = spawnSync(process.execPath, [path.join(repoRoot, 'esbuild.mjs')], { cwd: repoRoot, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
});

test('analyze --json on the samples prints the documented shape with valid offsets', () => {
  const r = run('analyze', path.join(repoRoot, 'samples'), '--json');
  assert.equal(r.status, 0, r.stderr);
  const report = JSON.parse(r.stdout);
  assert.deepEqual(Object.keys(report), ['version', 'documents', 'entities', 'claims']);
  assert.equal(report.version, 1);
  const names = fs.readdirSync(path.join(repoRoot, 'samples')).filter((f) => f.endsWith('.txt')).sort();
  assert.deepEqual(report.documents.map((d: { path: string }) => d.path), names);
  const texts = new Map<string, string>(names.map((n) => [n, fs.readFileSync(path.join(repoRoot, 'samples', n), 'utf8')]));
  for (const d of report.documents) assert.equal(d.length, texts.get(d.path)!.length);
  assert.ok(report.claims.length > 20, `expected many claims, got ${report.claims.length}`);
  for (const c of report.claims) {
    assert.deepEqual(Object.keys(c), ['id', 'path', 'start', 'end', 'text', 'kind', 'value', 'unit', 'qualifier', 'checkworthy', 'sentence']);
    assert.equal(texts.get(c.path)!.slice(c.start, c.end), c.text);
    assert.ok(c.sentence.includes(c.text), `sentence of ${c.text} should contain it`);
  }
  assert.ok(report.entities.length > 10, `expected entities, got ${report.entities.length}`);
  for (const e of report.entities) {
    assert.deepEqual(Object.keys(e), ['id', 'name', 'type', 'aliases', 'mentions']);
    assert.ok(['person', 'organization', 'place', 'event'].includes(e.type));
    for (const m of e.mentions) {
      assert.equal(texts.get(m.path)!.slice(m.start, m.end), m.text);
      assert.ok(e.aliases.includes(m.text), `${m.text} should be listed among the aliases of ${e.name}`);
    }
  }
  const ids = report.entities.map((e: { id: string }) => e.id);
  assert.equal(new Set(ids).size, ids.length, 'entity ids are unique');
});

test('analyze on the shared corpus: the $854.4 million claim and a linked person', () => {
  const r = run('analyze', sharedCorpusDir(), '--json');
  assert.equal(r.status, 0, r.stderr);
  const report = JSON.parse(r.stdout);
  assert.equal(report.documents.length, 5);
  const claim = report.claims.find((c: { text: string }) => c.text === '$854.4 million');
  assert.ok(claim, 'the $854.4 million claim is found');
  assert.equal(claim.kind, 'money');
  assert.equal(claim.value, 854400000);
  assert.equal(claim.unit, 'USD');
  const tukumov = report.entities.find((e: { aliases: string[] }) => e.aliases.includes('Yerkin Tukumov'));
  assert.ok(tukumov, 'Yerkin Tukumov is an entity');
  assert.equal(tukumov.type, 'person');
  assert.ok(tukumov.aliases.includes('Erkin Tukumov'), `aliases: ${tukumov.aliases.join(', ')}`);
});

test('human output: a table per article and a summary line', () => {
  const r = run('analyze', path.join(repoRoot, 'samples'));
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /━━ 01-hydrogen-corridor\.txt \(1,463 characters\)/);
  assert.match(r.stdout, /Claims \(\d+, \d+ check-worthy\)/);
  assert.match(r.stdout, /\n4 articles · \d+ entities/);
  assert.match(r.stdout, /\n  NAME +TYPE +HERE/, 'tables are indented under their article');
  assert.match(r.stdout, /\n  2035 +year +2035 /, 'years print without a thousands separator');
});

test('bad input: skipped files are named with a reason; an empty folder is an empty result', () => {
  const dir = tempDir();
  assert.deepEqual(JSON.parse(run('analyze', dir, '--json').stdout), { version: 1, documents: [], entities: [], claims: [] });
  fs.writeFileSync(path.join(dir, 'ok.txt'), 'Prices rose 5% in Oslo.');
  fs.writeFileSync(path.join(dir, 'bin.txt'), Buffer.from([1, 0, 2]));
  fs.writeFileSync(path.join(dir, 'big.txt'), 'a'.repeat(5000));
  const r = run('analyze', dir, '--json', '--max-file-size', '4000');
  assert.equal(r.status, 0);
  assert.match(r.stderr, /skipped bin\.txt: binary file/);
  assert.match(r.stderr, /skipped big\.txt: too large/);
  assert.deepEqual(JSON.parse(r.stdout).documents, [{ path: 'ok.txt', length: 23 }]);
});

test('bad input: a broken dictionary is a warning with its line, the analysis still runs', () => {
  const dir = tempDir();
  fs.writeFileSync(path.join(dir, 'a.txt'), 'Prices rose 5% in Oslo.');
  fs.mkdirSync(path.join(dir, '.sourcelens'));
  fs.writeFileSync(path.join(dir, '.sourcelens', 'entities.json'), '{\n  "version": 1,\n  "entities": [\n    { "name": "X", }\n  ]\n}\n');
  const r = run('analyze', dir, '--json');
  assert.equal(r.status, 0);
  assert.match(r.stderr, /entities\.json:4:\d+: .*dictionary not used/);
  assert.equal(JSON.parse(r.stdout).documents.length, 1);
});

test('errors: a missing folder and bad usage exit non-zero with a message', () => {
  const missing = run('analyze', path.join(os.tmpdir(), 'no-such-folder-sourcelens'));
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /folder not found/);
  const usage = run('frobnicate');
  assert.equal(usage.status, 2);
  assert.match(usage.stderr, /unknown command/);
  assert.equal(run('analyze').status, 2);
  assert.equal(run('analyze', '.', '--bogus').status, 2);
});
