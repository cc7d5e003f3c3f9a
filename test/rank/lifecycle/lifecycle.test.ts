// The ranker's lifecycle: click logs become IPS-weighted data sets, retraining promotes a model only when it is
// not worse on held-out impressions than what is current, versions survive a restart on disk and roll back,
// and training on a worker thread gives the very model training here gives.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { clickDataset, learnable, type RankingImpression, UNSHOWN_NEGATIVE_WEIGHT } from '../../../src/rank/lifecycle/ranking-log.js';
import { ModelRegistry } from '../../../src/rank/lifecycle/model-registry.js';
import { retrainRanker, retrainRankerInWorker } from '../../../src/rank/lifecycle/retrain.js';
import { lambdaMartToJson } from '../../../src/rank/ltr/model-file.js';
import { mulberry32 } from '../../../src/util/random.js';
import { refusal } from '../../helpers/refusal.js';

const NAMES = ['relevance', 'noise'];
const dir = mkdtempSync(join(tmpdir(), 'quiver-lifecycle-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Impressions of 10 results whose first feature is the true relevance; the user examines rank r with
 * probability 1/r and clicks an examined result with probability = its relevance. `fallback` gives the logged
 * scores of the ranker that served them: 'good' (the relevance itself) or 'bad' (its negation).
 */
function impressions(n: number, seed: number, fallback: 'good' | 'bad'): RankingImpression[] {
  const random = mulberry32(seed);
  return Array.from({ length: n }, (_, q) => {
    const relevance = Array.from({ length: 10 }, () => random());
    const features = new Float32Array(20);
    relevance.forEach((r, i) => features.set([r, random()], i * 2));
    const engaged = relevance.map((r, i) => random() < 1 / (i + 1) && random() < r);
    return {
      query: `q${q}`, ids: relevance.map((_, i) => `d${q}-${i}`), shown: 10, features, engaged,
      fallbackScores: Float64Array.from(relevance, (r) => (fallback === 'good' ? r : -r)),
    };
  });
}

test('click data sets: clicks are positives weighted by clipped inverse propensity, refound results weigh 1, useless impressions are left out', () => {
  const base = { query: 'q', fallbackScores: new Float64Array(4) };
  const log: RankingImpression[] = [
    { ...base, ids: ['a', 'b', 'c', 'z'], shown: 3, features: new Float32Array(8), engaged: [false, false, true, true] },
    { ...base, ids: ['a', 'b'], shown: 2, features: new Float32Array(4), engaged: [false, false] },
    { ...base, ids: ['a', 'b'], shown: 2, features: new Float32Array(4), engaged: [true, true] },
  ];
  assert.deepEqual(log.map(learnable), [true, false, false]);
  const data = clickDataset(log, NAMES, [1, 0.5, 0.05]);
  assert.deepEqual(Array.from(data.labels), [0, 0, 1, 1]);
  // Rank 3: θ1/θ3 = 20, clipped at 10; the refound row (not shown) weighs 1.
  assert.deepEqual(Array.from(data.weights!), [1, 1, 10, 1]);
  // Unshown and not engaged with (sampled from the union): a soft negative, label 0 at UNSHOWN_NEGATIVE_WEIGHT.
  const withNegative = clickDataset([{ ...log[0], ids: ['a', 'b', 'c', 'z', 'n'], features: new Float32Array(10), engaged: [false, false, true, true, false], fallbackScores: new Float64Array(5) }], NAMES, [1, 0.5, 0.05]);
  assert.deepEqual(Array.from(withNegative.labels), [0, 0, 1, 1, 0]);
  assert.deepEqual(Array.from(withNegative.weights!), [1, 1, 10, 1, Math.fround(UNSHOWN_NEGATIVE_WEIGHT)]);
  assert.match(refusal(() => clickDataset([{ ...log[0], features: new Float32Array(3) }], NAMES, [1, 1, 1])).message, /impression 1 \("q"\): 3 feature values for 4 rows × 2 features/);
});

test('a model is promoted over a fallback that ranks badly, and not over one that ranks perfectly; every model is kept as a version', () => {
  const registry = ModelRegistry.open();
  const params = { trees: 20, leaves: 4, minDataInLeaf: 5 };
  const first = retrainRanker(registry, impressions(300, 1, 'bad'), NAMES, { params });
  assert.equal(first.promoted, true, first.reason);
  assert.equal(registry.current, 1);
  assert.ok(first.version!.holdout.ndcg > first.version!.holdout.currentNdcg!);
  assert.equal(first.version!.holdout.against, 'fallback');
  // Against the current model, a model trained on a log whose clicks are noise does no better: not promoted.
  const noisy = impressions(300, 2, 'good').map((i) => ({ ...i, features: i.features.map((v, j) => (j % 2 === 0 ? 0.5 : v)) }));
  const second = retrainRanker(registry, noisy, NAMES, { params });
  assert.equal(second.promoted, false, second.reason);
  assert.equal(registry.current, 1);
  assert.deepEqual(registry.versions().map((v) => [v.version, v.promoted]), [[1, true], [2, false]]);
  assert.match(second.reason, /< \(by more than 2 s\.e\./);
  // A tolerance wider than any difference: the newer model serves (the default tolerates 2 standard errors).
  const tolerant = retrainRanker(registry, noisy, NAMES, { params, promotionZ: 1e6 });
  assert.equal(tolerant.promoted, true, tolerant.reason);
  assert.match(tolerant.reason, /within 1000000 s\.e\./);
  registry.promote(1, 'back');
  // Too little to learn from: nothing trained.
  const none = retrainRanker(registry, impressions(20, 3, 'bad'), NAMES, { params });
  assert.equal(none.version, undefined);
  assert.match(none.reason, /fewer than 100/);
});

test('versions on disk survive a reopen, roll back by version or to the previous current, and bad registries are refused', () => {
  const folder = join(dir, 'models');
  const registry = ModelRegistry.open(folder);
  const params = { trees: 10, leaves: 4, minDataInLeaf: 5 };
  retrainRanker(registry, impressions(200, 4, 'bad'), NAMES, { params });
  const v2 = retrainRanker(registry, impressions(200, 5, 'bad'), NAMES, { params, holdout: 0.3 });
  registry.promote(v2.version!.version, 'by hand');
  const again = ModelRegistry.open(folder);
  assert.equal(again.current, 2);
  assert.deepEqual(again.versions(), registry.versions());
  assert.deepEqual(lambdaMartToJson(again.model(1)), lambdaMartToJson(registry.model(1)));
  assert.equal(again.rollback(), 1);
  assert.equal(ModelRegistry.open(folder).current, 1);
  assert.equal(again.rollback(null), null);
  assert.equal(again.currentModel(), undefined);
  assert.match(refusal(() => again.promote(9, 'x')).message, /MODEL_UNKNOWN_VERSION|no model version 9 \(known: 1, 2\)/);
  const bad = join(dir, 'bad');
  ModelRegistry.open(bad).promote(null, 'start');
  writeFileSync(join(bad, 'registry.json'), JSON.stringify({ format: 'quiver.models', version: 1, current: 3, versions: [], history: [] }));
  assert.match(refusal(() => ModelRegistry.open(bad)).message, /current is 3, not a listed version/);
  writeFileSync(join(bad, 'registry.json'), '{"format": "other"');
  assert.match(refusal(() => ModelRegistry.open(bad)).message, /model file is corrupt \(not JSON/);
});

test('training on a worker thread gives exactly the model training here gives', async () => {
  const log = impressions(200, 6, 'bad');
  const params = { trees: 15, leaves: 6, minDataInLeaf: 5 };
  const here = ModelRegistry.open();
  const there = ModelRegistry.open();
  const a = retrainRanker(here, log, NAMES, { params });
  // Searches keep being answered meanwhile: this thread's event loop turns while the worker trains.
  let turns = 0;
  let training = true;
  const spin = () => {
    turns++;
    if (training) setImmediate(spin);
  };
  setImmediate(spin);
  const b = await retrainRankerInWorker(there, log, NAMES, { params });
  training = false;
  assert.ok(turns > 5, `the event loop turned only ${turns} times during training`);
  assert.equal(a.reason, b.reason);
  assert.deepEqual(lambdaMartToJson(there.model(1)), lambdaMartToJson(here.model(1)));
});
