/**
 * What the LSA embedder sees of an entity: three blocks of sparse features, each named by a prefix.
 * - `t:` analysed words of its searchable text (the index's analyser) and of its category values ("chill",
 *   "latin pop"), so query words can meet attribute values; text counts weigh 1 + ln(tf), a category its weight.
 * - `a:` its category attributes as `name=value` with their weights (weighted attributes stay weighted).
 * - `r:` the ids of the entities it is related to, and its own id: a track and its artist share `r:<artist>`,
 *   a playlist and its tracks share `r:<track>`, so words on a playlist reach the moods of its tracks.
 * Weighting (TF-IDF): each feature's raw weight times its idf, ln(N / df); then each block is scaled to the
 * length given by its block weight, so no block dominates because an entity happens to have many relations.
 */
import type { Analyzer } from '../analysis/analyzer.js';
import { attributeWeights, type Entity, searchableFields } from '../catalog/entity.js';

export type RawFeatures = Map<string, number>;

/** The blocks in a fixed order; a feature's block is its first character. */
export const FEATURE_BLOCKS = ['t', 'a', 'r'] as const;
export type FeatureBlock = (typeof FEATURE_BLOCKS)[number];

/** Raw (un-weighted by idf) features of an entity. */
export function entityFeatures(entity: Entity, analyzer: Analyzer): RawFeatures {
  const out: RawFeatures = new Map();
  const counts = new Map<string, number>();
  for (const text of Object.values(searchableFields(entity))) {
    for (const term of analyzer.analyze(text)) counts.set(term, (counts.get(term) ?? 0) + 1);
  }
  for (const [term, tf] of counts) out.set(`t:${term}`, 1 + Math.log(tf));
  for (const [name, value] of Object.entries(entity.attributes ?? {})) {
    for (const [category, weight] of Object.entries(attributeWeights(value))) {
      if (!(weight > 0)) continue;
      out.set(`a:${name}=${category}`, weight);
      for (const term of analyzer.analyze(category)) out.set(`t:${term}`, Math.max(out.get(`t:${term}`) ?? 0, weight));
    }
  }
  out.set(`r:${entity.id}`, 1);
  for (const targets of Object.values(entity.relations ?? {})) for (const target of targets) out.set(`r:${target}`, 1);
  return out;
}

/** Raw features of query text: its analysed words only. */
export function queryFeatures(text: string, analyzer: Analyzer): RawFeatures {
  const counts: RawFeatures = new Map();
  for (const term of analyzer.analyze(text)) counts.set(`t:${term}`, (counts.get(`t:${term}`) ?? 0) + 1);
  for (const [name, tf] of counts) counts.set(name, 1 + Math.log(tf));
  return counts;
}

export interface FeatureSpace {
  index: ReadonlyMap<string, number>;
  idf: Float32Array;
  /** Target length of each block, in FEATURE_BLOCKS order. */
  blockWeights: readonly number[];
}

/**
 * The weighted row of the known features: columns in first-seen order and their TF-IDF values, each block
 * scaled to its block weight. Unknown features are dropped.
 */
export function weightedRow(raw: RawFeatures, space: FeatureSpace): { cols: number[]; values: number[] } {
  const cols: number[] = [];
  const values: number[] = [];
  const blocks: number[] = [];
  const norms = [0, 0, 0];
  for (const [name, weight] of raw) {
    const col = space.index.get(name);
    if (col === undefined) continue;
    const block = FEATURE_BLOCKS.indexOf(name[0] as FeatureBlock);
    const value = weight * space.idf[col];
    cols.push(col);
    values.push(value);
    blocks.push(block);
    norms[block] += value * value;
  }
  const scale = norms.map((n, b) => (n > 0 ? space.blockWeights[b] / Math.sqrt(n) : 0));
  for (let i = 0; i < values.length; i++) values[i] *= scale[blocks[i]];
  return { cols, values };
}
