/**
 * The memory index's observed half (Q2E): per query, the entities users engaged with after it, as decayed sums
 * of engagement weights (skips count against). A query is known by two keys: its words as typed, normalised
 * ("Love!" and "love" are one query), and its cluster, the stemmed words without stop words, deduplicated and
 * sorted ("Love Songs", "love song" and "songs of love" are one cluster), so feedback on one wording teaches
 * its neighbours at a lower weight. Every feedback event counts, whichever strategy found the entity, so a
 * query first answered by another strategy creates new pairs here. Saved state holds the exact pairs only;
 * cluster sums are rebuilt from them on load.
 */
import { Analyzer } from '../analysis/analyzer.js';
import { normalizeText } from '../analysis/normalize.js';
import { tokenize } from '../analysis/tokenize.js';
import { engagementWeight, type FeedbackEvent } from '../feedback/event.js';
import { resolveOptions, type ResolvedOptions } from '../options.js';
import { addDecayed, DAY_MS, type DecayedSum, mergeDecayedMaps, valueAt } from './decay.js';
import { checkedEventTime, checkStateHeader, readNestedSums, writeNestedSums } from './learner-state.js';
import type { Learner, RetrievalResources } from './resources.js';

export const MEMORY_INDEX_OPTIONS = {
  halfLifeDays: { kind: 'number', default: 30, min: 0.001, max: 36500, description: 'days after which an engagement counts half' },
  clusterWeight: { kind: 'number', default: 0.5, min: 0, max: 1, description: 'weight of feedback given to other wordings of the same cluster' },
} as const;

export type MemoryIndexOptions = ResolvedOptions<typeof MEMORY_INDEX_OPTIONS>;

export const MEMORY_STATE_FORMAT = 'quiver.memory-index';
export const MEMORY_STATE_VERSION = 1;

const clusterAnalyzer = new Analyzer({ stem: 'english', stopWords: 'english' });
/** Queries are clipped like QueryContext clips them, so an event's key is its request's key. */
const MAX_QUERY_LENGTH = 1000;

export interface QueryKeys {
  exact: string;
  cluster: string;
}

/** The keys of a query, from its tokens (QueryContext.tokens). */
export function queryKeys(tokens: readonly string[]): QueryKeys {
  const exact = tokens.join(' ');
  const stems = [...new Set(clusterAnalyzer.analyze(exact))].sort();
  // A query of stop words only ("let it be" is not one, "the the" is) keeps its words as its cluster.
  return { exact, cluster: stems.length > 0 ? stems.join(' ') : exact };
}

export function queryKeysOf(raw: string): QueryKeys {
  return queryKeys(tokenize(normalizeText(raw.slice(0, MAX_QUERY_LENGTH)).trim()));
}

/** What the memory knows of one (query, entity) pair at a time. */
export interface ObservedScore {
  /** Decayed engagement after this exact query. */
  exact: number;
  /** Decayed engagement after the other wordings of its cluster. */
  others: number;
  /** exact + clusterWeight · others. */
  value: number;
}

export class MemoryIndex implements Learner {
  readonly options: MemoryIndexOptions;
  private readonly halfLifeMs: number;
  private exact = new Map<string, Map<string, DecayedSum>>();
  private cluster = new Map<string, Map<string, DecayedSum>>();

  /** The resources' memory index, registered as a learner when first asked for; `options` apply then. */
  static shared(resources: RetrievalResources, options: Partial<MemoryIndexOptions> = {}): MemoryIndex {
    return resources.sharedLearner('memory-index', () => new MemoryIndex(options));
  }

  constructor(options: Partial<MemoryIndexOptions> = {}) {
    this.options = resolveOptions(MEMORY_INDEX_OPTIONS, options, 'memory.');
    this.halfLifeMs = this.options.halfLifeDays * DAY_MS;
  }

  learn(event: FeedbackEvent): void {
    const time = checkedEventTime('memory index', event);
    const weight = engagementWeight(event);
    const keys = queryKeysOf(event.query);
    if (weight === 0 || keys.exact === '') return;
    this.add(this.exact, keys.exact, event.entityId, weight, time);
    this.add(this.cluster, keys.cluster, event.entityId, weight, time);
  }

  /** Ids of the entities with feedback after the query or its cluster, in a fixed order. */
  entities(keys: QueryKeys): string[] {
    const ids = new Set(this.exact.get(keys.exact)?.keys());
    for (const id of this.cluster.get(keys.cluster)?.keys() ?? []) ids.add(id);
    return [...ids];
  }

  score(keys: QueryKeys, id: string, time: number): ObservedScore {
    const exactSum = this.exact.get(keys.exact)?.get(id);
    const clusterSum = this.cluster.get(keys.cluster)?.get(id);
    const exact = exactSum ? valueAt(exactSum, this.halfLifeMs, time) : 0;
    const others = (clusterSum ? valueAt(clusterSum, this.halfLifeMs, time) : 0) - exact;
    return { exact, others, value: exact + this.options.clusterWeight * others };
  }

  /** Number of distinct (query, entity) pairs observed. */
  get pairs(): number {
    let n = 0;
    for (const sums of this.exact.values()) n += sums.size;
    return n;
  }

  /** Adds another memory's observations (a replica's) to this one. */
  merge(other: MemoryIndex): void {
    for (const [target, source] of [[this.exact, other.exact], [this.cluster, other.cluster]] as const) {
      for (const [key, sums] of source) {
        let into = target.get(key);
        if (!into) target.set(key, (into = new Map()));
        mergeDecayedMaps(into, sums, this.halfLifeMs);
      }
    }
  }

  toJSON(): { format: string; version: number; queries: ReturnType<typeof writeNestedSums> } {
    return { format: MEMORY_STATE_FORMAT, version: MEMORY_STATE_VERSION, queries: writeNestedSums(this.exact) };
  }

  /** Replaces this memory's observations with saved ones; on a bad state nothing changes. */
  restore(state: unknown): void {
    const s = checkStateHeader(state, MEMORY_STATE_FORMAT, MEMORY_STATE_VERSION);
    const exact = readNestedSums(MEMORY_STATE_FORMAT, 'queries', s.queries);
    const cluster = new Map<string, Map<string, DecayedSum>>();
    for (const [key, sums] of exact) {
      const clusterKey = queryKeysOf(key).cluster;
      let into = cluster.get(clusterKey);
      if (!into) cluster.set(clusterKey, (into = new Map()));
      mergeDecayedMaps(into, sums, this.halfLifeMs);
    }
    this.exact = exact;
    this.cluster = cluster;
  }

  static fromJSON(state: unknown, options: Partial<MemoryIndexOptions> = {}): MemoryIndex {
    const memory = new MemoryIndex(options);
    memory.restore(state);
    return memory;
  }

  private add(table: Map<string, Map<string, DecayedSum>>, key: string, id: string, weight: number, time: number): void {
    let sums = table.get(key);
    if (!sums) table.set(key, (sums = new Map()));
    sums.set(id, addDecayed(sums.get(id), weight, time, this.halfLifeMs));
  }
}
