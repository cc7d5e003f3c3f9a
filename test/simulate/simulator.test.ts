// The simulator over the demo catalogue: runs replay by seed, the report has the documented shape and adds up,
// the oracle regret is what a brute-force oracle says, the user sees exactly the top k, and learned policies log
// decisions off-policy evaluation can use.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { generateStream } from '../../src/eval/stream-generator.js';
import type { StreamEvent } from '../../src/eval/stream.js';
import { ACTION_FEATURE_NAMES } from '../../src/policy/action-features.js';
import { createPlanner } from '../../src/policy/planners.js';
import { planReward } from '../../src/policy/plan.js';
import { DEFAULT_COST_WEIGHT, TRUST_FLOOR } from '../../src/policy/retrieval-policy.js';
import { createQueryContext, type QueryContext } from '../../src/query/query-context.js';
import { createFeatureSet } from '../../src/rank/features/quiver-features.js';
import { HeuristicRanker } from '../../src/rank/heuristic-ranker.js';
import type { RankOptions } from '../../src/rank/ranker.js';
import { LearningRanker } from '../../src/rank/learning-ranker.js';
import { ModelRegistry } from '../../src/rank/lifecycle/model-registry.js';
import { retrainRanker } from '../../src/rank/lifecycle/retrain.js';
import { createStrategies, retrieveUnion } from '../../src/retrieval/registry.js';
import { RetrievalResources } from '../../src/retrieval/resources.js';
import type { UnionCandidate } from '../../src/retrieval/union.js';
import { createClickModel } from '../../src/simulate/click-models.js';
import { comparePlanners, rankerFactory } from '../../src/simulate/compare.js';
import { type LoggedDecision, PLAYED_SECONDS, type SimulatedUser, simulate, simulatedEngagement, type SimulationReport } from '../../src/simulate/simulator.js';
import { engagedEntities } from '../../src/feedback/event.js';
import { DEMO_TIME, demoIndex } from '../helpers/demo-index.js';
import { mulberry32 } from '../../src/util/random.js';

const index = demoIndex();
const NAMES = ['lexical', 'fuzzy', 'structured', 'memory'];
const SEED = 5;
const { events } = generateStream(index.entities.filter((e) => e !== undefined), { n: 30, seed: 21 });
const PLANNERS = [...NAMES, 'always-all', 'uniform', 'thompson'];

const logs = new Map<string, LoggedDecision[]>();
const reports = comparePlanners(index, events, {
  planners: PLANNERS, user: createClickModel('pbm'), strategies: NAMES, seed: SEED,
  planner: { policy: { propensitySamples: 16 } },
  onDecision: (planner, entry) => {
    if (!logs.has(planner)) logs.set(planner, []);
    logs.get(planner)!.push(entry);
  },
});
const report = (name: string) => reports.find((r) => r.policy === name)!;

/** The report without wall-clock figures, which never replay. */
function withoutTimes(r: SimulationReport): unknown {
  return JSON.parse(JSON.stringify(r, (key, value) => (key === 'ms_per_query' ? undefined : value)));
}

/** The request contexts the simulator makes for a stream. */
function contexts(stream: readonly StreamEvent[], seed: number) {
  return stream.map((e, t) => createQueryContext(e.query, { context: e.context, seed: seed + t }));
}

test('a run replays exactly from its seed (wall-clock figures aside), and another seed gives another run', () => {
  const again = comparePlanners(index, events, {
    planners: ['thompson'], user: createClickModel('pbm'), strategies: NAMES, seed: SEED, planner: { policy: { propensitySamples: 16 } },
  });
  assert.deepEqual(withoutTimes(again[0]), withoutTimes(report('thompson')));
  const other = comparePlanners(index, events, {
    planners: ['thompson'], user: createClickModel('pbm'), strategies: NAMES, seed: SEED + 1, planner: { policy: { propensitySamples: 16 } }, regret: false,
  });
  assert.notDeepEqual(withoutTimes({ ...other[0], regret: 0, regret_half: 0 }), withoutTimes({ ...report('thompson'), regret: 0, regret_half: 0 }));
});

test('the report has exactly the documented keys, by label and along the curve', () => {
  const metrics = ['queries', 'candidate_recall', 'ndcg@10', 'mrr@10', 'mean_candidates', 'mean_strategies', 'ms_per_query', 'mean_reward', 'regret', 'strategy_use'];
  for (const r of reports) {
    assert.equal(r.kind, r.policy === 'thompson' ? 'learned' : 'static');
    const learned = r.kind === 'learned' ? ['holdback', 'held_back'] : []; // a learned plan also says its holdback, and the share it held back
    assert.deepEqual(Object.keys(r).sort(), ['policy', 'kind', 'ranker', 'regret_half', 'by_label', 'curve', ...learned, ...metrics].sort());
    assert.equal(r.ranker, 'heuristic');
    for (const scores of Object.values(r.by_label)) assert.deepEqual(Object.keys(scores).sort(), [...metrics].sort());
    for (const point of r.curve) assert.deepEqual(Object.keys(point).sort(), ['candidate_recall', 'mean_candidates', 'ndcg@10', 'regret', 't']);
    for (const value of [r.candidate_recall, r['ndcg@10'], r['mrr@10']]) assert.ok(value >= 0 && value <= 1);
  }
  assert.deepEqual(reports.map((r) => r.policy), PLANNERS);
});

test('the figures add up: labels sum to the whole, curve windows to the overall recall, N/2 regret is on the curve', () => {
  const labels = new Set(events.map((e) => e.label));
  for (const r of reports) {
    assert.equal(r.queries, events.length);
    assert.deepEqual(new Set(Object.keys(r.by_label)), labels);
    const byLabel = Object.values(r.by_label);
    assert.equal(byLabel.reduce((s, l) => s + l.queries, 0), r.queries);
    const weighted = (metric: 'candidate_recall' | 'ndcg@10' | 'regret') => byLabel.reduce((s, l) => s + (metric === 'regret' ? l.regret : l[metric] * l.queries), 0);
    assert.ok(Math.abs(weighted('candidate_recall') - r.candidate_recall * r.queries) < 1e-9);
    assert.ok(Math.abs(weighted('ndcg@10') - r['ndcg@10'] * r.queries) < 1e-9);
    assert.ok(Math.abs(weighted('regret') - r.regret) < 1e-9);
    // Each curve point is the window since the previous one.
    let previous = 0;
    let hits = 0;
    let candidates = 0;
    for (const point of r.curve) {
      hits += point.candidate_recall * (point.t - previous);
      candidates += point.mean_candidates * (point.t - previous);
      previous = point.t;
    }
    assert.equal(previous, r.queries);
    assert.ok(Math.abs(hits - r.candidate_recall * r.queries) < 1e-9);
    assert.ok(Math.abs(candidates - r.mean_candidates * r.queries) < 1e-6, `${r.policy}: ${candidates / r.queries} ≠ ${r.mean_candidates}`);
    assert.equal(r.curve.find((p) => p.t === events.length / 2)?.regret, r.regret_half);
    assert.equal(r.curve.at(-1)!.regret, r.regret);
  }
});

test('always-all finds at least what any single strategy finds, and runs every strategy', () => {
  const all = report('always-all');
  assert.equal(all.mean_strategies, NAMES.length);
  for (const name of NAMES) {
    assert.equal(report(name).mean_strategies, 1);
    assert.ok(all.candidate_recall >= report(name).candidate_recall, `${name}: ${report(name).candidate_recall} > always-all ${all.candidate_recall}`);
  }
  assert.ok(all.candidate_recall > Math.max(...NAMES.map((n) => report(n).candidate_recall)), 'the strategies complement each other');
});

test('strategy use adds up: candidates to mean_candidates, a strategy alone finds what its recall is, labels to the whole', () => {
  for (const r of reports) {
    for (const scores of [r, ...Object.values(r.by_label)]) {
      const use = Object.values(scores.strategy_use);
      assert.ok(Math.abs(use.reduce((s, u) => s + u.candidates, 0) - scores.mean_candidates) < 1e-9, `${r.policy}: candidates`);
      assert.ok(Math.abs(use.reduce((s, u) => s + u.ran, 0) - scores.mean_strategies) < 1e-9, `${r.policy}: strategies run`);
      for (const u of use) {
        assert.ok(u.alone <= u.found && u.found <= scores.candidate_recall + 1e-12, `${r.policy}: ${JSON.stringify(u)}`);
        assert.ok(u.ran >= 0 && u.ran <= 1);
      }
      // Each search with a target found either has one finder (counted alone) or several.
      assert.ok(use.reduce((s, u) => s + u.alone, 0) <= scores.candidate_recall + 1e-12);
    }
    for (const [name, u] of Object.entries(r.strategy_use)) {
      const labelled = Object.values(r.by_label).reduce((s, l) => s + (l.strategy_use[name]?.found ?? 0) * l.queries, 0);
      assert.ok(Math.abs(labelled - u.found * r.queries) < 1e-9, `${r.policy}: ${name} by label`);
    }
  }
  // A strategy on its own: it runs on every search, and what it finds is the plan's recall, alone.
  for (const name of NAMES) {
    const own = report(name);
    assert.deepEqual(Object.keys(own.strategy_use).filter((s) => own.strategy_use[s].ran > 0 || own.strategy_use[s].found > 0), [name]);
    assert.equal(own.strategy_use[name].ran, 1);
    assert.equal(own.strategy_use[name].found, own.candidate_recall);
    assert.equal(own.strategy_use[name].alone, own.candidate_recall);
  }
  // Always-all runs every strategy at the full budget, so a strategy whose list depends only on the catalogue finds
  // there exactly what it finds on its own (memory's list depends on what its own run's users clicked).
  const all = report('always-all');
  for (const name of NAMES) {
    assert.equal(all.strategy_use[name].ran, 1);
    if (name !== 'memory') assert.equal(all.strategy_use[name].found, report(name).candidate_recall, name);
  }
});

test('oracle regret never falls: every query regrets ≥ 0', () => {
  for (const r of reports) {
    assert.ok(r.regret_half >= 0 && r.regret >= r.regret_half);
    for (let i = 1; i < r.curve.length; i++) assert.ok(r.curve[i].regret >= r.curve[i - 1].regret - 1e-12, `${r.policy} at t = ${r.curve[i].t}`);
    for (const scores of Object.values(r.by_label)) assert.ok(scores.regret >= -1e-12);
  }
});

/** A user who never clicks, and records what was shown. */
function watcher(): SimulatedUser & { seen: boolean[][] } {
  const seen: boolean[][] = [];
  return { name: 'watcher', seen, clicks: (relevant) => (seen.push([...relevant]), []) };
}

test('with no cost and no clicks, always-all has no regret and a single strategy regrets exactly the queries only others cover; the user sees exactly the top k', () => {
  const stream = events.slice(0, 20);
  const k = 5;
  const run = (planner: string) => {
    const user = watcher();
    const [r] = comparePlanners(index, stream, { planners: [planner], user, strategies: NAMES, seed: SEED, costWeight: 0, k, refind: 0 });
    return { r, seen: user.seen };
  };
  const all = run('always-all');
  assert.equal(all.r.regret, 0);
  assert.ok(all.r.curve.every((p) => p.regret === 0));

  // The brute-force oracle: every strategy at the full budget, over the same requests (nothing learns: no clicks).
  const strategies = createStrategies(new RetrievalResources(index), NAMES);
  const ranker = new HeuristicRanker();
  let onlyOthers = 0;
  contexts(stream, SEED).forEach((q, t) => {
    const targets = new Set(stream[t].targets);
    const covers = (name: string) => strategies.get(name)!.retrieve(q, 100).some((c) => targets.has(c.id));
    if (!covers('lexical') && NAMES.some(covers)) onlyOthers++;
    const union = retrieveUnion(strategies, new Map(NAMES.map((n) => [n, 100])), q).candidates;
    const shown = ranker.rank(q, union).slice(0, k);
    assert.deepEqual(all.seen[t], shown.map((r) => targets.has(r.id)), `query ${t}: the user saw another list`);
    assert.equal(all.seen[t].length, Math.min(k, union.length));
  });
  assert.equal(all.seen.length, stream.length);
  assert.ok(all.seen.some((s) => s.length === k));
  assert.ok(onlyOthers > 0, 'the stream should have queries lexical misses');
  assert.equal(run('lexical').r.regret, onlyOthers);
});

test('the oracle is judged in the state the plan ran in, before the clicks teach memory', () => {
  // A target lexical finds at rank 26–50 and memory does not know yet: the plan (lexical at 100) covers it and
  // the oracle's cheapest cover is lexical at 50, so the regret is costWeight · (100 − 50), whatever memory
  // learns from the click.
  const fresh = createStrategies(new RetrievalResources(index), ['lexical', 'memory']);
  const probe = createQueryContext('love', { context: { time: DEMO_TIME, user: 'u1' }, seed: SEED });
  const remembered = new Set(fresh.get('memory')!.retrieve(probe, 100).map((c) => c.id));
  const target = fresh.get('lexical')!.retrieve(probe, 100).find((c) => c.rank > 25 && c.rank <= 50 && !remembered.has(c.id))!;
  assert.ok(target, 'no suitable target for "love"');
  const stream: StreamEvent[] = [{ query: 'love', context: { time: DEMO_TIME, user: 'u1' }, targets: [target.id], label: 'x' }];
  const clicksEveryTarget: SimulatedUser = { name: 'eager', clicks: (relevant) => relevant.flatMap((r, i) => (r ? [i] : [])) };
  const resources = new RetrievalResources(index);
  const strategies = createStrategies(resources, ['lexical', 'memory']);
  const r = simulate(createPlanner('lexical', resources, strategies), new HeuristicRanker(), resources, strategies, stream, clicksEveryTarget, { seed: SEED, k: 100 });
  assert.equal(r.candidate_recall, 1);
  assert.ok(Math.abs(r.regret - DEFAULT_COST_WEIGHT * 50) < 1e-12, `regret ${r.regret}, expected ${DEFAULT_COST_WEIGHT * 50}`);
});

test("a learned plan's trust reaches the ranker for every query; static plans and uniform rank untrusted", () => {
  class Recording extends HeuristicRanker {
    readonly calls: RankOptions[] = [];
    override rank(query: QueryContext, candidates: readonly UnionCandidate[], options: RankOptions = {}) {
      this.calls.push({ ...options, strategiesRun: [...(options.strategiesRun ?? [])] });
      return super.rank(query, candidates, options);
    }
  }
  for (const name of ['thompson', 'uniform', 'always-all']) {
    const resources = new RetrievalResources(index);
    const strategies = createStrategies(resources, NAMES);
    const ranker = new Recording();
    simulate(createPlanner(name, resources, strategies), ranker, resources, strategies, events, createClickModel('pbm'), { seed: SEED, regret: false });
    assert.equal(ranker.calls.length, events.length);
    for (const call of ranker.calls) {
      if (name !== 'thompson') {
        assert.equal(call.trust, undefined, name);
        continue;
      }
      assert.deepEqual([...call.trust!.keys()].sort(), [...call.strategiesRun!].sort());
      for (const t of call.trust!.values()) assert.ok(t >= TRUST_FLOOR && t <= 1);
    }
  }
});

test('learned decisions are logged once per query, with propensities in (0, 1], plans on the grid and credit for exactly the strategies run', () => {
  const grid = [10, 25, 50, 100];
  for (const planner of ['thompson', 'uniform']) {
    const log = logs.get(planner)!;
    assert.deepEqual(log.map((e) => e.t), events.map((_, t) => t));
    const featureCount = log[0].features.length;
    for (const entry of log) {
      assert.ok(entry.propensity > 0 && entry.propensity <= 1, `propensity ${entry.propensity}`);
      const plan = Object.entries(entry.plan);
      assert.ok(plan.length > 0 || planner === 'uniform');
      for (const [strategy, budget] of plan) assert.ok(NAMES.includes(strategy) && grid.includes(budget), `${strategy}@${budget}`);
      assert.deepEqual(Object.keys(entry.credited).sort(), Object.keys(entry.plan).sort());
      assert.equal(entry.covered, Object.values(entry.credited).some(Boolean));
      assert.ok(Math.abs(entry.reward - planReward(entry.covered, entry.cost, DEFAULT_COST_WEIGHT)) < 1e-12);
      assert.equal(entry.features.length, featureCount);
      assert.equal(entry.features[0], 1);
      assert.deepEqual(Object.keys(entry.actions), NAMES);
      for (const actions of Object.values(entry.actions)) assert.equal(actions.length, ACTION_FEATURE_NAMES.length);
      assert.equal(entry.query, events[entry.t].query);
      assert.equal(entry.label, events[entry.t].label);
      // A strategy is credited only if it returned an entity the user engaged with: no engagement, no credit.
      if (!entry.clicked && !entry.refound) assert.equal(entry.covered, false);
    }
  }
  // Uniform: every budget of every strategy equally likely.
  for (const entry of logs.get('uniform')!) assert.ok(Math.abs(entry.propensity - (1 / 5) ** NAMES.length) < 1e-15);
  // Static plans decide nothing, so they log nothing.
  for (const name of [...NAMES, 'always-all']) assert.equal(logs.has(name), false);
});

test('after a click the user plays a target and skips anything else; clicks that found nothing wanted may be refound', () => {
  const clicking = (at: number[]): SimulatedUser => ({ name: 'fixed', clicks: () => at });
  const coins = () => ({ clicks: () => 0.5, refind: () => 0 }); // refind() 0: always refinds, the first target
  // Clicks on a non-target (1st) and a target (2nd): played and skipped at their positions; nothing to refind.
  assert.deepEqual(simulatedEngagement(['a', 'b', 'c'], ['b'], clicking([0, 1]), coins(), 1), [
    { entityId: 'a', type: 'click', position: 1 },
    { entityId: 'b', type: 'click', position: 2 },
    { entityId: 'a', type: 'skip', position: 1 },
    { entityId: 'b', type: 'play', position: 2, value: PLAYED_SECONDS },
  ]);
  // Only a stray click: skipped, and the search found nothing wanted, so the user refinds the target elsewhere.
  const stray = simulatedEngagement(['a', 'b'], ['b'], clicking([0]), coins(), 1);
  assert.deepEqual(stray, [{ entityId: 'a', type: 'click', position: 1 }, { entityId: 'a', type: 'skip', position: 1 }, { entityId: 'b', type: 'play' }]);
  const asEvents = (engagements: typeof stray) => engagements.map((e) => ({ query: 'q', entityId: e.entityId, type: e.type, time: new Date(DEMO_TIME), ...(e.value !== undefined && { value: e.value }) }));
  assert.deepEqual([...engagedEntities(asEvents(stray))], ['b'], 'the stray click was taken back');
  // The clicks-only user (afterClick false): a click is all there is, and any click ends the search.
  const clicksOnly = simulatedEngagement(['a', 'b'], ['b'], clicking([0]), coins(), 1, false);
  assert.deepEqual(clicksOnly, [{ entityId: 'a', type: 'click', position: 1 }]);
  assert.deepEqual([...engagedEntities(asEvents(clicksOnly))], ['a']);
});

test('refind: a user who clicks nothing may find a target elsewhere; the play teaches memory what was never shown', () => {
  // A user who never clicks: every search is abandoned. With refind 1 each is followed by a play of a target.
  const never: SimulatedUser = { name: 'never', clicks: () => [] };
  const probe = createQueryContext('love', { context: { time: DEMO_TIME, user: 'u1' }, seed: SEED });
  const lexical = createStrategies(new RetrievalResources(index), ['lexical']).get('lexical')!;
  const deep = lexical.retrieve(probe, 100).find((c) => c.rank > 50)!;
  const stream: StreamEvent[] = [0, 1].map(() => ({ query: 'love', context: { time: DEMO_TIME, user: 'u1' }, targets: [deep.id], label: 'x' }));
  const run = (refind: number) => {
    const resources = new RetrievalResources(index);
    const strategies = createStrategies(resources, ['lexical', 'memory']);
    const log: LoggedDecision[] = [];
    const planner = createPlanner('thompson', resources, strategies, { policy: { propensitySamples: 4 } });
    const r = simulate(planner, new HeuristicRanker(), resources, strategies, stream, never, { seed: SEED, refind, regret: false, onDecision: (e) => log.push(e) });
    const remembered = strategies.get('memory')!.retrieve(probe, 10).some((c) => c.id === deep.id);
    return { r, log, remembered };
  };
  const clicksOnly = run(0);
  assert.equal(clicksOnly.remembered, false);
  assert.ok(clicksOnly.log.every((e) => !e.refound && !e.covered));
  const refinding = run(1);
  assert.equal(refinding.remembered, true, 'memory should have learnt the refound target');
  assert.ok(refinding.log.every((e) => e.refound && !e.clicked));
  // The second search: memory now returns the target, so memory is credited with it.
  assert.equal(refinding.log[1].credited.memory ?? true, true);
  assert.equal(refinding.r.by_label.x.candidate_recall >= clicksOnly.r.by_label.x.candidate_recall, true);
  assert.throws(() => run(1.5), /refind/);
});

test('common random numbers: every planner meets the same user at query t, whatever it showed before', () => {
  // A DCM user whose draws are recorded: the first draw of each search, per planner. Under one shared stream of
  // draws they would drift apart at the first search where two planners' pages took different numbers of draws.
  const stream = generateStream(index.entities.filter((e) => e !== undefined), { n: 40, seed: 3 }).events;
  const dcm = createClickModel('dcm');
  const firstDraws = (planner: string) => {
    const draws: number[] = [];
    const recording: SimulatedUser = {
      name: 'recording dcm',
      clicks: (relevant, random) => {
        // The search's first draw, taken even for an empty page, then handed to the model as its own first.
        let first: number | undefined = random();
        draws.push(first);
        return dcm.clicks(relevant, () => {
          const u = first ?? random();
          first = undefined;
          return u;
        });
      },
    };
    comparePlanners(index, stream, { planners: [planner], user: recording, strategies: NAMES, seed: SEED, refind: 0.3 });
    return draws;
  };
  const lexical = firstDraws('lexical');
  assert.equal(lexical.length, stream.length);
  assert.deepEqual(firstDraws('memory'), lexical);
  assert.deepEqual(firstDraws('thompson'), lexical);
  assert.notDeepEqual(lexical.slice(1), lexical.slice(0, -1), 'each search has draws of its own');
});

test('--ranker lambdamart: until a model is promoted it ranks exactly as the heuristic does; it retrains on schedule from the run\'s impressions', () => {
  const run = (ranker: 'heuristic' | 'lambdamart', retrainEvery: number) =>
    comparePlanners(index, events, {
      planners: ['always-all'], user: createClickModel('pbm'), strategies: NAMES, seed: SEED, regret: false,
      ranker: rankerFactory(ranker), retrainEvery, retrain: { minImpressions: 3, params: { trees: 5, leaves: 4, minDataInLeaf: 2 } },
    })[0];
  const heuristic = run('heuristic', 1000);
  const untrained = run('lambdamart', 1000);
  assert.deepEqual(untrained.ranker_training, []);
  assert.match(untrained.ranker, /^lambdamart \(no model yet: heuristic\)$/);
  assert.deepEqual(withoutTimes({ ...untrained, ranker: 'x', ranker_training: undefined }), withoutTimes({ ...heuristic, ranker: 'x' }));
  const learning = run('lambdamart', 10);
  assert.deepEqual(learning.ranker_training!.map((r) => r.t), [10, 20, 30]);
  for (const r of learning.ranker_training!) assert.ok(r.version === null || Number.isInteger(r.version), JSON.stringify(r));
});

test('LearningRanker: the heuristic order without a model, the model\'s with one; impressions keep the served features; explanations add up to the score', () => {
  const resources = new RetrievalResources(index);
  const strategies = createStrategies(resources, NAMES);
  const query = createQueryContext('love songs', { context: { time: DEMO_TIME, user: 'u1' }, seed: SEED });
  const union = retrieveUnion(strategies, new Map(NAMES.map((n) => [n, 25])), query).candidates;
  const featureSet = createFeatureSet(resources);
  const registry = ModelRegistry.open();
  const ranker = new LearningRanker(featureSet, registry);
  const ranked = ranker.rank(query, union, { strategiesRun: NAMES });
  assert.deepEqual(ranked.map((r) => r.id), new HeuristicRanker().rank(query, union).map((r) => r.id));
  const served = Float32Array.from(featureSet.compute(query, union, { strategiesRun: NAMES }).values);
  const width = featureSet.names.length;
  const impression = ranker.impression(query, ranked.slice(0, 5), new Set([ranked[2].id, ranked[20].id]))!;
  assert.deepEqual(impression.ids, [...ranked.slice(0, 5).map((r) => r.id), ranked[20].id]);
  assert.deepEqual(impression.engaged, [false, false, true, false, false, true]);
  impression.ids.forEach((id, r) => {
    const i = union.findIndex((c) => c.id === id);
    assert.deepEqual(impression.features.subarray(r * width, (r + 1) * width), served.subarray(i * width, (i + 1) * width));
  });
  // With soft negatives: after those rows, 4 candidates neither shown nor engaged with, drawn by the seeded source.
  const draw = () => ranker.impression(query, ranked.slice(0, 5), new Set([ranked[2].id, ranked[20].id]), { count: 4, random: mulberry32(7) })!;
  const sampled = draw();
  assert.deepEqual(sampled.ids.slice(0, 6), impression.ids);
  const negatives = sampled.ids.slice(6);
  assert.equal(new Set(negatives).size, 4);
  assert.ok(negatives.every((id) => union.some((c) => c.id === id) && !impression.ids.includes(id)));
  assert.deepEqual(sampled.engaged.slice(6), [false, false, false, false]);
  assert.deepEqual(draw().ids, sampled.ids);
  // A model over these features (trained on copies of this impression with the engagement as the label).
  const log = Array.from({ length: 150 }, (_, q) => ({ ...impression, query: `q${q}` }));
  const report = retrainRanker(registry, log, featureSet.names, { params: { trees: 5, leaves: 3, minDataInLeaf: 1 } });
  registry.promote(report.version!.version, 'test');
  const model = registry.currentModel()!;
  const reranked = ranker.rank(query, union, { strategiesRun: NAMES });
  for (const r of reranked) {
    const i = union.findIndex((c) => c.id === r.id);
    assert.equal(r.score, model.scoreRow(served.subarray(i * width, (i + 1) * width)));
    assert.ok(Math.abs(ranker.explain(query, r.candidate).value - r.score) <= 1e-9 * Math.max(1, Math.abs(r.score)));
  }
  for (let i = 1; i < reranked.length; i++) assert.ok(reranked[i - 1].score >= reranked[i].score);
});
