/**
 * Options are declared once, with default, valid range and description (after LightGBM's config and VW's
 * "the value of epsilon must be in [0,1]"): `resolveOptions` merges what a caller gave over the defaults and
 * fails at set-up, naming the option and its range, when a value is out of range or unknown.
 */
import { createError } from './errors.js';

export type OptionSpec =
  | { kind: 'number'; default: number; min: number; max: number; integer?: boolean; description: string }
  | { kind: 'boolean'; default: boolean; description: string }
  | { kind: 'enum'; default: string; values: readonly string[]; description: string };

export type OptionSpecs = Record<string, OptionSpec>;

type ValueOf<S extends OptionSpec> = S extends { kind: 'number' } ? number : S extends { kind: 'boolean' } ? boolean : string;
export type ResolvedOptions<S extends OptionSpecs> = { [K in keyof S]: ValueOf<S[K]> };

export function describeRange(spec: OptionSpec): string {
  switch (spec.kind) {
    case 'number':
      return `${spec.integer ? 'an integer' : 'a number'} in [${spec.min}, ${spec.max}]`;
    case 'boolean':
      return 'true or false';
    case 'enum':
      return `one of ${spec.values.map((v) => JSON.stringify(v)).join(', ')}`;
  }
}

function valid(spec: OptionSpec, value: unknown): boolean {
  switch (spec.kind) {
    case 'number':
      return (
        typeof value === 'number' &&
        Number.isFinite(value) &&
        value >= spec.min &&
        value <= spec.max &&
        (!spec.integer || Number.isInteger(value))
      );
    case 'boolean':
      return typeof value === 'boolean';
    case 'enum':
      return typeof value === 'string' && spec.values.includes(value);
  }
}

/** Merges `given` over the declared defaults; `prefix` names the option group in errors (e.g. "fields.title."). */
export function resolveOptions<S extends OptionSpecs>(specs: S, given: Record<string, unknown> = {}, prefix = ''): ResolvedOptions<S> {
  const out: Record<string, unknown> = {};
  for (const name of Object.keys(given)) {
    if (!(name in specs) && given[name] !== undefined) {
      throw createError('OPTION_UNKNOWN', prefix + name, Object.keys(specs).join(', '));
    }
  }
  for (const [name, spec] of Object.entries(specs)) {
    const value = given[name] ?? spec.default;
    if (!valid(spec, value)) throw createError('OPTION_OUT_OF_RANGE', prefix + name, value, describeRange(spec));
    out[name] = value;
  }
  return out as ResolvedOptions<S>;
}

/** A Markdown table of the options, for docs generated from the same declaration. */
export function optionsTable(specs: OptionSpecs, prefix = ''): string {
  const rows = Object.entries(specs).map(
    ([name, s]) => `| \`${prefix}${name}\` | ${JSON.stringify(s.default)} | ${describeRange(s)} | ${s.description} |`,
  );
  return ['| option | default | valid | meaning |', '| --- | --- | --- | --- |', ...rows].join('\n');
}
