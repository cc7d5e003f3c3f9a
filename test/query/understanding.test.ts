import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { loadCatalog } from '../../src/catalog/load.js';
import { demoCatalogPath } from '../../src/demo.js';
import { QuiverError } from '../../src/errors.js';
import { SearchIndex } from '../../src/index/search-index.js';
import { IntentClassifier } from '../../src/query/intent-classifier.js';
import { argmax } from '../../src/query/intent.js';
import { createQueryContext } from '../../src/query/query-context.js';
import { detectScript, guessLanguage } from '../../src/query/script.js';
import { QueryUnderstanding, understandingOf } from '../../src/query/understanding.js';
import { RetrievalResources } from '../../src/retrieval/resources.js';

const index = SearchIndex.build(loadCatalog(demoCatalogPath()).entities, { popularityWeight: 1 });
const qu = new QueryUnderstanding(index);
const understand = (text: string, context = {}) => qu.understand(createQueryContext(text, { context: { time: '2020-02-01T20:00:00Z', ...context } }));
const topSlots = (text: string) => understand(text).interpretations[0].slots.map((s) => `${s.kind}${s.attribute ? `.${s.attribute}` : ''}=${s.value}`);

describe('slots and interpretations', () => {
  test('names, attributes, types and modifiers are tagged, the best reading first', () => {
    assert.deepEqual(topSlots('songs by taylor swift'), ['type=track', 'modifier=by', 'artist=taylor swift']);
    assert.deepEqual(topSlots('80s rock'), ['attribute.decade=1980s', 'attribute.genre=rock']);
    assert.deepEqual(topSlots('Bohemian Rhapsody Queen'), ['title=bohemian rhapsody', 'artist=queen']);
    assert.deepEqual(topSlots('rock playlists'), ['attribute.genre=rock', 'type=playlist']);
    assert.ok(topSlots('chill workout songs').includes('attribute.mood=energetic'), 'value aliases: workout → energetic');
  });

  test('an ambiguous query keeps several readings whose probabilities sum to 1', () => {
    const u = understand('love');
    assert.ok(u.interpretations.length >= 2);
    assert.ok(Math.abs(u.interpretations.reduce((a, r) => a + r.probability, 0) - 1) < 1e-12);
    assert.ok(u.interpretations.some((r) => r.slots.length === 0), 'the plain-words reading survives');
    assert.ok(u.interpretations.some((r) => r.slots.some((s) => s.kind === 'title')));
  });

  test('a weighted attribute slot keeps the weights of the entities that carry it', () => {
    const slot = understand('chill').slots.find((s) => s.kind === 'attribute' && s.value === 'chill')!;
    assert.ok(slot.posting!.weights.some((w) => w > 0 && w < 1));
  });

  test('nothing recognised is a broad query with the catalogue type mix as intent', () => {
    const u = understand('qzxv wplk');
    assert.equal(u.queryType, 'broad');
    assert.ok(Math.abs(Object.values(u.intent).reduce((a, b) => a + b, 0) - 1) < 1e-9);
  });

  test('the lexicon follows live catalogue changes', () => {
    const local = SearchIndex.build([{ id: 'a:x', type: 'artist', title: 'Xylo Phonics' }]);
    const lq = new QueryUnderstanding(local);
    const slotsOf = (text: string) => lq.understand(createQueryContext(text)).slots.map((s) => `${s.kind}=${s.value}`);
    assert.ok(slotsOf('xylo phonics').includes('artist=xylo phonics'));
    // Understood before the change too: the meaning kept for this text must not outlive the catalogue it read.
    assert.ok(!slotsOf('marimba nights').includes('title=marimba nights'));
    local.add({ id: 't:1', type: 'track', title: 'Marimba Nights', fields: { artist: 'Xylo Phonics' } });
    assert.ok(slotsOf('marimba nights').includes('title=marimba nights'));
    local.remove('t:1');
    assert.ok(!slotsOf('marimba nights').includes('title=marimba nights'));
  });
});

test('a repeated query reads its kept meaning: equal to what a fresh instance computes, for any context', () => {
  const fresh = new QueryUnderstanding(index);
  for (const text of ['songs by taylor swift', 'love', 'tayler swift', '80s rock']) {
    understand(text);
    const again = understand(text, { user: 'u7', locale: 'de-DE' });
    assert.deepEqual(again, fresh.understand(createQueryContext(text, { context: { time: '2020-02-01T20:00:00Z', user: 'u7', locale: 'de-DE' } })));
  }
});

describe('query type and intent', () => {
  test('rules give the query type', () => {
    assert.equal(understand('taylor swift').queryType, 'known-item');
    assert.equal(understand('chill workout songs').queryType, 'topical');
    assert.equal(understand('playlists').queryType, 'navigational');
  });

  test('rules give the intended entity type', () => {
    assert.equal(argmax(understand('rock playlists').intent), 'playlist');
    assert.equal(argmax(understand('songs by taylor swift').intent), 'track');
    assert.equal(argmax(understand('taylor swift').intent), 'artist');
    assert.equal(argmax(understand('new albums').intent), 'album');
  });

  test('the intent classifier learns from engagement and moves the blended intent', () => {
    const local = new QueryUnderstanding(index);
    const q = () => local.understand(createQueryContext('love'));
    assert.notEqual(argmax(q().intent), 'playlist');
    const playlist = index.entities.find((e) => e?.type === 'playlist')!;
    for (let i = 0; i < 30; i++) local.learn({ query: 'love', entityId: playlist.id, type: 'click', time: new Date('2020-01-01') });
    const after = q();
    assert.equal(argmax(after.intentLearned), 'playlist');
    assert.ok(after.intentTrust > 0.5, `trust ${after.intentTrust}`);
    assert.equal(argmax(after.intent), 'playlist');
    // Skips teach nothing about what was wanted.
    const before = JSON.stringify(local.saveIntentModel());
    local.learn({ query: 'love', entityId: playlist.id, type: 'skip', time: new Date('2020-01-01') });
    assert.equal(JSON.stringify(local.saveIntentModel()), before);
  });

  test('the intent model round-trips and refuses another format or version', () => {
    const model = new IntentClassifier();
    const features = IntentClassifier.features(['love', 'songs'], ['qt:topical']);
    model.learn(features, 'track', 1);
    model.learn(features, 'playlist', 2);
    const copy = IntentClassifier.fromJSON(JSON.parse(JSON.stringify(model.toJSON())));
    assert.deepEqual(copy.predict(features), model.predict(features));
    assert.throws(() => IntentClassifier.fromJSON({ ...model.toJSON(), version: 99 }), (e: QuiverError) => e.code === 'LEARNER_STATE_VERSION' && e.message.includes('99'));
    assert.throws(() => IntentClassifier.fromJSON({ format: 'nope' } as never), (e: QuiverError) => e.code === 'LEARNER_STATE_INVALID');
  });
});

describe('script, language and features', () => {
  test('script and language', () => {
    assert.equal(detectScript('東京'), 'han');
    assert.equal(detectScript('竹内アンナ'), 'kana');
    assert.equal(detectScript('Привет'), 'cyrillic');
    assert.equal(detectScript('!!!'), 'none');
    assert.equal(guessLanguage(['canciones', 'de', 'amor'], 'latin'), 'es');
    assert.equal(guessLanguage(['songs', 'by', 'queen'], 'latin'), 'en');
    assert.equal(guessLanguage(['qzx'], 'latin'), 'unknown');
  });

  test('one named vector of fixed length, time taken in the request\'s own offset', () => {
    const names = qu.featureNames;
    const vec = (text: string, context: object) => {
      const f = understand(text, context).features;
      assert.deepEqual(f.names, names);
      return (name: string) => f.values[names.indexOf(name)];
    };
    // 2020-02-01 is a Saturday; 20:00Z is 05:00 the next day (Sunday) at +09:00.
    const tokyo = vec('love', { time: '2020-02-01T20:00:00+09:00', locale: 'ja-JP', device: 'mobile' });
    assert.equal(tokyo('ctx.time.evening'), 1);
    const utc = vec('love', { time: '2020-02-01T20:00:00Z', locale: 'ja-JP', device: 'mobile' });
    assert.equal(utc('ctx.weekday.sat'), 1);
    assert.equal(utc('ctx.weekend'), 1);
    assert.equal(utc('ctx.time.evening'), 1);
    assert.equal(utc('ctx.locale.ja'), 1);
    assert.equal(utc('ctx.device.mobile'), 1);
    assert.ok(Math.abs(utc('ctx.hour_sin') - Math.sin((2 * Math.PI * 20) / 24)) < 1e-12);
    const early = vec('love', { time: '2020-02-01T08:00:00-03:00', device: 'fridge' });
    assert.equal(early('ctx.time.morning'), 1);
    assert.equal(early('ctx.device.other'), 1);
    assert.equal(utc('user.known'), 0);
    for (const name of names) assert.ok(Number.isFinite(utc(name)), name);
  });

  test('user history aggregates enter the vector when a source is given', () => {
    const local = new QueryUnderstanding(index, { featureGenres: ['rock', 'pop'] });
    local.setUserSummary((user) => (user === 'u1' ? { activity: 9, genres: { rock: 3, pop: 1 }, artists: { 'a:queen': 2 } } : undefined));
    const f = local.understand(createQueryContext('love', { context: { user: 'u1' } })).features;
    const at = (name: string) => f.values[f.names.indexOf(name)];
    assert.equal(at('user.known'), 1);
    assert.equal(at('user.genre.rock'), 0.75);
    assert.equal(at('user.top_genre_share'), 0.75);
    assert.ok(Math.abs(at('user.log_activity') - Math.log(10)) < 1e-12);
  });
});

describe('typo-tolerant understanding (the shared resources wire in fuzzy names and the speller)', () => {
  const shared = understandingOf(new RetrievalResources(index));
  const read = (text: string) => shared.understand(createQueryContext(text));

  test('misspelt names become fuzzy slots with their similarity', () => {
    const [top] = read('tayler swift').interpretations;
    assert.equal(top.slots.length, 1);
    assert.equal(top.slots[0].kind, 'artist');
    assert.equal(top.slots[0].value, 'taylor swift');
    assert.equal(top.slots[0].match, 'fuzzy');
    assert.ok(top.slots[0].similarity < 1 && top.slots[0].similarity >= 0.8);
    assert.deepEqual(read('bohemian rapsody queen').interpretations[0].slots.map((s) => `${s.kind}=${s.value}/${s.match}`), ['title=bohemian rhapsody/fuzzy', 'artist=queen/exact']);
  });

  test('unknown words get spelling suggestions; known words none', () => {
    const { corrections } = read('tayler swift');
    assert.equal(corrections.length, 1);
    assert.equal(corrections[0].word, 'tayler');
    assert.equal(corrections[0].suggestions[0].term, 'taylor');
    assert.deepEqual(read('taylor swift').corrections, []);
  });
});

test('an attribute slot votes with the type mix of every entity carrying the value, not of the first few thousand', () => {
  // Albums come first in doc order (as in a catalogue sorted by type), tracks are most of the genre.
  const rows = [
    ...Array.from({ length: 2500 }, (_, i) => ({ id: `al:${i}`, type: 'album', title: `a${i}`, attributes: { genre: 'zydeco' } })),
    ...Array.from({ length: 6000 }, (_, i) => ({ id: `t:${i}`, type: 'track', title: `t${i}`, attributes: { genre: 'zydeco' } })),
  ];
  const local = new QueryUnderstanding(SearchIndex.build(rows));
  const u = local.understand(createQueryContext('zydeco'));
  assert.equal(argmax(u.intentRules), 'track');
  assert.ok(Math.abs(u.intentRules.track / u.intentRules.album - 6000 / 2500) < 1e-9, JSON.stringify(u.intentRules));
});
