/**
 * The analysis cache that `bench/start-trace.ts 20000` leaves in its default folder, opened under
 * the built model's fingerprint, for the bench scripts that take their analyses from it instead
 * of analysing again (link-scale.ts, resolve-time.ts). Throws when there is none.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import { fingerprintFiles, openAnalysisCache, type AnalysisCache } from '../server/src/service/analysisCache';
import { repoRoot } from './generate';

export function startTraceCache(): AnalysisCache {
  const model = ['ner-model.bin', 'ner-model-doc.bin', 'gazetteer.tsv'].map((f) => path.join(repoRoot, 'dist', f));
  const cacheDir = path.join(os.tmpdir(), 'sourcelens-start-trace-20000'); // start-trace's folder
  const cache = openAnalysisCache(cacheDir, { fingerprint: fingerprintFiles(model) });
  if (!cache) throw new Error(`no analysis cache in ${cacheDir}: run bench/start-trace.ts 20000 first`);
  return cache;
}
