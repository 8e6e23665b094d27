/**
 * The corpus interface the language service depends on. The LSP server backs it with open
 * editors plus files on disk; the CLI and tests back it with an in-memory map.
 */

export interface CorpusDocument {
  readonly uri: string;
  readonly text: string;
  readonly version: number;
}

export interface Corpus {
  /** Every document currently in the corpus. */
  all(): Iterable<CorpusDocument>;
  get(uri: string): CorpusDocument | undefined;
}

export class InMemoryCorpus implements Corpus {
  private readonly docs = new Map<string, CorpusDocument>();

  constructor(docs: Iterable<CorpusDocument> = []) {
    for (const d of docs) this.docs.set(d.uri, d);
  }

  all(): Iterable<CorpusDocument> {
    return this.docs.values();
  }

  get(uri: string): CorpusDocument | undefined {
    return this.docs.get(uri);
  }

  /** Adds or replaces a document; returns the stored copy. */
  set(uri: string, text: string, version?: number): CorpusDocument {
    const prev = this.docs.get(uri);
    const doc = { uri, text, version: version ?? (prev ? prev.version + 1 : 1) };
    this.docs.set(uri, doc);
    return doc;
  }

  delete(uri: string): boolean {
    return this.docs.delete(uri);
  }

  get size(): number {
    return this.docs.size;
  }
}
