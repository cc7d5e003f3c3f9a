/**
 * Query type and intent by rules, from the interpretations. Query type: known-item (names a title or artist),
 * topical (asks for a genre, mood, decade…), navigational (asks for a kind of entity: "playlists", "new albums")
 * or broad (nothing recognised). Intent: which entity type the user wants, as a distribution. Each reading votes
 * with its probability; the learned classifier (intent-classifier.ts) later refines the intent from feedback.
 */
import type { SearchIndex } from '../index/search-index.js';
import type { Interpretation, Slot } from './slots.js';

export type QueryType = 'known-item' | 'topical' | 'navigational' | 'broad';
export const QUERY_TYPES: readonly QueryType[] = ['known-item', 'topical', 'navigational', 'broad'];

export type Distribution = Record<string, number>;

export function queryTypeScores(interpretations: readonly Interpretation[], words: number): Record<QueryType, number> {
  const scores: Record<QueryType, number> = { 'known-item': 0, topical: 0, navigational: 0, broad: 0 };
  for (const reading of interpretations) scores[readingType(reading, words)] += reading.probability;
  if (interpretations.length === 0) scores.broad = 1;
  return scores;
}

function readingType(reading: Interpretation, words: number): QueryType {
  const covered = (kinds: Slot['kind'][]) => reading.slots.filter((s) => kinds.includes(s.kind)).reduce((n, s) => n + s.end - s.start, 0);
  const names = covered(['artist', 'title']);
  if (names * 2 >= words && names > covered(['attribute'])) return 'known-item';
  if (covered(['attribute']) > 0) return 'topical';
  if (covered(['type']) > 0) return 'navigational';
  return 'broad';
}

export function argmax<K extends string>(scores: Record<K, number>): K {
  let best: K | undefined;
  for (const key of Object.keys(scores) as K[]) if (best === undefined || scores[key] > scores[best]) best = key;
  return best!;
}

/** Entity types in proportion to how many docs of each a list holds, optionally weighted by popularity. */
function typesOf(docs: readonly number[], index: SearchIndex, weightByPopularity: boolean): Distribution {
  const out: Distribution = {};
  for (const doc of docs) {
    const entity = index.entities[doc];
    if (!entity) continue;
    const weight = weightByPopularity ? 0.1 + index.prior(doc) : 1;
    out[entity.type] = (out[entity.type] ?? 0) + weight;
  }
  return normalized(out);
}

const POSTING_TYPES = new WeakMap<readonly number[], { version: number; types: Distribution }>();

/**
 * The type mix of an attribute value's entities. Postings are long (a genre holds a fifth of a catalogue) and
 * shared, so the count is made once per posting and catalogue version rather than per query.
 */
function postingTypes(docs: readonly number[], index: SearchIndex): Distribution {
  const version = index.inverted.version;
  let cached = POSTING_TYPES.get(docs);
  if (cached?.version !== version) {
    cached = { version, types: typesOf(docs, index, false) };
    POSTING_TYPES.set(docs, cached);
  }
  return cached.types;
}

function readingIntent(reading: Interpretation, index: SearchIndex, prior: Distribution): Distribution {
  const types = reading.slots.filter((s) => s.kind === 'type').map((s) => s.value);
  if (types.length > 0) return normalized(Object.fromEntries(types.map((t) => [t, 1])));
  const votes: Distribution = {};
  const add = (dist: Distribution, weight: number) => {
    for (const [type, p] of Object.entries(dist)) votes[type] = (votes[type] ?? 0) + weight * p;
  };
  reading.slots.forEach((slot, i) => {
    const afterBy = i > 0 && reading.slots[i - 1].kind === 'modifier' && reading.slots[i - 1].value === 'by';
    if (slot.kind === 'artist') {
      const works = typesOf(slot.docs!, index, true);
      if (afterBy) add(works, 1);
      else add({ ...scaled(works, 0.4), artist: 0.6 + 0.4 * (works.artist ?? 0) }, 1);
    } else if (slot.kind === 'title') add(typesOf(slot.docs!, index, true), 1);
    else if (slot.kind === 'attribute') add(postingTypes(slot.posting!.docs, index), 0.5);
  });
  return Object.keys(votes).length > 0 ? normalized(votes) : prior;
}

/** The rules' intent: each reading's intent weighted by its probability; the catalogue's type mix when none. */
export function ruleIntent(interpretations: readonly Interpretation[], index: SearchIndex, prior: Distribution): Distribution {
  if (interpretations.length === 0) return prior;
  const out: Distribution = {};
  for (const reading of interpretations) {
    for (const [type, p] of Object.entries(readingIntent(reading, index, prior))) out[type] = (out[type] ?? 0) + reading.probability * p;
  }
  return normalized(out);
}

export function normalized(dist: Distribution): Distribution {
  const total = Object.values(dist).reduce((a, b) => a + b, 0);
  if (!(total > 0)) return {};
  return Object.fromEntries(Object.entries(dist).map(([k, v]) => [k, v / total]));
}

function scaled(dist: Distribution, factor: number): Distribution {
  return Object.fromEntries(Object.entries(dist).map(([k, v]) => [k, v * factor]));
}
