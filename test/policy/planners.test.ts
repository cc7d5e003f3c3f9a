// Planners by name: which names exist for a set of strategies, what each static plan runs, which are learned,
// and an unknown name refused naming the known ones.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SearchIndex } from '../../src/index/search-index.js';
import { createPlanner, FULL_BUDGET, LEARNED_PLANNERS, PolicyPlanner, plannerNames, StaticPlanner } from '../../src/policy/planners.js';
import { POLICY_NAMES } from '../../src/policy/policy.js';
import { createQueryContext } from '../../src/query/query-context.js';
import { createStrategies } from '../../src/retrieval/registry.js';
import { RetrievalResources } from '../../src/retrieval/resources.js';
import { TINY_CATALOG, TINY_CONTEXT } from '../helpers/tiny-stream.js';

const LEARNED = ['epsilon-greedy', 'linucb', 'hybrid-linucb', 'thompson'];

test('planner names: each strategy, always-all, the RRF hybrid only with lexical and semantic, uniform, the learned', () => {
  assert.deepEqual(LEARNED_PLANNERS, LEARNED);
  assert.deepEqual(plannerNames(['lexical', 'fuzzy', 'memory']), ['lexical', 'fuzzy', 'memory', 'always-all', 'uniform', ...LEARNED]);
  assert.deepEqual(plannerNames(['semantic', 'lexical']), ['semantic', 'lexical', 'always-all', 'rrf-lexical-semantic', 'uniform', ...LEARNED]);
  assert.ok(!plannerNames(['semantic', 'fuzzy']).includes('rrf-lexical-semantic'));
  assert.ok(!plannerNames(['lexical']).includes('rrf-lexical-semantic'));
  assert.deepEqual(plannerNames(new Set(['popular']).keys()), ['popular', 'always-all', 'uniform', ...LEARNED]);
  // Every bandit policy is reachable as a planner.
  for (const name of POLICY_NAMES) assert.ok(plannerNames(['lexical']).includes(name));
});

test('every named planner is created with its kind and plan; an unknown one is refused naming the known ones', () => {
  const resources = new RetrievalResources(SearchIndex.build(TINY_CATALOG));
  const strategies = createStrategies(resources, ['lexical', 'semantic', 'memory']);
  const query = createQueryContext('love story', { context: TINY_CONTEXT, seed: 1 });
  for (const name of plannerNames(strategies.keys())) {
    const planner = createPlanner(name, resources, strategies);
    assert.equal(planner.name, name);
    assert.equal(planner.kind, LEARNED.includes(name) ? 'learned' : 'static');
    const { plan, decision } = planner.plan(query);
    for (const [strategy, budget] of plan) assert.ok(strategies.has(strategy) && budget > 0 && budget <= FULL_BUDGET);
    assert.equal(decision !== undefined, planner instanceof PolicyPlanner);
  }
  const plan = (name: string) => [...createPlanner(name, resources, strategies).plan(query).plan];
  assert.deepEqual(plan('semantic'), [['semantic', FULL_BUDGET]]);
  assert.deepEqual(plan('always-all'), [['lexical', FULL_BUDGET], ['semantic', FULL_BUDGET], ['memory', FULL_BUDGET]]);
  const hybrid = createPlanner('rrf-lexical-semantic', resources, strategies);
  assert.deepEqual([...hybrid.plan(query).plan], [['lexical', FULL_BUDGET], ['semantic', FULL_BUDGET]]);
  assert.equal(hybrid.ranker?.name, 'rrf');
  assert.ok(hybrid instanceof StaticPlanner);
  assert.equal(createPlanner('always-all', resources, strategies).ranker, undefined);
  assert.equal(createPlanner('uniform', resources, strategies).kind, 'static');

  assert.throws(() => createPlanner('psychic', resources, strategies), (err: Error & { code?: string }) => {
    assert.equal(err.code, 'POLICY_UNKNOWN');
    assert.match(err.message, /unknown policy "psychic"/);
    for (const known of plannerNames(strategies.keys())) assert.ok(err.message.includes(known), `${known} not named`);
    return true;
  });
  // A strategy not in this quiver is not a planner here, nor is the RRF hybrid without semantic.
  const lexicalOnly = createStrategies(resources, ['lexical']);
  assert.throws(() => createPlanner('fuzzy', resources, lexicalOnly), { code: 'POLICY_UNKNOWN' });
  assert.throws(() => createPlanner('rrf-lexical-semantic', resources, lexicalOnly), { code: 'POLICY_UNKNOWN', message: /known: lexical, always-all, uniform, epsilon-greedy/ });
});
