/**
 * The query styles of generated streams, one method each; stream-generator.ts documents what each style means
 * and draws which style, user and time come next. A style returns undefined when its draw cannot make a query
 * (a title with no words, a category held by too few entities), and the generator draws again.
 */
import type { Entity } from '../catalog/entity.js';
import { attributeWeight } from '../catalog/entity.js';
import { ENGLISH_STOP_WORDS } from '../analysis/stopwords-en.js';
import { hashString, mulberry32 } from '../util/random.js';
import { WeightedSampler, zipfWeight } from '../util/weighted-sampler.js';
import type { ArtistRecord, StreamCatalog } from './stream-catalog.js';
import { strongestCategory, type StreamUser } from './stream-users.js';
import { misspell } from './typos.js';

export interface GeneratedQuery {
  query: string;
  targets: string[];
}

export interface StyleSettings {
  seed: number;
  popularityExponent: number;
  tasteBias: number;
  tasteAttribute: string;
  topicalAttributes: readonly string[];
  topicalTargets: number;
  ambiguousWords: number;
  freshDays: number;
  freshHalfLifeDays: number;
}

const DAY_MS = 86_400_000;
/** Shares of item types in title queries; types not listed get 0.05. */
const ITEM_TYPE_SHARES: Record<string, number> = { track: 0.75, album: 0.2, playlist: 0.05 };
const TOPICAL_TYPE_SHARES: Record<string, number> = { track: 0.6, playlist: 0.25, artist: 0.1, album: 0.05 };
const TYPE_WORDS: Record<string, string[]> = {
  track: ['songs', 'music', 'tracks', 'hits', ''],
  playlist: ['playlist', 'mix', 'playlists'],
  artist: ['artists', 'bands', 'singers'],
  album: ['albums', 'records'],
};
/** Attributes that qualify a topic ("chill", "90s") rather than name it. */
const MODIFIERS = new Set(['mood', 'decade']);
const TOPICAL_MIN_MATCHES = 3;
const PERSONAL_QUERIES = [
  'something to play', 'my music', 'play something', 'music for me', 'something i like', 'my favourites',
  'songs i like', 'play my music', 'recommend me something', 'what should i listen to',
];
const PERSONAL_ITEMS_PER_ARTIST = 5;
const FRESH_ARTIST_SHARE = 0.5;
const FRESH_GENERIC_TARGETS = 50;

const pick = <T>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)];
const ids = (entities: readonly Entity[]) => entities.map((e) => e.id);
/** "1990s" → "90s", as people say it. */
const spokenCategory = (attribute: string, category: string) => (attribute === 'decade' ? category.replace(/^(19)(\d0s)$/, '$2') : category.toLowerCase());

export class QueryStyles {
  private readonly itemTypes: WeightedSampler<WeightedSampler<Entity>>;
  private readonly artists: WeightedSampler<ArtistRecord>;
  private sameSongIndex?: Map<string, Entity[]>;
  private headWords?: { words: WeightedSampler<string>; matches: Map<string, Entity[]> };
  private readonly intents = new Map<string, Entity>();
  private readonly types: string[];

  constructor(
    private readonly catalog: StreamCatalog,
    private readonly settings: StyleSettings,
  ) {
    const weight = (e: { popularity?: number }) => catalog.popularityWeight(e, settings.popularityExponent);
    const byType = new Map<string, Entity[]>();
    for (const e of catalog.items) {
      if (!byType.has(e.type)) byType.set(e.type, []);
      byType.get(e.type)!.push(e);
    }
    const samplers = [...byType.values()].map((list) => new WeightedSampler(list, weight));
    this.itemTypes = new WeightedSampler(samplers, (s) => ITEM_TYPE_SHARES[s.items[0].type] ?? 0.05);
    this.artists = new WeightedSampler(catalog.artists, (a) => weight(a));
    this.types = [...new Set(catalog.entities.map((e) => e.type))].sort();
  }

  'exact-title'(user: StreamUser, random: () => number): GeneratedQuery | undefined {
    const item = this.wantedItem(user, random);
    const query = item && this.catalog.cleanTitle(item);
    return query ? { query, targets: ids(this.sameSong(item)) } : undefined;
  }

  artist(user: StreamUser, random: () => number): GeneratedQuery | undefined {
    const artist = this.wantedArtist(user, random);
    if (!artist || artist.name === '') return undefined;
    const targets = artist.entities.length > 0 ? artist.entities : artist.items.slice(0, 10);
    return targets.length > 0 ? { query: artist.name, targets: ids(targets) } : undefined;
  }

  misspelled(user: StreamUser, random: () => number): GeneratedQuery | undefined {
    const base = random() < 0.5 ? this['exact-title'](user, random) : this.artist(user, random);
    const query = base && misspell(base.query, random, random() < 0.3 ? 2 : 1);
    return query ? { query, targets: base.targets } : undefined;
  }

  partial(user: StreamUser, random: () => number): GeneratedQuery | undefined {
    const item = this.wantedItem(user, random);
    const artist = item && this.catalog.artistsOf(item)[0];
    if (!item || !artist || artist.name === '') return undefined;
    const words = this.catalog.cleanTitle(item).split(' ');
    let part = words;
    if (words.length >= 2) {
      const length = 1 + Math.floor(random() * (words.length - 1));
      const start = random() < 0.6 ? 0 : Math.floor(random() * (words.length - length + 1));
      part = words.slice(start, start + length);
    }
    const artistWords = artist.name.split(' ');
    const who = random() < 0.7 ? artist.name : artistWords.reduce((a, b) => (b.length > a.length ? b : a));
    const query = random() < 0.7 ? `${part.join(' ')} ${who}` : `${who} ${part.join(' ')}`;
    return { query, targets: ids(this.sameSong(item)) };
  }

  topical(user: StreamUser, random: () => number): GeneratedQuery | undefined {
    const { catalog, settings } = this;
    const types = this.types.filter((t) => settings.topicalAttributes.some((a) => this.carries(t, a)));
    const type = new WeightedSampler(types, (t) => TOPICAL_TYPE_SHARES[t] ?? 0.05).sample(random);
    if (!type) return undefined;
    const main = settings.topicalAttributes.filter((a) => !MODIFIERS.has(a) && this.carries(type, a));
    const modifiers = settings.topicalAttributes.filter((a) => MODIFIERS.has(a) && this.carries(type, a));
    const chosen: Array<[string, string]> = [];
    if (main.length > 0) {
      const attribute = pick(random, main);
      const favourite = attribute === settings.tasteAttribute && user.genres.length > 0 && random() < settings.tasteBias;
      const seed = favourite ? this.sampleOf(catalog.strongly(type, attribute, pick(random, user.genres)), random) : this.sampleOf(this.catalog.withAttribute(type, attribute), random);
      const category = seed && strongestCategory(seed, attribute);
      if (!seed || category === undefined) return undefined;
      chosen.push([attribute, category]);
      if (modifiers.length > 0 && random() < 0.5) {
        const modifier = pick(random, modifiers);
        const value = strongestCategory(seed, modifier);
        if (value !== undefined) chosen.unshift([modifier, value]);
      }
    } else if (modifiers.length > 0) {
      const attribute = pick(random, modifiers);
      const category = strongestCategory(this.sampleOf(this.catalog.withAttribute(type, attribute), random)!, attribute);
      if (category === undefined) return undefined;
      chosen.push([attribute, category]);
    }
    if (chosen.length === 0) return undefined;
    const [first, ...rest] = chosen;
    const matching: Entity[] = [];
    for (const e of catalog.strongly(type, first[0], first[1])) {
      if (rest.every(([a, c]) => attributeWeight(e, a, c) >= catalog.minWeight) && matching.push(e) >= settings.topicalTargets) break;
    }
    if (matching.length < Math.min(TOPICAL_MIN_MATCHES, settings.topicalTargets)) return undefined;
    const words = [...chosen.map(([a, c]) => spokenCategory(a, c)), pick(random, TYPE_WORDS[type] ?? [`${type}s`])].filter(Boolean);
    return { query: words.join(' '), targets: ids(matching) };
  }

  ambiguous(_user: StreamUser, random: () => number): GeneratedQuery | undefined {
    const head = this.heads();
    const word = head.words.sample(random);
    if (word === undefined) return undefined;
    return { query: word, targets: [this.intentOf(word, head.matches.get(word)!).id] };
  }

  fresh(user: StreamUser, random: () => number, time: number): GeneratedQuery | undefined {
    const { catalog, settings } = this;
    const from = catalog.releasedAfter(time - settings.freshDays * DAY_MS);
    const to = catalog.releasedAfter(time);
    if (from >= to) return undefined;
    const recent = catalog.released.slice(from, to);
    const position = (e: Entity) => catalog.releaseIndex.get(e) ?? -1;
    const isRecent = (e: Entity) => position(e) >= from && position(e) < to;
    const favourites = user.artists.flatMap((a) => a.items.filter(isRecent));
    const age = (e: Entity) => time - catalog.releaseTimes[position(e)];
    const weight = (e: Entity) => catalog.popularityWeight(e, settings.popularityExponent) * Math.pow(0.5, age(e) / (settings.freshHalfLifeDays * DAY_MS));
    const pool = favourites.length > 0 && random() < settings.tasteBias ? favourites : recent;
    const release = new WeightedSampler(pool, weight).sample(random)!;
    const artist = catalog.artistsOf(release)[0];
    if (artist && artist.name !== '' && random() < FRESH_ARTIST_SHARE) {
      const kind = release.type === 'track' ? pick(random, ['song', 'single']) : release.type;
      const template = pick(random, ['{a}', 'new {a}', '{a} new {k}']);
      const query = template.replace('{a}', artist.name).replace('{k}', kind);
      const targets = artist.items.filter((e) => isRecent(e) && (!template.includes('{k}') || e.type === release.type));
      return { query, targets: ids(targets) };
    }
    const genre = random() < 0.6 ? strongestCategory(release, settings.tasteAttribute) : undefined;
    const query = genre ? pick(random, ['new {g} music', 'new {g}', 'latest {g} releases']).replace('{g}', genre.toLowerCase()) : pick(random, ['new music', 'new releases', 'new songs']);
    const fits = (e: Entity) => !genre || attributeWeight(e, settings.tasteAttribute, genre) >= catalog.minWeight;
    const newest = recent.filter(fits).reverse().slice(0, FRESH_GENERIC_TARGETS);
    return { query, targets: ids(newest) };
  }

  personal(user: StreamUser, random: () => number): GeneratedQuery | undefined {
    const targets = user.artists.flatMap((a) => [...a.entities, ...a.items.slice(0, PERSONAL_ITEMS_PER_ARTIST)]);
    return targets.length > 0 ? { query: pick(random, PERSONAL_QUERIES), targets: [...new Set(ids(targets))] } : undefined;
  }

  /** An item the user looks for: one of their favourite artists' (with probability tasteBias), else anyone's. */
  private wantedItem(user: StreamUser, random: () => number): Entity | undefined {
    if (user.items.total > 0 && random() < this.settings.tasteBias) return user.items.sample(random);
    return this.itemTypes.sample(random)?.sample(random);
  }

  private wantedArtist(user: StreamUser, random: () => number): ArtistRecord | undefined {
    if (user.artists.length > 0 && random() < this.settings.tasteBias) return pick(random, user.artists);
    return this.artists.sample(random);
  }

  /** A popularity-weighted draw among the first 5,000 of a list (most popular first); samplers are kept per list. */
  private readonly samplers = new WeakMap<readonly Entity[], WeightedSampler<Entity>>();
  private sampleOf(list: readonly Entity[], random: () => number): Entity | undefined {
    let sampler = this.samplers.get(list);
    if (!sampler) {
      sampler = new WeightedSampler(list.slice(0, 5000), (e) => this.catalog.popularityWeight(e, this.settings.popularityExponent));
      this.samplers.set(list, sampler);
    }
    return sampler.sample(random);
  }

  private carries(type: string, attribute: string): boolean {
    return this.catalog.withAttribute(type, attribute).length > 0;
  }

  /** The entity and the other versions of it: same type, same typed title, same first artist. */
  private sameSong(item: Entity): Entity[] {
    if (!this.sameSongIndex) {
      this.sameSongIndex = new Map();
      for (const e of this.catalog.items) {
        const key = this.songKey(e);
        if (!this.sameSongIndex.has(key)) this.sameSongIndex.set(key, []);
        this.sameSongIndex.get(key)!.push(e);
      }
    }
    return this.sameSongIndex.get(this.songKey(item)) ?? [item];
  }

  private songKey(e: Entity): string {
    return `${e.type}\u0000${this.catalog.cleanTitle(e)}\u0000${this.catalog.artistsOf(e)[0]?.key ?? ''}`;
  }

  /** The head words: the most common title words (not stop words), drawn with Zipf frequency by rank. */
  private heads(): { words: WeightedSampler<string>; matches: Map<string, Entity[]> } {
    if (!this.headWords) {
      const words = (e: Entity) => new Set(this.catalog.cleanTitle(e).split(' ').filter((w) => /^[a-z]{3,}$/.test(w) && !ENGLISH_STOP_WORDS.has(w)));
      const df = new Map<string, number>();
      for (const e of this.catalog.items) for (const w of words(e)) df.set(w, (df.get(w) ?? 0) + 1);
      const top = [...df].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, this.settings.ambiguousWords).map(([w]) => w);
      const matches = new Map(top.map((w) => [w, [] as Entity[]]));
      for (const e of this.catalog.items) for (const w of words(e)) matches.get(w)?.push(e);
      this.headWords = { words: new WeightedSampler(top, (_, i) => zipfWeight(i + 1)), matches };
    }
    return this.headWords;
  }

  /**
   * The one entity a head query means, whoever types it: drawn by popularity among the items whose title has
   * the word, with a generator seeded by the word and the stream's seed, so it is the same at every recurrence.
   */
  private intentOf(word: string, matches: Entity[]): Entity {
    let intent = this.intents.get(word);
    if (!intent) {
      const sampler = new WeightedSampler(matches, (e) => this.catalog.popularityWeight(e, this.settings.popularityExponent));
      intent = sampler.sample(mulberry32(hashString(word, this.settings.seed)))!;
      this.intents.set(word, intent);
    }
    return intent;
  }
}
