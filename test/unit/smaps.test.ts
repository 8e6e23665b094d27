/**
 * The bench's reading of a process's resident memory by kind of mapping (bench/lsp-client.ts,
 * residentByKind): glibc's per-thread arenas are told apart from V8's and other anonymous memory
 * by their 64 MB alignment and reservation.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { residentByKind } from '../../bench/lsp-client';

const MB = 1024 * 1024;
/** One smaps entry: [start, end) in bytes, its permissions and name, `rssKb` resident. */
const entry = (start: number, end: number, perms: string, name: string, rssKb: number): string =>
  `${start.toString(16)}-${end.toString(16)} ${perms} 00000000 00:00 0${name ? `    ${name}` : ''}\nSize: ${(end - start) / 1024} kB\nRss: ${rssKb} kB\nPss: ${rssKb} kB\n`;

test('smaps: a 64 MB-aligned arena, grown part and reserved rest, counts as malloc arenas; other anonymous memory does not', () => {
  const A = 0x7f00_0000_0000; // a multiple of 64 MB
  const text = [
    entry(0x55_0000_0000, 0x55_0000_0000 + 8 * MB, 'r-xp', '/usr/bin/node', 6144),
    entry(0x56_0000_0000, 0x56_0000_0000 + 40 * MB, 'rw-p', '[heap]', 30 * 1024),
    // an arena grown to 12 MB, the rest of its 64 MB reserved
    entry(A, A + 12 * MB, 'rw-p', '', 10 * 1024),
    entry(A + 12 * MB, A + 64 * MB, '---p', '', 0),
    // an arena grown to its full 64 MB
    entry(A + 64 * MB, A + 128 * MB, 'rw-p', '', 50 * 1024),
    // V8 heap pages: aligned to 256 KB only
    entry(A + 128 * MB + 256 * 1024, A + 128 * MB + 4352 * 1024, 'rw-p', '', 4 * 1024),
    // 64 MB-aligned but followed by more than the 64 MB: not an arena
    entry(A + 192 * MB, A + 200 * MB, 'rw-p', '', 7 * 1024),
    entry(A + 200 * MB, A + 300 * MB, '---p', '', 0),
    entry(0x7ffc_0000_0000, 0x7ffc_0000_0000 + MB, 'rw-p', '[stack]', 512),
  ].join('');
  assert.deepEqual(residentByKind(text), { 'malloc arenas': 60, '[heap]': 30, anon: 11, file: 6, '[stack]': 1 });
});
