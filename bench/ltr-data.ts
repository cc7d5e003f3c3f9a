/**
 * The svmlight files the LambdaMART benchmarks read, from flags (any train/valid/test paths, so a larger set can be
 * plugged in), defaulting to the LightGBM lambdarank example; and the Python that can import xgboost.
 */
import { spawnSync } from 'node:child_process';
import { readSvmlight, withFeatureCount } from '../src/rank/ltr/svmlight.js';
import type { RankDataset } from '../src/rank/ltr/dataset.js';

export const EXAMPLE = new URL('../../shared/data/lightgbm-lambdarank-example/', import.meta.url).pathname;

export const DATA_FLAGS = {
  train: { type: 'string', default: `${EXAMPLE}rank.train.gz` },
  'train-group': { type: 'string' },
  valid: { type: 'string' },
  'valid-group': { type: 'string' },
  test: { type: 'string', default: `${EXAMPLE}rank.test.gz` },
  'test-group': { type: 'string' },
} as const;

export interface DataPaths {
  train: string;
  trainGroup?: string;
  valid?: string;
  validGroup?: string;
  test: string;
  testGroup?: string;
}

/** Paths from parsed flags; the example's group files are found next to its data when not given. */
export function dataPaths(values: Record<string, string | boolean | undefined>): DataPaths {
  const group = (data: string | undefined, given: unknown) =>
    (given as string | undefined) ?? (data?.startsWith(EXAMPLE) ? data.replace(/\.gz$/, '.query') : undefined);
  const train = values.train as string;
  const test = values.test as string;
  const valid = values.valid as string | undefined;
  return { train, trainGroup: group(train, values['train-group']), valid, validGroup: group(valid, values['valid-group']), test, testGroup: group(test, values['test-group']) };
}

/** The three sets with one feature width (svmlight hides trailing all-zero features). */
export function readSets(paths: DataPaths): { train: RankDataset; valid?: RankDataset; test: RankDataset } {
  const sets = {
    train: readSvmlight(paths.train, { groupPath: paths.trainGroup }),
    valid: paths.valid ? readSvmlight(paths.valid, { groupPath: paths.validGroup }) : undefined,
    test: readSvmlight(paths.test, { groupPath: paths.testGroup }),
  };
  const width = Math.max(sets.train.featureNames.length, sets.test.featureNames.length, sets.valid?.featureNames.length ?? 0);
  return { train: withFeatureCount(sets.train, width), valid: sets.valid && withFeatureCount(sets.valid, width), test: withFeatureCount(sets.test, width) };
}

/** $QUIVER_BENCH_PYTHON, else the first of python3, /usr/bin/python3 that imports xgboost (Debian's python3-xgboost). */
export function findXgboostPython(): string | undefined {
  const candidates = [process.env.QUIVER_BENCH_PYTHON, 'python3', '/usr/bin/python3'].filter((c): c is string => !!c);
  return candidates.find((py) => spawnSync(py, ['-c', 'import xgboost'], { stdio: 'ignore' }).status === 0);
}
