/**
 * `quiver eval strategies --catalog <file> --stream <queries.jsonl> --k 100 [--strategies a,b] [--json]`:
 * candidate recall@k of each retrieval strategy alone and of all together, overall and by label, with latency
 * (src/eval/strategies-eval.ts defines each figure). Prints a table, a Markdown table (--markdown) or one JSON
 * object (--json). The index is built from the catalogue with the same flags as `quiver index`.
 */
import { Command, InvalidArgumentError } from 'commander';
import cliProgress from 'cli-progress';
import { loadCatalog } from '../../catalog/load.js';
import { readStream } from '../../eval/stream.js';
import { evaluateStrategies, type StrategiesReport, type StrategyScore } from '../../eval/strategies-eval.js';
import { SearchIndex } from '../../index/search-index.js';
import { RetrievalResources } from '../../retrieval/resources.js';
import { STRATEGY_FACTORIES } from '../../retrieval/registry.js';
import { indexOptionsFromFlags, numberFlag, withIndexFlags } from '../flags.js';
import { markdownTable, table } from '../output.js';

export function strategiesFlag(value: string): string[] {
  const names = value.split(',').map((s) => s.trim()).filter(Boolean);
  const known = Object.keys(STRATEGY_FACTORIES);
  const unknown = names.find((n) => !known.includes(n));
  if (unknown !== undefined) throw new InvalidArgumentError(`--strategies: unknown strategy "${unknown}" (known: ${known.join(', ')})`);
  if (names.length === 0) throw new InvalidArgumentError('--strategies needs at least one strategy name');
  return [...new Set(names)];
}

/** One row per strategy and one for all together; a label's winning recall is starred (bold in Markdown). */
export function reportRows(report: StrategiesReport, markdown = false): Array<Record<string, string>> {
  const labels = Object.keys(report.all.by_label);
  const f = (x: number) => x.toFixed(4);
  const row = (name: string, s: StrategyScore) => {
    const out: Record<string, string> = { strategy: name, recall: f(s.recall), target_recall: f(s.target_recall), mean_ms: f(s.mean_ms), p50_ms: f(s.p50_ms), p99_ms: f(s.p99_ms) };
    for (const label of labels) {
      const value = f(s.by_label[label].recall);
      out[`${label} (${s.by_label[label].queries})`] = report.winners[label] === name ? (markdown ? `**${value}**` : `${value}*`) : value;
    }
    return out;
  };
  return [...Object.entries(report.strategies).map(([name, s]) => row(name, s)), row('all', report.all)];
}

export function evalStrategiesCommand(): Command {
  return withIndexFlags(
    new Command('strategies')
      .description('candidate recall@k and latency of each retrieval strategy, and of all together, over a query stream')
      .requiredOption('--catalog <file>', 'catalogue file (.jsonl, .csv, optionally .gz)')
      .requiredOption('--stream <file>', 'query stream, one JSON object per line ("-" reads standard input); see `quiver generate-stream`')
      .option('--k <n>', 'candidates each strategy returns', numberFlag('--k', { min: 1, max: 10000, integer: true }), 100)
      .option('--strategies <list>', `strategies to run (default all: ${Object.keys(STRATEGY_FACTORIES).join(', ')})`, strategiesFlag)
      .option('--seed <n>', 'request seed of the first event (event i gets seed + i)', numberFlag('--seed', { min: 0, max: 2 ** 31 - 1, integer: true }), 0)
      .option('--no-learn', 'do not hand a click on a target to the learners after each query')
      .option('--json', 'print one JSON object')
      .option('--markdown', 'print a Markdown table'),
  ).action((flags) => {
    const { entities } = loadCatalog(flags.catalog);
    const index = SearchIndex.build(entities, indexOptionsFromFlags(flags));
    const events = readStream(flags.stream, { isKnownId: (id) => index.has(id) });
    const bar =
      !flags.json && process.stderr.isTTY
        ? new cliProgress.SingleBar({ format: 'replaying [{bar}] {value}/{total} queries', stream: process.stderr }, cliProgress.Presets.shades_classic)
        : undefined;
    bar?.start(events.length, 0);
    const report = evaluateStrategies(new RetrievalResources(index), events, {
      k: flags.k, strategies: flags.strategies, seed: flags.seed, learn: flags.learn, onProgress: (done) => bar?.update(done),
    });
    bar?.stop();
    if (flags.json) {
      console.log(JSON.stringify(report));
      return;
    }
    const rows = reportRows(report, flags.markdown);
    console.log(flags.markdown ? markdownTable(rows) : table(rows));
    console.log(`\n${report.queries} queries, k = ${report.k}; recall = share of queries with a target among the candidates` +
      `${flags.markdown ? ' (bold: the label\'s winner)' : ' (*: the label\'s winner)'}; latency in ms per query.`);
  });
}
