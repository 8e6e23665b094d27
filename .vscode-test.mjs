// Integration tests in a downloaded desktop VS Code (@vscode/test-cli):
//   npx vscode-test
// Builds the extension and test/vscode/*.test.ts (to out/test/vscode/) first, then opens the
// shared corpus (../shared/corpus beside the repository, or $SOURCELENS_SHARED/corpus).
// Needs network access to download VS Code; the end-to-end tests (test/e2e) cover the same
// ground in code-server where that is not possible.
import { defineConfig } from '@vscode/test-cli';
import * as esbuild from 'esbuild';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(fileURLToPath(import.meta.url));

function corpusDir() {
  const candidates = [process.env.SOURCELENS_SHARED, path.resolve(root, '..', 'shared'), '/work/shared'];
  for (const c of candidates) if (c && fs.existsSync(path.join(c, 'corpus'))) return path.join(c, 'corpus');
  return path.resolve(root, '..', 'shared', 'corpus');
}

execFileSync(process.execPath, [path.join(root, 'esbuild.mjs')], { cwd: root, stdio: 'inherit' });
const tests = fs.readdirSync(path.join(root, 'test', 'vscode')).filter((f) => f.endsWith('.ts'));
await esbuild.build({
  entryPoints: tests.map((f) => path.join(root, 'test', 'vscode', f)),
  outdir: path.join(root, 'out', 'test', 'vscode'),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node18',
  external: ['vscode', 'mocha'],
  sourcemap: true,
  logLevel: 'warning',
});

export default defineConfig({
  label: 'sourcelens',
  files: 'out/test/vscode/**/*.test.js',
  workspaceFolder: corpusDir(),
  version: process.env.SOURCELENS_VSCODE_VERSION ?? 'stable',
  launchArgs: ['--disable-extensions', '--disable-workspace-trust'],
  mocha: { ui: 'tdd', timeout: 60_000 },
});
