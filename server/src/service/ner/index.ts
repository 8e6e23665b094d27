/**
 * Statistical named-entity recogniser (averaged structured perceptron, see README.md).
 *
 *   recognizeEntities(text) → RawMention[]  (sorted, non-overlapping, offsets into `text`)
 *
 * The model (`ner-model.bin`) and gazetteer (`gazetteer.tsv`) are loaded synchronously on the
 * first call, from the first existing of: next to this file (bundled `dist/`), `../../model/`
 * (source layout under tsx), and a few similar places.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RawMention } from '../types';
import { tokenize } from './tokenizer';
import { parseGazetteer, type Gazetteer } from './gazetteer';
import { deserializeModel, type Weights } from './model';
import { labelsToSpans, tagTokens } from './tagger';
import { toMentions } from './postprocess';
import { buildFastModel, tagFast, type FastModel } from './fast';

export const MODEL_FILE = 'ner-model.bin';
/** Optional second stage (document-level label consistency). */
export const MODEL2_FILE = 'ner-model-doc.bin';
export const GAZETTEER_FILE = 'gazetteer.tsv';

export function findModelFile(file: string): string {
  const candidates = [
    process.env.SOURCELENS_NER_MODEL_DIR ? path.join(process.env.SOURCELENS_NER_MODEL_DIR, file) : '',
    path.join(__dirname, file),
    path.join(__dirname, 'model', file),
    path.join(__dirname, '../../model', file),
    path.join(__dirname, '../../../model', file),
    path.join(__dirname, '../model', file),
    path.join(__dirname, '../../../server/model', file),
  ].filter(Boolean);
  for (const c of candidates) if (fs.existsSync(c)) return c;
  throw new Error(`ner: ${file} not found (tried ${candidates.join(', ')}); run \`npm run train\``);
}

interface Loaded {
  model: Weights;
  model2: Weights | null;
  gaz: Gazetteer;
  /** dense two-stage table for loaded (int16) models; null for float models being trained */
  fast: FastModel | null;
}
let loaded: Loaded | null = null;

export function loadGazetteer(): Gazetteer {
  return parseGazetteer(fs.readFileSync(findModelFile(GAZETTEER_FILE), 'utf8'), tokenize);
}

function load(): Loaded {
  if (!loaded) {
    const { model } = deserializeModel(fs.readFileSync(findModelFile(MODEL_FILE)));
    let model2: Weights | null = null;
    const f2 = path.join(path.dirname(findModelFile(MODEL_FILE)), MODEL2_FILE);
    if (fs.existsSync(f2)) model2 = deserializeModel(fs.readFileSync(f2)).model;
    loaded = { model, model2, gaz: loadGazetteer(), fast: buildFastModel(model, model2) };
  }
  return loaded;
}

/**
 * Lets the loaded model and gazetteer go (about 45 MB: the dense weight tables, the gazetteer,
 * the word table); the next call loads them again. For a thread that has handed the analysis to
 * workers (see Workspace.indexAll).
 */
export function releaseRecognizer(): void {
  loaded = null;
}

/** Whether the model is loaded on this thread (tests). */
export function recognizerLoaded(): boolean {
  return loaded !== null;
}

/** Replaces the loaded model (used by training to evaluate float weights without a file). */
export function setModelForTesting(model: Weights | null, gaz?: Gazetteer, model2: Weights | null = null): void {
  const compact = (m: Weights | null) => !m || (m.rows !== undefined && m.w instanceof Int16Array);
  loaded = model ? { model, model2, gaz: gaz ?? loadGazetteer(), fast: compact(model) && compact(model2) ? buildFastModel(model, model2) : null } : null;
}

let stage2Enabled = true;
let referencePath = false;
/** Uses the reference (feature-array) tagging path instead of the fast one (tests and benchmarks only). */
export function setReferencePath(on: boolean): void {
  referencePath = on;
}
/** Switches the document-level second stage on/off (benchmarks and ablations only). */
export function setStage2Enabled(on: boolean): void {
  stage2Enabled = on;
}

/** Finds person, organisation, place and event mentions in raw text. */
export function recognizeEntities(text: string): RawMention[] {
  if (typeof text !== 'string' || text.length === 0) return [];
  const { model, model2, gaz, fast } = load();
  const tokens = tokenize(text);
  if (!tokens.length) return [];
  if (fast && !referencePath) {
    const r = tagFast(fast, gaz, tokens, stage2Enabled);
    return toMentions(text, tokens, labelsToSpans(r.labels), gaz, r.infos);
  }
  const labels = tagTokens(model, gaz, tokens, stage2Enabled ? model2 : null);
  return toMentions(text, tokens, labelsToSpans(labels), gaz);
}

export { tokenize } from './tokenizer';
