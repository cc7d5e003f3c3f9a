// The transformers.js embedder with a tiny model built by the test (no downloads): unit vectors, topical
// similarity, errors, and the semantic strategy running on it.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createQueryContext, dot, RetrievalResources, SearchIndex, SemanticStrategy } from 'quiver';
import { loadTransformersEmbedder } from '../src/index.js';
import { writeTinyModel } from './tiny-model.js';

const dir = mkdtempSync(join(tmpdir(), 'quiver-tjs-'));
const modelDir = join(dir, 'tiny-topic-model');
let embedder;

before(async () => {
  writeTinyModel(modelDir);
  embedder = await loadTransformersEmbedder(modelDir, { dimensions: 4 });
});
after(async () => {
  await embedder?.close();
  rmSync(dir, { recursive: true, force: true });
});

test('queries embed to unit vectors that group by topic; unknown words give zeros', () => {
  const sad = embedder.embedQuery('sad tears');
  assert.ok(Math.abs(dot(sad, sad) - 1) < 1e-6);
  assert.ok(dot(sad, embedder.embedQuery('melancholy')) > 0.99);
  assert.ok(Math.abs(dot(sad, embedder.embedQuery('latin party'))) < 1e-6);
  assert.deepEqual(Array.from(embedder.embedQuery('qwerty')), [0, 0, 0, 0]);
  assert.deepEqual(Array.from(embedder.embedQuery('')), [0, 0, 0, 0]);
});

test('the semantic strategy retrieves by topic with this embedder', () => {
  const index = SearchIndex.build([
    { id: 't:1', type: 'track', title: 'Slow River', attributes: { mood: { melancholy: 0.9 } } },
    { id: 't:2', type: 'track', title: 'Fuego', attributes: { genre: { reggaeton: 1 } } },
    { id: 't:3', type: 'track', title: 'Heart of Gold' },
  ]);
  const strategy = new SemanticStrategy(new RetrievalResources(index), { embedder });
  const got = strategy.retrieve(createQueryContext('sad songs'), 5);
  assert.deepEqual(got.map((c) => c.id), ['t:1']);
  assert.equal(strategy.explain(createQueryContext('sad songs'), 't:1').value, got[0].score);
  assert.deepEqual(strategy.retrieve(createQueryContext('latin dance'), 5).map((c) => c.id), ['t:2']);
});

test('a directory without a model is refused with a clear error', async () => {
  await assert.rejects(loadTransformersEmbedder(join(dir, 'missing')), (e) => e.code === 'MODEL_CORRUPT' && e.message.includes('missing'));
});
