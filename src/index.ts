/** Quiver's public library surface. */
export { Analyzer, ANALYZER_OPTIONS, type AnalyzerConfig } from './analysis/analyzer.js';
export { charNgrams } from './analysis/ngrams.js';
export { normalizeText } from './analysis/normalize.js';
export { tokenize } from './analysis/tokenize.js';
export type { AttributeValue, Entity, WeightedValues } from './catalog/entity.js';
export { parseMapping, type ColumnMapping } from './catalog/csv.js';
export { checkCatalog, formatIssue, loadCatalog, type LoadedCatalog, type LoadOptions } from './catalog/load.js';
export type { RowIssue } from './catalog/validate.js';
export { createError, ERRORS, QuiverError, type ErrorCode } from './errors.js';
export { evaluateAdhoc, type AdhocReport } from './eval/adhoc.js';
export { readBeir, type BeirCollection } from './eval/beir.js';
export * as metrics from './eval/metrics.js';
export type { Explanation } from './index/explain.js';
export { parseFilter, type Filter } from './index/filters.js';
export { FIELD_OPTIONS, INDEX_OPTIONS, type SearchIndexOptions, type SearchIndexOptionsInput } from './index/options.js';
export { SearchIndex, type IndexStats, type SearchHit, type SearchOptions } from './index/search-index.js';
export { loadSnapshot, saveSnapshot, SNAPSHOT_VERSION } from './index/snapshot.js';
