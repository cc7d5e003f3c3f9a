/**
 * RetrievalResources: what the strategies of one catalogue share. The index, plus structures derived from it
 * (fuzzy name index, vectors, entity graph, memory index, user profiles, query understanding), each built once
 * on first use by the module that owns it (`resources.shared(key, build)`), so adding a strategy never means
 * editing this file. Structures that learn from feedback register as learners and get every event.
 *
 * Structures that depend on the catalogue alone (vectors, fuzzy names, the speller, category postings) are
 * `derived`: kept per index, so every resources over the same index (the simulator's side-by-side runs, one per
 * policy) builds them once. They follow catalogue changes through `index.subscribe`, never feedback.
 *
 * Learners that can save and restore their state (`StatefulLearner`) are registered under their key, so a
 * checkpoint holds every learner's state by key (`learnerStates`), and restoring one (`restoreLearners`) reaches
 * learners not built yet: their state waits under their key and is restored when they are built.
 */
import type { FeedbackEvent } from '../feedback/event.js';
import type { SearchIndex } from '../index/search-index.js';

export interface Learner {
  learn(event: FeedbackEvent): void;
}

/** A learner whose state can be checkpointed: `restore(toJSON())` gives back the same learner. */
export interface StatefulLearner extends Learner {
  toJSON(): unknown;
  /** Replaces the state with a saved one, checked whole first: on a bad state nothing changes. */
  restore(state: unknown): void;
}

function isStateful(learner: Learner): learner is StatefulLearner {
  const l = learner as Partial<StatefulLearner>;
  return typeof l.toJSON === 'function' && typeof l.restore === 'function';
}

const DERIVED = new WeakMap<SearchIndex, Map<string, unknown>>();

export class RetrievalResources {
  private readonly structures = new Map<string, unknown>();
  private readonly learners: Learner[] = [];
  private readonly stateful = new Map<string, StatefulLearner>();
  private readonly waitingStates = new Map<string, unknown>();

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
      r.addLearner(learner, key);
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

  /** Registers a learner; a stateful one under `key` is checkpointed, and gets a waiting restored state at once. */
  addLearner(learner: Learner, key?: string): void {
    this.learners.push(learner);
    if (key === undefined || !isStateful(learner)) return;
    this.stateful.set(key, learner);
    if (this.waitingStates.has(key)) {
      learner.restore(this.waitingStates.get(key));
      this.waitingStates.delete(key);
    }
  }

  /** Every stateful learner's state by key (states still waiting for their learner included). */
  learnerStates(): Record<string, unknown> {
    const states: Record<string, unknown> = Object.fromEntries(this.waitingStates);
    for (const [key, learner] of this.stateful) states[key] = learner.toJSON();
    return states;
  }

  /** Restores learners by key: built ones now, the others when they are built. */
  restoreLearners(states: Readonly<Record<string, unknown>>): void {
    for (const [key, state] of Object.entries(states)) {
      const learner = this.stateful.get(key);
      if (learner) learner.restore(state);
      else this.waitingStates.set(key, state);
    }
  }

  /** Hands one feedback event to every learner, in registration order. */
  learn(event: FeedbackEvent): void {
    for (const learner of this.learners) learner.learn(event);
  }
}
