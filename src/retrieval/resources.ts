/**
 * RetrievalResources: what the strategies of one catalogue share. The index, plus structures derived from it
 * (fuzzy name index, vectors, entity graph, memory index, user profiles, query understanding), each built once
 * on first use by the module that owns it (`resources.shared(key, build)`), so adding a strategy never means
 * editing this file. Structures that learn from feedback register as learners and get every event.
 */
import type { FeedbackEvent } from '../feedback/event.js';
import type { SearchIndex } from '../index/search-index.js';

export interface Learner {
  learn(event: FeedbackEvent): void;
}

export class RetrievalResources {
  private readonly structures = new Map<string, unknown>();
  private readonly learners: Learner[] = [];

  constructor(readonly index: SearchIndex) {}

  /** The structure stored under `key`, built by `build` the first time it is asked for. */
  shared<T>(key: string, build: (resources: RetrievalResources) => T): T {
    if (!this.structures.has(key)) this.structures.set(key, build(this));
    return this.structures.get(key) as T;
  }

  /** Whether the structure under `key` has been built. */
  built(key: string): boolean {
    return this.structures.has(key);
  }

  addLearner(learner: Learner): void {
    this.learners.push(learner);
  }

  /** Hands one feedback event to every learner, in registration order. */
  learn(event: FeedbackEvent): void {
    for (const learner of this.learners) learner.learn(event);
  }
}
