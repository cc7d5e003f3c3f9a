/**
 * Seeds for the related strategy from query understanding: the entities the query's readings name (an artist
 * slot's artist, a title slot's most popular entities), each scored by its reading's probability × the slot's
 * confidence, summed over the readings that name it (the chance the query means it). "songs like bohemian
 * rhapsody" then expands from the song even when lexical ranks it low.
 */
import { understandingOf } from '../query/understanding.js';
import type { Seed } from './related.js';
import type { RetrievalResources } from './resources.js';
import type { QueryContext } from '../query/query-context.js';

/** Title slots name many entities ("Love"); only this many of the most popular seed the walk. */
const TITLE_SEEDS = 3;

export function slotSeeds(resources: RetrievalResources): (query: QueryContext) => Seed[] {
  const understanding = understandingOf(resources);
  const { index } = resources;
  return (query) => {
    const best = new Map<number, number>();
    for (const reading of understanding.understand(query).interpretations) {
      for (const slot of reading.slots) {
        if (slot.kind !== 'artist' && slot.kind !== 'title') continue;
        const named = slot.kind === 'artist' ? slot.docs!.slice(0, slot.lead ?? 0) : [...slot.docs!].sort((a, b) => index.popularity[b] - index.popularity[a] || a - b).slice(0, TITLE_SEEDS);
        const score = reading.probability * slot.confidence;
        for (const doc of named) best.set(doc, Math.min(1, (best.get(doc) ?? 0) + score));
      }
    }
    return [...best].filter(([doc]) => index.entities[doc]).map(([doc, score]) => ({ id: index.entities[doc]!.id, score }));
  };
}
