/**
 * RetrievalResources: what the strategies of one catalogue share. The index, plus structures derived from it
 * (fuzzy name index, vectors, entity graph, memory index, user profiles, query understanding), each built once
 * on first use by the module that owns it (`resources.shared(key, build)`), so adding a strategy never means
 * editing this file. Structures that learn from feedback register as learners and get every event.
 *
 * Structures that depend on the catalogue alone (vectors, fuzzy names, the speller, category postings) are
 * `derived`: kept per index, so every resources over the same index (the simulator's side-by-side runs, one per
 * policy) builds them once. They follow catalogue changes through `index.subscribe`, never feedback.
 */
import type { FeedbackEvent } from '../feedback/event.js';
import type { SearchIndex } from '../index/search-index.js';

export interface Learner {
  learn(event: FeedbackEvent): void;
}

const DERIVED = new WeakMap<SearchIndex, Map<string, unknown>>();

export class RetrievalResources {
  private readonly structures = new Map<string, unknown>();
  private readonly learners: Learner[] = [];

  constructor(readonly index: SearchIndex) {}

  /** The structure stored under `key`, built by `build` the first time it is asked for. */
  shared<T>(key: string, build: (resources: RetrievalResources) => T): T {
    if (!this.structures.has(key)) this.structures.set(key, build(this));
    return this.structures.get(key) as T;
  }

  /** Like `shared`, for a structure that learns: registered as a learner when built, so it gets every later event. */
  sharedLearner<T extends Learner>(key: string, build: (resources: RetrievalResources) => T): T {
    return this.shared(key, (r) => {
      const learner = build(r);
      r.addLearner(learner);
      return learner;
    });
  }

  /** A structure that depends on the catalogue alone, shared by every resources over this index. */
  derived<T>(key: string, build: (resources: RetrievalResources) => T): T {
    let cache = DERIVED.get(this.index);
    if (!cache) DERIVED.set(this.index, (cache = new Map()));
    if (!cache.has(key)) cache.set(key, build(this));
    return cache.get(key) as T;
  }

  /** Whether the structure under `key` has been built (shared or derived). */
  built(key: string): boolean {
    return this.structures.has(key) || (DERIVED.get(this.index)?.has(key) ?? false);
  }

  addLearner(learner: Learner): void {
    this.learners.push(learner);
  }

  /** Hands one feedback event to every learner, in registration order. */
  learn(event: FeedbackEvent): void {
    for (const learner of this.learners) learner.learn(event);
  }
}
