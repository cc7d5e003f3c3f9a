/**
 * Builds Quiver's demo catalogue, data/demo/catalog.jsonl.gz, from the TidyTuesday Spotify songs CSV
 * (one row per (track, playlist) membership): track, artist, album and playlist entities (src/catalog/entity.ts).
 * The output is the same byte for byte on every run, so a rebuild gives a clean diff. See data/demo/README.md.
 *
 *   npx tsx scripts/build-demo-catalog.ts [--source <csv.gz>] [--out data/demo/catalog.jsonl.gz]
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gunzipSync, gzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import type { Entity, WeightedValues } from '../src/catalog/entity.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DEFAULT_SOURCE = resolve(ROOT, '../shared/data/spotify-songs-tidytuesday/spotify_songs.csv.gz');
const DEFAULT_OUT = resolve(ROOT, 'data/demo/catalog.jsonl.gz');
const MAX_ARTIST_TRACKS = 50;
const MAX_RELATED_ARTISTS = 10;

type Row = Record<string, string>;
/** Label → the members carrying it: playlist ids for a track, track ids for a playlist. */
type Labels = Map<string, Set<string>>;

/** A track or a playlist with its genre labels; a track's labels come from the playlists it is in. */
interface Labelled { id: string; title: string; genre: Labels; subgenre: Labels }
/** `row` is the track's first row: the track-level columns are identical across all its rows. */
interface Track extends Labelled { artist: string; album?: string; row: Row; playlists: Set<string> }
/** `tracks` is in source order. */
interface Playlist extends Labelled { tracks: Set<string> }

const round = (x: number, digits: number): number => Math.round(x * 10 ** digits) / 10 ** digits;
/** Code-unit order rather than localeCompare, so the output does not depend on the machine's locale. */
const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** A trimmed text column, or undefined when R wrote it as NA or it is empty. */
function text(row: Row, column: string): string | undefined {
  const value = (row[column] ?? '').trim();
  return value === '' || value === 'NA' ? undefined : value;
}

function addTo<K, V>(map: Map<K, Set<V>>, key: K, member: V): void {
  if (!map.has(key)) map.set(key, new Set());
  map.get(key)!.add(member);
}

function groupBy<T, K>(items: T[], key: (item: T) => K | undefined): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    if (k === undefined) continue;
    if (!groups.has(k)) groups.set(k, []);
    groups.get(k)!.push(item);
  }
  return groups;
}

/** Drops absent values, keeping key order, so optional keys can be written inline. */
function defined<T>(record: Record<string, T | undefined>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).filter((kv): kv is [string, T] => kv[1] !== undefined));
}

/** Share of `total` members carrying each label. Shares may sum past 1: a few playlists were labelled twice. */
function shares(labels: Labels, total: number): WeightedValues {
  return Object.fromEntries([...labels].map(([label, members]) => [label, members.size / total]));
}

function mean(maps: WeightedValues[]): WeightedValues {
  const sum: WeightedValues = {};
  for (const map of maps) for (const [k, w] of Object.entries(map)) sum[k] = (sum[k] ?? 0) + w / maps.length;
  return sum;
}

/** Rounds a weighted map, drops weights below `min` (or rounding to 0) and orders it heaviest first, then by name. */
function weighted(raw: WeightedValues, digits = 3, min = 0): WeightedValues | undefined {
  const kept = Object.entries(raw)
    .filter(([, w]) => w >= min && round(w, digits) > 0)
    .map(([k, w]): [string, number] => [k, round(w, digits)])
    .sort((a, b) => b[1] - a[1] || byString(a[0], b[0]));
  return kept.length > 0 ? Object.fromEntries(kept) : undefined;
}

/** Moods from Spotify's audio features (all in [0, 1]); chill is mostly low energy, helped by an acoustic sound. */
function mood(row: Row): WeightedValues | undefined {
  const feature = (column: string): number => Number(row[column]);
  const [valence, energy] = [feature('valence'), feature('energy')];
  const chill = 0.7 * (1 - energy) + 0.3 * feature('acousticness');
  const raw = { happy: valence, sad: 1 - valence, energetic: energy, chill, danceable: feature('danceability') };
  return weighted(raw, 2, 0.5);
}

// Letters NFKD leaves non-ASCII, and Cyrillic (several artists are Russian), so that more slugs stay readable.
const FOLD: Record<string, string> = { ø: 'o', æ: 'ae', œ: 'oe', ß: 'ss', ł: 'l', đ: 'd', þ: 'th' };
const CYRILLIC_LATIN = 'a b v g d e zh z i k l m n o p r s t u f kh ts ch sh shch _ y _ e yu ya'.split(' ');
[...'абвгдежзиклмнопрстуфхцчшщъыьэюя'].forEach((c, i) => (FOLD[c] = CYRILLIC_LATIN[i].replace('_', '')));

function slug(name: string): string {
  const folded = [...name.normalize('NFKD').toLowerCase()].map((c) => FOLD[c] ?? c).join('');
  return folded.replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
}

/**
 * `a:<slug>`. Names that share a slug ("Cream" / "CREAM") or have none (e.g. Japanese) all get a hash of the exact
 * name as suffix, so no id depends on which name happened to come first.
 */
function artistIds(names: string[]): Map<string, string> {
  const ids = new Map<string, string>();
  for (const [base, group] of groupBy(names, slug)) {
    for (const name of group) {
      const hash = createHash('sha256').update(name).digest('hex').slice(0, 6);
      ids.set(name, `a:${base !== '' && group.length === 1 ? base : [base, hash].filter(Boolean).join('-')}`);
    }
  }
  if (new Set(ids.values()).size !== ids.size) throw new Error('artist id collision: lengthen the hash suffix');
  return ids;
}

/** Groups the membership rows into tracks and playlists, skipping rows without a track name or artist. */
function collect(rows: Row[]): { tracks: Track[]; playlists: Playlist[] } {
  const tracks = new Map<string, Track>();
  const playlists = new Map<string, Playlist>();
  for (const row of rows) {
    const [title, artist] = [text(row, 'track_name'), text(row, 'track_artist')];
    if (title === undefined || artist === undefined) continue;
    const id = `t:${row.track_id}`;
    const pid = `p:${row.playlist_id}`;
    if (!tracks.has(id)) {
      const album = text(row, 'track_album_name');
      tracks.set(id, { id, title, artist, album, row, playlists: new Set(), genre: new Map(), subgenre: new Map() });
    }
    if (!playlists.has(pid)) {
      const name = text(row, 'playlist_name') ?? pid;
      playlists.set(pid, { id: pid, title: name, tracks: new Set(), genre: new Map(), subgenre: new Map() });
    }
    const [track, playlist] = [tracks.get(id)!, playlists.get(pid)!];
    track.playlists.add(pid);
    playlist.tracks.add(id);
    for (const kind of ['genre', 'subgenre'] as const) {
      const label = text(row, `playlist_${kind}`);
      if (label === undefined) continue;
      addTo(track[kind], label, pid);
      addTo(playlist[kind], label, id);
    }
  }
  return { tracks: [...tracks.values()], playlists: [...playlists.values()] };
}

/** Fixed key order; absent keys and empty relation lists are left out. */
function canonical(e: Entity): Entity {
  const relations = Object.entries(e.relations ?? {}).filter(([, ids]) => ids.length > 0);
  const { id, type, title, fields, attributes, popularity, released } = e;
  const kept = relations.length > 0 ? Object.fromEntries(relations) : undefined;
  return { id, type, title, fields, attributes, popularity, released, relations: kept };
}

const popularity = (t: Track): number => Number(t.row.track_popularity) / 100;
const byPopularity = (a: Track, b: Track): number => popularity(b) - popularity(a) || byString(a.id, b.id);
const genres = (t: Track): WeightedValues => shares(t.genre, t.playlists.size);
const subgenres = (t: Track): WeightedValues => shares(t.subgenre, t.playlists.size);
const albumId = (t: Track): string | undefined => (t.album === undefined ? undefined : `al:${t.row.track_album_id}`);

function trackEntity(t: Track, artistId: string): Entity {
  const released = t.row.track_album_release_date.trim();
  return canonical({
    id: t.id, type: 'track', title: t.title,
    fields: defined({ artist: t.artist, album: t.album }),
    attributes: defined({
      genre: weighted(genres(t)),
      subgenre: weighted(subgenres(t)),
      mood: mood(t.row), // left out when no mood reaches 0.5
      tempo: Math.round(Number(t.row.tempo)),
      decade: `${Math.floor(Number(released.slice(0, 4)) / 10) * 10}s`,
      duration_ms: Number(t.row.duration_ms),
    }),
    popularity: popularity(t),
    released,
    relations: { artist: [artistId], album: [albumId(t)].filter((id) => id !== undefined) },
  });
}

/** For each artist id, the other artists sharing the most playlists with it (ties by id). */
function relatedArtists(tracks: Track[], ids: Map<string, string>): Map<string, string[]> {
  const artistsIn = new Map<string, Set<string>>();
  for (const t of tracks) for (const pid of t.playlists) addTo(artistsIn, pid, ids.get(t.artist)!);
  const shared = new Map<string, Map<string, number>>();
  for (const artists of artistsIn.values()) {
    for (const a of artists) {
      if (!shared.has(a)) shared.set(a, new Map());
      for (const b of artists) if (b !== a) shared.get(a)!.set(b, (shared.get(a)!.get(b) ?? 0) + 1);
    }
  }
  const top = (counts: Map<string, number>): string[] =>
    [...counts].sort((x, y) => y[1] - x[1] || byString(x[0], y[0])).slice(0, MAX_RELATED_ARTISTS).map(([b]) => b);
  return new Map([...shared].map(([a, counts]) => [a, top(counts)]));
}

function artistEntity(id: string, name: string, own: Track[], related: string[]): Entity {
  return canonical({
    id, type: 'artist', title: name,
    attributes: defined({ genre: weighted(mean(own.map(genres))), subgenre: weighted(mean(own.map(subgenres))) }),
    popularity: Math.max(...own.map(popularity)),
    relations: { tracks: [...own].sort(byPopularity).slice(0, MAX_ARTIST_TRACKS).map((t) => t.id), related },
  });
}

function albumEntity(id: string, own: Track[], ids: Map<string, string>): Entity {
  const artists = [...new Set(own.map((t) => t.artist))].sort((a, b) => byString(ids.get(a)!, ids.get(b)!));
  return canonical({
    id, type: 'album', title: own[0].album!,
    fields: { artist: artists.length === 1 ? artists[0] : artists }, // compilations list several
    attributes: defined({ genre: weighted(mean(own.map(genres))) }),
    popularity: Math.max(...own.map(popularity)),
    released: own[0].row.track_album_release_date.trim(), // one date per album in the source
    relations: { artist: artists.map((a) => ids.get(a)!), tracks: [...own].sort(byPopularity).map((t) => t.id) },
  });
}

function playlistEntity(p: Playlist, own: Track[]): Entity {
  return canonical({
    id: p.id, type: 'playlist', title: p.title,
    attributes: defined({
      genre: weighted(shares(p.genre, own.length)),
      subgenre: weighted(shares(p.subgenre, own.length)),
    }),
    popularity: round(own.reduce((sum, t) => sum + popularity(t), 0) / own.length, 3),
    relations: { tracks: own.map((t) => t.id) },
  });
}

function buildCatalogue(tracks: Track[], playlists: Playlist[]): Entity[] {
  const byArtist = groupBy(tracks, (t) => t.artist);
  const ids = artistIds([...byArtist.keys()]);
  const related = relatedArtists(tracks, ids);
  const trackById = new Map(tracks.map((t) => [t.id, t]));
  const entities = [
    ...tracks.map((t) => trackEntity(t, ids.get(t.artist)!)),
    ...[...byArtist].map(([name, own]) => artistEntity(ids.get(name)!, name, own, related.get(ids.get(name)!) ?? [])),
    ...[...groupBy(tracks, albumId)].map(([id, own]) => albumEntity(id, own, ids)),
    ...playlists.map((p) => playlistEntity(p, [...p.tracks].map((id) => trackById.get(id)!))),
  ];
  return entities.sort((a, b) => byString(a.type, b.type) || byString(a.id, b.id));
}

/** Fails the build rather than write a catalogue that a loader would reject. */
function validate(entities: Entity[]): void {
  const ids = new Set(entities.map((e) => e.id));
  if (ids.size !== entities.length) throw new Error('duplicate entity ids');
  for (const e of entities) {
    const dangling = Object.values(e.relations ?? {}).flat().find((target) => !ids.has(target));
    if (dangling !== undefined) throw new Error(`${e.id}: dangling relation to ${dangling}`);
    if (e.released !== undefined && !/^\d{4}(-\d{2}){0,2}$/.test(e.released)) throw new Error(`${e.id}: bad date`);
    if (!((e.popularity ?? 0) >= 0)) throw new Error(`${e.id}: popularity must be a number >= 0`);
    for (const value of Object.values(e.attributes ?? {})) {
      if (typeof value !== 'object' || Array.isArray(value)) continue;
      if (Object.values(value).some((w) => !(w >= 0 && w <= 1))) throw new Error(`${e.id}: weight outside [0, 1]`);
    }
  }
}

function main(): void {
  const { values } = parseArgs({ options: { source: { type: 'string' }, out: { type: 'string' } } });
  const source = values.source ? resolve(values.source) : DEFAULT_SOURCE;
  const out = values.out ? resolve(values.out) : DEFAULT_OUT;

  const rows = parse(gunzipSync(readFileSync(source)), { columns: true, skip_empty_lines: true }) as Row[];
  const { tracks, playlists } = collect(rows);
  const entities = buildCatalogue(tracks, playlists);
  validate(entities);

  const jsonl = entities.map((e) => JSON.stringify(e) + '\n').join('');
  const gz = gzipSync(jsonl, { level: 9 });
  gz[9] = 3; // the gzip header records the host OS; pin it to Unix so the bytes do not depend on where this ran
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, gz);

  console.log(`read ${rows.length} rows from ${source}`);
  for (const [type, group] of groupBy(entities, (e) => e.type)) console.log(`${type.padEnd(9)} ${group.length}`);
  console.log(`total     ${entities.length}`);
  console.log(`wrote ${out}: ${gz.length} bytes (${Buffer.byteLength(jsonl)} bytes uncompressed)`);
  console.log(`sha256 ${createHash('sha256').update(gz).digest('hex')}`);
}

main();
