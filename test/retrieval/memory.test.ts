// The memory strategy and index: learning from clicks, decay, skips, clusters, predicted queries (cold start),
// live catalogue changes, saved state and merges, with decayed sums checked against a brute-force sum.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import type { QuiverError } from '../../src/errors.js';
import { DEFAULT_ENGAGEMENT } from '../../src/feedback/event.js';
import { SearchIndex } from '../../src/index/search-index.js';
import { createQueryContext } from '../../src/query/query-context.js';
import { DAY_MS } from '../../src/retrieval/decay.js';
import { MemoryStrategy } from '../../src/retrieval/memory.js';
import { MemoryIndex, queryKeysOf } from '../../src/retrieval/memory-index.js';
import { RetrievalResources } from '../../src/retrieval/resources.js';
import { DEMO_TIME, demoIndex, feedback } from '../helpers/demo-index.js';

const index = demoIndex();
const q = (text: string, time = DEMO_TIME) => createQueryContext(text, { context: { time } });
const ids = (strategy: MemoryStrategy, text: string, k = 10, time = DEMO_TIME) => strategy.retrieve(q(text, time), k).map((c) => c.id);
const fresh = () => {
  const resources = new RetrievalResources(index);
  return { resources, memory: new MemoryStrategy(resources) };
};
const LOVE_BY_MUSIQ = 't:6uSa5iCMwPr10Ftpz8w09b';

describe('memory strategy', () => {
  test('learns from a click: the clicked entity ranks first for the query and its other wordings', () => {
    const { resources, memory } = fresh();
    assert.notEqual(ids(memory, 'love')[0], LOVE_BY_MUSIQ);
    resources.learn(feedback('love', LOVE_BY_MUSIQ));
    assert.equal(ids(memory, 'love')[0], LOVE_BY_MUSIQ);
    assert.equal(ids(memory, 'Love!')[0], LOVE_BY_MUSIQ);
    const explained = memory.explain(q('love'), LOVE_BY_MUSIQ);
    assert.ok(explained.details[0].value > 0 && explained.details[1].value > 0, 'observed and predicted parts');
  });

  test('a cluster shares feedback between wordings, at clusterWeight', () => {
    const { resources, memory } = fresh();
    resources.learn(feedback('Love Songs', LOVE_BY_MUSIQ));
    assert.equal(queryKeysOf('love song').cluster, queryKeysOf('Love Songs').cluster);
    const observed = memory.memory.score(queryKeysOf('love song'), LOVE_BY_MUSIQ, Date.parse(DEMO_TIME));
    const direct = memory.memory.score(queryKeysOf('love songs'), LOVE_BY_MUSIQ, Date.parse(DEMO_TIME));
    assert.equal(observed.exact, 0);
    assert.ok(Math.abs(observed.value - 0.5 * direct.value) < 1e-12);
    assert.ok(ids(memory, 'love song').includes(LOVE_BY_MUSIQ));
  });

  test('decay halves a weight after one half-life; a skip takes a click back', () => {
    const memory = new MemoryIndex({ halfLifeDays: 10 });
    const keys = queryKeysOf('love');
    const t0 = Date.parse('2020-01-01T00:00:00Z');
    memory.learn(feedback('love', 'x', 'click', '2020-01-01T00:00:00Z'));
    assert.equal(memory.score(keys, 'x', t0).value, 1);
    assert.ok(Math.abs(memory.score(keys, 'x', t0 + 10 * DAY_MS).value - 0.5) < 1e-12);
    memory.learn(feedback('love', 'x', 'skip', '2020-01-01T00:00:00Z'));
    assert.ok(Math.abs(memory.score(keys, 'x', t0).value - (1 + DEFAULT_ENGAGEMENT.skip)) < 1e-12);
    assert.equal(DEFAULT_ENGAGEMENT.skip, -DEFAULT_ENGAGEMENT.click);
  });

  test('decayed scores equal a brute-force sum over the events, in any order and across merged replicas', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ day: fc.integer({ min: 0, max: 200 }), type: fc.constantFrom('click' as const, 'like' as const, 'skip' as const), replica: fc.boolean() }), { minLength: 1, maxLength: 30 }),
        (events) => {
          const whole = new MemoryIndex({ halfLifeDays: 7 });
          const [a, b] = [new MemoryIndex({ halfLifeDays: 7 }), new MemoryIndex({ halfLifeDays: 7 })];
          const weights = DEFAULT_ENGAGEMENT;
          const readAt = Date.parse('2020-01-01T00:00:00Z') + 250 * DAY_MS;
          let expected = 0;
          for (const e of events) {
            const event = feedback('love', 'x', e.type, new Date(Date.parse('2020-01-01T00:00:00Z') + e.day * DAY_MS).toISOString());
            whole.learn(event);
            (e.replica ? a : b).learn(event);
            expected += weights[e.type] * 2 ** (-(250 - e.day) / 7);
          }
          a.merge(b);
          for (const m of [whole, a]) assert.ok(Math.abs(m.score(queryKeysOf('love'), 'x', readAt).value - expected) < 1e-9);
        },
      ),
      { seed: 42, numRuns: 100 },
    );
  });

  test('predicted queries answer "songs by X", "X album" and "<genre> songs" before any feedback', () => {
    const { memory } = fresh();
    const byTaylor = memory.retrieve(q('songs by taylor swift'), 10);
    assert.equal(byTaylor.length, 10);
    for (const c of byTaylor) assert.ok(index.get(c.id)!.relations?.artist?.includes('a:taylor-swift') || c.id === 'a:taylor-swift', c.id);
    assert.ok(ids(memory, 'taylor swift songs').includes(byTaylor[0].id));
    assert.equal(ids(memory, 'taylor swift')[0], 'a:taylor-swift');
    assert.equal(index.get(ids(memory, 'queen bohemian rhapsody')[0])!.relations?.artist?.[0], 'a:queen');
    for (const id of ids(memory, 'rock songs', 20)) assert.ok((index.get(id)!.attributes!.genre as Record<string, number>).rock > 0, id);
    for (const id of ids(memory, 'lover album', 5)) assert.equal(index.get(id)!.type, 'album');
  });

  test('predictions give way as observed feedback grows', () => {
    const { resources, memory } = fresh();
    const top = memory.retrieve(q('love'), 1)[0];
    for (let i = 0; i < 6; i++) resources.learn(feedback('love', LOVE_BY_MUSIQ));
    const after = memory.explain(q('love'), top.id);
    assert.ok(after.value < top.score / 2, `${after.value} vs ${top.score}`);
  });

  test('follows the catalogue: an added entity is predicted at once, a removed one disappears', () => {
    const small = SearchIndex.build([
      { id: 't:1', type: 'track', title: 'Alpha Song', fields: { artist: 'Band' }, popularity: 0.5 },
      { id: 't:2', type: 'track', title: 'Beta', fields: { artist: 'Band' }, popularity: 0.4 },
    ]);
    const memory = new MemoryStrategy(new RetrievalResources(small));
    assert.deepEqual(memory.retrieve(q('band songs'), 5).map((c) => c.id), ['t:1', 't:2']);
    small.add({ id: 't:3', type: 'track', title: 'Zyzzyva Anthem', fields: { artist: 'Band' }, popularity: 0.9 });
    assert.deepEqual(memory.retrieve(q('zyzzyva anthem'), 5).map((c) => c.id), ['t:3']);
    assert.equal(memory.retrieve(q('band songs'), 5)[0].id, 't:3');
    small.remove('t:3');
    assert.deepEqual(memory.retrieve(q('zyzzyva anthem'), 5), []);
  });

  test('state round-trips through JSON; a wrong version or a bad shape is refused and changes nothing', () => {
    const { resources, memory } = fresh();
    resources.learn(feedback('love', LOVE_BY_MUSIQ, 'like'));
    resources.learn(feedback('Love Songs', 't:0W4NhJhcqKCqEP2GIpDCDq'));
    const saved = JSON.parse(JSON.stringify(memory.memory));
    const copy = MemoryIndex.fromJSON(saved);
    for (const text of ['love', 'love song']) {
      for (const id of [LOVE_BY_MUSIQ, 't:0W4NhJhcqKCqEP2GIpDCDq']) {
        assert.deepEqual(copy.score(queryKeysOf(text), id, Date.parse(DEMO_TIME)), memory.memory.score(queryKeysOf(text), id, Date.parse(DEMO_TIME)));
      }
    }
    assert.throws(() => copy.restore({ ...saved, version: 99 }), (e: QuiverError) => e.code === 'LEARNER_STATE_VERSION' && /version 99/.test(e.message));
    assert.throws(() => copy.restore({ ...saved, queries: [['love', [['x', 'NaN', 0]]]] }), (e: QuiverError) => e.code === 'LEARNER_STATE_INVALID' && /queries\[0\]\[1\]\[0\]/.test(e.message));
    assert.equal(copy.pairs, 2);
  });

  test('refuses a bad feedback event without learning from it', () => {
    const memory = new MemoryIndex();
    assert.throws(() => memory.learn({ ...feedback('love', 'x'), time: new Date('nope') }), (e: QuiverError) => e.code === 'LEARNER_BAD_EVENT' && /time/.test(e.message));
    assert.equal(memory.pairs, 0);
  });
});
