// The personalised strategy and user profiles: vague queries get the user's artists and genres, matching
// queries are reordered by affinity, skips count against, no user gets nothing, and profiles save and merge.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { QuiverError } from '../../src/errors.js';
import { createQueryContext, type QueryOptions } from '../../src/query/query-context.js';
import { PersonalisedStrategy } from '../../src/retrieval/personalised.js';
import { RetrievalResources } from '../../src/retrieval/resources.js';
import { UserProfiles } from '../../src/retrieval/user-profiles.js';
import { DEMO_TIME, demoIndex, feedback } from '../helpers/demo-index.js';

const index = demoIndex();
const q = (text: string, user?: string, extra: QueryOptions = {}) => createQueryContext(text, { context: { time: DEMO_TIME, user }, ...extra });
const QUEEN_TRACKS = index.get('a:queen')!.relations!.tracks!;
const isQueen = (id: string) => id === 'a:queen' || (index.get(id)!.relations?.artist ?? []).includes('a:queen');

function queenFan() {
  const resources = new RetrievalResources(index);
  const personalised = new PersonalisedStrategy(resources);
  QUEEN_TRACKS.slice(0, 3).forEach((id, i) => resources.learn(feedback('queen', id, 'play', `2020-01-2${i}T20:00:00Z`, 'fan')));
  resources.learn(feedback('queen', QUEEN_TRACKS[3], 'favorite', '2020-01-25T20:00:00Z', 'fan'));
  return { resources, personalised };
}

describe('personalised strategy', () => {
  test('no user, or a user without history, gets nothing, and explain says why', () => {
    const { personalised } = queenFan();
    assert.deepEqual(personalised.retrieve(q('love'), 10), []);
    assert.match(personalised.explain(q('love'), QUEEN_TRACKS[0]).description, /no user/);
    assert.deepEqual(personalised.retrieve(q('love', 'stranger'), 10), []);
    assert.match(personalised.explain(q('love', 'stranger'), QUEEN_TRACKS[0]).description, /no history for user "stranger"/);
  });

  test("a vague query gets the favourite artist's tracks first", () => {
    const { personalised } = queenFan();
    for (const text of ['', 'play some music', 'my favourites', 'what should i listen to']) {
      const got = personalised.retrieve(q(text, 'fan'), 10);
      assert.equal(got.length, 10);
      for (const c of got) assert.ok(isQueen(c.id), `${text}: ${c.id} ${index.get(c.id)!.title}`);
    }
    for (const c of personalised.retrieve(q('', 'fan', { types: ['album'] }), 10)) assert.equal(index.get(c.id)!.type, 'album');
    // A title word beside the possessive is a search, reordered by taste, not the vague list.
    assert.ok(personalised.retrieve(q('my way', 'fan'), 10).some((c) => !isQueen(c.id)));
  });

  test('a matching query is reordered towards the user\'s taste', () => {
    const { personalised } = queenFan();
    const lexicalTop = index.search('stop', { k: 200 });
    const queenLove = lexicalTop.find((h) => isQueen(h.id));
    assert.ok(queenLove && lexicalTop[0].id !== queenLove.id, 'a Queen track matches "stop" but is not the lexical top');
    assert.equal(personalised.retrieve(q('stop', 'fan'), 1)[0].id, queenLove.id);
  });

  test('skips count against an artist', () => {
    const { resources, personalised } = queenFan();
    const before = personalised.retrieve(q('', 'fan'), 1)[0].score;
    for (const id of QUEEN_TRACKS.slice(4, 12)) resources.learn(feedback('queen', id, 'skip', '2020-01-31T20:00:00Z', 'fan'));
    const after = personalised.explain(q('', 'fan'), personalised.retrieve(q('', 'fan'), 1)[0].id);
    assert.ok(after.value < before, `${after.value} < ${before}`);
  });

  test('profiles round-trip through JSON and merge; a wrong version is refused', () => {
    const { resources } = queenFan();
    const profiles = UserProfiles.shared(resources);
    const saved = JSON.parse(JSON.stringify(profiles));
    const copy = UserProfiles.fromJSON(index, saved);
    const now = Date.parse(DEMO_TIME);
    assert.deepEqual([...copy.at('fan', now)!.affinities], [...profiles.at('fan', now)!.affinities]);
    const doubled = UserProfiles.fromJSON(index, saved);
    doubled.merge(copy);
    const one = profiles.at('fan', now)!;
    const two = doubled.at('fan', now)!;
    for (const [feature, value] of one.affinities) assert.ok(Math.abs(two.affinities.get(feature)! - 2 * value) < 1e-12);
    assert.throws(() => copy.restore({ ...saved, version: 2 }), (e: QuiverError) => e.code === 'LEARNER_STATE_VERSION' && e.message.includes('quiver.user-profiles'));
  });
});
