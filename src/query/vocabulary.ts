/**
 * The words users put around names: entity-type words ("songs", "playlist", "album"), the artist marker
 * ("songs by X"), and modifiers that ask for recency or popularity. English by default; a catalogue with other
 * types or languages passes its own.
 */

export interface QueryVocabulary {
  /** Phrase → the entity type it asks for. */
  typeWords: Record<string, string>;
  /** Phrase → modifier name: `by` (what follows is an artist), `new` (recent releases), `top` (popular). */
  modifiers: Record<string, 'by' | 'new' | 'top'>;
  /** Phrase → attribute values it means, when users say it differently from the catalogue ("workout" → energetic). */
  valueAliases: Record<string, string[]>;
}

export const ENGLISH_VOCABULARY: QueryVocabulary = {
  typeWords: {
    song: 'track', songs: 'track', track: 'track', tracks: 'track', single: 'track', singles: 'track', tune: 'track', tunes: 'track',
    artist: 'artist', artists: 'artist', band: 'artist', bands: 'artist', singer: 'artist', singers: 'artist', rapper: 'artist', dj: 'artist',
    album: 'album', albums: 'album', record: 'album', lp: 'album', ep: 'album', discography: 'album',
    playlist: 'playlist', playlists: 'playlist', mix: 'playlist', mixes: 'playlist', mixtape: 'playlist',
    podcast: 'podcast', podcasts: 'podcast', episode: 'podcast', episodes: 'podcast',
  },
  modifiers: {
    by: 'by', from: 'by',
    new: 'new', latest: 'new', newest: 'new', 'new release': 'new', 'new releases': 'new', recent: 'new',
    top: 'top', best: 'top', popular: 'top', greatest: 'top', hits: 'top', 'greatest hits': 'top', trending: 'top',
  },
  valueAliases: {
    dance: ['danceable'], dancing: ['danceable'], party: ['danceable', 'energetic'], club: ['danceable'],
    workout: ['energetic'], gym: ['energetic'], running: ['energetic'], energy: ['energetic'], upbeat: ['energetic', 'happy'],
    relax: ['chill'], relaxing: ['chill'], calm: ['chill'], sleep: ['chill'], study: ['chill'], mellow: ['chill'], chilled: ['chill'],
    sadness: ['sad'], melancholy: ['sad'], heartbreak: ['sad'], 'break up': ['sad'], breakup: ['sad'],
    feel: ['happy'], 'feel good': ['happy'], cheerful: ['happy'], summer: ['happy'],
    'hip hop': ['rap'], hiphop: ['rap'], rnb: ['r&b'], 'r and b': ['r&b'], electronic: ['edm'],
  },
};

const DECADE_WORDS: Record<string, string> = {
  '1950s': 'fifties', '1960s': 'sixties', '1970s': 'seventies', '1980s': 'eighties', '1990s': 'nineties',
};

/** Ways users write a decade value such as "1980s": "80s", "eighties"; nothing for other values. */
export function decadeAliases(value: string): string[] {
  const m = /^(\d{2})(\d{2})s$/.exec(value);
  if (!m) return [];
  const aliases = [`${m[2]}s`];
  if (DECADE_WORDS[value]) aliases.push(DECADE_WORDS[value]);
  return aliases;
}
