/**
 * `quiver search --index <dir> "<query>"`: top-k by BM25F with filters, optionally explained. With
 * `--strategies a,b --budget a=50,b=20` it runs those retrieval strategies instead and shows the union of their
 * candidates with provenance (which strategies found each, at which rank and score).
 */
import { Command, InvalidArgumentError } from 'commander';
import type { Entity } from '../../catalog/entity.js';
import { createError } from '../../errors.js';
import { type Filter, parseFilter } from '../../index/filters.js';
import { loadSnapshot } from '../../index/snapshot.js';
import type { SearchIndex } from '../../index/search-index.js';
import { describeUnderstanding, understandingOf } from '../../query/understanding.js';
import { RetrievalResources } from '../../retrieval/resources.js';
import { createQueryContext } from '../../query/query-context.js';
import { createStrategies, retrieveUnion, STRATEGY_FACTORIES } from '../../retrieval/registry.js';
import { collect, numberFlag } from '../flags.js';
import { formatExplanation } from '../output.js';

function budgetsFlag(value: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const part of value.split(',').filter(Boolean)) {
    const [name, n] = part.split('=');
    const budget = Number(n);
    if (!name || n === undefined || !Number.isInteger(budget) || budget < 0) {
      throw new InvalidArgumentError(`--budget takes strategy=count pairs with whole counts ≥ 0, got "${part}"`);
    }
    out[name.trim()] = budget;
  }
  return out;
}

function describe(e: Entity): string {
  const artist = e.fields?.artist ? ` — ${[e.fields.artist].flat().join(', ')}` : '';
  return `[${e.type}] ${e.title}${artist}  (${e.id})`;
}

export function searchCommand(): Command {
  return new Command('search')
    .description('search an index snapshot')
    .argument('<query>', 'query text')
    .requiredOption('--index <dir>', 'index snapshot directory (from "quiver index")')
    .option('--k <n>', 'number of results (and the default budget of each strategy)', numberFlag('--k', { min: 1, max: 10000, integer: true }), 10)
    .option('--type <type>', 'only entities of this type')
    .option('--filter <expr>', 'attribute filter, repeatable: genre=pop, genre=pop@0.5, tempo>=120, released>=2010', collect)
    .option('--strategies <list>', `run these retrieval strategies and union them (${Object.keys(STRATEGY_FACTORIES).join(', ')})`)
    .option('--budget <list>', 'candidates per strategy, e.g. lexical=50,popular=10 (default --k each)', budgetsFlag)
    .option('--time <iso>', 'request time (for the fresh strategy), default now')
    .option('--seed <n>', 'request seed (for the explore strategy)', numberFlag('--seed', { min: 0, max: 2 ** 31 - 1, integer: true }), 0)
    .option('--explain', 'show how each score was computed')
    .option('--understand', 'show what query understanding makes of the query (slots, readings, type, intent, features)')
    .option('--json', 'print one JSON object')
    .action((query: string, flags) => {
      const filters = (flags.filter ?? []).map(parseFilter);
      const index = loadSnapshot(flags.index);
      if (flags.understand) return printUnderstanding(index, query, flags);
      if (flags.strategies || flags.budget) return searchStrategies(index, query, filters, flags);
      const started = process.hrtime.bigint();
      const hits = index.search(query, { k: flags.k, type: flags.type, filters });
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const results = hits.map((hit, i) => ({
        rank: i + 1,
        id: hit.id,
        score: hit.score,
        entity: index.get(hit.id),
        ...(flags.explain ? { explanation: index.explain(query, hit.id) } : {}),
      }));
      if (flags.json) {
        console.log(JSON.stringify({ query, k: flags.k, ms, results }));
        return;
      }
      if (results.length === 0) console.log(`no results for "${query}"`);
      for (const r of results) {
        console.log(`${String(r.rank).padStart(3)}. ${r.score.toFixed(3)}  ${describe(r.entity!)}`);
        if (r.explanation) console.log(formatExplanation(r.explanation, '       '));
      }
      console.log(`\n${results.length} results in ${ms.toFixed(2)} ms`);
    });
}

interface SearchFlags {
  k: number;
  type?: string;
  strategies?: string;
  budget?: Record<string, number>;
  time?: string;
  seed: number;
  explain?: boolean;
  understand?: boolean;
  json?: boolean;
}

function printUnderstanding(index: SearchIndex, query: string, flags: SearchFlags) {
  const q = createQueryContext(query, { context: flags.time ? { time: flags.time } : {} });
  const u = describeUnderstanding(understandingOf(new RetrievalResources(index)).understand(q));
  if (flags.json) {
    console.log(JSON.stringify({ query, understanding: u }));
    return;
  }
  const pct = (d: Record<string, number>) => Object.entries(d).map(([k, v]) => `${k} ${(100 * v).toFixed(0)}%`).join(', ');
  console.log(`words: ${u.words.join(' ')}   script: ${u.script}   language: ${u.language}`);
  console.log(`query type: ${u.queryType} (${pct(u.queryTypeScores)})`);
  console.log(`intent: ${pct(u.intent)}`);
  console.log('readings:');
  for (const r of u.interpretations) {
    const slots = r.slots.map((s) => `${s.kind}${s.attribute ? `.${s.attribute}` : ''}[${s.text}]=${s.value}${s.match === 'fuzzy' ? '~' : ''}`);
    console.log(`  ${(100 * r.probability).toFixed(1).padStart(5)}%  ${[...slots, ...r.free.map((w) => `"${w}"`)].join('  ')}`);
  }
}

function searchStrategies(index: SearchIndex, query: string, filters: Filter[], flags: SearchFlags) {
  const budgets = flags.budget ?? {};
  const names = flags.strategies ? flags.strategies.split(',').map((s) => s.trim()).filter(Boolean) : Object.keys(budgets);
  const strategies = createStrategies(index, names);
  for (const name of Object.keys(budgets)) {
    if (!strategies.has(name)) throw createError('STRATEGY_NOT_IN_PLAN', name, names.join(', '));
  }
  const plan = new Map(names.map((name) => [name, budgets[name] ?? flags.k]));
  const q = createQueryContext(query, {
    context: flags.time ? { time: flags.time } : {},
    types: flags.type ? [flags.type] : undefined,
    filters,
    seed: flags.seed,
  });
  const { candidates, runs } = retrieveUnion(strategies, plan, q);
  const results = candidates.map((c) => ({
    id: c.id,
    entity: index.get(c.id),
    provenance: c.provenance,
    ...(flags.explain ? { explanations: Object.fromEntries(c.provenance.map((p) => [p.strategy, strategies.get(p.strategy)!.explain(q, c.id)])) } : {}),
  }));
  if (flags.json) {
    console.log(JSON.stringify({ query, plan: Object.fromEntries(plan), runs, results }));
    return;
  }
  for (const run of runs) console.log(`${run.strategy}: ${run.count}/${run.budget} candidates in ${run.ms.toFixed(2)} ms`);
  console.log();
  results.forEach((r, i) => {
    const found = r.provenance.map((p) => `${p.strategy}#${p.rank} (${p.score.toFixed(3)})`).join(', ');
    console.log(`${String(i + 1).padStart(3)}. ${describe(r.entity!)}\n       found by ${found}`);
    for (const [name, e] of Object.entries(r.explanations ?? {})) console.log(`       ${name}:\n${formatExplanation(e, '         ')}`);
  });
}
