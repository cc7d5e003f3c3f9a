import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createQueryContext } from '../../src/query/query-context.js';
import { createStrategies } from '../../src/retrieval/registry.js';
import { RetrievalResources } from '../../src/retrieval/resources.js';
import { slotSeeds } from '../../src/retrieval/slot-seeds.js';
import { DEMO_TIME, demoIndex } from '../helpers/demo-index.js';
import { strategyConformance } from './conformance.js';

const index = demoIndex();

test('query understanding seeds the related walk with the entities the query names', () => {
  const seeds = slotSeeds(new RetrievalResources(index))(createQueryContext('songs by taylor swift', { context: { time: DEMO_TIME } }));
  const artist = seeds.find((s) => s.id === 'a:taylor-swift');
  assert.ok(artist && artist.score > 0.5 && artist.score <= 1, JSON.stringify(seeds));
  // A query that names nothing seeds nothing.
  assert.deepEqual(slotSeeds(new RetrievalResources(index))(createQueryContext('qzxv wplk')), []);
});

// The registry's related strategy (lexical and slot seeds) passes the suite too.
strategyConformance({
  make: () => createStrategies(index, ['related']).get('related')!,
  index,
  queries: ['love', 'taylor swift', 'songs by queen', 'bohemian rhapsody queen', 'zzzz-no-match'],
  options: { context: { time: DEMO_TIME } },
});
