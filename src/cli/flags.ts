/**
 * Flag parsing shared by the commands: numbers are checked as they are read, and the index options go through
 * the same declared ranges as the library, so a bad flag fails before any work starts, naming the flag.
 */
import { type Command, InvalidArgumentError } from 'commander';
import { readFileSync } from 'node:fs';
import { createError } from '../errors.js';
import type { SearchIndexOptionsInput } from '../index/options.js';
import { type CandidateBudget, parseCandidateBudget } from '../policy/candidate-price.js';

export function numberFlag(name: string, { min = -Infinity, max = Infinity, integer = false } = {}) {
  return (value: string): number => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) {
      throw new InvalidArgumentError(`${name} must be ${integer ? 'an integer' : 'a number'} in [${min}, ${max}], got "${value}"`);
    }
    return n;
  };
}

/** A candidate budget: a number of candidates in [1, 1e6], or a share of the full draw written "35%" (the policy's grammar). */
export function candidateBudgetFlag(name: string) {
  const count = numberFlag(name, { min: 1, max: 1e6 });
  return (value: string): CandidateBudget => {
    if (!value.trim().endsWith('%')) return count(value);
    try {
      parseCandidateBudget(value as CandidateBudget);
    } catch {
      throw new InvalidArgumentError(`${name} must be a number of candidates in [1, 1000000] or a share of the full draw in (0%, 100%], got "${value}"`);
    }
    return value.trim() as CandidateBudget;
  };
}

/** A flag whose value must be one of `choices`. */
export function choiceFlag<T extends string>(name: string, choices: readonly T[]) {
  return (value: string): T => {
    if (!(choices as readonly string[]).includes(value)) throw new InvalidArgumentError(`${name} must be one of ${choices.join(', ')}, got "${value}"`);
    return value as T;
  };
}

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** "title=2,artist=1.5" → { title: 2, artist: 1.5 } */
export function fieldWeightsFlag(value: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const part of value.split(',').filter(Boolean)) {
    const [name, weight] = part.split('=');
    const n = Number(weight);
    if (!name || weight === undefined || !Number.isFinite(n) || n < 0) {
      throw new InvalidArgumentError(`--field-weights takes name=weight pairs with weights ≥ 0, got "${part}"`);
    }
    out[name.trim()] = n;
  }
  return out;
}

export interface IndexFlags {
  config?: string;
  k1?: number;
  b?: number;
  popularityWeight?: number;
  stem?: string;
  stopWords?: string;
  fieldWeights?: Record<string, number>;
}

/** Index options from `--config <file.json>` (the library's SearchIndexOptionsInput), overridden by flags. */
export function indexOptionsFromFlags(flags: IndexFlags): SearchIndexOptionsInput {
  const config = flags.config ? readConfig(flags.config) : {};
  const fields: NonNullable<SearchIndexOptionsInput['fields']> = { ...config.fields };
  for (const [name, weight] of Object.entries(flags.fieldWeights ?? {})) fields[name] = { ...fields[name], weight };
  return {
    ...config,
    k1: flags.k1 ?? config.k1,
    popularityWeight: flags.popularityWeight ?? config.popularityWeight,
    analyzer: {
      ...config.analyzer,
      ...(flags.stem !== undefined ? { stem: flags.stem as 'none' | 'english' } : {}),
      ...(flags.stopWords !== undefined ? { stopWords: flags.stopWords as 'none' | 'english' } : {}),
    },
    defaultField: flags.b === undefined ? config.defaultField : { ...config.defaultField, b: flags.b },
    fields,
  };
}

function readConfig(path: string): SearchIndexOptionsInput {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw createError('OPTION_OUT_OF_RANGE', '--config', path, `a readable JSON file (${(err as Error).message})`);
  }
  try {
    const value = JSON.parse(text);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('not a JSON object');
    return value as SearchIndexOptionsInput;
  } catch (err) {
    throw createError('OPTION_OUT_OF_RANGE', '--config', path, `a JSON object of index options (${(err as Error).message})`);
  }
}

/** Adds the index-option flags to a command. */
export function withIndexFlags(command: Command): Command {
  return command
    .option('--config <file>', 'index options as JSON (k1, popularityWeight, analyzer, fields, defaultField); flags override it')
    .option('--k1 <n>', 'BM25F term saturation k1', numberFlag('--k1', { min: 0, max: 100 }))
    .option('--b <n>', 'BM25F length normalisation b for every field', numberFlag('--b', { min: 0, max: 1 }))
    .option('--popularity-weight <w>', 'weight of the popularity prior (0 = off)', numberFlag('--popularity-weight', { min: 0, max: 1000 }))
    .option('--stem <name>', 'stemmer: none | english')
    .option('--stop-words <name>', 'stop words: none | english')
    .option('--field-weights <list>', 'BM25F field weights, e.g. title=2,artist=1.5', fieldWeightsFlag);
}
