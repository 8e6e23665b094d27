/**
 * The link's steps after the search for components (Workspace.inSteps): a request that arrived
 * while the search held the thread is answered, its answer written, before the first step,
 * whichever phase of the event loop the steps start from, however long its handler takes, and
 * when other work comes first. The request travels over a real socket into a JSON-RPC
 * connection, as a client's requests reach the server over its stdin pipe.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import { inSteps } from '../../server/src/handlers/workspace';

/** Holds the thread for `ms`, as a long synchronous search does: nothing is read meanwhile. */
function hold(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

interface Scenario {
  /** How the steps are started: from an I/O callback, from an immediate. */
  startFrom: (run: () => void) => void;
  /** How long the request's handler holds the thread (a hover that links its article's components first). */
  handlerMs?: number;
  /** Work queued before the steps start that holds the thread this long (other I/O, other callbacks). */
  otherWorkMs?: number;
}

async function scenario({ startFrom, handlerMs = 0, otherWorkMs = 0 }: Scenario): Promise<string[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-steps-'));
  const server = net.createServer();
  const sock = path.join(dir, 's');
  await new Promise<void>((r) => server.listen(sock, r));
  const accepted = new Promise<net.Socket>((r) => server.once('connection', r));
  const client = net.connect(sock);
  await new Promise<void>((r) => client.once('connect', () => r()));
  const side = await accepted;
  const order: string[] = [];
  // The answer as it is written to the socket (the client could read it even if the thread were then held).
  const write = side.write.bind(side) as (...a: unknown[]) => boolean;
  (side as unknown as { write: (...a: unknown[]) => boolean }).write = (...a: unknown[]) => {
    if (String(a[0]).includes('"result"')) order.push('answer');
    return write(...a);
  };
  const conn = createMessageConnection(new StreamMessageReader(side), new StreamMessageWriter(side));
  // As the server's handlers note their requests (guardIndexRequest): as they start and as they end.
  let lastRequest = -Infinity;
  conn.onRequest('test/hover', async () => {
    lastRequest = performance.now();
    order.push('request');
    await Promise.resolve();
    hold(handlerMs);
    lastRequest = performance.now();
    return null;
  });
  conn.listen();
  try {
    await new Promise<void>((done, fail) =>
      startFrom(() => {
        // The request is sent, and lands in the socket, while this thread is held.
        const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'test/hover', params: {} });
        client.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
        hold(30);
        if (otherWorkMs > 0) setImmediate(() => hold(otherWorkMs));
        let n = 0;
        inSteps(
          () => (order.push(`step ${++n}`), n === 3),
          () => true,
          () => performance.now() - lastRequest,
        ).then(done, fail);
      }),
    );
  } finally {
    conn.dispose();
    client.destroy();
    side.destroy();
    server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return order;
}

const ANSWERED_FIRST = ['request', 'answer', 'step 1', 'step 2', 'step 3'];
// As in the server: the pass ends on an analysis worker's message, a poll-phase event.
const fromIo = (run: () => void) => fs.stat(os.tmpdir(), () => run());
const fromImmediate = (run: () => void) => setImmediate(run);

test('link steps: a request that waited through the search is answered before the first step (from an I/O callback)', async () => {
  assert.deepEqual(await scenario({ startFrom: fromIo }), ANSWERED_FIRST);
});

test('link steps: … and from an immediate', async () => {
  assert.deepEqual(await scenario({ startFrom: fromImmediate }), ANSWERED_FIRST);
});

test('link steps: … when its handler takes longer than a few milliseconds', async () => {
  assert.deepEqual(await scenario({ startFrom: fromIo, handlerMs: 30 }), ANSWERED_FIRST);
  assert.deepEqual(await scenario({ startFrom: fromImmediate, handlerMs: 30 }), ANSWERED_FIRST);
});

test('link steps: … when other work holds the thread before the request is read', async () => {
  // (With the first step 5 ms after a timer, as before, the step came before this answer.)
  assert.deepEqual(await scenario({ startFrom: fromIo, otherWorkMs: 10, handlerMs: 15 }), ANSWERED_FIRST);
  assert.deepEqual(await scenario({ startFrom: fromImmediate, otherWorkMs: 10, handlerMs: 15 }), ANSWERED_FIRST);
});

test('link steps: they stop when told to', async () => {
  let steps = 0;
  let go = true;
  await inSteps(
    () => {
      steps++;
      if (steps === 2) go = false;
      return false;
    },
    () => go,
  );
  assert.equal(steps, 2);
});
