/**
 * Ad-hoc retrieval quality, side by side: Quiver (default settings, and with stop words) against Xapian's BM25
 * (with and without English stemming) on a BEIR-layout collection, all scored by Quiver's metric code.
 *   npx tsx bench/adhoc-bench.ts [--beir ../shared/data/cisi/beir] [--json]
 */
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { readBeir } from '../src/eval/beir.js';
import { averagePrecision, mean, ndcgAt, recallAt, reciprocalRankAt } from '../src/eval/metrics.js';
import type { SearchIndexOptionsInput } from '../src/index/options.js';
import { SearchIndex } from '../src/index/search-index.js';
import { table } from '../src/cli/output.js';
import { findPython } from './engines/xapian.js';

const { values } = parseArgs({ options: { beir: { type: 'string', default: '../shared/data/cisi/beir' }, json: { type: 'boolean', default: false } } });
const dir = values.beir!;
const { docs, queries, qrels } = readBeir(dir);

type Runs = Map<string, string[]>;


function score(name: string, runs: Runs, msPerQuery: number) {
  const judged = [...qrels].filter(([qid, grades]) => queries.has(qid) && [...grades.values()].some((g) => g > 0));
  const per = judged.map(([qid, grades]) => {
    const ranked = runs.get(qid) ?? [];
    return [ndcgAt(ranked, grades, 10), averagePrecision(ranked, grades), reciprocalRankAt(ranked, grades, 10), recallAt(ranked, grades, 100)];
  });
  const col = (i: number) => Math.round(mean(per.map((p) => p[i])) * 10000) / 10000;
  return { engine: name, queries: per.length, 'ndcg@10': col(0), map: col(1), 'mrr@10': col(2), 'recall@100': col(3), ms_per_query: Math.round(msPerQuery * 1000) / 1000 };
}

function quiver(name: string, options: SearchIndexOptionsInput) {
  const index = SearchIndex.build(docs, options);
  const runs: Runs = new Map();
  const started = process.hrtime.bigint();
  for (const [qid, text] of queries) runs.set(qid, index.search(text, { k: 1000 }).map((h) => h.id));
  return score(name, runs, Number(process.hrtime.bigint() - started) / 1e6 / queries.size);
}

function xapian(stem: 'english' | 'none') {
  const python = findPython();
  if (!python) return undefined;
  const r = spawnSync(python, [new URL('./xapian_adhoc.py', import.meta.url).pathname, '--beir', dir, '--stem', stem], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`xapian_adhoc.py failed: ${r.stderr}`);
  const out = JSON.parse(r.stdout);
  return score(`xapian ${out.version} BM25 (stem ${stem})`, new Map(Object.entries(out.runs)), (out.query_s * 1000) / queries.size);
}

const rows = [
  quiver('quiver BM25F defaults (stem english)', {}),
  quiver('quiver, no stemming', { analyzer: { stem: 'none' } }),
  quiver('quiver, stop words on', { analyzer: { stopWords: 'english' } }),
  xapian('english'),
  xapian('none'),
].filter((r) => r !== undefined);
if (values.json) console.log(JSON.stringify({ collection: dir, results: rows }));
else console.log(table(rows as unknown as Array<Record<string, string | number>>));
