/**
 * `quiver ltr train` and `quiver ltr eval`: LambdaMART on svmlight ranking files (src/rank/ltr/). Training reads
 * queries from `qid:` or a group-size file, optionally watches a validation set (early stopping on its NDCG@k),
 * and saves the model as JSON; eval scores a test file with a saved model and prints NDCG@1/3/5/10 and MAP. The
 * numeric flags take their ranges from LAMBDAMART_OPTIONS, so a bad value fails before any work, naming the flag.
 */
import { Command } from 'commander';
import { createError } from '../../errors.js';
import { type OptionSpec } from '../../options.js';
import { evaluateRanking } from '../../rank/ltr/metric.js';
import { loadLambdaMart, saveLambdaMart } from '../../rank/ltr/model-file.js';
import { LAMBDAMART_OPTIONS, type LambdaMartParamsInput } from '../../rank/ltr/params.js';
import { readSvmlight, withFeatureCount } from '../../rank/ltr/svmlight.js';
import { trainLambdaMart } from '../../rank/ltr/train.js';
import { numberFlag } from '../flags.js';
import { table } from '../output.js';

/** CLI flag → LambdaMART parameter; the flag's help and range come from the declaration. */
const TRAIN_FLAGS: ReadonlyArray<[flag: string, param: keyof typeof LAMBDAMART_OPTIONS]> = [
  ['trees', 'trees'],
  ['leaves', 'leaves'],
  ['lr', 'learningRate'],
  ['depth', 'maxDepth'],
  ['min-data', 'minDataInLeaf'],
  ['min-hessian', 'minSumHessian'],
  ['lambda-l2', 'lambdaL2'],
  ['subsample', 'subsample'],
  ['colsample', 'colsample'],
  ['max-bin', 'maxBin'],
  ['truncation', 'truncation'],
  ['early-stop', 'earlyStop'],
  ['ndcg-at', 'ndcgAt'],
  ['seed', 'seed'],
];

const camel = (flag: string) => flag.replace(/-(\w)/g, (_, c: string) => c.toUpperCase());

/** Adds the LambdaMART parameter flags (help and range from the declarations) to a command. */
export function withTrainFlags(command: Command): Command {
  for (const [flag, param] of TRAIN_FLAGS) {
    const spec = LAMBDAMART_OPTIONS[param] as Extract<OptionSpec, { kind: 'number' }>;
    command.option(`--${flag} <n>`, `${spec.description} (default ${spec.default})`, numberFlag(`--${flag}`, spec));
  }
  return command.option('--no-normalize', 'do not scale each query\'s lambdas by log2(1 + S) / S');
}

/** The LambdaMART parameters the flags of `withTrainFlags` gave. */
export function trainParams(flags: Record<string, unknown>): LambdaMartParamsInput {
  const params: LambdaMartParamsInput = { normalize: flags.normalize as boolean };
  for (const [flag, param] of TRAIN_FLAGS) if (flags[camel(flag)] !== undefined) (params as Record<string, unknown>)[param] = flags[camel(flag)];
  return params;
}

function trainCommand(): Command {
  const command = new Command('train')
    .description('train a LambdaMART model on svmlight ranking data')
    .requiredOption('--train <file>', 'training rows, svmlight (.gz read transparently), with qid: or --train-group')
    .option('--train-group <file>', 'rows per query, one count per line (LightGBM .query), for rows without qid:')
    .option('--valid <file>', 'validation rows: NDCG@k is reported every round, and --early-stop watches it')
    .option('--valid-group <file>', 'rows per query of --valid')
    .requiredOption('--model <file>', 'where to write the model (JSON)')
    .option('--json', 'print the training summary as one JSON object');
  return withTrainFlags(command).action((flags: Record<string, unknown>) => {
    if (flags.validGroup !== undefined && flags.valid === undefined) throw createError('CLI_BAD_FLAGS', '--valid-group needs --valid <file>');
    if (flags.earlyStop !== undefined && (flags.earlyStop as number) > 0 && flags.valid === undefined) throw createError('CLI_BAD_FLAGS', '--early-stop needs --valid <file> to watch');
    let train = readSvmlight(flags.train as string, { groupPath: flags.trainGroup as string | undefined });
    let valid = flags.valid === undefined ? undefined : readSvmlight(flags.valid as string, { groupPath: flags.validGroup as string | undefined });
    if (valid) {
      // svmlight never shows trailing all-zero features: give both files the wider width.
      const width = Math.max(train.featureNames.length, valid.featureNames.length);
      train = withFeatureCount(train, width);
      valid = withFeatureCount(valid, width);
    }
    const params = trainParams(flags);
    const started = performance.now();
    const result = trainLambdaMart(train, params, { valid });
    const seconds = (performance.now() - started) / 1000;
    saveLambdaMart(flags.model as string, result.model);
    const ndcgAt = result.model.params.ndcgAt;
    const summary = {
      model: flags.model,
      rounds: result.rounds.length,
      trees: result.model.treeCount,
      train_s: Math.round(seconds * 1000) / 1000,
      ...(result.validNdcg !== undefined ? { [`valid_ndcg@${ndcgAt}`]: result.validNdcg } : {}),
    };
    if (flags.json) console.log(JSON.stringify(summary));
    else {
      const valid = result.validNdcg === undefined ? '' : `; validation NDCG@${ndcgAt} ${result.validNdcg.toFixed(4)}`;
      console.log(`${summary.trees} trees (${summary.rounds} rounds grown) in ${summary.train_s} s${valid}; model written to ${flags.model}`);
    }
  });
}

function evalCommand(): Command {
  return new Command('eval')
    .description('score svmlight ranking data with a saved model: NDCG@1/3/5/10 and MAP (relevant = label > 0); a query with no relevant row counts 1')
    .requiredOption('--model <file>', 'a model from `quiver ltr train`')
    .requiredOption('--test <file>', 'test rows, svmlight (.gz read transparently), with qid: or --test-group')
    .option('--test-group <file>', 'rows per query, one count per line, for rows without qid:')
    .option('--json', 'print {"ndcg@1","ndcg@3","ndcg@5","ndcg@10","map"} as one JSON object')
    .action((flags: { model: string; test: string; testGroup?: string; json?: boolean }) => {
      const model = loadLambdaMart(flags.model);
      const test = readSvmlight(flags.test, { groupPath: flags.testGroup, featureCount: model.featureNames.length });
      const metrics = evaluateRanking(test, model.scoreDataset(test));
      if (flags.json) console.log(JSON.stringify(metrics));
      else console.log(table(Object.entries(metrics).map(([metric, value]) => ({ metric, value }))));
    });
}

export function ltrCommand(): Command {
  return new Command('ltr')
    .description('learning to rank: train and evaluate LambdaMART models on svmlight files')
    .addCommand(trainCommand())
    .addCommand(evalCommand());
}
