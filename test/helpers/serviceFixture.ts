/**
 * Builds a language service over a small invented corpus for feature tests. Articles may mark
 * positions with `^` (see caret.ts); the offsets are returned per article.
 */
import { InMemoryCorpus } from '../../server/src/service/corpus';
import { createLanguageService, type LanguageService } from '../../server/src/service/languageService';
import type { ServiceSettings } from '../../server/src/service/context';
import type { DocumentAnalysis } from '../../server/src/service/types';
import { WorkspaceIndex } from '../../server/src/service/workspaceIndex';
import { carets, positionAt } from './caret';
import { fakeAnalyse, type Lexicon } from './fakeAnalyse';

export interface Fixture {
  service: LanguageService;
  index: WorkspaceIndex;
  corpus: InMemoryCorpus;
  uri(name: string): string;
  text(name: string): string;
  /** The LSP position of the `i`-th caret of article `name`. */
  at(name: string, i?: number): { line: number; character: number };
  offsets: Record<string, number[]>;
}

export function fixture(
  articles: Record<string, string>,
  opts: { lexicon?: Lexicon; analyse?: (text: string) => DocumentAnalysis; settings?: Partial<ServiceSettings> } = {},
): Fixture {
  const corpus = new InMemoryCorpus();
  const offsets: Record<string, number[]> = {};
  const texts: Record<string, string> = {};
  const uri = (name: string) => `file:///corpus/${name}`;
  for (const [name, marked] of Object.entries(articles)) {
    const c = carets(marked);
    offsets[name] = c.offsets;
    texts[name] = c.text;
    corpus.set(uri(name), c.text, 1);
  }
  const index = new WorkspaceIndex({ analyse: opts.analyse ?? fakeAnalyse(opts.lexicon) });
  index.fill(corpus);
  const service = createLanguageService({ index, settings: () => opts.settings ?? {} });
  return {
    service,
    index,
    corpus,
    uri,
    text: (name) => texts[name],
    at: (name, i = 0) => {
      const o = offsets[name]?.[i];
      if (o === undefined) throw new Error(`no caret ${i} in ${name}`);
      return positionAt(texts[name], o);
    },
    offsets,
  };
}
