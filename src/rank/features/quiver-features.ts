/**
 * The default feature set, `quiver.features`: every group over one RetrievalResources (sharing the structures
 * the strategies built: memory index, user profiles, vectors, fuzzy names, query understanding). Which
 * catalogue fields, entity types, strategies and attributes get columns is fixed here, when the set is built:
 * by default the index's fields (title first, then by name), its types (by name), the registry's strategies
 * (in registry order) and the category attributes genre, subgenre, mood and decade.
 */
import { fuzzyNamesOf } from '../../index/fuzzy-names.js';
import { STRATEGY_FACTORIES } from '../../retrieval/registry.js';
import type { RetrievalResources } from '../../retrieval/resources.js';
import { Bm25fFeatures } from './bm25f-features.js';
import { ContextFeatures } from './context-features.js';
import { DenseFeatures } from './dense-features.js';
import { EntityFeatures } from './entity-features.js';
import { FeatureSet } from './feature-set.js';
import { MemoryFeatures } from './memory-features.js';
import { NameFeatures } from './name-features.js';
import { ProvenanceFeatures } from './provenance-features.js';
import { UnderstandingFeatures } from './understanding-features.js';
import { UserFeatures } from './user-features.js';

export interface FeatureSetOptions {
  /** Index fields with BM25F columns (default: the index's, title first). */
  fields?: string[];
  /** Entity types with a one-hot column (default: the index's, by name). */
  types?: string[];
  /** Strategies with provenance columns (default: the registry's). */
  strategies?: string[];
  /** Attributes with a slot-match column of their own (default genre, subgenre, mood, decade). */
  attributes?: string[];
}

export const DEFAULT_SLOT_ATTRIBUTES = ['genre', 'subgenre', 'mood', 'decade'];

export function createFeatureSet(resources: RetrievalResources, options: FeatureSetOptions = {}): FeatureSet {
  const index = resources.index;
  const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const fields = options.fields ?? [...index.inverted.fieldNames].sort((a, b) => (a === 'title' ? -1 : b === 'title' ? 1 : byName(a, b)));
  const types = options.types ?? [...index.typeNames].sort(byName);
  const strategies = options.strategies ?? Object.keys(STRATEGY_FACTORIES);
  const attributes = options.attributes ?? DEFAULT_SLOT_ATTRIBUTES;
  return new FeatureSet(resources, [
    new Bm25fFeatures(index, fields),
    new NameFeatures(fuzzyNamesOf(resources)),
    new DenseFeatures(resources),
    new MemoryFeatures(resources),
    new EntityFeatures(index, types),
    new UnderstandingFeatures(resources, attributes),
    new ProvenanceFeatures(strategies),
    new UserFeatures(resources),
    new ContextFeatures(),
  ]);
}
