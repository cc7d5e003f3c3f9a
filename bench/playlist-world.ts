/**
 * A world the defaults never saw, with real queries and real relevance: Spotify playlist titles
 * (data/demo/catalog.jsonl.gz, built from ../shared/data/spotify-songs-tidytuesday). Each of the catalogue's
 * playlists was named by a person and filled by a person: its title is the query, its tracks the targets, as
 * someone searching "pop warmup 130 bpm" or "chill vibes" wants songs like the ones that playlist holds. Writes a
 * catalogue and a query stream for `quiver simulate`:
 *
 * - catalogue: the demo catalogue without its playlists (a playlist entity would answer its own title; the
 *   searcher wants its songs). Tracks, albums and artists keep everything, genre and subgenre included.
 * - stream: users each favour one genre (drawn by the genre's share of playlists); a query is a playlist drawn by
 *   popularity, from the user's genre 70% of the time, its title typed in lower case without emoji or
 *   punctuation. Labels:
 *   `title` (the whole title), `partial` (its words but one, at least one left: people type less than the title),
 *   `misspelled` (the title with one typo, src/eval/typos.ts). Targets: the playlist's tracks.
 *   Times run over 60 days in query order.
 *
 *   npx tsx bench/playlist-world.ts [--catalog data/demo/catalog.jsonl.gz] [--out /tmp/playlists] [--n 5000]
 *     [--users 500] [--seed 1] [--mix title=0.6,partial=0.25,misspelled=0.15]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { readTextFile } from '../src/catalog/read-text.js';
import { misspell } from '../src/eval/typos.js';
import { hashString, mulberry32 } from '../src/util/random.js';
import { WeightedSampler } from '../src/util/weighted-sampler.js';
import { intFlag, mixFlag } from './args.js';

const { values: args } = parseArgs({
  options: {
    catalog: { type: 'string', default: 'data/demo/catalog.jsonl.gz' },
    out: { type: 'string', default: '/tmp/playlists' },
    n: { type: 'string', default: '5000' },
    users: { type: 'string', default: '500' },
    seed: { type: 'string', default: '1' },
    mix: { type: 'string', default: 'title=0.6,partial=0.25,misspelled=0.15' },
  },
});
const n = intFlag('n', args.n, 1);
const userCount = intFlag('users', args.users, 1);
const seed = intFlag('seed', args.seed, 0);
const LABELS = ['title', 'partial', 'misspelled'] as const;
type Label = (typeof LABELS)[number];
const mix = mixFlag(args.mix!, LABELS);

interface Row {
  id: string;
  type: string;
  title: string;
  popularity?: number;
  attributes?: { genre?: Record<string, number> };
  relations?: Record<string, string[]>;
}

const lines = readTextFile(args.catalog!).split('\n').filter((l) => l.trim() !== '');
const rows = lines.map((l) => JSON.parse(l) as Row);
const kept = lines.filter((_, i) => rows[i].type !== 'playlist');
const ids = new Set(rows.filter((r) => r.type !== 'playlist').map((r) => r.id));
const namesPlaylist = (r: Row) => Object.values(r.relations ?? {}).some((ids) => ids.some((id) => id.startsWith('p:')));
if (rows.some((r) => r.type !== 'playlist' && namesPlaylist(r))) throw new Error('an entity other than a playlist relates to a playlist: this script assumes none does');

/** The title as people type it: lower case, letters, digits and spaces only. */
const typed = (title: string) => title.toLowerCase().normalize('NFKC').replace(/[^\p{L}\p{N}\s]+/gu, ' ').replace(/\s+/g, ' ').trim();
const playlists = rows
  .filter((r) => r.type === 'playlist')
  .map((r) => ({ title: typed(r.title), genre: Object.keys(r.attributes?.genre ?? {})[0] ?? 'other', popularity: r.popularity ?? 0, tracks: (r.relations?.tracks ?? []).filter((t) => ids.has(t)) }))
  .filter((p) => p.title !== '' && p.tracks.length > 0);
const genres = [...new Set(playlists.map((p) => p.genre))].sort();
const byGenre = new Map(genres.map((g) => [g, playlists.filter((p) => p.genre === g)]));
const weight = (p: (typeof playlists)[number]) => 0.05 + p.popularity;
const anyPlaylist = new WeightedSampler(playlists, weight);
const genrePlaylist = new Map(genres.map((g) => [g, new WeightedSampler(byGenre.get(g)!, weight)]));

const random = mulberry32(hashString('playlists', seed));
const genreSampler = new WeightedSampler(genres, (g) => byGenre.get(g)!.length);
const users = Array.from({ length: userCount }, (_, u) => ({ id: `u${u}`, genre: genreSampler.sample(random)! }));
const labelSampler = new WeightedSampler([...mix.keys()], (l) => mix.get(l)!);
const start = Date.UTC(2026, 0, 1);
const span = 60 * 86_400_000;

type Event = { query: string; context: { user: string; time: string }; targets: string[]; label: Label };
const events: Event[] = [];
let attempts = 0;
while (events.length < n && attempts++ < n * 20) {
  const user = users[Math.floor(random() * users.length)];
  const playlist = (random() < 0.7 ? genrePlaylist.get(user.genre)! : anyPlaylist).sample(random)!;
  const label = labelSampler.sample(random)!;
  const words = playlist.title.split(' ');
  let query: string | undefined = playlist.title;
  if (label === 'partial') {
    if (words.length < 2) continue;
    const drop = Math.floor(random() * words.length);
    query = words.filter((_, i) => i !== drop).join(' ');
  } else if (label === 'misspelled') query = misspell(playlist.title, random, 1);
  if (!query || query.trim() === '') continue;
  const time = new Date(start + Math.floor((span * events.length) / n) + Math.floor(random() * 60_000)).toISOString();
  events.push({ query, context: { user: user.id, time }, targets: playlist.tracks, label });
}

mkdirSync(args.out!, { recursive: true });
writeFileSync(join(args.out!, 'catalog.jsonl'), kept.join('\n') + '\n');
writeFileSync(join(args.out!, 'stream.jsonl'), events.map((e) => JSON.stringify(e)).join('\n') + '\n');
const counts = Object.fromEntries(LABELS.map((l) => [l, events.filter((e) => e.label === l).length]));
const distinct = new Set(events.map((e) => e.query)).size;
console.log(`${kept.length} entities (${rows.length - kept.length} playlists left out), ${playlists.length} playlists as queries, ${events.length} queries (${distinct} distinct) ${JSON.stringify(counts)} → ${args.out}/catalog.jsonl, ${args.out}/stream.jsonl`);
