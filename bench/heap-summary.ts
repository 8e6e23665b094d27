/**
 * The functions that allocated most in a sampled heap profile (bench/heap-sampling.cjs), by the
 * bytes allocated in the function itself:
 *   node --import tsx bench/heap-summary.ts FILE.heapprofile [N]
 */
import * as fs from 'node:fs';

interface ProfileNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children?: ProfileNode[];
}

const [file, n = '25'] = process.argv.slice(2);
const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as { head: ProfileNode; error?: string };
if (profile.error) throw new Error(profile.error);
const bytes = new Map<string, number>();
let total = 0;
const walk = (node: ProfileNode) => {
  const f = node.callFrame;
  const key = `${f.functionName || '(anonymous)'} ${f.url.split('/').pop()}:${f.lineNumber + 1}`;
  bytes.set(key, (bytes.get(key) ?? 0) + node.selfSize);
  total += node.selfSize;
  for (const c of node.children ?? []) walk(c);
};
walk(profile.head);
console.log(`${(total / 1e6).toFixed(1)} MB allocated (sampled)`);
for (const [k, v] of [...bytes].sort((a, b) => b[1] - a[1]).slice(0, Number(n))) console.log(`${(v / 1e6).toFixed(1).padStart(8)} MB  ${k}`);
