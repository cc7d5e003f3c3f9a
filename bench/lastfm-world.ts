/**
 * A world the defaults never saw, from real data: Last.fm HetRec 2011 (../shared/data/lastfm-hetrec2011-2k).
 * Writes a catalogue and a query stream for `quiver simulate`:
 *
 * - catalogue: the 17,632 artists (type artist, the name as title); each artist's tags as `genre` categories
 *   weighted by how many users applied each (share of the artist's most applied tag, its 15 most applied), and
 *   popularity ln(1 + listeners) / ln(1 + the most listeners).
 * - stream, from what real users did, in time order:
 *   `tag`: a user's tagging of artists on one day (tagging times are real) becomes the tag as a query, and its
 *   targets are every artist that user ever tagged with it (a user's "80s" is their 80s artists);
 *   `artist`: an artist a user played, drawn by the user's play counts, its name typed (folded to lower case);
 *   `misspelled`: the same with one typo (src/eval/typos.ts), two 30% of the time;
 *   `personal`: "my music" and the like; targets: the user's five most played artists.
 *   Plays carry no time in the data, so name and personal queries get a time drawn uniformly between the
 *   user's first and last tagging day (the whole tagging span for users who never tagged).
 *
 *   npx tsx bench/lastfm-world.ts [--data ../shared/data/lastfm-hetrec2011-2k] [--out /tmp/lastfm] [--n 5000] [--seed 1]
 *     [--mix tag=0.4,artist=0.3,misspelled=0.15,personal=0.15]
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { misspell } from '../src/eval/typos.js';
import { hashString, mulberry32 } from '../src/util/random.js';
import { WeightedSampler } from '../src/util/weighted-sampler.js';
import { intFlag, mixFlag } from './args.js';

const { values: args } = parseArgs({
  options: {
    data: { type: 'string', default: '../shared/data/lastfm-hetrec2011-2k' },
    out: { type: 'string', default: '/tmp/lastfm' },
    n: { type: 'string', default: '5000' },
    seed: { type: 'string', default: '1' },
    mix: { type: 'string', default: 'tag=0.4,artist=0.3,misspelled=0.15,personal=0.15' },
  },
});
const n = intFlag('n', args.n, 1);
const seed = intFlag('seed', args.seed, 0);
const LABELS = ['tag', 'artist', 'misspelled', 'personal'] as const;
type Label = (typeof LABELS)[number];
const mix = mixFlag(args.mix!, LABELS);

/** Rows of a tab-separated file with one header line (gzipped or not; tags.dat is Latin-1). */
function rows(file: string, encoding: BufferEncoding = 'utf8'): string[][] {
  const path = join(args.data!, file);
  let bytes: Buffer;
  try {
    bytes = file.endsWith('.gz') ? gunzipSync(readFileSync(path)) : readFileSync(path);
  } catch (e) {
    throw new Error(`cannot read ${path}: ${(e as Error).message} (--data names the lastfm-hetrec2011-2k folder)`);
  }
  return bytes.toString(encoding).split(/\r?\n/).slice(1).filter((l) => l.trim() !== '').map((l) => l.split('\t'));
}

const names = new Map(rows('artists.dat.gz').map(([id, name]) => [id, name.trim()]));
const tagNames = new Map(rows('tags.dat', 'latin1').map(([id, value]) => [id, value.trim().toLowerCase()]));
const plays = rows('user_artists.dat.gz').map(([user, artist, weight]) => ({ user, artist, weight: Number(weight) }));
const tagging = rows('user_taggedartists.dat.gz').map(([user, artist, tag, day, month, year]) => ({
  user, artist, tag: tagNames.get(tag) ?? '', time: Date.UTC(Number(year), Number(month) - 1, Number(day)),
})).filter((t) => t.tag !== '' && names.has(t.artist) && new Date(t.time).getUTCFullYear() >= 2005);

// Catalogue.
const listeners = new Map<string, number>();
for (const p of plays) listeners.set(p.artist, (listeners.get(p.artist) ?? 0) + 1);
const maxListeners = Math.max(...listeners.values());
const tagCounts = new Map<string, Map<string, number>>();
for (const t of tagging) {
  let counts = tagCounts.get(t.artist);
  if (!counts) tagCounts.set(t.artist, (counts = new Map()));
  counts.set(t.tag, (counts.get(t.tag) ?? 0) + 1);
}
const id = (artist: string) => `a:${artist}`;
const catalogue: string[] = [];
for (const [artist, name] of names) {
  if (name === '') continue;
  const counts = [...(tagCounts.get(artist) ?? new Map<string, number>())].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 15);
  const top = counts[0]?.[1] ?? 1;
  const genre = Object.fromEntries(counts.map(([tag, c]) => [tag, Math.round((c / top) * 1000) / 1000]));
  catalogue.push(JSON.stringify({
    id: id(artist), type: 'artist', title: name,
    ...(counts.length > 0 && { attributes: { genre } }),
    popularity: Math.round((Math.log1p(listeners.get(artist) ?? 0) / Math.log1p(maxListeners)) * 1e4) / 1e4,
  }));
}

// Stream.
const random = mulberry32(hashString('lastfm', seed));
const byUser = new Map<string, Array<{ artist: string; weight: number }>>();
for (const p of plays) if (names.get(p.artist)) (byUser.get(p.user) ?? byUser.set(p.user, []).get(p.user)!).push(p);
const users = [...byUser.keys()];
const userSampler = new WeightedSampler(users, (u) => Math.log1p(byUser.get(u)!.length));
const span = new Map<string, [number, number]>();
for (const t of tagging) {
  const s = span.get(t.user);
  span.set(t.user, s ? [Math.min(s[0], t.time), Math.max(s[1], t.time)] : [t.time, t.time]);
}
const whole: [number, number] = tagging.reduce<[number, number]>(([a, b], t) => [Math.min(a, t.time), Math.max(b, t.time)], [Infinity, -Infinity]);
const timeFor = (user: string) => {
  const [from, to] = span.get(user) ?? whole;
  return from + Math.floor(random() * (to - from + 86_400_000));
};
const taggedBy = new Map<string, Set<string>>(); // user + tag → artists
for (const t of tagging) {
  const key = `${t.user}\t${t.tag}`;
  (taggedBy.get(key) ?? taggedBy.set(key, new Set()).get(key)!).add(id(t.artist));
}
const tagQueries = new Map<string, { user: string; tag: string; time: number }>(); // one per user, tag and day
for (const t of tagging) tagQueries.set(`${t.user}\t${t.tag}\t${t.time}`, t);
const tagEvents = [...tagQueries.values()];
const personalWords = ['my music', 'something to play', 'play something', 'my favourites', 'what i like'];

type Event = { query: string; context: { user: string; time: string }; targets: string[]; label: Label };
const labelSampler = new WeightedSampler([...mix.keys()], (l) => mix.get(l)!);
const events: Event[] = [];
let attempts = 0;
while (events.length < n && attempts++ < n * 20) {
  const label = labelSampler.sample(random)!;
  const at = (user: string, time: number, query: string, targets: string[]) =>
    events.push({ query, context: { user: `u${user}`, time: new Date(time + Math.floor(random() * 86_400_000)).toISOString() }, targets, label });
  if (label === 'tag') {
    const t = tagEvents[Math.floor(random() * tagEvents.length)];
    at(t.user, t.time, t.tag, [...taggedBy.get(`${t.user}\t${t.tag}`)!]);
    continue;
  }
  const user = userSampler.sample(random)!;
  const played = byUser.get(user)!;
  if (label === 'personal') {
    const top = [...played].sort((a, b) => b.weight - a.weight).slice(0, 5).map((p) => id(p.artist));
    at(user, timeFor(user), personalWords[Math.floor(random() * personalWords.length)], top);
    continue;
  }
  const artist = new WeightedSampler(played, (p) => p.weight).sample(random)!.artist;
  const name = names.get(artist)!.toLowerCase();
  const query = label === 'misspelled' ? misspell(name, random, random() < 0.3 ? 2 : 1) : name;
  if (!query || query.trim() === '') continue;
  at(user, timeFor(user), query, [id(artist)]);
}
events.sort((a, b) => (a.context.time < b.context.time ? -1 : a.context.time > b.context.time ? 1 : 0));

mkdirSync(args.out!, { recursive: true });
writeFileSync(join(args.out!, 'catalog.jsonl'), catalogue.join('\n') + '\n');
writeFileSync(join(args.out!, 'stream.jsonl'), events.map((e) => JSON.stringify(e)).join('\n') + '\n');
const counts = Object.fromEntries(LABELS.map((l) => [l, events.filter((e) => e.label === l).length]));
console.log(`${catalogue.length} artists, ${events.length} queries ${JSON.stringify(counts)} → ${args.out}/catalog.jsonl, ${args.out}/stream.jsonl`);
