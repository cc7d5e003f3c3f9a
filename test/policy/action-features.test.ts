// Action features: what the policy knows about a strategy for a query before running it. Here the top-score
// feature, against a hand-computed oracle: the query's mean top score, smoothed by two pseudo-runs at the
// strategy's mean, standardised by the strategy's spread, through a logistic.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ACTION_FEATURE_NAMES, ActionCounts, ActionFeatures } from '../../src/policy/action-features.js';
import { createQueryContext } from '../../src/query/query-context.js';
import { RetrievalResources } from '../../src/retrieval/resources.js';
import { createStrategies } from '../../src/retrieval/registry.js';
import { demoIndex } from '../helpers/demo-index.js';

const index = demoIndex();
const resources = new RetrievalResources(index);
const lexical = createStrategies(resources, ['lexical']).get('lexical')!;
const TOP = ACTION_FEATURE_NAMES.indexOf('a.top_score');
const love = createQueryContext('love');
const rare = createQueryContext('rare words');

function topScore(features: ActionFeatures, query = love): number {
  return features.features(query, 'lexical', lexical, {})[TOP];
}

/** The feature by its definition, from the raw top scores seen: all of them, and those of the query asked about. */
function oracle(all: number[], mine: number[]): number {
  const mean = all.reduce((a, b) => a + b, 0) / all.length;
  const sd = Math.sqrt(all.reduce((a, b) => a + (b - mean) ** 2, 0) / all.length);
  const smoothed = (mine.reduce((a, b) => a + b, 0) + 2 * mean) / (mine.length + 2);
  return 1 / (1 + Math.exp(-(smoothed - mean) / sd));
}

test('top score reads 0.5 until the strategy has a spread of top scores, and for a query it never ran', () => {
  const features = new ActionFeatures(index);
  assert.equal(topScore(features), 0.5);
  features.observe(love, 'lexical', true, [], 4);
  assert.equal(topScore(features), 0.5, 'one top score has no spread');
  features.observe(rare, 'lexical', false, [], 1);
  assert.equal(topScore(features, createQueryContext('never asked')), 0.5);
  features.observe(rare, 'lexical', false, [], undefined);
  assert.equal(topScore(features, createQueryContext('never asked')), 0.5, 'a run that returned nothing adds no top score');
});

test('top score rises with the query’s top scores against the strategy’s, as the oracle says', () => {
  const features = new ActionFeatures(index);
  const seen: Record<string, number[]> = { love: [9, 8, 10], 'rare words': [1, 2, 1.5, 0.5] };
  for (const [text, scores] of Object.entries(seen)) for (const s of scores) features.observe(createQueryContext(text), 'lexical', false, [], s);
  const all = Object.values(seen).flat();
  assert.ok(Math.abs(topScore(features, love) - oracle(all, seen.love)) < 1e-12);
  assert.ok(Math.abs(topScore(features, rare) - oracle(all, seen['rare words'])) < 1e-12);
  assert.ok(topScore(features, love) > 0.5 && topScore(features, rare) < 0.5);
  // Another strategy's scores are its own: they do not move lexical's scale.
  features.observe(love, 'memory', true, [], 1000);
  features.observe(rare, 'memory', true, [], -1000);
  assert.ok(Math.abs(topScore(features, love) - oracle(all, seen.love)) < 1e-12);
});

test('top scores add up: restoring two states gives the features of one that saw both', () => {
  const whole = new ActionFeatures(index);
  const parts = [new ActionFeatures(index), new ActionFeatures(index)];
  [[love, 7], [rare, 1], [love, 5], [rare, 2], [love, 6]].forEach(([query, score], i) => {
    whole.observe(query as typeof love, 'lexical', i % 2 === 0, [], score as number);
    parts[i % 2].observe(query as typeof love, 'lexical', i % 2 === 0, [], score as number);
  });
  const merged = new ActionFeatures(index);
  for (const part of parts) merged.restore(part.toJSON());
  assert.equal(topScore(merged, love), topScore(whole, love));
  assert.equal(topScore(merged, rare), topScore(whole, rare));
  // A state saved before top scores existed still restores, with no top score seen.
  const { topScores: _, topScoreMoments: __, ...old } = whole.toJSON();
  const counts = new ActionCounts();
  counts.restore(old);
  assert.deepEqual(counts.toJSON().topScores, []);
});
