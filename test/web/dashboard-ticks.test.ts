// The dashboard's time axis: ticks on whole steps of the clock, inside the range, never more than asked for, and
// labelled with seconds only when the step is under a minute. Checked over random ranges against the definition.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { timeTicks } from '../../web/src/shared/time-ticks.js';

const localMidnight = (t: number) => new Date(t).setHours(0, 0, 0, 0);

test('time ticks are whole clock steps inside the range, at most the number asked for', () => {
  fc.assert(fc.property(
    fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 0, 1) }), fc.integer({ min: 0, max: 3 * 86_400_000 }), fc.integer({ min: 2, max: 12 }),
    (from, span, maxTicks) => {
      const { ticks } = timeTicks(from, from + span, maxTicks);
      assert.ok(ticks.length <= Math.max(maxTicks, 1) + 1);
      for (const t of ticks) assert.ok(t >= from && t <= from + span);
      if (ticks.length >= 2) {
        const step = ticks[1] - ticks[0];
        ticks.forEach((t, i) => assert.equal(t, ticks[0] + i * step));
        assert.equal((ticks[0] - localMidnight(ticks[0])) % step === 0 || step > 3_600_000, true, 'on a round clock time');
      }
    },
  ));
});

test('labels: hours and minutes, with seconds for sub-minute steps', () => {
  const from = new Date(2024, 4, 1, 14, 5, 0).getTime();
  assert.deepEqual(timeTicks(from, from + 30_000, 4).ticks.map(timeTicks(from, from + 30_000, 4).label), ['14:05:00', '14:05:10', '14:05:20', '14:05:30']);
  const sixTicks = timeTicks(from, from + 3_600_000, 6);
  assert.deepEqual(sixTicks.ticks.map(sixTicks.label), ['14:10', '14:20', '14:30', '14:40', '14:50', '15:00']);
  const fourTicks = timeTicks(from, from + 3_600_000, 4);
  assert.deepEqual(fourTicks.ticks.map(fourTicks.label), ['14:15', '14:30', '14:45', '15:00']);
});
