/**
 * Request-context features: the hour and weekday where the request was made (in the request time's own UTC
 * offset, as query understanding reads them: src/query/context-features.ts), the same for every candidate of a
 * request, so trees can learn that what people want differs by time (a late-night query, a weekend one).
 * The hour is given both raw and on the circle (sine, cosine), so 23:00 and 01:00 are close for any model.
 */
import { localTime } from '../../query/context-features.js';
import { type FeatureBatch, type FeatureDef, type FeatureGroup, type FeatureSink, flag, rowWriter } from './feature-group.js';

export class ContextFeatures implements FeatureGroup {
  readonly name = 'context';
  readonly features: FeatureDef[] = [
    { name: 'ctx.hour', description: 'local hour of the request, 0 ≤ h < 24 (minutes as a fraction)' },
    { name: 'ctx.hour_sin', description: 'sin(2π · hour / 24)' },
    { name: 'ctx.hour_cos', description: 'cos(2π · hour / 24)' },
    { name: 'ctx.weekday', description: 'local weekday of the request, 0 = Sunday … 6 = Saturday' },
    { name: 'ctx.weekend', description: 'the request was made on a Saturday or Sunday' },
  ];

  fill(batch: FeatureBatch, sink: FeatureSink): void {
    const { hour, weekday } = localTime(batch.query.time, batch.query.context);
    const row = [hour, Math.sin((2 * Math.PI * hour) / 24), Math.cos((2 * Math.PI * hour) / 24), weekday, flag(weekday === 0 || weekday === 6)];
    for (let i = 0; i < batch.candidates.length; i++) {
      const set = rowWriter(sink, i);
      row.forEach((v, j) => set(j, v));
    }
  }
}
