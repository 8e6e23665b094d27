/** Background work gives way to requests (server/src/handlers/backgroundPause.ts). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ResponseError } from 'vscode-languageserver/node';
import { BackgroundPause } from '../../server/src/handlers/backgroundPause';
import { guardIndexRequest, type HandlerContext } from '../../server/src/handlers/context';

const timed = async (f: () => Promise<unknown>) => {
  const t0 = performance.now();
  await f();
  return performance.now() - t0;
};

test('BackgroundPause: one turn when no request came; until requests stop when they come; never longer than the cap', async () => {
  const quiet = 60;
  const cap = 400;
  const p = new BackgroundPause(quiet, cap);
  assert.ok((await timed(() => p.pause())) < quiet, 'no request: no wait');
  assert.equal(await p.pause(), false, 'no request: not busy');

  p.noteRequest();
  const afterOne = await timed(() => p.pause());
  assert.ok(afterOne >= quiet - 2, `a request just now: waits for the quiet (${afterOne.toFixed(0)} ms)`);

  // Requests keep coming for longer than the cap: the pause ends at the cap anyway.
  const asking = setInterval(() => p.noteRequest(), 10);
  try {
    p.noteRequest();
    let still: boolean | undefined;
    const busy = await timed(async () => {
      still = await p.pause();
    });
    assert.ok(busy >= cap - 2, `kept asking: waits up to the cap (${busy.toFixed(0)} ms)`);
    assert.equal(still, true, 'ended by the cap: requests are still coming');
    assert.ok(busy < 3 * cap, `…and then ends (${busy.toFixed(0)} ms)`);
  } finally {
    clearInterval(asking);
  }

  // Requests that stop: the pause ends a quiet period after the last one, well before the cap.
  const r = new BackgroundPause(quiet, 10_000);
  let n = 0;
  let lastAt = 0;
  const burst = setInterval(() => {
    if (++n > 10) return clearInterval(burst);
    r.noteRequest();
    lastAt = performance.now();
  }, 10);
  r.noteRequest();
  assert.equal(await r.pause(), false, 'ended by a quiet period: not busy');
  clearInterval(burst);
  const after = performance.now();
  assert.equal(n > 10, true, 'the pause outlasted the burst');
  assert.ok(after - lastAt >= quiet - 2, `ended a quiet period after the last request (${(after - lastAt).toFixed(0)} ms)`);
  assert.ok(after - lastAt < 5000, 'and not at the cap');

  // A stopped owner (the server shutting down) does not wait.
  let stopped = false;
  const q = new BackgroundPause(quiet, cap, () => stopped);
  q.noteRequest();
  stopped = true;
  assert.ok((await timed(() => q.pause())) < quiet);
});

test('guardIndexRequest: a request is noted as it starts and again as it ends, also when it fails', async () => {
  const noted: string[] = [];
  let phase = 'before';
  const ctx = {
    log: { error: () => undefined, warn: () => undefined, info: () => undefined },
    workspace: { noteRequest: () => noted.push(phase), startupGate: undefined },
  } as unknown as HandlerContext;
  const slow = guardIndexRequest(ctx, 'slow', async () => {
    phase = 'handler';
    await new Promise((r) => setTimeout(r, 5));
    phase = 'after';
    return 1;
  });
  assert.equal(await slow(), 1);
  assert.deepEqual(noted, ['before', 'after']);

  noted.length = 0;
  phase = 'before';
  const failing = guardIndexRequest(ctx, 'failing', async () => {
    phase = 'after';
    throw new Error('broken');
  });
  assert.ok((await failing()) instanceof ResponseError, 'the failure is answered as an error');
  assert.deepEqual(noted, ['before', 'after']);

  // Since the last note, as BackgroundPause counts it.
  const p = new BackgroundPause(60, 400);
  assert.equal(p.sinceLastRequest(), Infinity);
  p.noteRequest();
  assert.ok(p.sinceLastRequest() < 60);
});
