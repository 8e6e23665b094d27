/**
 * One indexing job, the same in a worker thread and in process: the analysis of one article
 * (from its cache payload when there is one, else by running the recognisers), the project
 * dictionary's mentions merged in, and the article's own entity resolution. What crosses the
 * thread boundary is plain data: the encoded analysis (the cache's format, stored as is by the
 * main thread) and what the index keeps of the article, packed (`packArticle`): the main thread
 * neither decodes the analysis again nor keeps the text.
 *
 * A job marked `analyseOnly` (the indexing pass's fresh articles) stops after the analysis: only
 * the encoded analysis crosses, and the main thread decodes and resolves it itself
 * (WorkspaceIndex.applyPayload). Resolving and packing in the worker and unpacking and interning
 * in the main thread cost more CPU than resolving once where the result is kept
 * (bench/README.md, item 41).
 */
import { analyseText } from '../service/analyse';
import { decode, encode } from '../service/analysisCache';
import { resolveDocument, type Dictionary } from '../service/entities';
import { setSurfaceMemoCap, WORKER_SURFACE_MEMO_CAP } from '../service/entities/local';
import { setInterning } from '../service/entities/memo';
import { packArticle, type ArticleData, type PackedArticle } from '../service/indexedDocument';
import type { PackState } from '../service/transfer';
import type { DocumentAnalysis } from '../service/types';
import { withDictionaryMentions } from '../service/workspaceIndex';

export interface AnalysisJob {
  uri: string;
  text: string;
  /** The cache's payload for this text, if it had one. */
  cached?: Uint8Array;
  dictionary?: Dictionary;
  /**
   * Analyse (or take `cached`) and encode only: no resolution, nothing packed; the result has no
   * `local`. A cached payload is then sent back as it is, undecoded.
   */
  analyseOnly?: boolean;
}

/** A job's result as the worker sends it. */
export interface WorkerResult {
  /** The analysis in the cache's encoding (`encode`); new unless the job came with `cached`. */
  payload: Uint8Array;
  /** Whether `payload` was computed now (the caller stores it in its cache). */
  fresh: boolean;
  /** The article's local entity resolution and claims, its content key and line starts, packed (absent for an `analyseOnly` job). */
  local?: PackedArticle;
}

/** A job's result as the pool hands it on (AnalysisPool.run): the article rebuilt in the main thread, for WorkspaceIndex.applyAnalysed. */
export interface AnalysisJobResult extends Omit<WorkerResult, 'local'> {
  local?: ArticleData;
}

/**
 * Sets up the caches of an analysis worker (called once, when it starts): a smaller surface memo
 * (see WORKER_SURFACE_MEMO_CAP) and no string interning (see setInterning). The worker keeps no
 * result: its intern pool only ever saved the flat copies of strings that come back, and even
 * bounded to 50,000 strings it was emptied every 200 or so generated articles, whose names are
 * nearly all new.
 */
export function limitWorkerCaches(): void {
  setInterning(false);
  setSurfaceMemoCap(WORKER_SURFACE_MEMO_CAP);
}

/** `state`: the worker's PackState for the main thread (see transfer.ts); without it the result stands alone. */
export function runAnalysisJob(job: AnalysisJob, analyse: (text: string) => DocumentAnalysis = analyseText, state?: PackState): WorkerResult {
  if (job.analyseOnly) {
    if (job.cached) return { payload: job.cached, fresh: false };
    return { payload: encode(analyse(job.text), job.text), fresh: true };
  }
  let analysis: DocumentAnalysis | undefined;
  let payload: Uint8Array | undefined;
  if (job.cached) {
    const raw = Buffer.from(job.cached.buffer, job.cached.byteOffset, job.cached.byteLength);
    analysis = decode(raw, job.text);
    if (analysis) payload = job.cached;
  }
  const fresh = !analysis;
  if (!analysis) analysis = analyse(job.text);
  if (!payload) payload = encode(analysis, job.text);
  const mentions = withDictionaryMentions(job.text, analysis.mentions, job.dictionary);
  const local = resolveDocument({ uri: job.uri, text: job.text, mentions });
  return { payload, fresh, local: packArticle(job.text, local, analysis.claims, state) };
}
