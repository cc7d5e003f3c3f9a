/**
 * The simulated users of a generated query stream: a population with consistent tastes. Each user has 1–3
 * favourite categories of the taste attribute (genre in music), drawn as the strongest category of
 * popularity-weighted items, so popular genres have more fans; 3–8 favourite artists among the popular
 * artists of those categories; a locale (Spanish and Portuguese more likely for fans of "latin"); and an
 * activity weight, Zipf over the population, so a few users issue many queries and most issue few.
 */
import { attributeWeights, type Entity } from '../catalog/entity.js';
import { WeightedSampler, zipfWeight } from '../util/weighted-sampler.js';
import type { ArtistRecord, StreamCatalog } from './stream-catalog.js';

export interface StreamUser {
  id: string;
  locale: string;
  genres: string[];
  artists: ArtistRecord[];
  /** Favourite artists' items, popularity-weighted: what this user looks for. */
  items: WeightedSampler<Entity>;
}

const LOCALES: Array<[string, number]> = [
  ['en-US', 45], ['en-GB', 10], ['es-MX', 8], ['es-ES', 5], ['pt-BR', 7], ['de-DE', 7], ['fr-FR', 6], ['sv-SE', 4], ['ja-JP', 4], ['en-AU', 4],
];
const LATIN_LOCALES: Array<[string, number]> = [['es-MX', 40], ['es-ES', 25], ['pt-BR', 15], ['en-US', 20]];

/** The strongest category of an entity's attribute, if any. */
export function strongestCategory(entity: Entity, attribute: string): string | undefined {
  const value = entity.attributes?.[attribute];
  if (value === undefined) return undefined;
  let best: string | undefined;
  let bestWeight = -Infinity;
  for (const [category, weight] of Object.entries(attributeWeights(value))) {
    if (weight > bestWeight) [best, bestWeight] = [category, weight];
  }
  return best;
}

export interface UserPopulation {
  users: StreamUser[];
  /** Draws the user of the next query (Zipf activity). */
  activity: WeightedSampler<StreamUser>;
}

export function createUsers(
  catalog: StreamCatalog,
  count: number,
  random: () => number,
  options: { tasteAttribute: string; itemType: string; popularityExponent: number },
): UserPopulation {
  const items = new WeightedSampler(catalog.items, (e) => catalog.popularityWeight(e, options.popularityExponent));
  // Tastes are drawn from the items, or from the artists themselves in a catalogue of artists only (Last.fm's).
  const tasteSource = catalog.items.length > 0
    ? items
    : new WeightedSampler(catalog.artists.flatMap((a) => a.entities), (e) => catalog.popularityWeight(e, options.popularityExponent));
  const artists = new WeightedSampler(catalog.artists, (a) => (a.items.length > 0 || a.entities.length > 0 ? catalog.popularityWeight(a, options.popularityExponent) : 0));
  const locales = new WeightedSampler(LOCALES, ([, w]) => w);
  const latinLocales = new WeightedSampler(LATIN_LOCALES, ([, w]) => w);
  // The 2,000 most popular items holding each genre strongly: where fans of the genre find their artists.
  const fanPools = new Map<string, WeightedSampler<Entity>>();
  const fansOf = (genre: string) => {
    let pool = fanPools.get(genre);
    if (!pool) {
      const list = catalog.strongly(options.itemType, options.tasteAttribute, genre).slice(0, 2000);
      fanPools.set(genre, (pool = new WeightedSampler(list, (e) => catalog.popularityWeight(e, options.popularityExponent))));
    }
    return pool;
  };
  const users: StreamUser[] = [];
  for (let u = 0; u < count; u++) {
    const genres = new Set<string>();
    const wanted = 1 + Math.floor(random() * 3);
    for (let tries = 0; genres.size < wanted && tries < 20; tries++) {
      const source = tasteSource.sample(random);
      const g = source && strongestCategory(source, options.tasteAttribute);
      if (g !== undefined) genres.add(g);
    }
    const favourite = new Set<ArtistRecord>();
    const wantedArtists = 3 + Math.floor(random() * 6);
    const pools = [...genres].map((g) => fansOf(g));
    for (let tries = 0; favourite.size < wantedArtists && tries < 50; tries++) {
      // From the items of a favourite genre when the catalogue has it, else any popular artist.
      const pool = pools.length > 0 ? pools[Math.floor(random() * pools.length)] : undefined;
      const item = pool?.sample(random);
      const artist = item ? catalog.artistsOf(item)[0] : artists.sample(random);
      if (artist) favourite.add(artist);
    }
    const liked = [...favourite].flatMap((a) => a.items);
    const [locale] = (genres.has('latin') ? latinLocales : locales).sample(random)!;
    users.push({
      id: `u${u + 1}`,
      locale,
      genres: [...genres],
      artists: [...favourite],
      items: new WeightedSampler(liked, (e) => catalog.popularityWeight(e, options.popularityExponent)),
    });
  }
  return { users, activity: new WeightedSampler(users, (_, i) => zipfWeight(i + 1, 0.8)) };
}
