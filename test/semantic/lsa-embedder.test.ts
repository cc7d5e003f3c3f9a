// The LSA embedder on a small hand-made catalogue: unit vectors, topical neighbours, determinism, and its model file.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Entity } from '../../src/catalog/entity.js';
import { QuiverError } from '../../src/errors.js';
import { dot, isZeroVector } from '../../src/semantic/embedder.js';
import { LsaEmbedder } from '../../src/semantic/lsa-embedder.js';
import { loadLsaModel, lsaModelFromJson, lsaModelToJson, saveLsaModel } from '../../src/semantic/lsa-model-file.js';
import { mulberry32 } from '../../src/util/random.js';
import { tempDir } from '../helpers/tmp.js';

/** Tracks in two worlds (sad acoustic ballads, latin dance) whose titles never name their mood or genre. */
function catalogue(): Entity[] {
  const random = mulberry32(3);
  const words = ['river', 'night', 'heart', 'fire', 'road', 'moon', 'summer', 'city', 'rain', 'gold', 'dream', 'wild'];
  const out: Entity[] = [];
  for (let i = 0; i < 200; i++) {
    const latin = i % 2 === 0;
    const title = `${words[Math.floor(random() * words.length)]} ${words[Math.floor(random() * words.length)]}`;
    out.push({
      id: `t:${i}`,
      type: 'track',
      title,
      attributes: latin
        ? { genre: { latin: 1 }, subgenre: { reggaeton: 0.8 }, mood: { danceable: 0.9, happy: 0.7 } }
        : { genre: { folk: 1 }, subgenre: { acoustic: 0.9 }, mood: { sad: 0.8, chill: 0.7 } },
      relations: { artist: [`a:${latin ? 'l' : 'f'}${i % 10}`] },
    });
  }
  return out;
}

const train = (entities = catalogue()) => LsaEmbedder.train(entities, { dimensions: 8 });

test('embeddings are unit vectors, or zero when nothing is known', () => {
  const model = train();
  for (const entity of catalogue()) {
    const v = model.embedEntity(entity);
    assert.equal(v.length, 8);
    assert.ok(Math.abs(dot(v, v) - 1) < 1e-6);
  }
  assert.ok(isZeroVector(model.embedQuery('zzzz qqqq')));
  assert.ok(isZeroVector(model.embedQuery('')));
  assert.ok(isZeroVector(model.embedEntity({ id: 'x:1', type: 'track', title: 'zzzz' })));
});

test('a mood or genre word retrieves the entities that carry it, though no title contains it', () => {
  const model = train();
  const entities = catalogue();
  const vectors = entities.map((e) => model.embedEntity(e));
  const top = (query: string) => {
    const q = model.embedQuery(query);
    return vectors.map((v, i) => ({ i, s: dot(q, v) })).sort((a, b) => b.s - a.s).slice(0, 50).map(({ i }) => entities[i]);
  };
  const isLatin = (e: Entity) => (e.attributes!.genre as Record<string, number>).latin === 1;
  assert.ok(top('sad songs').every((e) => !isLatin(e)));
  assert.ok(top('latin dance').every(isLatin));
  assert.ok(top('reggaeton').every(isLatin));
  // A new entity folds in: a sad, untitled-by-mood track lands with the sad ones.
  const newcomer = model.embedEntity({ id: 't:new', type: 'track', title: 'gold river', attributes: { mood: { sad: 1 } } });
  assert.ok(dot(model.embedQuery('sad'), newcomer) > dot(model.embedQuery('latin'), newcomer));
});

test('training is deterministic by seed; another seed finds the same leading singular values', () => {
  const a = train();
  const b = train();
  assert.deepEqual(a.model.projection, b.model.projection);
  const c = LsaEmbedder.train(catalogue(), { dimensions: 8, seed: 2 });
  // The two leading values (the two worlds) stand apart; the flat tail is only approximated with one power iteration.
  for (let k = 0; k < 2; k++) assert.ok(Math.abs(c.model.singularValues[k] - a.model.singularValues[k]) < 1e-3 * a.model.singularValues[k]);
});

test('a saved model loads back bit for bit; another version or a damaged file is refused', () => {
  const model = train();
  const path = join(tempDir(), 'lsa.json');
  saveLsaModel(model, path);
  const loaded = loadLsaModel(path);
  assert.deepEqual(loaded.model.projection, model.model.projection);
  assert.deepEqual(loaded.embedQuery('latin dance'), model.embedQuery('latin dance'));
  assert.equal(loaded.name, model.name);

  const saved = JSON.parse(lsaModelToJson(model.model)) as Record<string, unknown>;
  const refuse = (changed: Record<string, unknown>, code: string, pattern: RegExp) =>
    assert.throws(() => lsaModelFromJson(JSON.stringify({ ...saved, ...changed }), 'm.json'), (e: QuiverError) => e.code === code && pattern.test(e.message));
  refuse({ version: 99 }, 'MODEL_VERSION', /m\.json.*v99/);
  refuse({ format: 'other' }, 'MODEL_VERSION', /other/);
  refuse({ projection: 'AAAA' }, 'MODEL_CORRUPT', /projection/);
  refuse({ features: [1, 2] }, 'MODEL_CORRUPT', /features/);
  refuse({ options: { ...(saved.options as object), dimensions: 0 } }, 'OPTION_OUT_OF_RANGE', /dimensions/);
  writeFileSync(path, '{ not json');
  assert.throws(() => loadLsaModel(path), (e: QuiverError) => e.code === 'MODEL_CORRUPT');
  assert.throws(() => loadLsaModel(join(tempDir(), 'missing.json')), (e: QuiverError) => e.code === 'MODEL_CORRUPT');
});

test('refuses bad options with the option named', () => {
  assert.throws(() => LsaEmbedder.train(catalogue(), { dimensions: 0 }), (e: QuiverError) => e.code === 'OPTION_OUT_OF_RANGE' && /lsa\.dimensions/.test(e.message));
  assert.throws(() => LsaEmbedder.train(catalogue(), { relationWeight: -1 }), /lsa\.relationWeight/);
});
