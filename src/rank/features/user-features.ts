/**
 * User affinity features: how the request's user has engaged with what the candidate is (its artist, genres,
 * subgenres, moods), from the shared user profiles read at the request time (decayed, normalised by the user's
 * total affinity mass, as the personalised strategy reads them). One column per feature family and the total;
 * a request without a user, or with a user without history, gives zeros and has_profile = 0.
 */
import { FEATURE_FAMILY_WEIGHTS, featureFamily, UserProfiles } from '../../retrieval/user-profiles.js';
import type { RetrievalResources } from '../../retrieval/resources.js';
import { type FeatureBatch, type FeatureDef, type FeatureGroup, type FeatureSink, rowAdder, rowWriter } from './feature-group.js';

const FAMILIES = Object.keys(FEATURE_FAMILY_WEIGHTS);

export class UserFeatures implements FeatureGroup {
  readonly name = 'user';
  readonly features: FeatureDef[] = [
    { name: 'user.has_profile', description: 'the request has a user with engagement history' },
    { name: 'user.log_activity', description: "ln(1 + the user's total absolute affinity mass)" },
    { name: 'user.affinity', description: "the entity's affinity for the user (the personalised strategy's), Σ over its features" },
    ...FAMILIES.map((f) => ({ name: `user.affinity.${f}`, description: `the part of user.affinity that comes from the entity's ${f} features` })),
  ];
  private readonly profiles: UserProfiles;

  constructor(resources: RetrievalResources) {
    this.profiles = UserProfiles.shared(resources);
  }

  fill(batch: FeatureBatch, sink: FeatureSink): void {
    const { query } = batch;
    const user = query.context.user;
    const profile = user === undefined ? undefined : this.profiles.at(user, query.time.getTime());
    if (!profile) return;
    batch.entities.forEach((entity, i) => {
      const set = rowWriter(sink, i);
      const add = rowAdder(sink, i);
      set(0, 1);
      set(1, Math.log1p(profile.norm));
      set(2, profile.affinity(entity));
      for (const part of profile.parts(entity)) {
        const family = FAMILIES.indexOf(featureFamily(part.feature));
        if (family >= 0) add(3 + family, part.value);
      }
    });
  }
}
