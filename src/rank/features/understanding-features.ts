/**
 * Query-understanding features: how well the candidate fits what query understanding thinks the query means
 * (src/query/understanding.ts, computed once per request and cached on the QueryContext). Every reading counts
 * with its probability, as the structured strategy mixes them, so "love" (a title, or just a word) gives a
 * title match its reading's share and no more:
 *
 *   qu.<kind>         Σ_readings P(reading) · [the entity is what one of the reading's <kind> slots names]
 *                     (artist: the artist or one of their works; title: an entity of that title; type: that type);
 *   qu.attr.<a>       Σ_readings P(reading) · mean weight with which the entity holds the reading's <a> values;
 *   qu.coverage       Σ_readings P(reading) · share of the reading's slots (modifiers aside) the entity fits;
 *   intent.match      P(the user wants the entity's type), the intent distribution;
 *   intent.top        the entity's type is the most likely intent;
 * and, the same for every candidate of a query (so trees can split on them): the query type's probabilities,
 * the number of words, whether a word looked misspelled, and the expected "new" and "top" modifiers.
 */
import { attributeWeight, type Entity } from '../../catalog/entity.js';
import { argmax, QUERY_TYPES } from '../../query/intent.js';
import type { Interpretation, Slot } from '../../query/slots.js';
import { type QueryUnderstanding, understandingOf } from '../../query/understanding.js';
import type { RetrievalResources } from '../../retrieval/resources.js';
import { type FeatureBatch, type FeatureDef, type FeatureGroup, type FeatureSink, flag, rowAdder, rowWriter } from './feature-group.js';

const NAMED_KINDS = ['title', 'artist', 'type'] as const;

export class UnderstandingFeatures implements FeatureGroup {
  readonly name = 'understanding';
  readonly features: FeatureDef[];
  private readonly understanding: QueryUnderstanding;

  constructor(
    resources: RetrievalResources,
    /** Attributes with a column of their own; slots of any other attribute share qu.attr.other. */
    readonly attributes: readonly string[],
  ) {
    this.understanding = understandingOf(resources);
    this.features = [
      ...NAMED_KINDS.map((k) => ({ name: `qu.${k}`, description: `Σ P(reading) · [the entity is what a ${k} slot of the reading names]` })),
      ...[...attributes, 'other'].map((a) => ({ name: `qu.attr.${a}`, description: `Σ P(reading) · mean weight of the entity in the reading's ${a === 'other' ? 'other attribute' : a} values` })),
      { name: 'qu.coverage', description: "Σ P(reading) · share of the reading's slots (modifiers aside) the entity fits" },
      { name: 'intent.match', description: "P(the user wants the entity's type), query understanding's intent" },
      { name: 'intent.top', description: "the entity's type is the most likely intent" },
      ...QUERY_TYPES.map((t) => ({ name: `query.type.${t}`, description: `P(the query is ${t}) (the same for every candidate)` })),
      { name: 'query.words', description: 'number of words in the query' },
      { name: 'query.misspelled', description: 'a query word is unknown to the index and has spelling suggestions' },
      { name: 'query.new', description: 'expected number of "new" modifiers over the readings ("new albums", "latest X")' },
      { name: 'query.top', description: 'expected number of "top" modifiers over the readings ("top hits", "best of X")' },
    ];
  }

  fill(batch: FeatureBatch, sink: FeatureSink): void {
    const u = this.understanding.understand(batch.query);
    const attrs = this.attributes.length;
    const at = {
      coverage: NAMED_KINDS.length + attrs + 1,
      intent: NAMED_KINDS.length + attrs + 2,
      query: NAMED_KINDS.length + attrs + 4,
    };
    const topIntent = Object.keys(u.intent).length > 0 ? argmax(u.intent) : undefined;
    const modifiers = { new: 0, top: 0 };
    for (const r of u.interpretations) for (const s of r.slots) if (s.kind === 'modifier' && (s.value === 'new' || s.value === 'top')) modifiers[s.value] += r.probability;
    const queryLevel = [...QUERY_TYPES.map((t) => u.queryTypeScores[t]), u.words.length, flag(u.corrections.length > 0), modifiers.new, modifiers.top];
    const members = new SlotMembers();
    batch.entities.forEach((entity, i) => {
      const set = rowWriter(sink, i);
      const add = rowAdder(sink, i);
      const doc = batch.docs[i];
      for (const reading of u.interpretations) this.addReading(reading, entity, doc, members, add, at.coverage);
      set(at.intent, u.intent[entity.type] ?? 0);
      set(at.intent + 1, flag(entity.type === topIntent));
      queryLevel.forEach((v, j) => set(at.query + j, v));
    });
  }

  /** Adds one reading's share to the entity's columns. */
  private addReading(reading: Interpretation, entity: Entity, doc: number, members: SlotMembers, add: (j: number, v: number) => void, coverageAt: number): void {
    const p = reading.probability;
    const attrs = this.attributes.length;
    const named = [0, 0, 0];
    const attrSum = new Float64Array(attrs + 1);
    const attrCount = new Float64Array(attrs + 1);
    let slots = 0;
    let fitted = 0;
    for (const slot of reading.slots) {
      if (slot.kind === 'modifier') continue;
      slots++;
      if (slot.kind === 'attribute') {
        const a = this.attributes.indexOf(slot.attribute ?? '');
        const column = a < 0 ? attrs : a;
        const weight = attributeWeight(entity, slot.attribute ?? '', slot.value);
        attrSum[column] += weight;
        attrCount[column]++;
        if (weight > 0) fitted++;
        continue;
      }
      const fits = slot.kind === 'type' ? entity.type === slot.value : members.has(slot, doc);
      if (fits) {
        named[NAMED_KINDS.indexOf(slot.kind)] = 1;
        fitted++;
      }
    }
    named.forEach((v, k) => add(k, p * v));
    for (let a = 0; a <= attrs; a++) if (attrCount[a] > 0) add(NAMED_KINDS.length + a, (p * attrSum[a]) / attrCount[a]);
    if (slots > 0) add(coverageAt, (p * fitted) / slots);
  }
}

/** The docs a name slot points at, as a set built once per slot per batch (slots are shared by readings). */
class SlotMembers {
  private readonly sets = new Map<Slot, Set<number>>();

  has(slot: Slot, doc: number): boolean {
    let set = this.sets.get(slot);
    if (!set) this.sets.set(slot, (set = new Set(slot.docs ?? [])));
    return set.has(doc);
  }
}
