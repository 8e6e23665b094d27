/**
 * What a client pays to read a references answer, whatever the server: a JSON-RPC response of
 * K locations (LSP `Location[]`) over the generated corpus's own file URIs, decoded as
 * vscode-jsonrpc decodes a message body (UTF-8 bytes to a string, then `JSON.parse`), R times in
 * this process. The bench's references p99 at 10,000 articles includes this for the
 * much-mentioned entities (one answer of 4,487 locations, about 660 KB), so it is a floor under
 * that figure on this machine.
 *
 *   node --import tsx bench/decode-floor.ts [K=4487] [R=60] [N=10000]
 *
 * Prints the response's size and the decode time: min, median, p90 and max over the R rounds
 * (the first five are warm-up and not counted).
 */
import { ensureCorpus } from './generate';
import { pathToFileURL } from 'node:url';
import * as path from 'node:path';

const WARM_UP = 5;

function main(): void {
  const [k = 4487, rounds = 60, n = 10000] = process.argv.slice(2).map(Number);
  const corpus = ensureCorpus(n, {});
  // Locations spread over the corpus's articles, a few per article, at plausible lines.
  const locations = Array.from({ length: k }, (_, i) => {
    const file = corpus.files[(i * 7919) % corpus.files.length];
    const line = (i * 13) % 60;
    const character = (i * 31) % 120;
    return { uri: pathToFileURL(path.join(corpus.dir, file)).href, range: { start: { line, character }, end: { line, character: character + 10 } } };
  });
  const body = Buffer.from(JSON.stringify({ jsonrpc: '2.0', id: 1, result: locations }), 'utf8');
  const decoder = new TextDecoder('utf-8');
  const times: number[] = [];
  let check = 0;
  for (let r = 0; r < rounds + WARM_UP; r++) {
    const t0 = performance.now();
    const msg = JSON.parse(decoder.decode(body));
    const dt = performance.now() - t0;
    check += msg.result.length;
    if (r >= WARM_UP) times.push(dt);
  }
  if (check !== k * (rounds + WARM_UP)) throw new Error('decoded the wrong number of locations');
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))].toFixed(2);
  console.log(
    `${k} locations, ${(body.length / 1024).toFixed(0)} KB: decode ms over ${rounds} rounds: min ${at(0)}, median ${at(0.5)}, p90 ${at(0.9)}, max ${at(1)}`,
  );
}

main();
