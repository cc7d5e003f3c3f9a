/** The search index's options, declared once with defaults and ranges (see src/options.ts). */
import { ANALYZER_OPTIONS, type AnalyzerConfig } from '../analysis/analyzer.js';
import { createError } from '../errors.js';
import { resolveOptions, type ResolvedOptions } from '../options.js';

export const INDEX_OPTIONS = {
  k1: { kind: 'number', default: 1.2, min: 0, max: 100, description: 'BM25F term-frequency saturation (one for all fields)' },
  popularityWeight: {
    kind: 'number',
    default: 0,
    min: 0,
    max: 1000,
    description: 'weight w of the popularity prior w·ln(1+pop)/ln(1+maxPop) added to BM25F (0 = off)',
  },
} as const;

export const FIELD_OPTIONS = {
  weight: { kind: 'number', default: 1, min: 0, max: 1000, description: 'BM25F field weight (0 = stored, not searched)' },
  b: { kind: 'number', default: 0.75, min: 0, max: 1, description: 'BM25F length normalisation of the field' },
} as const;

export { ANALYZER_OPTIONS };

export type FieldOptions = ResolvedOptions<typeof FIELD_OPTIONS> & {
  /** The field's own analyser, when it differs from the index's (see SearchIndex.analyzerFor). */
  analyzer?: AnalyzerConfig;
};

export interface SearchIndexOptions extends ResolvedOptions<typeof INDEX_OPTIONS> {
  analyzer: AnalyzerConfig;
  /** Per-field options; fields not named get `defaultField`. */
  fields: Record<string, FieldOptions>;
  defaultField: FieldOptions;
}

export interface SearchIndexOptionsInput {
  k1?: number;
  popularityWeight?: number;
  analyzer?: Partial<AnalyzerConfig>;
  fields?: Record<string, Partial<ResolvedOptions<typeof FIELD_OPTIONS>> & { analyzer?: Partial<AnalyzerConfig> }>;
  defaultField?: Partial<FieldOptions>;
}

export function resolveIndexOptions(input: SearchIndexOptionsInput = {}): SearchIndexOptions {
  const { analyzer, fields, defaultField, ...rest } = input;
  if (fields !== undefined && (typeof fields !== 'object' || fields === null || Array.isArray(fields))) {
    throw createError('OPTION_OUT_OF_RANGE', 'fields', fields, 'an object of field name → { weight, b }');
  }
  const indexAnalyzer = resolveOptions(ANALYZER_OPTIONS, analyzer ?? {}, 'analyzer.');
  const resolvedFields: Record<string, FieldOptions> = {};
  for (const [name, given] of Object.entries(fields ?? {})) {
    const { analyzer: fieldAnalyzer, ...scoring } = given ?? {};
    resolvedFields[name] = resolveOptions(FIELD_OPTIONS, { ...defaultField, ...scoring }, `fields.${name}.`);
    if (fieldAnalyzer !== undefined) {
      const config = resolveOptions(ANALYZER_OPTIONS, { ...indexAnalyzer, ...fieldAnalyzer }, `fields.${name}.analyzer.`);
      if (JSON.stringify(config) !== JSON.stringify(indexAnalyzer)) resolvedFields[name].analyzer = config;
    }
  }
  return {
    ...resolveOptions(INDEX_OPTIONS, rest),
    analyzer: indexAnalyzer,
    fields: resolvedFields,
    defaultField: resolveOptions(FIELD_OPTIONS, defaultField ?? {}, 'defaultField.'),
  };
}
