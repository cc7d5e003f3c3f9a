/**
 * User profiles: each user's decayed affinity to the categories (genre, subgenre, mood) and artists of what they
 * engaged with, weighted by the engagement (skips count against) and by the entity's weight in the category.
 * An entity's affinity for a user is Σ over its features f of familyWeight(f) · weight_e(f) · a_u(f) / Σ|a_u|,
 * so it is comparable across users with more or less history, and in [−max family weight, +max] overall.
 * Artists are features by id (the `artist` relation, or the artist entity itself), or by name when an entity
 * only has an `artist` field. Events for entities not in the catalogue are ignored: they have no features.
 */
import { attributeWeights, type Entity } from '../catalog/entity.js';
import { engagementWeight, type FeedbackEvent } from '../feedback/event.js';
import type { SearchIndex } from '../index/search-index.js';
import { resolveOptions, type ResolvedOptions } from '../options.js';
import { CATEGORY_ATTRIBUTES, textKey } from './category-index.js';
import { addDecayed, DAY_MS, type DecayedSum, mergeDecayedMaps, valueAt } from './decay.js';
import { checkedEventTime, checkStateHeader, readNestedSums, writeNestedSums } from './learner-state.js';
import type { Learner, RetrievalResources } from './resources.js';

export const USER_PROFILE_OPTIONS = {
  halfLifeDays: { kind: 'number', default: 60, min: 0.001, max: 36500, description: 'days after which an engagement counts half' },
  maxFeatures: { kind: 'number', default: 500, min: 1, max: 100000, integer: true, description: 'features kept per user (the weakest go first)' },
} as const;

export type UserProfileOptions = ResolvedOptions<typeof USER_PROFILE_OPTIONS>;

/** How much each family of features says about taste. */
export const FEATURE_FAMILY_WEIGHTS: Readonly<Record<string, number>> = { artist: 2, genre: 1, subgenre: 1, mood: 0.5 };

export const PROFILE_STATE_FORMAT = 'quiver.user-profiles';
export const PROFILE_STATE_VERSION = 1;

/** Entities are replaced, never changed, on upsert, so their features are cached by object. */
const FEATURES = new WeakMap<Entity, ReadonlyArray<readonly [string, number]>>();

/** An entity's features ("genre:rock", "artist:a:queen", "artist:~queen" by name) with their weights. */
export function entityFeatures(entity: Entity): ReadonlyArray<readonly [string, number]> {
  let features = FEATURES.get(entity);
  if (!features) FEATURES.set(entity, (features = computeFeatures(entity)));
  return features;
}

function computeFeatures(entity: Entity): Array<[string, number]> {
  const out: Array<[string, number]> = [];
  for (const attribute of CATEGORY_ATTRIBUTES) {
    const raw = entity.attributes?.[attribute];
    if (raw === undefined) continue;
    for (const [value, weight] of Object.entries(attributeWeights(raw))) if (weight > 0) out.push([`${attribute}:${value}`, weight]);
  }
  if (entity.type === 'artist') out.push([`artist:${entity.id}`, 1]);
  else if (entity.relations?.artist?.length) for (const id of entity.relations.artist) out.push([`artist:${id}`, 1]);
  else {
    const names = entity.fields?.artist;
    for (const name of names === undefined ? [] : Array.isArray(names) ? names : [names]) out.push([`artist:~${textKey(name)}`, 1]);
  }
  return out;
}

export function featureFamily(feature: string): string {
  return feature.slice(0, feature.indexOf(':'));
}

/** One user's profile read at one time: what a request scores entities against. */
export class ProfileSnapshot {
  constructor(
    readonly user: string,
    readonly affinities: ReadonlyMap<string, number>,
    /** Σ |affinity|. */
    readonly norm: number,
  ) {}

  /** Each feature's part of the entity's affinity, in the entity's feature order. */
  parts(entity: Entity): Array<{ feature: string; weight: number; affinity: number; value: number }> {
    return entityFeatures(entity).flatMap(([feature, weight]) => {
      const affinity = this.affinities.get(feature);
      if (affinity === undefined) return [];
      return [{ feature, weight, affinity, value: ((FEATURE_FAMILY_WEIGHTS[featureFamily(feature)] ?? 1) * weight * affinity) / this.norm }];
    });
  }

  /** Σ of `parts(entity)`' values, without building them (it runs for every entity personalised scores). */
  affinity(entity: Entity): number {
    let sum = 0;
    for (const [feature, weight] of entityFeatures(entity)) {
      const affinity = this.affinities.get(feature);
      if (affinity !== undefined) sum += ((FEATURE_FAMILY_WEIGHTS[featureFamily(feature)] ?? 1) * weight * affinity) / this.norm;
    }
    return sum;
  }

  /** The `n` strongest positive features of a family, strongest first (ties by name). */
  top(family: string, n: number): Array<[string, number]> {
    return [...this.affinities]
      .filter(([f, v]) => v > 0 && featureFamily(f) === family)
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, n)
      .map(([f, v]) => [f.slice(family.length + 1), v]);
  }
}

export class UserProfiles implements Learner {
  readonly options: UserProfileOptions;
  private readonly halfLifeMs: number;
  private users = new Map<string, Map<string, DecayedSum>>();

  static shared(resources: RetrievalResources, options: Partial<UserProfileOptions> = {}): UserProfiles {
    return resources.sharedLearner('user-profiles', (r) => new UserProfiles(r.index, options));
  }

  constructor(
    private readonly index: SearchIndex,
    options: Partial<UserProfileOptions> = {},
  ) {
    this.options = resolveOptions(USER_PROFILE_OPTIONS, options, 'profiles.');
    this.halfLifeMs = this.options.halfLifeDays * DAY_MS;
  }

  get size(): number {
    return this.users.size;
  }

  learn(event: FeedbackEvent): void {
    const time = checkedEventTime('user profiles', event);
    const weight = engagementWeight(event);
    const entity = this.index.get(event.entityId);
    if (weight === 0 || event.user === undefined || !entity) return;
    let profile = this.users.get(event.user);
    if (!profile) this.users.set(event.user, (profile = new Map()));
    for (const [feature, w] of entityFeatures(entity)) profile.set(feature, addDecayed(profile.get(feature), weight * w, time, this.halfLifeMs));
    while (profile.size > this.options.maxFeatures) {
      let weakest = '';
      let least = Infinity;
      for (const [f, sum] of profile) {
        const v = Math.abs(valueAt(sum, this.halfLifeMs, time));
        if (v < least) [weakest, least] = [f, v];
      }
      profile.delete(weakest);
    }
  }

  /** The user's profile read at `time`, or undefined when the user has no history that counts. */
  at(user: string, time: number): ProfileSnapshot | undefined {
    const profile = this.users.get(user);
    if (!profile) return undefined;
    const affinities = new Map<string, number>();
    let norm = 0;
    for (const [feature, sum] of profile) {
      const v = valueAt(sum, this.halfLifeMs, time);
      affinities.set(feature, v);
      norm += Math.abs(v);
    }
    return norm > 0 ? new ProfileSnapshot(user, affinities, norm) : undefined;
  }

  merge(other: UserProfiles): void {
    for (const [user, sums] of other.users) {
      let into = this.users.get(user);
      if (!into) this.users.set(user, (into = new Map()));
      mergeDecayedMaps(into, sums, this.halfLifeMs);
    }
  }

  toJSON() {
    return { format: PROFILE_STATE_FORMAT, version: PROFILE_STATE_VERSION, users: writeNestedSums(this.users) };
  }

  /** Replaces every profile with saved ones; on a bad state nothing changes. */
  restore(state: unknown): void {
    const s = checkStateHeader(state, PROFILE_STATE_FORMAT, PROFILE_STATE_VERSION);
    this.users = readNestedSums(PROFILE_STATE_FORMAT, 'users', s.users);
  }

  static fromJSON(index: SearchIndex, state: unknown, options: Partial<UserProfileOptions> = {}): UserProfiles {
    const profiles = new UserProfiles(index, options);
    profiles.restore(state);
    return profiles;
  }
}
