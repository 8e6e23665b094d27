/**
 * Entry point of an analysis worker thread (bundled as dist/analysisWorker.js). Receives
 * `{ id, job }`, answers `{ id, result }` or `{ id, error }`, each with `waitedMs`; the buffers of
 * the payload and of the packed article are transferred, not copied.
 */
import { parentPort } from 'node:worker_threads';
import { PackState } from '../service/transfer';
import { limitWorkerCaches, runAnalysisJob, type AnalysisJob } from './analysisJob';

const port = parentPort;
if (port) {
  limitWorkerCaches();
  // Strings and key-token lists already sent to the main thread cross as numbers (see transfer.ts).
  const sent = new PackState();
  // How long this worker has waited for work since it started (sent with every answer): the
  // time between an answer and the next job's start. That includes receiving a job that was
  // already queued (about 0.1 ms a job at 20,000 articles; bench/README.md, fifteenth session).
  let waitedMs = 0;
  let doneAt = performance.now();
  port.on('message', (msg: { id: number; job: AnalysisJob }) => {
    waitedMs += performance.now() - doneAt;
    try {
      const result = runAnalysisJob(msg.job, undefined, sent);
      // A payload that is a view into a larger buffer (Buffer's pool) is copied out before transfer.
      let payload = result.payload;
      if (payload.byteOffset !== 0 || payload.byteLength !== payload.buffer.byteLength) payload = new Uint8Array(payload);
      // The packed article's arrays own their buffers (made for this message): moved, not copied.
      const moved: ArrayBuffer[] = [payload.buffer as ArrayBuffer];
      if (result.local) moved.push(result.local.data.buffer as ArrayBuffer, result.local.lineStarts.buffer as ArrayBuffer);
      port.postMessage({ id: msg.id, result: { ...result, payload }, waitedMs }, moved);
    } catch (err) {
      // What this job's result registered as sent never arrived: start over with the next one.
      sent.reset();
      port.postMessage({ id: msg.id, error: err instanceof Error ? `${err.message}\n${err.stack ?? ''}` : String(err), waitedMs });
    }
    doneAt = performance.now();
  });
}
