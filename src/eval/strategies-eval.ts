/**
 * `quiver eval strategies`: replays a query stream (stream.ts) against the retrieval strategies and measures
 * candidate recall@k, for each strategy alone and for all of them together, overall and by label, with
 * latency. One pass per event: `retrieveUnion` runs every strategy at budget k (so each strategy's own
 * candidates are its provenance in the union, and its time is its own run), and "all" is the union, timed
 * whole. Then the simulated user engages: one target (the first in union order that any strategy found, with
 * its 1-based position in the union, else the first target, with no position) is clicked and handed to
 * `resources.learn`, so learning strategies (memory, personalised, related) learn online, in stream order, as
 * they would in production, and are measured on what they knew before each query.
 *
 * Definitions, per query: hit = at least one target among the candidates; target fraction = share of the
 * targets among them. `recall` is the mean hit (the fraction of queries satisfied), `target_recall` the mean
 * target fraction. Latency: mean, p50 and p99 (nearest rank) in ms; each strategy is run once before timing
 * starts, so structures built lazily on first use (resources.shared) are not timed. The winner of a label is
 * the strategy with the highest recall on it (ties: the first in the order run, so a report is reproducible);
 * "none" when no strategy finds anything for it.
 */
import type { RetrievalResources } from '../retrieval/resources.js';
import { createQueryContext } from '../query/query-context.js';
import { createStrategies, retrieveUnion } from '../retrieval/registry.js';
import { summariseMs } from './latency.js';
import type { StreamEvent } from './stream.js';
import { STREAM_LABELS } from './stream-generator.js';

export interface LabelScore {
  recall: number;
  queries: number;
}

export interface StrategyScore {
  recall: number;
  target_recall: number;
  mean_ms: number;
  p50_ms: number;
  p99_ms: number;
  by_label: Record<string, LabelScore>;
}

export interface StrategiesReport {
  k: number;
  queries: number;
  strategies: Record<string, StrategyScore>;
  all: StrategyScore;
  winners: Record<string, string>;
}

export interface EvaluateStrategiesOptions {
  /** Candidate budget of every strategy. */
  k: number;
  /** Strategies to run, by registry name (default: every registered one). */
  strategies?: string[];
  /** Event i is run with request seed `seed + i` (default 0), for the randomised strategies. */
  seed?: number;
  /** Hand a click on one target to the learners after each event (default true). */
  learn?: boolean;
  onProgress?: (done: number, total: number) => void;
}

class Tally {
  hits = 0;
  fractions = 0;
  readonly ms: number[] = [];
  readonly labels = new Map<string, { hits: number; queries: number }>();

  add(label: string, targets: readonly string[], found: (id: string) => boolean, ms: number): void {
    let count = 0;
    for (const t of targets) if (found(t)) count++;
    const hit = count > 0 ? 1 : 0;
    this.hits += hit;
    this.fractions += count / targets.length;
    this.ms.push(ms);
    const byLabel = this.labels.get(label) ?? { hits: 0, queries: 0 };
    byLabel.hits += hit;
    byLabel.queries++;
    this.labels.set(label, byLabel);
  }

  score(queries: number, labelOrder: readonly string[]): StrategyScore {
    const { meanMs, p50Ms, p99Ms } = summariseMs(this.ms);
    const by_label: Record<string, LabelScore> = {};
    for (const label of labelOrder) {
      const l = this.labels.get(label)!;
      by_label[label] = { recall: round(l.hits / l.queries), queries: l.queries };
    }
    return { recall: round(this.hits / queries), target_recall: round(this.fractions / queries), mean_ms: round(meanMs), p50_ms: round(p50Ms), p99_ms: round(p99Ms), by_label };
  }
}

const round = (x: number) => Math.round(x * 10000) / 10000;

export function evaluateStrategies(resources: RetrievalResources, events: readonly StreamEvent[], options: EvaluateStrategiesOptions): StrategiesReport {
  const strategies = createStrategies(resources, options.strategies);
  const names = [...strategies.keys()];
  const plan = new Map(names.map((name) => [name, options.k]));
  const seed = options.seed ?? 0;
  const query = (e: StreamEvent, i: number) => createQueryContext(e.query, { context: e.context, seed: seed + i });
  if (events.length > 0) for (const s of strategies.values()) s.retrieve(query(events[0], 0), options.k);

  const tallies = new Map(names.map((name) => [name, new Tally()]));
  const all = new Tally();
  events.forEach((event, i) => {
    const q = query(event, i);
    const started = process.hrtime.bigint();
    const { candidates, runs } = retrieveUnion(strategies, plan, q);
    const allMs = Number(process.hrtime.bigint() - started) / 1e6;
    const foundBy = new Map(names.map((name) => [name, new Set<string>()]));
    for (const c of candidates) for (const p of c.provenance) foundBy.get(p.strategy)!.add(c.id);
    for (const run of runs) {
      const found = foundBy.get(run.strategy)!;
      tallies.get(run.strategy)!.add(event.label, event.targets, (id) => found.has(id), run.ms);
    }
    const union = new Set(candidates.map((c) => c.id));
    all.add(event.label, event.targets, (id) => union.has(id), allMs);
    if (options.learn !== false) {
      const targets = new Set(event.targets);
      const at = candidates.findIndex((c) => targets.has(c.id));
      const clicked = at >= 0 ? { entityId: candidates[at].id, position: at + 1 } : { entityId: event.targets[0] };
      resources.learn({ query: event.query, ...clicked, type: 'click', time: q.time, user: event.context.user });
    }
    options.onProgress?.(i + 1, events.length);
  });

  const labels = labelOrder(events);
  const scores = Object.fromEntries(names.map((name) => [name, tallies.get(name)!.score(events.length, labels)]));
  return { k: options.k, queries: events.length, strategies: scores, all: all.score(events.length, labels), winners: winners(scores, labels) };
}

/** The stream's labels, the generator's styles first in their documented order, then any others by name. */
function labelOrder(events: readonly StreamEvent[]): string[] {
  const seen = [...new Set(events.map((e) => e.label))];
  const rank = (l: string) => {
    const i = (STREAM_LABELS as readonly string[]).indexOf(l);
    return i < 0 ? STREAM_LABELS.length : i;
  };
  return seen.sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
}

function winners(scores: Record<string, StrategyScore>, labels: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const label of labels) {
    let best: string | undefined;
    for (const [name, s] of Object.entries(scores)) {
      const r = s.by_label[label].recall;
      if (r === 0) continue;
      if (best === undefined || r > scores[best].by_label[label].recall) best = name;
    }
    out[label] = best ?? 'none';
  }
  return out;
}
