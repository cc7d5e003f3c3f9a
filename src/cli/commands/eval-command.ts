/**
 * `quiver eval adhoc --beir <dir>`: nDCG@10, MAP, MRR@10 and Recall@100 over a BEIR-layout collection; and
 * `quiver eval strategies` (eval-strategies-command.ts): candidate recall of the retrieval strategies.
 */
import { Command } from 'commander';
import { evaluateAdhoc } from '../../eval/adhoc.js';
import { indexOptionsFromFlags, withIndexFlags } from '../flags.js';
import { table } from '../output.js';
import { evalStrategiesCommand } from './eval-strategies-command.js';

export function evalCommand(): Command {
  const adhoc = withIndexFlags(
    new Command('adhoc')
      .description('ad-hoc retrieval quality on a BEIR-layout collection (corpus.jsonl, queries.jsonl, qrels/test.tsv)')
      .requiredOption('--beir <dir>', 'collection directory')
      .option('--fields <list>', 'corpus properties to index', 'title,text')
      .option('--json', 'print one JSON object'),
  ).action((flags) => {
    const fields = String(flags.fields).split(',').map((f: string) => f.trim()).filter(Boolean);
    const report = evaluateAdhoc(flags.beir, fields, indexOptionsFromFlags(flags));
    if (flags.json) console.log(JSON.stringify(report));
    else console.log(table([report as unknown as Record<string, number>]));
  });
  return new Command('eval').description('evaluate retrieval quality').addCommand(adhoc).addCommand(evalStrategiesCommand());
}
