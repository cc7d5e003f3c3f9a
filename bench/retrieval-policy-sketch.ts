/**
 * Sketch, not yet a benchmark: the retrieval policy learning online on a generated demo stream, against running
 * every strategy at 100. Prints recall (overall and second half), mean candidates drawn and ms per query. The
 * simulator of issue 4 (quiver simulate) will replace it.
 *
 *   npx tsx bench/retrieval-policy-sketch.ts [queries=800]
 */
import { loadCatalog } from '../src/catalog/load.js';
import { DEMO_INDEX_OPTIONS, demoCatalogPath } from '../src/demo.js';
import { generateStream } from '../src/eval/stream-generator.js';
import { SearchIndex } from '../src/index/search-index.js';
import { createQueryContext } from '../src/query/query-context.js';
import { LinearThompsonPolicy, LinUcbPolicy } from '../src/policy/policy.js';
import { RetrievalPolicy } from '../src/policy/retrieval-policy.js';
import { createStrategies, retrieveUnion } from '../src/retrieval/registry.js';
import { RetrievalResources } from '../src/retrieval/resources.js';
const entities = loadCatalog(demoCatalogPath()).entities;
const index = SearchIndex.build(entities, DEMO_INDEX_OPTIONS);
const { events } = generateStream(entities, { n: Number(process.argv[2] ?? 800), seed: 5 });
const names = ['lexical', 'fuzzy', 'popular', 'fresh', 'structured', 'memory', 'personalised'];
for (const [label, scorer] of [['linucb', new LinUcbPolicy(0.5, 1)], ['thompson', new LinearThompsonPolicy(0.2, 0, 1)], ['always-all', null]] as const) {
  const resources = new RetrievalResources(index);
  const strategies = createStrategies(resources, names);
  const policy = scorer ? new RetrievalPolicy(resources, names, scorer) : undefined;
  let hits = 0, cost = 0, late = 0, lateN = 0;
  const t = performance.now();
  events.forEach((e, i) => {
    const q = createQueryContext(e.query, { context: e.context, seed: i });
    const decision = policy?.decide(q);
    const plan = decision?.plan ?? new Map(names.map((n) => [n, 100]));
    const { candidates } = retrieveUnion(strategies, plan, q);
    const ids = new Set(candidates.map((c) => c.id));
    const target = e.targets.find((id: string) => ids.has(id));
    const hit = target !== undefined;
    hits += hit ? 1 : 0; cost += [...plan.values()].reduce((a, b) => a + b, 0);
    if (i >= events.length / 2) { late += hit ? 1 : 0; lateN++; }
    const engaged = target ?? e.targets[0];
    if (decision) policy!.learn(decision, candidates, engaged);
    resources.learn({ query: e.query, entityId: engaged, type: 'click', time: q.time, user: e.context?.user });
  });
  console.log(label, 'recall', (hits / events.length).toFixed(3), 'second half', (late / lateN).toFixed(3), 'mean candidates', (cost / events.length).toFixed(1), 'ms/q', ((performance.now() - t) / events.length).toFixed(2));
}
