/**
 * Entry point of an analysis worker thread (bundled as dist/analysisWorker.js). Receives
 * `{ id, job }`, answers `{ id, result }` or `{ id, error }`; the payload's buffer is
 * transferred, not copied.
 */
import { parentPort } from 'node:worker_threads';
import { runAnalysisJob, type AnalysisJob } from './analysisJob';

const port = parentPort;
if (port) {
  port.on('message', (msg: { id: number; job: AnalysisJob }) => {
    try {
      const result = runAnalysisJob(msg.job);
      // A payload that is a view into a larger buffer (Buffer's pool) is copied out before transfer.
      let payload = result.payload;
      if (payload.byteOffset !== 0 || payload.byteLength !== payload.buffer.byteLength) payload = new Uint8Array(payload);
      port.postMessage({ id: msg.id, result: { ...result, payload } }, [payload.buffer as ArrayBuffer]);
    } catch (err) {
      port.postMessage({ id: msg.id, error: err instanceof Error ? `${err.message}\n${err.stack ?? ''}` : String(err) });
    }
  });
}
