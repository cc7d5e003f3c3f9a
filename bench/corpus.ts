/**
 * The benchmark corpus: N short music-like track entities and M 1–3-term queries, both generated
 * deterministically (mulberry32, seeded) by recombining the real titles, artists, albums and genres of the demo
 * catalogue, so the term distribution stays realistic (Zipfian, many rare terms) while 1M documents stay mostly
 * distinct. The vocabulary comes from data/demo/catalog.jsonl.gz if it exists, else straight from the Spotify CSV
 * it is built from; `source` records which, since the two give different corpora.
 */
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import type { Entity } from '../src/catalog/entity.js';
import { mulberry32 } from '../src/util/random.js';

export const DEMO_CATALOG = 'data/demo/catalog.jsonl.gz';
export const SPOTIFY_CSV = '../shared/data/spotify-songs-tidytuesday/spotify_songs.csv.gz';

/** One real track of the source data, the raw material that documents are recombined from. */
export interface SourceTrack {
  title: string;
  artist: string;
  album: string;
  genre: string;
}

export interface Vocabulary {
  source: string;
  tracks: SourceTrack[];
  /** Every word of every title, repeats kept: sampling from it follows the real word frequencies. */
  titleWords: string[];
  /** One entry per track (repeats kept), so prolific artists and big albums are drawn more often. */
  artists: string[];
  albums: string[];
  genres: string[];
}


const pick = <T>(rand: () => number, items: readonly T[]): T => items[Math.floor(rand() * items.length)];
const text = (v: unknown): string => (Array.isArray(v) ? v.join(', ') : typeof v === 'string' ? v : '');

/** The strongest category of an attribute value (plain value, list or weighted map). */
function topCategory(v: unknown): string {
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return typeof v[0] === 'string' ? v[0] : '';
  if (v && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, number>).sort((a, b) => b[1] - a[1]);
    return entries[0]?.[0] ?? '';
  }
  return '';
}

/** Tracks of the demo catalogue; artist/album may be text fields or relations to other entities. */
function tracksFromCatalog(path: string): SourceTrack[] {
  const lines = gunzipSync(readFileSync(path)).toString('utf8').split('\n').filter((l) => l.trim() !== '');
  const entities = lines.map((l) => JSON.parse(l) as Entity);
  const titleOf = new Map(entities.map((e) => [e.id, e.title]));
  const related = (e: Entity, rel: string) => (e.relations?.[rel] ?? []).map((id) => titleOf.get(id) ?? '').join(', ');
  return entities
    .filter((e) => e.type === 'track' && e.title)
    .map((e) => ({
      title: e.title,
      artist: text(e.fields?.artist) || related(e, 'artist'),
      album: text(e.fields?.album) || related(e, 'album'),
      genre: text(e.fields?.genre) || topCategory(e.attributes?.subgenre) || topCategory(e.attributes?.genre),
    }));
}

/** Tracks of the Spotify CSV, one per track_id (a track is listed once per playlist it is in). */
function tracksFromCsv(path: string): SourceTrack[] {
  const rows = parse(gunzipSync(readFileSync(path)), { columns: true, skip_empty_lines: true }) as Record<string, string>[];
  const seen = new Set<string>();
  const out: SourceTrack[] = [];
  for (const r of rows) {
    if (seen.has(r.track_id) || r.track_name === 'NA' || r.track_artist === 'NA') continue;
    seen.add(r.track_id);
    out.push({ title: r.track_name, artist: r.track_artist, album: r.track_album_name, genre: r.playlist_subgenre });
  }
  return out;
}

/** Loads the vocabulary, preferring the demo catalogue (paths are relative to the project root). */
export function loadVocabulary(root = '.'): Vocabulary {
  const demo = join(root, DEMO_CATALOG);
  const source = existsSync(demo) ? DEMO_CATALOG : SPOTIFY_CSV;
  const tracks = (source === DEMO_CATALOG ? tracksFromCatalog(demo) : tracksFromCsv(join(root, SPOTIFY_CSV))).filter(
    (t) => t.title.trim() !== '' && t.artist.trim() !== '',
  );
  if (tracks.length === 0) throw new Error(`${source}: no usable tracks (title and artist) to build a corpus from`);
  return {
    source,
    tracks,
    titleWords: tracks.flatMap((t) => t.title.split(/\s+/).filter(Boolean)),
    artists: tracks.map((t) => t.artist),
    albums: tracks.map((t) => t.album).filter(Boolean),
    genres: tracks.map((t) => t.genre).filter(Boolean),
  };
}

/**
 * N track entities. Each starts from a random real track; its title usually gets one word swapped for, or
 * joined by, a word from another title (drawn by real frequency), and its artist/album/genre are sometimes
 * replaced by others, so that documents are mostly distinct but every term is a real one.
 */
export function generateCorpus(vocab: Vocabulary, n: number, seed: number): Entity[] {
  const rand = mulberry32(seed);
  const docs: Entity[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const t = pick(rand, vocab.tracks);
    const words = t.title.split(/\s+/).filter(Boolean);
    const r = rand();
    if (r < 0.55) words[Math.floor(rand() * words.length)] = pick(rand, vocab.titleWords);
    else if (r < 0.8) words.splice(Math.floor(rand() * (words.length + 1)), 0, pick(rand, vocab.titleWords));
    // join() yields flat strings, so no engine pays for flattening cons-strings built here.
    docs[i] = {
      id: `t${i}`,
      type: 'track',
      title: words.join(' '),
      fields: {
        artist: rand() < 0.8 ? t.artist : pick(rand, vocab.artists),
        album: rand() < 0.6 || vocab.albums.length === 0 ? t.album : pick(rand, vocab.albums),
        genre: rand() < 0.8 || vocab.genres.length === 0 ? t.genre : pick(rand, vocab.genres),
      },
    };
  }
  return docs;
}

/**
 * Query words: lowercased whitespace tokens with edge punctuation stripped, kept only if made of Latin letters
 * and digits. Words like "don't" or CJK runs are left out because the engines split them differently, and a
 * query that one engine cannot match would not time the same work.
 */
export function queryWords(doc: Entity): string[] {
  const all = [doc.title, ...Object.values(doc.fields ?? {}).map(text)].join(' ').toLowerCase().split(/\s+/);
  const words = all.map((w) => w.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '')).filter((w) => /^[\p{Script=Latin}\p{N}]+$/u.test(w));
  return [...new Set(words)];
}

/** M queries of 1–3 distinct words (30% / 40% / 30%) from random documents' text. */
export function generateQueries(docs: readonly Entity[], m: number, seed: number): string[] {
  const rand = mulberry32(seed);
  const out: string[] = [];
  while (out.length < m) {
    const words = queryWords(pick(rand, docs));
    if (words.length === 0) continue;
    const r = rand();
    const want = Math.min(words.length, r < 0.3 ? 1 : r < 0.7 ? 2 : 3);
    const chosen: string[] = [];
    while (chosen.length < want) {
      const w = pick(rand, words);
      if (!chosen.includes(w)) chosen.push(w);
    }
    out.push(chosen.join(' '));
  }
  return out;
}

/** Writes lines in 8 MB chunks: one string for 1M documents would be ~150 MB. */
function writeLines(path: string, lines: Iterable<string>): void {
  const fd = openSync(path, 'w');
  try {
    let chunk: string[] = [];
    let size = 0;
    for (const line of lines) {
      chunk.push(line);
      size += line.length + 1;
      if (size > 8 << 20) {
        writeSync(fd, chunk.join('\n') + '\n');
        chunk = [];
        size = 0;
      }
    }
    if (chunk.length > 0) writeSync(fd, chunk.join('\n') + '\n');
  } finally {
    closeSync(fd);
  }
}

export interface CorpusFiles {
  corpus: string;
  queries: string;
  warmup: string;
}

/** Writes the corpus (JSONL) and the queries (one per line) so that out-of-process engines read the same data. */
export function writeCorpusFiles(dir: string, tag: string, docs: readonly Entity[], queries: readonly string[], warmup: readonly string[]): CorpusFiles {
  mkdirSync(dir, { recursive: true });
  const files = { corpus: join(dir, `corpus-${tag}.jsonl`), queries: join(dir, `queries-${tag}.txt`), warmup: join(dir, `warmup-${tag}.txt`) };
  writeLines(files.corpus, (function* () {
    for (const d of docs) yield JSON.stringify(d);
  })());
  writeLines(files.queries, queries);
  writeLines(files.warmup, warmup);
  return files;
}
