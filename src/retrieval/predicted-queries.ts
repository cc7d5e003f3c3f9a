/**
 * Predicted queries, the memory strategy's cold start (the doc2query idea without a model): the queries people
 * would type to find an entity follow from its metadata: its title; "<artist> <title>" or "<title> <artist>";
 * its artist's name; "songs by X", "X songs", … for X's tracks and for X; "X album" for an album; "<category>
 * <type>" such as "rock songs" for the category's strongest entities of that type. They are never written
 * out: a query is parsed against these templates and what remains is looked up in two KeyTables (titles,
 * artist names) and the CategoryIndex, so predictions cost 16 bytes an entity, not a string per prediction.
 */
import type { Entity } from '../catalog/entity.js';
import type { SearchIndex } from '../index/search-index.js';
import { CATEGORY_ATTRIBUTES, type CategoryAttribute, CategoryIndex, textKey } from './category-index.js';
import { KeyTable } from './key-table.js';
import type { RetrievalResources } from './resources.js';

/** Each template's strength (its share of the prior weight) and what it means, for explanations. */
export const TEMPLATES = {
  title: { strength: 1, description: 'the query is its title' },
  artistTitle: { strength: 1, description: 'the query is "<artist> <title>" or "<title> <artist>"' },
  artistName: { strength: 0.5, description: 'the query is its artist\'s name' },
  songsByArtist: { strength: 0.8, description: 'the query is "songs by <its artist>", "<its artist> songs", …' },
  artistSongs: { strength: 0.6, description: 'the query is "songs by <this artist>", "<this artist> songs", …' },
  album: { strength: 0.9, description: 'the query is "<its title> album", …' },
  albumsByArtist: { strength: 0.7, description: 'the query is "<its artist> album", "albums by <its artist>", …' },
  category: { strength: 0.6, description: 'the query is "<category> <type>" ("rock songs"), scaled by its weight in the category' },
} as const;

export type TemplateName = keyof typeof TEMPLATES;

export interface DirectMatch {
  doc: number;
  template: TemplateName;
}

/** A category template: every entity of `type` in `attribute = value` matches, by strength. */
export interface CategoryMatch {
  attribute: CategoryAttribute;
  value: string;
  type: string;
}

const SONG_PREFIXES = ['songs by', 'tracks by', 'music by', 'songs from', 'music from', 'best of', 'hits by'];
const SONG_SUFFIXES = ['songs', 'tracks', 'music', 'hits', 'greatest hits'];
const ALBUM_PREFIXES = ['album', 'albums by', 'album by'];
const ALBUM_SUFFIXES = ['album', 'albums', 'ep', 'lp'];
/** Words that name an entity type at the end of a "<category> <type>" query. */
export const TYPE_WORDS: Readonly<Record<string, string>> = {
  song: 'track', songs: 'track', track: 'track', tracks: 'track', music: 'track',
  artist: 'artist', artists: 'artist', band: 'artist', bands: 'artist', singers: 'artist',
  album: 'album', albums: 'album', playlist: 'playlist', playlists: 'playlist', mix: 'playlist',
};
/** Longer queries are only matched as whole titles: no title-and-artist split or phrase is that long. */
const MAX_PARSED_TOKENS = 12;

/** The text keys of an entity's artist names (its `artist` field). */
export function artistKeys(entity: Entity): string[] {
  const value = entity.fields?.artist;
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).map(textKey);
}

/**
 * The text keys a title is found under: the whole title, and the title without its trailing " - …" part and
 * bracketed parts ("Bohemian Rhapsody - 2011 Mix", "Lover (Remix) [feat. Shawn Mendes]"): people type the name.
 */
export function titleKeys(title: string): string[] {
  const whole = textKey(title);
  if (!DECORATED_TITLE.test(title)) return [whole];
  const bare = textKey(title.replace(/\s+-\s+.*$/, '').replace(/\([^)]*\)|\[[^\]]*\]/g, ' '));
  return bare === whole || bare === '' ? [whole] : [whole, bare];
}

const DECORATED_TITLE = /\s-\s|[([]/;

/** What remains of `tokens` once the phrase is cut from its start or end, if it was there and something remains. */
function strip(tokens: readonly string[], phrase: string, at: 'prefix' | 'suffix'): string | undefined {
  const words = phrase.split(' ');
  if (tokens.length <= words.length) return undefined;
  const offset = at === 'prefix' ? 0 : tokens.length - words.length;
  for (let i = 0; i < words.length; i++) if (tokens[offset + i] !== words[i]) return undefined;
  return (at === 'prefix' ? tokens.slice(words.length) : tokens.slice(0, offset)).join(' ');
}

function remainders(tokens: readonly string[], prefixes: readonly string[], suffixes: readonly string[]): string[] {
  const out = new Set<string>();
  for (const p of prefixes) {
    const rest = strip(tokens, p, 'prefix');
    if (rest !== undefined) out.add(rest);
  }
  for (const s of suffixes) {
    const rest = strip(tokens, s, 'suffix');
    if (rest !== undefined) out.add(rest);
  }
  return [...out];
}

export class PredictedQueries {
  readonly titles: KeyTable;
  readonly artists: KeyTable;

  static shared(resources: RetrievalResources): PredictedQueries {
    return resources.derived('predicted-queries', (r) => new PredictedQueries(r.index, CategoryIndex.shared(r)));
  }

  constructor(
    private readonly index: SearchIndex,
    readonly categories: CategoryIndex,
  ) {
    this.titles = new KeyTable(index, (e) => titleKeys(e.title));
    this.artists = new KeyTable(index, (e) => (e.type === 'artist' ? [] : artistKeys(e)));
  }

  /** The entities whose predicted queries include the query with these tokens, and its category templates. */
  matches(tokens: readonly string[]): { direct: DirectMatch[]; categories: CategoryMatch[] } {
    const direct: DirectMatch[] = [];
    const categories: CategoryMatch[] = [];
    if (tokens.length === 0) return { direct, categories };
    const key = tokens.join(' ');
    this.byTitle(key, undefined, (doc) => direct.push({ doc, template: 'title' }));
    if (tokens.length > MAX_PARSED_TOKENS) return { direct, categories };
    for (let i = 1; i < tokens.length; i++) {
      const head = tokens.slice(0, i).join(' ');
      const tail = tokens.slice(i).join(' ');
      this.byTitleAndArtist(tail, head, (doc) => direct.push({ doc, template: 'artistTitle' }));
      this.byTitleAndArtist(head, tail, (doc) => direct.push({ doc, template: 'artistTitle' }));
    }
    this.byArtist(key, undefined, (doc) => direct.push({ doc, template: 'artistName' }));
    for (const name of remainders(tokens, SONG_PREFIXES, SONG_SUFFIXES)) {
      this.byArtist(name, 'track', (doc) => direct.push({ doc, template: 'songsByArtist' }));
      this.byTitle(name, 'artist', (doc) => direct.push({ doc, template: 'artistSongs' }));
    }
    for (const name of remainders(tokens, ALBUM_PREFIXES, ALBUM_SUFFIXES)) {
      this.byTitle(name, 'album', (doc) => direct.push({ doc, template: 'album' }));
      this.byArtist(name, 'album', (doc) => direct.push({ doc, template: 'albumsByArtist' }));
    }
    const type = TYPE_WORDS[tokens[tokens.length - 1]];
    if (type && tokens.length > 1) {
      const name = tokens.slice(0, -1).join(' ');
      for (const attribute of CATEGORY_ATTRIBUTES) {
        const value = this.categories.valueForKey(attribute, name);
        if (value !== undefined) categories.push({ attribute, value, type });
      }
    }
    return { direct, categories };
  }

  private byTitle(key: string, type: string | undefined, visit: (doc: number) => void): void {
    this.titles.forEachCandidate(key, (doc) => {
      const entity = this.index.entities[doc]!;
      if ((type === undefined || entity.type === type) && titleKeys(entity.title).includes(key)) visit(doc);
    });
  }

  private byArtist(key: string, type: string | undefined, visit: (doc: number) => void): void {
    this.artists.forEachCandidate(key, (doc) => {
      const entity = this.index.entities[doc]!;
      if ((type === undefined || entity.type === type) && artistKeys(entity).includes(key)) visit(doc);
    });
  }

  private byTitleAndArtist(title: string, artist: string, visit: (doc: number) => void): void {
    this.byTitle(title, undefined, (doc) => {
      if (artistKeys(this.index.entities[doc]!).includes(artist)) visit(doc);
    });
  }
}
