// The retrieval policy over the demo catalogue: plans replay by seed, engagement credits exactly the arms that ran,
// and plans get better at covering what users engage with as they learn.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { generateStream } from '../../src/eval/stream-generator.js';
import { LinearThompsonPolicy, LinUcbPolicy } from '../../src/policy/policy.js';
import { RetrievalPolicy } from '../../src/policy/retrieval-policy.js';
import { createQueryContext } from '../../src/query/query-context.js';
import { createStrategies, retrieveUnion } from '../../src/retrieval/registry.js';
import { RetrievalResources } from '../../src/retrieval/resources.js';
import { DEMO_TIME, demoIndex } from '../helpers/demo-index.js';

const index = demoIndex();
const NAMES = ['lexical', 'fuzzy', 'popular', 'fresh', 'structured', 'memory', 'personalised'];

test('a decision is a plan on the grid, and replays for the same request', () => {
  const resources = new RetrievalResources(index);
  const policy = new RetrievalPolicy(resources, NAMES, new LinearThompsonPolicy(0.3, 0));
  const q = () => createQueryContext('tayler swift', { context: { time: DEMO_TIME }, seed: 3 });
  const first = policy.decide(q());
  assert.deepEqual([...policy.decide(q()).plan], [...first.plan]);
  for (const [strategy, budget] of first.plan) {
    assert.ok(NAMES.includes(strategy));
    assert.ok(policy.grid.includes(budget));
  }
});

test('engagement credits every grid budget up to the one each strategy ran at, and nothing above', () => {
  const resources = new RetrievalResources(index);
  const scorer = new LinUcbPolicy(1);
  const policy = new RetrievalPolicy(resources, NAMES, scorer);
  const q = createQueryContext('love', { context: { time: DEMO_TIME } });
  const decision = { ...policy.decide(q), plan: new Map([['lexical', 50], ['popular', 25]]) };
  const { candidates } = retrieveUnion(createStrategies(resources, ['lexical', 'popular']), decision.plan, q);
  const engaged = candidates.find((c) => c.provenance.length === 1 && c.provenance[0].strategy === 'lexical' && c.provenance[0].rank > 10 && c.provenance[0].rank <= 25)!;
  policy.learn(decision, candidates, engaged.id);
  // The bias is the first feature, so an arm's Σ r·x[0] is the sum of its rewards.
  // Deciding created every arm; only credited ones have observations.
  const reward = (arm: string) => [scorer.arms.get(arm)!.n, scorer.arms.get(arm)!.xr[0]];
  assert.deepEqual(reward('lexical@10'), [1, 0]);
  assert.deepEqual(reward('lexical@25'), [1, 1]);
  assert.deepEqual(reward('lexical@50'), [1, 1]);
  assert.deepEqual(reward('lexical@100'), [0, 0]);
  assert.deepEqual(reward('popular@10'), [1, 0]);
  assert.deepEqual(reward('popular@25'), [1, 0]);
  assert.deepEqual(reward('fuzzy@10'), [0, 0]);
});

test('learning online, plans cover more engaged entities in the second half of a stream than in the first', () => {
  const entities = index.entities.filter((e) => e !== undefined);
  const { events } = generateStream(entities, { n: 400, seed: 5 });
  const resources = new RetrievalResources(index);
  const strategies = createStrategies(resources, NAMES);
  const policy = new RetrievalPolicy(resources, NAMES, new LinearThompsonPolicy(0.2, 0));
  const hits = [0, 0];
  events.forEach((e, i) => {
    const q = createQueryContext(e.query, { context: e.context, seed: i });
    const decision = policy.decide(q);
    const { candidates } = retrieveUnion(strategies, decision.plan, q);
    const ids = new Set(candidates.map((c) => c.id));
    const target = e.targets.find((id) => ids.has(id));
    if (target) hits[i < events.length / 2 ? 0 : 1]++;
    const engaged = target ?? e.targets[0];
    policy.learn(decision, candidates, engaged);
    resources.learn({ query: e.query, entityId: engaged, type: 'click', time: q.time, user: e.context?.user });
  });
  assert.ok(hits[1] > hits[0] * 1.1, `first half ${hits[0]}, second half ${hits[1]} of ${events.length / 2}`);
});
