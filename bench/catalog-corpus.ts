/**
 * A music catalogue of any size for the strategy benchmark: the demo catalogue (tracks, artists, albums,
 * playlists, with their attributes, popularity, release dates and relations) copied as often as needed. Copy 0
 * is the demo itself; in copy c every id gets the suffix "~c", relations point within the copy, every artist
 * gets a new name (one word of it swapped for, or joined by, a word of another artist's name), items carry
 * their artist's new name, titles get a word swapped or added (drawn by real frequency, as bench/corpus.ts
 * does), popularity is jittered by ±20% and release dates moved back by up to 60 days (so the newest release,
 * and a stream's time window, stay the demo's). Deterministic by seed. Unlike bench/corpus.ts (flat track
 * documents for the engine comparison), every strategy has what it needs here.
 */
import type { Entity } from '../src/catalog/entity.js';
import { mulberry32 } from '../src/util/random.js';

const DAY_MS = 86_400_000;
const pick = <T>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)];

/** Swaps one word for, or adds, a word from `pool`, with probability `change` (one or the other, 55:25). */
function vary(text: string, pool: readonly string[], random: () => number, change = 0.8): string {
  const words = text.split(/\s+/).filter(Boolean);
  const r = random();
  if (r < change * 0.6875 && words.length > 1) words[Math.floor(random() * words.length)] = pick(random, pool);
  else if (r < change) words.splice(Math.floor(random() * (words.length + 1)), 0, pick(random, pool));
  return words.join(' ');
}

function shiftDate(released: string | undefined, random: () => number): string | undefined {
  if (!released) return released;
  const [y, m, d] = released.split('-').map(Number);
  const shifted = new Date(Date.UTC(y, (m ?? 1) - 1, d ?? 1) - Math.floor(random() * 61) * DAY_MS);
  return shifted.toISOString().slice(0, 10);
}

/** The demo catalogue followed by as many varied copies of it as needed, cut at `n` entities. */
export function scaledCatalog(demo: readonly Entity[], n: number, seed: number): Entity[] {
  const random = mulberry32(seed);
  const titleWords = demo.filter((e) => e.type !== 'artist').flatMap((e) => e.title.split(/\s+/).filter(Boolean));
  const artistWords = demo.filter((e) => e.type === 'artist').flatMap((e) => e.title.split(/\s+/).filter(Boolean));
  const out: Entity[] = [];
  for (let c = 0; out.length < n; c++) {
    // The last copy may be cut short: its relations keep only the entities it has.
    const kept = out.length + demo.length > n ? new Set(demo.slice(0, n - out.length).map((e) => e.id)) : undefined;
    const suffix = c === 0 ? '' : `~${c}`;
    const renamed = new Map<string, string>();
    if (c > 0) for (const e of demo) if (e.type === 'artist') renamed.set(e.title, vary(e.title, artistWords, random, 1));
    const rename = (name: string) => renamed.get(name) ?? name;
    for (const e of demo) {
      if (out.length >= n) break;
      if (c === 0 && !kept) {
        out.push(e);
        continue;
      }
      const relations: Record<string, string[]> = {};
      for (const [name, ids] of Object.entries(e.relations ?? {})) {
        const mapped = ids.filter((id) => !kept || kept.has(id)).map((id) => id + suffix);
        if (mapped.length > 0) relations[name] = mapped;
      }
      if (c === 0) {
        out.push({ ...e, relations });
        continue;
      }
      const artist = e.fields?.artist;
      out.push({
        ...e,
        id: e.id + suffix,
        title: e.type === 'artist' ? rename(e.title) : vary(e.title, titleWords, random),
        fields: artist === undefined ? e.fields : { ...e.fields, artist: Array.isArray(artist) ? artist.map(rename) : rename(artist) },
        popularity: e.popularity === undefined ? undefined : Math.min(1, e.popularity * (0.8 + 0.4 * random())),
        released: shiftDate(e.released, random),
        relations,
      });
    }
  }
  return out;
}
