/**
 * The query/context feature vector the retrieval policy and the ranker read: one named numeric vector per
 * request. Time features are taken in the request's own UTC offset when its time string carries one ("…+09:00"),
 * else in UTC. The names are fixed when query understanding is built (the catalogue's types and top genres), so
 * a policy's weights keep their meaning from request to request.
 */
import type { RequestContext } from './query-context.js';

export interface NamedVector {
  names: readonly string[];
  values: Float64Array;
}

/** What the feature vector needs of a user's history (user-profiles.ts provides it). */
export interface UserSummary {
  /** The user's decayed engagement mass (about one per recent engagement); 0 for no history. */
  activity: number;
  /** Affinity by genre value, any scale; the vector uses shares of the total. */
  genres: Record<string, number>;
  artists: Record<string, number>;
}

export const TIME_BUCKETS = ['night', 'morning', 'afternoon', 'evening'] as const;
export const DEVICES = ['mobile', 'desktop', 'tablet', 'tv', 'speaker', 'car'] as const;
export const LOCALE_LANGUAGES = ['en', 'es', 'fr', 'de', 'pt', 'it', 'ja', 'ko', 'zh'] as const;
const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

/** Hour and weekday where the request was made: its own offset if the time string has one. */
export function localTime(time: Date, context: RequestContext): { hour: number; weekday: number } {
  const m = context.time ? /([+-])(\d{2}):?(\d{2})$/.exec(context.time) : null;
  const offsetMinutes = m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
  const local = new Date(time.getTime() + offsetMinutes * 60_000);
  return { hour: local.getUTCHours() + local.getUTCMinutes() / 60, weekday: local.getUTCDay() };
}

export function timeBucket(hour: number): (typeof TIME_BUCKETS)[number] {
  if (hour < 6) return 'night';
  if (hour < 12) return 'morning';
  if (hour < 18) return 'afternoon';
  return 'evening';
}

/** Builds vectors with a fixed list of names; `set` ignores names outside the list. */
export class FeatureVectorBuilder {
  readonly names: string[];
  private readonly position: Map<string, number>;

  constructor(names: readonly string[]) {
    this.names = [...names];
    this.position = new Map(this.names.map((name, i) => [name, i]));
  }

  create(): { set: (name: string, value: number) => void; vector: NamedVector } {
    const values = new Float64Array(this.names.length);
    return {
      set: (name, value) => {
        const at = this.position.get(name);
        if (at !== undefined && Number.isFinite(value)) values[at] = value;
      },
      vector: { names: this.names, values },
    };
  }
}

export function contextFeatureNames(genres: readonly string[]): string[] {
  return [
    'ctx.hour_sin', 'ctx.hour_cos', 'ctx.weekend',
    ...WEEKDAYS.map((d) => `ctx.weekday.${d}`),
    ...TIME_BUCKETS.map((b) => `ctx.time.${b}`),
    ...LOCALE_LANGUAGES.map((l) => `ctx.locale.${l}`), 'ctx.locale.other',
    ...DEVICES.map((d) => `ctx.device.${d}`), 'ctx.device.other',
    'user.known', 'user.log_activity', 'user.top_genre_share', 'user.top_artist_share',
    ...genres.map((g) => `user.genre.${g}`),
  ];
}

/** Writes the context part of the vector: time, locale, device and the user's history aggregates. */
export function setContextFeatures(
  set: (name: string, value: number) => void,
  time: Date,
  context: RequestContext,
  user: UserSummary | undefined,
): void {
  const { hour, weekday } = localTime(time, context);
  set('ctx.hour_sin', Math.sin((2 * Math.PI * hour) / 24));
  set('ctx.hour_cos', Math.cos((2 * Math.PI * hour) / 24));
  set('ctx.weekend', weekday === 0 || weekday === 6 ? 1 : 0);
  set(`ctx.weekday.${WEEKDAYS[weekday]}`, 1);
  set(`ctx.time.${timeBucket(hour)}`, 1);
  if (context.locale) {
    const language = context.locale.toLowerCase().split(/[-_]/)[0];
    set((LOCALE_LANGUAGES as readonly string[]).includes(language) ? `ctx.locale.${language}` : 'ctx.locale.other', 1);
  }
  if (context.device) {
    const device = context.device.toLowerCase();
    set((DEVICES as readonly string[]).includes(device) ? `ctx.device.${device}` : 'ctx.device.other', 1);
  }
  if (!user || !(user.activity > 0)) return;
  set('user.known', 1);
  set('user.log_activity', Math.log1p(user.activity));
  const share = (values: Record<string, number>) => {
    const total = Object.values(values).reduce((a, b) => a + Math.max(0, b), 0);
    return { total, top: total > 0 ? Math.max(...Object.values(values)) / total : 0 };
  };
  const genres = share(user.genres);
  set('user.top_genre_share', genres.top);
  set('user.top_artist_share', share(user.artists).top);
  if (genres.total > 0) for (const [genre, value] of Object.entries(user.genres)) set(`user.genre.${genre}`, Math.max(0, value) / genres.total);
}
