/**
 * What the query-stream generator needs to know about a catalogue, worked out once: which entities are artists
 * (type "artist", or named by another entity's `artist` relation) and which are items (everything else); each
 * item's artists (by its `artist` relation, else its `artist` field), grouped by folded name so a catalogue
 * without artist entities still has artists; the titles people would type (see `cleanTitle`); entities by
 * (type, attribute, category) holding the category strongly; items by release time; popularity weights.
 * Generic over any catalogue in the format of src/catalog/entity.ts; music catalogues get the most out of it.
 */
import { attributeWeights, type Entity } from '../catalog/entity.js';
import { normalizeText } from '../analysis/normalize.js';
import { releaseTime } from '../retrieval/release-order.js';

export interface ArtistRecord {
  /** Folded name, the artist's identity here. */
  key: string;
  /** As users type it: the folded name. */
  name: string;
  /** Artist entities with this name (none when the catalogue names artists only in fields). */
  entities: Entity[];
  /** Items by this artist, most popular first. */
  items: Entity[];
  popularity: number;
}

/** Drops "(feat. …)", "[Remastered]" and " - Radio Edit" tails and punctuation, then folds case and accents. */
export function cleanTitle(title: string): string {
  const core = title.replace(/\s*[([][^)\]]*[)\]]/g, ' ').replace(/\s+-\s+.*$/, '');
  const words = normalizeText(core).replace(/[^\p{L}\p{M}\p{N}'&]+/gu, ' ').trim();
  return words !== '' ? words : normalizeText(title).trim();
}

const HAVING_CAP = 5000;

export class StreamCatalog {
  readonly byId = new Map<string, Entity>();
  /** Items (entities that are not artists), most popular first. */
  readonly items: Entity[] = [];
  readonly artists: ArtistRecord[] = [];
  readonly artistByKey = new Map<string, ArtistRecord>();
  readonly maxPopularity: number;
  /** Every entity, most popular first (ties in catalogue order). */
  readonly popular: Entity[];
  /** Items with a release date, oldest first, and their release times. */
  readonly released: Entity[] = [];
  readonly releaseTimes: number[] = [];
  /** Position of each dated item in `released`. */
  readonly releaseIndex = new Map<Entity, number>();
  // Keyed by the entity object, not its id: identity hashing is cheaper than hashing (and flattening) id strings.
  private readonly itemArtists = new Map<Entity, ArtistRecord[]>();
  private readonly titles = new Map<Entity, string>();
  private readonly strong = new Map<string, Entity[]>();
  private readonly having = new Map<string, Entity[]>();

  /** `minWeight`: the smallest attribute weight that counts as holding a category strongly. */
  constructor(
    readonly entities: readonly Entity[],
    readonly minWeight = 0.5,
  ) {
    const artistIds = new Set<string>();
    const popularity = new Float64Array(entities.length);
    entities.forEach((e, i) => {
      this.byId.set(e.id, e);
      if (e.type === 'artist') artistIds.add(e.id);
      for (const id of e.relations?.artist ?? []) artistIds.add(id);
      popularity[i] = e.popularity ?? 0;
    });
    this.maxPopularity = popularity.reduce((a, b) => Math.max(a, b), 0);
    // One sort; every list below is filled in this order, so each comes out most popular first.
    const order = Array.from(entities.keys()).sort((a, b) => popularity[b] - popularity[a] || a - b);
    this.popular = order.map((i) => entities[i]);

    const byName = new Map<string, ArtistRecord>();
    const record = (name: string): ArtistRecord => {
      let r = byName.get(name);
      if (r) return r;
      const key = normalizeText(name).trim();
      r = this.artistByKey.get(key);
      if (!r) {
        r = { key, name: key, entities: [], items: [], popularity: 0 };
        this.artistByKey.set(key, r);
        this.artists.push(r);
      }
      byName.set(name, r);
      return r;
    };
    for (const e of this.popular) {
      if (artistIds.has(e.id)) {
        const r = record(e.title);
        r.entities.push(e);
        r.popularity = Math.max(r.popularity, e.popularity ?? 0);
      } else {
        this.items.push(e);
        const linked = (e.relations?.artist ?? []).map((id) => this.byId.get(id)?.title).filter((t): t is string => !!t);
        const names = linked.length > 0 ? linked : [e.fields?.artist ?? []].flat();
        const records = names.length === 1 ? (names[0].trim() === '' ? [] : [record(names[0])]) : [...new Set(names.filter((n) => n.trim() !== '').map(record))];
        for (const r of records) {
          r.items.push(e);
          r.popularity = Math.max(r.popularity, e.popularity ?? 0);
        }
        this.itemArtists.set(e, records);
      }
      for (const [name, value] of Object.entries(e.attributes ?? {})) {
        const key = `${e.type}\u0000${name}`;
        let having = this.having.get(key);
        if (!having) this.having.set(key, (having = []));
        if (having.length < HAVING_CAP) having.push(e);
        for (const [category, weight] of Object.entries(attributeWeights(value))) {
          if (weight < minWeight) continue;
          const strongKey = `${key}\u0000${category}`;
          let list = this.strong.get(strongKey);
          if (!list) this.strong.set(strongKey, (list = []));
          list.push(e);
        }
      }
    }
    // Stable sort by time of items in popularity order: ties are most popular first.
    const dated = this.items.map((e) => ({ e, t: releaseTime(e.released) })).filter((x): x is { e: Entity; t: number } => x.t !== undefined);
    dated.sort((a, b) => a.t - b.t);
    for (const { e, t } of dated) {
      this.releaseIndex.set(e, this.released.length);
      this.released.push(e);
      this.releaseTimes.push(t);
    }
  }

  artistsOf(item: Entity): ArtistRecord[] {
    return this.itemArtists.get(item) ?? [];
  }

  cleanTitle(e: Entity): string {
    let t = this.titles.get(e);
    if (t === undefined) this.titles.set(e, (t = cleanTitle(e.title)));
    return t;
  }

  /** Entities of `type` whose `attribute` gives `category` a weight ≥ minWeight, most popular first. */
  strongly(type: string, attribute: string, category: string): readonly Entity[] {
    return this.strong.get(`${type}\u0000${attribute}\u0000${category}`) ?? [];
  }

  /** The most popular entities of `type` that have `attribute` at all (at most 5,000). */
  withAttribute(type: string, attribute: string): readonly Entity[] {
    return this.having.get(`${type}\u0000${attribute}`) ?? [];
  }

  /** (pop / maxPop)^exponent, plus a floor so unknown or zero popularity still gets drawn now and then. */
  popularityWeight(e: { popularity?: number }, exponent: number): number {
    const share = this.maxPopularity > 0 ? (e.popularity ?? 0) / this.maxPopularity : 0;
    return Math.pow(share, exponent) + 1e-3;
  }

  /** Index of the first released item with release time > t (binary search over releaseTimes). */
  releasedAfter(t: number): number {
    let lo = 0;
    let hi = this.releaseTimes.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.releaseTimes[mid] > t) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}
