/**
 * The link's steps after the search for components (Workspace.inSteps): a request that arrived
 * while the search held the thread is answered before the first step, whichever phase of the
 * event loop the steps start from. The request travels over a real socket into a JSON-RPC
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

async function scenario(startFrom: (run: () => void) => void): Promise<string[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-steps-'));
  const server = net.createServer();
  const sock = path.join(dir, 's');
  await new Promise<void>((r) => server.listen(sock, r));
  const accepted = new Promise<net.Socket>((r) => server.once('connection', r));
  const client = net.connect(sock);
  await new Promise<void>((r) => client.once('connect', () => r()));
  const side = await accepted;
  const conn = createMessageConnection(new StreamMessageReader(side), new StreamMessageWriter(side));
  const order: string[] = [];
  conn.onRequest('test/hover', () => {
    order.push('request');
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
        let n = 0;
        inSteps(
          () => (order.push(`step ${++n}`), n === 3),
          () => true,
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

test('link steps: a request that waited through the search is answered before the first step (from an I/O callback)', async () => {
  // As in the server: the pass ends on an analysis worker's message, a poll-phase event.
  const order = await scenario((run) => fs.stat(os.tmpdir(), () => run()));
  assert.deepEqual(order, ['request', 'step 1', 'step 2', 'step 3']);
});

test('link steps: … and from an immediate', async () => {
  const order = await scenario((run) => setImmediate(run));
  assert.deepEqual(order, ['request', 'step 1', 'step 2', 'step 3']);
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
