/**
 * `quiver train --rows <svmlight> --models <dir>`: retrains the ranker on demand. The rows are training rows as
 * `TrainingRowsWriter` writes them (`<rows>.query` group sizes, `<rows>.weight` IPS weights and
 * `<rows>.features.json` feature names beside the file are picked up when present). The newest share of the
 * queries is held out; training runs on a worker thread; the model becomes a new version in the registry and is
 * promoted only if its hold-out NDCG is not worse than the current model's (src/rank/lifecycle/retrain.ts).
 *
 * `quiver models --models <dir> [--promote <v> | --rollback [v]]`: lists the versions, or moves `current`.
 */
import { Command, InvalidArgumentError } from 'commander';
import { existsSync } from 'node:fs';
import { createError } from '../../errors.js';
import { readTextFile } from '../../catalog/read-text.js';
import { ModelRegistry } from '../../rank/lifecycle/model-registry.js';
import { retrainFromRows } from '../../rank/lifecycle/retrain.js';
import { rankDataset, type RankDataset } from '../../rank/ltr/dataset.js';
import { parseSvmlight, withFeatureCount } from '../../rank/ltr/svmlight.js';
import { numberFlag } from '../flags.js';
import { table } from '../output.js';
import { trainParams, withTrainFlags } from './ltr-command.js';

/** The rows with their sidecar files (group sizes, weights, feature names) when they exist. */
export function readTrainingRows(path: string, groupPath?: string): RankDataset {
  // Rows that carry qid: need no group file (TrainingRowsWriter writes both); the sidecar is for rows without.
  const text = readTextFile(path);
  const group = groupPath ?? (existsSync(`${path}.query`) && !/^[^#\n]*\sqid:/m.test(text.slice(0, 10_000)) ? `${path}.query` : undefined);
  let rows = parseSvmlight(text, path, { groupText: group === undefined ? undefined : readTextFile(group), groupWhere: group });
  const namesFile = `${path}.features.json`;
  if (existsSync(namesFile)) {
    let names: string[];
    try {
      names = (JSON.parse(readTextFile(namesFile)) as { features: Array<{ name: string }> }).features.map((f) => f.name);
    } catch (err) {
      throw createError('TRAINING_ROWS_BAD_INPUT', namesFile, `not a feature list (${(err as Error).message})`);
    }
    rows = { ...withFeatureCount(rows, names.length), featureNames: names };
  }
  const weightFile = `${path}.weight`;
  if (!existsSync(weightFile)) return rows;
  const weights = readTextFile(weightFile).split('\n').filter((line) => line.trim() !== '').map(Number);
  const sizes = Array.from({ length: rows.groupOffsets.length - 1 }, (_, q) => rows.groupOffsets[q + 1] - rows.groupOffsets[q]);
  return rankDataset({ ...rows, groupSizes: sizes, weights, where: weightFile });
}

export function trainCommand(): Command {
  const command = new Command('train')
    .description('retrain the ranker from training rows: a new model version, promoted only if it is not worse on held-out queries')
    .requiredOption('--rows <file>', 'training rows, svmlight with qid: (sidecars <file>.query, .weight, .features.json used when present)')
    .option('--group <file>', 'rows per query, for rows without qid: (default <rows>.query if it exists)')
    .requiredOption('--models <dir>', 'the model registry (created if missing)')
    .option('--holdout <share>', 'share of the newest queries held out to judge the model', numberFlag('--holdout', { min: 0.01, max: 0.99 }), 0.2)
    .option('--json', 'print the outcome as one JSON object');
  return withTrainFlags(command).action(async (flags: Record<string, unknown>) => {
    const rows = readTrainingRows(flags.rows as string, flags.group as string | undefined);
    const registry = ModelRegistry.open(flags.models as string);
    const report = await retrainFromRows(registry, rows, { params: trainParams(flags), holdout: flags.holdout as number });
    const out = { version: report.version?.version ?? null, promoted: report.promoted, current: registry.current, reason: report.reason, holdout: report.version?.holdout };
    if (flags.json) console.log(JSON.stringify(out));
    else console.log(`${out.version === null ? 'no model trained' : `version ${out.version} ${out.promoted ? 'promoted' : 'kept, not promoted'}`}: ${out.reason}; current: ${out.current ?? 'fallback'}`);
  });
}

function versionFlag(value: string): number {
  const v = Number(value);
  if (!Number.isInteger(v) || v < 1) throw new InvalidArgumentError(`a model version is an integer ≥ 1, got "${value}"`);
  return v;
}

export function modelsCommand(): Command {
  return new Command('models')
    .description('list the ranker\'s model versions, promote one, or roll back')
    .requiredOption('--models <dir>', 'the model registry')
    .option('--promote <version>', 'make this version current', versionFlag)
    .option('--rollback [version]', 'go back to this version, or to what was current before', versionFlag)
    .option('--json', 'print {current, versions, history} as one JSON object')
    .action((flags: { models: string; promote?: number; rollback?: number | true; json?: boolean }) => {
      if (!existsSync(flags.models)) throw createError('FILE_UNREADABLE', flags.models, 'no such model registry');
      if (flags.promote !== undefined && flags.rollback !== undefined) throw createError('CLI_BAD_FLAGS', 'give --promote or --rollback, not both');
      const registry = ModelRegistry.open(flags.models);
      if (flags.promote !== undefined) registry.promote(flags.promote, 'promoted by hand');
      if (flags.rollback !== undefined) registry.rollback(flags.rollback === true ? undefined : flags.rollback);
      if (flags.json) {
        console.log(JSON.stringify({ current: registry.current, versions: registry.versions(), history: registry.history() }));
        return;
      }
      console.log(table(registry.versions().map((v) => ({
        version: v.version, current: v.version === registry.current ? '*' : '', created: v.createdAt, trees: v.trees,
        [`holdout ndcg@${v.holdout.k}`]: v.holdout.ndcg.toFixed(4), against: `${v.holdout.currentNdcg?.toFixed(4) ?? '–'} (${v.holdout.against})`,
      }))));
      console.log(`current: ${registry.current ?? 'none (the heuristic ranker)'}`);
    });
}
