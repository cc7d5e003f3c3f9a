/** A hand-built catalogue and query stream whose recall at k = 2 is worked out by hand in test/eval/strategies-eval.test.ts. */
import type { Entity } from '../../src/catalog/entity.js';
import type { StreamEvent } from '../../src/eval/stream.js';

export const TINY_CATALOG: Entity[] = [
  { id: 'a:1', type: 'artist', title: 'Taylor Swift', popularity: 95 },
  { id: 't:1', type: 'track', title: 'Love Story', fields: { artist: 'Taylor Swift' }, popularity: 87, released: '2019-12-20', relations: { artist: ['a:1'] } },
  { id: 't:2', type: 'track', title: 'Crazy in Love', fields: { artist: 'Beyoncé' }, popularity: 80, released: '2003-06-20' },
  { id: 't:3', type: 'track', title: 'Lovesick', fields: { artist: 'Mura Masa' }, popularity: 60, released: '2020-01-10' },
  { id: 't:4', type: 'track', title: 'Shake It Off', fields: { artist: 'Taylor Swift' }, popularity: 90, released: '2014-08-18', relations: { artist: ['a:1'] } },
];
export const TINY_CONTEXT = { user: 'u1', time: '2020-01-15T20:00:00Z' };
export const TINY_STREAM: StreamEvent[] = [
  { query: 'love story', context: TINY_CONTEXT, targets: ['t:1'], label: 'exact-title' },
  { query: 'taylor swift', context: TINY_CONTEXT, targets: ['a:1'], label: 'artist' },
  { query: 'something new', context: { ...TINY_CONTEXT, user: 'u2' }, targets: ['t:3'], label: 'fresh' },
  { query: 'crazy', context: TINY_CONTEXT, targets: ['t:2', 't:3'], label: 'exact-title' },
];
