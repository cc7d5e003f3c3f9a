// Engagement from feedback events: weights per event, summed per entity, so a click the user took back (a skip
// right after) is no engagement, while a like followed by a skip still is.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_ENGAGEMENT, engagedEntities, engagementWeight, type FeedbackEvent, netEngagement } from '../../src/feedback/event.js';

const at = new Date('2020-01-01T00:00:00Z');
const event = (entityId: string, type: FeedbackEvent['type'], value?: number): FeedbackEvent => ({ query: 'q', entityId, type, time: at, ...(value !== undefined && { value }) });

test('an event weighs its kind; short plays and dwells weigh nothing', () => {
  assert.equal(engagementWeight(event('a', 'click')), DEFAULT_ENGAGEMENT.click);
  assert.equal(engagementWeight(event('a', 'play', 29)), 0);
  assert.equal(engagementWeight(event('a', 'play', 30)), DEFAULT_ENGAGEMENT.play);
  assert.equal(engagementWeight(event('a', 'play')), DEFAULT_ENGAGEMENT.play, 'a play of unknown length counts');
  assert.equal(engagementWeight(event('a', 'dwell')), 0);
  assert.equal(engagementWeight(event('a', 'skip')), -1);
});

test('engagement is the net weight per entity: a click taken back by a skip is none', () => {
  const events = [
    event('clicked', 'click'),
    event('taken-back', 'click'), event('taken-back', 'skip'),
    event('liked-then-skipped', 'like'), event('liked-then-skipped', 'skip'),
    event('played', 'click'), event('played', 'play', 180),
    event('skipped', 'skip'),
    event('short', 'play', 5),
  ];
  assert.deepEqual(Object.fromEntries(netEngagement(events)), { clicked: 1, 'taken-back': 0, 'liked-then-skipped': 1, played: 2.5, skipped: -1, short: 0 });
  assert.deepEqual([...engagedEntities(events)].sort(), ['clicked', 'liked-then-skipped', 'played']);
  // Weights are the caller's: with a milder skip the click outweighs it.
  assert.deepEqual([...engagedEntities(events, { ...DEFAULT_ENGAGEMENT, skip: -0.5 })].sort(), ['clicked', 'liked-then-skipped', 'played', 'taken-back']);
  assert.equal(engagedEntities([]).size, 0);
});
