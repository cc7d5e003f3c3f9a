/**
 * Slot tagging: which spans of the query name something in the catalogue (an artist, a title, an attribute
 * value, an entity type, a modifier), and the likely readings of the whole query. Every contiguous span up to the
 * lexicon's longest phrase is looked up, exactly and (when a fuzzy matcher is given) with typos; a beam search
 * then segments the query into slots and free words, and the best segmentations become interpretations, each with
 * a probability. "love" is at once a title, perhaps an artist, or just a word; all three readings survive, weighted.
 *
 * Confidence of a slot: a base per kind, raised by the named entity's popularity and by phrase length (long
 * phrases are rarely accidental), times the fuzzy similarity. A free word costs FREE_WORD (filler words less), so a
 * reading that explains more of the query with confident slots wins. Readings where a title's entities are by the
 * artist named next to it are boosted: "bohemian rhapsody queen" is one known item, not two.
 */
import { ENGLISH_STOP_WORDS } from '../analysis/stopwords-en.js';
import type { SearchIndex } from '../index/search-index.js';
import type { AttributePosting, SlotLexicon } from './lexicon.js';

export type SlotKind = 'artist' | 'title' | 'attribute' | 'type' | 'modifier';

export interface Slot {
  kind: SlotKind;
  /** The span, in query words: [start, end). */
  start: number;
  end: number;
  /** The query's words for the span. */
  text: string;
  /** What the span names: the catalogue phrase (artist, title), attribute value, type or modifier. */
  value: string;
  attribute?: string;
  match: 'exact' | 'fuzzy';
  /** 1 for an exact match; the fuzzy matcher's similarity otherwise. */
  similarity: number;
  confidence: number;
  /** The entities the slot points at: titled so (title), being the artist then their works (artist). */
  docs?: readonly number[];
  /** For artist slots: how many of `docs` (at the front) are the artist themself rather than their works. */
  lead?: number;
  /** For attribute slots: who carries the value, and how strongly. */
  posting?: AttributePosting;
}

export interface Interpretation {
  slots: Slot[];
  /** Query words left unexplained. */
  free: string[];
  probability: number;
}

/** Phrases in the catalogue close to a query phrase, for typo-tolerant slots. */
export type FuzzyPhraseLookup = (phrase: string) => Array<{ phrase: string; similarity: number }>;

export interface TaggerOptions {
  fuzzy?: FuzzyPhraseLookup;
  /**
   * Words the index does not know. A one-word span is looked up fuzzily only if it is one of them (a known word is
   * rarely a typo, and one-word look-ups are the most numerous); longer spans always are ("bohemian rapsody",
   * where "rapsody" is also an artist). Default: every word counts as unknown.
   */
  unknown?: ReadonlySet<string>;
  /** Readings kept (default 6). */
  maxInterpretations?: number;
}

const BASE = { artist: 0.55, title: 0.4, attribute: 0.75, type: 0.9, modifier: 0.85 } as const;
const FREE_WORD = 0.35;
const FILLER_WORD = 0.6;
const FILLERS = new Set(['music', 'some', 'something', 'play', 'me', 'listen', 'like', 'good', 'great']);

/** A word that says little when left free: a stop word or a request filler ("play", "something", "music"). */
export function isFillerWord(word: string): boolean {
  return FILLERS.has(word) || ENGLISH_STOP_WORDS.has(word);
}
const CONSISTENT_TITLE_ARTIST = 2;
const ARTIST_AFTER_BY = 1.4;
/** A query names one item: a reading with two titles is rarely right. */
const SECOND_TITLE = 0.3;
const BEAM = 24;

export function tagSlots(words: readonly string[], lexicon: SlotLexicon, options: TaggerOptions = {}): Slot[] {
  const slots: Slot[] = [];
  const index = lexicon.index;
  for (let start = 0; start < words.length; start++) {
    for (let end = start + 1; end <= Math.min(words.length, start + lexicon.maxWords); end++) {
      const text = words.slice(start, end).join(' ');
      const exact = lexicon.lookup(text);
      if (exact) slots.push(...slotsFor(text, text, 1, 'exact', start, end, exact, index));
      else if (options.fuzzy && text.length >= 4 && (!options.unknown || end - start > 1 || options.unknown.has(words[start]))) {
        for (const near of options.fuzzy(text)) {
          const entry = lexicon.lookup(near.phrase);
          if (entry) slots.push(...slotsFor(text, near.phrase, near.similarity, 'fuzzy', start, end, entry, index));
        }
      }
    }
  }
  return slots;
}

function slotsFor(
  text: string,
  value: string,
  similarity: number,
  match: 'exact' | 'fuzzy',
  start: number,
  end: number,
  entry: NonNullable<ReturnType<SlotLexicon['lookup']>>,
  index: SearchIndex,
): Slot[] {
  const out: Slot[] = [];
  const lengthBonus = 0.05 * (end - start - 1);
  const slot = (kind: SlotKind, base: number, extra: Partial<Slot> = {}): Slot => ({
    kind, start, end, text, value, match, similarity, confidence: Math.min(0.98, base + lengthBonus) * similarity, ...extra,
  });
  const artists = entry.titles.filter((d) => index.entities[d]?.type === 'artist');
  const artistDocs = [...artists, ...entry.works];
  if (artistDocs.length > 0) out.push(slot('artist', BASE.artist + 0.4 * maxPopularity(artistDocs, index), { docs: artistDocs, lead: artists.length }));
  // A self-titled work ("Queen" by Queen) is reached through the artist; the title slot keeps the other works.
  const works = new Set(entry.works);
  const titled = entry.titles.filter((d) => index.entities[d]?.type !== 'artist' && !works.has(d));
  if (titled.length > 0) out.push(slot('title', BASE.title + 0.4 * maxPopularity(titled, index), { docs: titled }));
  for (const posting of entry.attributes) out.push(slot('attribute', BASE.attribute, { attribute: posting.attribute, value: posting.value, posting }));
  if (entry.type) out.push(slot('type', BASE.type, { value: entry.type }));
  if (entry.modifier) out.push(slot('modifier', BASE.modifier, { value: entry.modifier }));
  return out;
}

/** Popularity of the most popular doc, on the prior's log scale in [0, 1]. */
function maxPopularity(docs: readonly number[], index: SearchIndex): number {
  let best = 0;
  for (const doc of docs) best = Math.max(best, index.prior(doc));
  return best;
}

interface Segmentation {
  slots: Slot[];
  free: string[];
  score: number;
}

/** The best segmentations of the query into slots and free words, as interpretations summing to 1. */
export function interpret(words: readonly string[], slots: readonly Slot[], options: TaggerOptions = {}): Interpretation[] {
  if (words.length === 0) return [];
  const startingAt: Slot[][] = words.map(() => []);
  for (const slot of slots) startingAt[slot.start].push(slot);
  // states[p]: segmentations of the first p words.
  const states: Segmentation[][] = Array.from({ length: words.length + 1 }, () => []);
  states[0] = [{ slots: [], free: [], score: 1 }];
  for (let pos = 0; pos < words.length; pos++) {
    const here = states[pos].sort((a, b) => b.score - a.score).slice(0, BEAM);
    for (const state of here) {
      const word = words[pos];
      const cost = isFillerWord(word) ? FILLER_WORD : FREE_WORD;
      states[pos + 1].push({ slots: state.slots, free: [...state.free, word], score: state.score * cost });
      for (const slot of startingAt[pos]) {
        states[slot.end].push({ slots: [...state.slots, slot], free: state.free, score: state.score * slot.confidence });
      }
    }
  }
  const complete = states[words.length].map((s) => ({ ...s, score: s.score * coherence(s.slots) }));
  complete.sort((a, b) => b.score - a.score || a.slots.length - b.slots.length);
  const kept = dedupe(complete).slice(0, options.maxInterpretations ?? 6);
  const total = kept.reduce((sum, s) => sum + s.score, 0);
  return kept.map((s) => ({ slots: s.slots, free: s.free, probability: s.score / total }));
}

/** Bonuses for slots that make sense together: a title by the artist named beside it; an artist after "by". */
function coherence(slots: readonly Slot[]): number {
  let factor = 1;
  let titles = 0;
  for (let i = 0; i < slots.length; i++) {
    const slot = slots[i];
    if (slot.kind === 'artist' && i > 0 && slots[i - 1].kind === 'modifier' && slots[i - 1].value === 'by') factor *= ARTIST_AFTER_BY;
    if (slot.kind !== 'title') continue;
    if (++titles > 1) factor *= SECOND_TITLE;
    const titled = new Set(slot.docs);
    if (slots.some((other) => other.kind === 'artist' && other.docs!.some((d) => titled.has(d)))) factor *= CONSISTENT_TITLE_ARTIST;
  }
  return factor;
}

/** Two readings with the same slots (same kinds, spans and values) are one. */
function dedupe(states: Segmentation[]): Segmentation[] {
  const seen = new Set<string>();
  return states.filter((s) => {
    const key = s.slots.map((x) => `${x.kind}:${x.start}-${x.end}:${x.attribute ?? ''}=${x.value}`).join('|');
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
