/**
 * The query-stream generator (`quiver generate-stream`): realistic search traffic over any catalogue, with the
 * entities each query wants (its targets), so that retrieval strategies can be compared offline by candidate
 * recall. Deterministic: the same catalogue, options and seed give the same stream, byte for byte.
 *
 * Users and time. A population of `users` with consistent tastes (stream-users.ts: favourite genres, favourite
 * artists, a locale, Zipf activity). Each event has a user and a time; times fall over the `days` before `end`
 * (default: the day after the newest release in the catalogue), more in the evening than at night (a fixed
 * hour-of-day profile, in UTC), and events are in time order. Entities are drawn by popularity: weight
 * (popularity / max)^popularityExponent + 0.001. With probability `tasteBias` a user's title, artist, topical
 * and fresh queries are about their favourite artists and genres, so learners that profile users have
 * something to learn.
 *
 * The styles (labels), as an item means any entity that is not an artist (tracks, albums, playlists; tracks
 * drawn 75% of the time, albums 20%, playlists 5%), and the "typed title" of an entity is its title without
 * bracketed parts and " - …" tails, punctuation, case and accents ("Bohemian Rhapsody - Remastered 2011" →
 * "bohemian rhapsody"):
 * - `exact-title`: an item's typed title. Targets: the item and its other versions (same type, typed title
 *   and first artist).
 * - `artist`: an artist's folded name. Targets: the artist entities with that name (in a catalogue without
 *   artist entities, the artist's 10 most popular items).
 * - `misspelled`: an exact-title or artist query (half each) with one typo (two, 30% of the time) in a word of
 *   four letters or more, never the first letter (typos.ts): a keyboard-adjacent key, two letters swapped, a
 *   letter dropped or doubled, or a phonetic swap (ph/f, c/k, ck/k, ie/ei, y/i, s/z, or/er, ee/ea, ou/ow,
 *   x/ks). Targets: those of the query it came from.
 * - `partial`: a run of the item's title words (from the start 60% of the time; all of it when it has one
 *   word, never all of it otherwise) and its first artist's name (or its longest word, 30%), either order.
 *   Targets: as exact-title.
 * - `topical`: a category of a "naming" attribute (genre, subgenre), optionally qualified by a "modifier"
 *   (mood, decade, as people say them: "1990s" → "90s"), then a word for the type ("songs", "playlist",
 *   "artists"…): "chill latin pop songs", "90s rock playlist". The categories are those of a
 *   popularity-drawn entity of that type (tracks 60%, playlists 25%, artists 10%, albums 5%). Targets: the
 *   `topicalTargets` most popular entities of that type holding every named category with weight ≥
 *   `minWeight` (at least 3 must exist); a person browsing a topic is satisfied by its well-known members.
 * - `ambiguous`: one head word ("love", "home", "summer"): the `ambiguousWords` most common title words (three
 *   letters or more, not stop words), drawn with Zipf frequency by rank, so they recur. Each word has one
 *   hidden intent, the same at every recurrence and for every user: one item whose title has the word, drawn
 *   by popularity with a generator seeded by the word and the stream seed (so not necessarily the top lexical
 *   hit). Targets: that item only.
 * - `fresh`: about an item released within `freshDays` before the query time (newer releases drawn more:
 *   weight halves every `freshHalfLifeDays`). Half of them name its artist: "<artist>", "new <artist>" or
 *   "<artist> new single|song|album"; targets: that artist's items released in the window (of that type when
 *   the query names one). The others are generic: "new music", "new releases", "new songs", or with the
 *   release's genre "new <genre>", "new <genre> music", "latest <genre> releases"; targets: the 50 newest
 *   items of the window (holding the genre with weight ≥ minWeight, when named).
 * - `personal`: a vague query ("something to play", "my music", …). Targets: the user's favourite artists'
 *   artist entities and each one's 5 most popular items.
 */
import type { Entity } from '../catalog/entity.js';
import { createError } from '../errors.js';
import { resolveOptions } from '../options.js';
import { hashString, mulberry32 } from '../util/random.js';
import { WeightedSampler } from '../util/weighted-sampler.js';
import type { StreamEvent } from './stream.js';
import { StreamCatalog } from './stream-catalog.js';
import { type GeneratedQuery, QueryStyles } from './stream-styles.js';
import { createUsers } from './stream-users.js';

export const STREAM_LABELS = ['exact-title', 'artist', 'misspelled', 'partial', 'topical', 'ambiguous', 'fresh', 'personal'] as const;
export type StreamLabel = (typeof STREAM_LABELS)[number];

export const DEFAULT_MIX: Record<StreamLabel, number> = {
  'exact-title': 0.2, artist: 0.15, misspelled: 0.15, partial: 0.1, topical: 0.12, ambiguous: 0.12, fresh: 0.08, personal: 0.08,
};

export const STREAM_OPTIONS = {
  n: { kind: 'number', default: 1000, min: 1, max: 10_000_000, integer: true, description: 'number of query events' },
  seed: { kind: 'number', default: 1, min: 0, max: 2 ** 32 - 1, integer: true, description: 'seed of every random choice' },
  users: { kind: 'number', default: 500, min: 1, max: 1_000_000, integer: true, description: 'size of the user population' },
  days: { kind: 'number', default: 90, min: 1, max: 3650, description: 'length of the time window, ending at `end`' },
  popularityExponent: { kind: 'number', default: 2, min: 0, max: 10, description: 'entities are drawn by (popularity / max)^this' },
  tasteBias: { kind: 'number', default: 0.5, min: 0, max: 1, description: "chance that a query is about the user's favourites" },
  minWeight: { kind: 'number', default: 0.5, min: 0, max: 1, description: 'smallest attribute weight that counts as holding a category' },
  topicalTargets: { kind: 'number', default: 20, min: 1, max: 10_000, integer: true, description: 'targets of a topical query' },
  ambiguousWords: { kind: 'number', default: 100, min: 1, max: 100_000, integer: true, description: 'how many head words ambiguous queries use' },
  freshDays: { kind: 'number', default: 14, min: 1, max: 3650, description: 'how recent a release a fresh query asks for, in days' },
  freshHalfLifeDays: { kind: 'number', default: 2, min: 0.01, max: 3650, description: 'fresh queries favour newer releases with this half-life' },
} as const;

export interface StreamGeneratorOptions {
  n?: number;
  seed?: number;
  users?: number;
  days?: number;
  popularityExponent?: number;
  tasteBias?: number;
  minWeight?: number;
  topicalTargets?: number;
  ambiguousWords?: number;
  freshDays?: number;
  freshHalfLifeDays?: number;
  /** Label → weight. Given, only the labels named are generated; default DEFAULT_MIX. */
  mix?: Partial<Record<string, number>>;
  /** ISO time the window ends at; default the day after the newest release (2026-01-01 if nothing is dated). */
  end?: string;
  /** The attribute that defines users' tastes and fresh queries' genres (default "genre"). */
  tasteAttribute?: string;
  /** Attributes topical queries use (default genre, subgenre, mood, decade). */
  topicalAttributes?: string[];
}

export interface GeneratedStream {
  events: StreamEvent[];
  /** Labels of the default mix this catalogue cannot produce (e.g. fresh without release dates). */
  dropped: string[];
}

const DAY_MS = 86_400_000;
/** Relative query volume by hour of the day (UTC): quiet at night, peaking in the evening. */
const HOURLY = [2, 1, 1, 1, 1, 1, 2, 3, 4, 4, 4, 5, 5, 5, 5, 5, 6, 7, 8, 9, 9, 8, 6, 4];
/** A style that fails this many draws in a row is taken to be impossible on this catalogue. */
const MAX_TRIES = 200;

export function generateStream(entities: readonly Entity[], input: StreamGeneratorOptions = {}): GeneratedStream {
  const { mix: givenMix, end: givenEnd, tasteAttribute = 'genre', topicalAttributes = ['genre', 'subgenre', 'mood', 'decade'], ...numeric } = input;
  const options = resolveOptions(STREAM_OPTIONS, numeric);
  const mix = resolveMix(givenMix);
  const catalog = new StreamCatalog(entities, options.minWeight);
  const newest = catalog.releaseTimes.length > 0 ? catalog.releaseTimes[catalog.releaseTimes.length - 1] : undefined;
  const end = givenEnd !== undefined ? parseEnd(givenEnd) : newest !== undefined ? newest + DAY_MS : Date.UTC(2026, 0, 1);
  const itemType = mostCommonType(catalog.items);
  const population = createUsers(catalog, options.users, mulberry32(hashString('users', options.seed)), {
    tasteAttribute, itemType, popularityExponent: options.popularityExponent,
  });
  const styles = new QueryStyles(catalog, { ...options, tasteAttribute, topicalAttributes });
  const times = eventTimes(options.n, end, options.days, mulberry32(hashString('times', options.seed)));
  const random = mulberry32(hashString('events', options.seed));

  const labels = Object.keys(mix).filter((l) => mix[l] > 0) as StreamLabel[];
  const dropped: string[] = [];
  const events: StreamEvent[] = [];
  let chooser = new WeightedSampler(labels, (l) => mix[l]);
  for (const time of times) {
    let made: GeneratedQuery | undefined;
    let label: StreamLabel | undefined;
    while (!made) {
      label = chooser.sample(random);
      if (label === undefined) throw createError('STREAM_STYLE_IMPOSSIBLE', dropped.join(', '), 'no style in the mix can be generated');
      const user = population.activity.sample(random)!;
      for (let tries = 0; !made && tries < MAX_TRIES; tries++) made = styles[label](user, random, time);
      if (!made) {
        if (givenMix) throw createError('STREAM_STYLE_IMPOSSIBLE', label, `${MAX_TRIES} draws in a row found nothing to ask for (see the style's definition in src/eval/stream-generator.ts)`);
        dropped.push(label);
        const remaining = labels.filter((l) => !dropped.includes(l));
        chooser = new WeightedSampler(remaining, (l) => mix[l]);
      } else {
        events.push({ query: made.query, context: { user: user.id, time: isoSeconds(time), locale: user.locale }, targets: made.targets, label });
      }
    }
  }
  return { events, dropped };
}

function resolveMix(given: Partial<Record<string, number>> | undefined): Record<string, number> {
  if (given === undefined) return { ...DEFAULT_MIX };
  const mix: Record<string, number> = {};
  for (const [label, weight] of Object.entries(given)) {
    if (!(STREAM_LABELS as readonly string[]).includes(label)) throw createError('OPTION_UNKNOWN', `mix.${label}`, STREAM_LABELS.join(', '));
    if (typeof weight !== 'number' || !(weight >= 0) || !Number.isFinite(weight)) throw createError('OPTION_OUT_OF_RANGE', `mix.${label}`, weight, 'a number ≥ 0');
    mix[label] = weight;
  }
  if (!Object.values(mix).some((w) => w > 0)) throw createError('OPTION_OUT_OF_RANGE', 'mix', given, 'at least one label with a weight > 0');
  return mix;
}

function parseEnd(end: string): number {
  const t = new Date(end).getTime();
  if (Number.isNaN(t)) throw createError('OPTION_OUT_OF_RANGE', 'end', end, 'an ISO 8601 time such as 2020-02-01T00:00:00Z');
  return t;
}

/** n times in [end − days, end), in order: a uniform day, an hour from the daily profile, a uniform second. */
function eventTimes(n: number, end: number, days: number, random: () => number): number[] {
  const hours = new WeightedSampler(HOURLY.map((_, h) => h), (h) => HOURLY[h]);
  const start = end - days * DAY_MS;
  const times: number[] = [];
  while (times.length < n) {
    const day = Math.floor(random() * Math.ceil(days));
    const t = start + day * DAY_MS + hours.sample(random)! * 3_600_000 + Math.floor(random() * 3600) * 1000;
    if (t < end) times.push(t);
  }
  return times.sort((a, b) => a - b);
}

function mostCommonType(items: readonly Entity[]): string {
  const counts = new Map<string, number>();
  for (const e of items) counts.set(e.type, (counts.get(e.type) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0] ?? '';
}

function isoSeconds(t: number): string {
  return new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
