/**
 * Has the reference lists of the entities the corpus mentions most ready, serialised, before
 * anyone asks, and the hover cards of a few more (WARM_CARDS). A list's cost grows with its
 * length (at 10,000 articles the biggest has about 4,500 locations: 5–10 ms to build and
 * serialise on the first request, about nothing after that), and they are the lists reviewers
 * ask for most. Built after the index settles, one entity at a time with the server's background
 * pause between two (longer while requests come in), so requests are answered first; a newer
 * index change starts over (unchanged entities are found in the caches at once).
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { LanguageService } from '../service/languageService';
import { entityReferencesOnce } from './serializedResult';

/** How many lists are kept ready (more recent ones are kept, within a budget in bytes: see serializedResult.ts). */
export const WARM_LISTS = 16;
/**
 * How many hover cards are built ahead, the lists' entities among them: a big entity's first card
 * counts its spellings and articles over all its mentions and reads its first mention's article
 * back (6-8 ms at 10,000 articles on a quiet machine, against about 1 ms for a hover that finds
 * its card; bench/README.md, item 64). Hover keeps the last 256 cards.
 */
export const WARM_CARDS = 64;

export class ReferenceWarmer {
  private timer: NodeJS.Timeout | undefined;
  private generation = 0;
  private disposed = false;

  constructor(
    private readonly service: LanguageService,
    /** Whether the corpus-wide index is linked now (warming must not start a link pass of its own). */
    private readonly ready: () => boolean,
    private readonly delayMs = 500,
    /** Awaited between two lists (default: one turn of the event loop). */
    private readonly pause: () => Promise<unknown> = () => nextTurn(),
  ) {}

  /** After an index change: (re)build the lists once things are quiet for a moment. */
  schedule(): void {
    if (this.disposed) return;
    this.generation++;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.run(this.generation);
    }, this.delayMs);
    this.timer.unref?.();
  }

  /** Resolves when the lists of the latest schedule are ready (tests). */
  whenWarm(): Promise<void> {
    return new Promise((resolve) => {
      const check = () => (this.timer || this.running ? setTimeout(check, 20) : resolve());
      check();
    });
  }

  dispose(): void {
    this.disposed = true;
    this.generation++;
    if (this.timer) clearTimeout(this.timer);
  }

  private running = false;

  private run(generation: number): void {
    if (this.disposed || generation !== this.generation) return;
    // Not while indexing or re-linking: the notification that ends it schedules again.
    if (!this.ready()) return;
    this.running = true;
    // Fewest mentions first: the lists are those of the last WARM_LISTS.
    const entities = this.service.biggestEntities(WARM_CARDS);
    const listsFrom = entities.length - WARM_LISTS;
    let i = 0;
    const step = () => {
      if (this.disposed || generation !== this.generation || i >= entities.length || !this.ready()) {
        this.running = false;
        return;
      }
      const entity = entities[i];
      this.service.prepareEntityCard(entity);
      // Find All References from VS Code asks with includeDeclaration: true.
      if (i >= listsFrom) entityReferencesOnce(this.service, entity, true);
      i++;
      void this.pause().then(step);
    };
    void this.pause().then(step);
  }
}
