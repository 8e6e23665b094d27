// Builds the entry points (client, server, its analysis worker, CLI) into dist/.
//   node esbuild.mjs               one development build
//   node esbuild.mjs --production  minified, no source maps
//   node esbuild.mjs --watch       rebuild on change
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const root = path.dirname(new URL(import.meta.url).pathname);
const dist = path.join(root, 'dist');

/** Shipped data (the trained tagger, gazetteers) sits beside the bundles. */
function copyModel() {
  const from = path.join(root, 'server', 'model');
  if (!fs.existsSync(from)) return;
  fs.mkdirSync(dist, { recursive: true });
  for (const f of fs.readdirSync(from)) {
    if (f.startsWith('.')) continue;
    fs.copyFileSync(path.join(from, f), path.join(dist, f));
  }
}

const common = {
  bundle: true,
  platform: 'node',
  target: 'node18',
  format: 'cjs',
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  logLevel: 'warning',
  plugins: [{ name: 'copy-model', setup(b) { b.onEnd(() => copyModel()); } }],
};

const entries = [
  { entryPoints: ['client/src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
  { entryPoints: ['server/src/server.ts'], outfile: 'dist/server.js' },
  { entryPoints: ['server/src/worker/analysisWorker.ts'], outfile: 'dist/analysisWorker.js' },
  { entryPoints: ['server/src/cli.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
];

const contexts = [];
for (const e of entries) {
  if (!fs.existsSync(path.join(root, e.entryPoints[0]))) {
    console.warn(`esbuild: skipping missing entry ${e.entryPoints[0]}`);
    continue;
  }
  contexts.push(await esbuild.context({ ...common, ...e }));
}

if (watch) {
  await Promise.all(contexts.map((c) => c.watch()));
  console.log('esbuild: watching for changes');
} else {
  await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
  if (fs.existsSync(path.join(dist, 'cli.js'))) fs.chmodSync(path.join(dist, 'cli.js'), 0o755);
}
