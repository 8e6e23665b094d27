/**
 * One indexing job, the same in a worker thread and in process: the analysis of one article
 * (from its cache payload when there is one, else by running the recognisers), the project
 * dictionary's mentions merged in, and the article's own entity resolution. What crosses the
 * thread boundary is plain data: the encoded analysis (the cache's format, so the main thread
 * can store it as is and re-slice strings from its own copy of the text) and the LocalResult.
 */
import { analyseText } from '../service/analyse';
import { decode, encode } from '../service/analysisCache';
import { resolveDocument, type Dictionary, type LocalResult } from '../service/entities';
import type { DocumentAnalysis } from '../service/types';
import { withDictionaryMentions } from '../service/workspaceIndex';

export interface AnalysisJob {
  uri: string;
  text: string;
  /** The cache's payload for this text, if it had one. */
  cached?: Uint8Array;
  dictionary?: Dictionary;
}

export interface AnalysisJobResult {
  /** The analysis in the cache's encoding (`encode`); new unless the job came with `cached`. */
  payload: Uint8Array;
  /** Whether `payload` was computed now (the caller stores it in its cache). */
  fresh: boolean;
  local: LocalResult;
}

export function runAnalysisJob(job: AnalysisJob, analyse: (text: string) => DocumentAnalysis = analyseText): AnalysisJobResult {
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
  return { payload, fresh, local };
}
