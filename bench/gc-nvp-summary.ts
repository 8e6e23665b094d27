/**
 * Sums what V8's `--trace-gc-nvp` printed for a run of the server, per isolate (the server's
 * thread and each worker print with their own isolate address), kind of collection (s: minor,
 * mc: full) and time window: how many, their pauses on the collecting thread, the time V8's helper
 * threads spent on them (the `background.*` fields: parallel scavenging, concurrent marking and
 * sweeping, which take a core from whatever else runs), and for minor collections what was
 * allocated, what survived and what was promoted.
 *
 *   SOURCELENS_V8_TRACE=/tmp/nvp.log SOURCELENS_NODE_ARGS=--trace-gc-nvp \
 *     node --import tsx bench/start-trace.ts 20000 --open --poll-hover
 *   node --import tsx bench/gc-nvp-summary.ts /tmp/nvp.log 58000 76000
 *
 * The times after the file are the windows' bounds in ms of each isolate's own clock (the number
 * V8 prints before "ms:"; for the server's thread about its start): 58000 76000 gives the windows
 * [0, 58 s), [58 s, 76 s) and [76 s, end), e.g. the pass, the search and the rest as the server's
 * log placed them.
 */
import * as fs from 'node:fs';

interface Sum {
  n: number;
  pause: number;
  helpers: number;
  allocated: number;
  survived: number;
  promoted: number;
}

function main(): void {
  const [file, ...bounds] = process.argv.slice(2);
  if (!file) throw new Error('usage: gc-nvp-summary FILE [BOUND_MS ...]');
  const edges = bounds.map(Number).sort((a, b) => a - b);
  const windowOf = (ms: number) => {
    let k = 0;
    while (k < edges.length && ms >= edges[k]) k++;
    const from = k === 0 ? 0 : edges[k - 1];
    return k === edges.length ? `[${from / 1000} s, end)` : `[${from / 1000} s, ${edges[k] / 1000} s)`;
  };
  const sums = new Map<string, Sum>();
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const m = /^\[\d+:(0x[0-9a-f]+)\]\s+(\d+) ms: (.*)$/.exec(line);
    if (!m || !m[3].includes('pause=')) continue;
    const f = new Map<string, string>();
    for (const part of m[3].split(' ')) {
      const eq = part.indexOf('=');
      if (eq > 0) f.set(part.slice(0, eq), part.slice(eq + 1));
    }
    const key = `${m[1]}  ${windowOf(Number(m[2]))}  ${f.get('gc')}`;
    let s = sums.get(key);
    if (!s) sums.set(key, (s = { n: 0, pause: 0, helpers: 0, allocated: 0, survived: 0, promoted: 0 }));
    const num = (k: string) => Number(f.get(k) ?? 0) || 0;
    s.n++;
    s.pause += num('pause');
    for (const k of f.keys()) if (k.startsWith('background.')) s.helpers += num(k);
    if (f.get('gc') === 's') {
      s.allocated += num('allocated');
      s.survived += num('new_space_survived');
      s.promoted += num('promoted');
    }
  }
  const mb = (b: number) => (b / 1e6).toFixed(0);
  for (const [key, s] of [...sums].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const young = key.endsWith(' s') ? `; allocated ${mb(s.allocated)} MB, survived ${mb(s.survived)} MB, promoted ${mb(s.promoted)} MB` : '';
    console.log(`${key}: ${s.n} collections, pauses ${(s.pause / 1000).toFixed(2)} s, helper threads ${(s.helpers / 1000).toFixed(2)} s${young}`);
  }
}

main();
