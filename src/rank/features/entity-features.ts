/**
 * Features of the candidate itself, whatever the query: its popularity (the index's prior, on the log scale
 * every strategy reads), how old it is, and its entity type as a one-hot over the catalogue's types when the set
 * was built. Age is counted back from the catalogue's newest release (a catalogue frozen in 2020 still has its
 * "new" releases) and from the request time; an undated entity gets 0 and has_release = 0.
 */
import type { SearchIndex } from '../../index/search-index.js';
import { DAY_MS } from '../../retrieval/decay.js';
import { releaseOrderOf } from '../../retrieval/release-order.js';
import { type FeatureBatch, type FeatureDef, type FeatureGroup, type FeatureSink, flag, rowWriter } from './feature-group.js';

export class EntityFeatures implements FeatureGroup {
  readonly name = 'entity';
  readonly features: FeatureDef[];

  constructor(
    private readonly index: SearchIndex,
    readonly types: readonly string[],
  ) {
    this.features = [
      { name: 'popularity.prior', description: 'ln(1 + popularity) / ln(1 + the catalogue’s largest popularity), in [0, 1]' },
      { name: 'popularity.has', description: 'the entity has a popularity above 0' },
      { name: 'fresh.log_age', description: "ln(1 + days from the entity's release to the catalogue's newest release)" },
      { name: 'fresh.log_request_age', description: "ln(1 + days from the entity's release to the request time; 0 if released later)" },
      { name: 'fresh.has_release', description: 'the entity has a release date' },
      ...types.map((t) => ({ name: `type.${t}`, description: `the entity is of type ${t}` })),
    ];
  }

  fill(batch: FeatureBatch, sink: FeatureSink): void {
    const index = this.index;
    const order = releaseOrderOf(index);
    const newest = order.newest();
    const now = batch.query.time.getTime();
    batch.docs.forEach((doc, i) => {
      const set = rowWriter(sink, i);
      set(0, index.prior(doc));
      set(1, flag(index.popularity[doc] > 0));
      const released = order.time(doc);
      if (Number.isFinite(released)) {
        set(2, Math.log1p(Math.max(0, newest - released) / DAY_MS));
        set(3, Math.log1p(Math.max(0, now - released) / DAY_MS));
        set(4, 1);
      }
      const type = this.types.indexOf(batch.entities[i].type);
      if (type >= 0) set(5 + type, 1);
    });
  }
}
