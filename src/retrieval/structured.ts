/**
 * The structured strategy: query understanding's readings turned into constraints and boosts. Each reading
 * (interpretation) of the query, with probability p, matches the entities its slots name: an artist slot the
 * artist and their works, a title slot the entities so titled, an attribute slot the entities carrying the value
 * with their weight (weighted attributes stay weighted), all slots of a reading at once (product of weights); a
 * type slot restricts the reading to that type; "new" favours recent releases, "top" popular ones. A reading
 * with only a type (and modifiers), like "playlists" or "new albums", matches every entity of the type. Words a
 * reading with a name slot leaves unexplained (stop words and fillers aside) still say something: "more burna"
 * reads as the artist Burna Boy and the free word "more", and of his works the one whose names (title, name
 * fields) hold "more" is the one meant. An entity whose names hold none of them keeps FREE_MISS of the match.
 *
 *   score(e) = f(e) · Σ_readings p · Π_slots w_slot(e) · free(e),   f(e) = (1 + popularity prior(e)) / 2,
 *   free(e) = FREE_MISS + (1 − FREE_MISS) · the share of the reading's free words e's names hold (1 with none)
 *
 * Each reading contributes its POOL best entities (scanned in descending bound order, stopping once the bound
 * cannot beat the pool); the union is scored in full by the formula above. An entity outside every pool is not
 * returned at any budget, and explain says so.
 */
import { attributeWeight, type Entity } from '../catalog/entity.js';
import type { Explanation } from '../index/explain.js';
import type { SearchIndex } from '../index/search-index.js';
import type { QueryContext } from '../query/query-context.js';
import type { AttributePosting } from '../query/lexicon.js';
import { isFillerWord, type Interpretation, type Slot } from '../query/slots.js';
import { nameTokens } from '../analysis/name-key.js';
import { fuzzyNamesOf } from '../index/fuzzy-names.js';
import { type QueryUnderstanding, understandingOf } from '../query/understanding.js';
import { TopK } from '../index/top-k.js';
import { releaseOrderOf, type ReleaseOrder } from './release-order.js';
import type { RetrievalResources } from './resources.js';
import { passesRestrictions, requireEntity } from './restrictions.js';
import { type Candidate, checkBudget, ranked, type Strategy } from './strategy.js';

const POOL = 500;
/** What an entity keeps of a reading's match when its names hold none of the reading's free words. */
const FREE_MISS = 0.5;
/** An artist slot matches the artist fully and their works at this weight: "taylor swift" is first the artist. */
const WORKS_WEIGHT = 0.7;
const DAY_MS = 86_400_000;
/** What "new" means: released within this many days before the request… */
const NEW_WINDOW_DAYS = 365;
/**
 * …and how fast it stops being new: recency halves every NEW_HALF_LIFE_DAYS, or, in a catalogue that releases
 * more slowly, every as many days as its NEW_REFERENCE_RELEASES newest releases (of the reading's types) span, so
 * that "new" still finds the newest there are. A year-long linear fall (what this was) let popularity outweigh
 * age inside the year: "new music" listed last season's hits before this week's releases (BENCHMARKS.md,
 * "What 'new' means").
 */
const NEW_HALF_LIFE_DAYS = 7;
const NEW_REFERENCE_RELEASES = 50;

interface Order {
  docs: Int32Array;
  bounds: Float64Array;
}

interface Reading {
  probability: number;
  matchers: Slot[];
  types?: Set<string>;
  recent: boolean;
  /** For a "new" reading: recency halves every this many ms. */
  halfLife: number;
  top: boolean;
  /** Words a reading with a name slot leaves unexplained, stop words and fillers aside (none otherwise). */
  free: string[];
  description: string;
}

export class StructuredStrategy implements Strategy {
  readonly kind = 'structured' as const;
  private readonly index: SearchIndex;
  private readonly understanding: QueryUnderstanding;
  private orders = new Map<string, Order>();
  private orderVersion = -1;
  private readonly nameWordsOf = new Map<number, Set<string>>();
  private nameWordsVersion = -1;
  private readonly releases: ReleaseOrder;

  constructor(
    private readonly resources: RetrievalResources,
    readonly name = 'structured',
  ) {
    this.index = resources.index;
    this.releases = releaseOrderOf(resources.index);
    this.understanding = understandingOf(resources);
  }

  retrieve(query: QueryContext, budget: number): Candidate[] {
    checkBudget(this.name, budget);
    if (budget === 0) return [];
    const readings = this.readings(query);
    const scored: Array<{ id: string; score: number; doc: number }> = [];
    for (const doc of this.pooled(readings, query)) {
      const score = this.score(readings, doc, query);
      if (score > 0) scored.push({ id: this.index.entities[doc]!.id, score, doc });
    }
    scored.sort((a, b) => b.score - a.score || a.doc - b.doc);
    return ranked(scored.slice(0, budget));
  }

  explain(query: QueryContext, id: string): Explanation {
    const entity = requireEntity(this.index, id);
    const doc = this.index.docId(id)!;
    if (!passesRestrictions(entity, query)) return { value: 0, description: 'excluded by the query\'s type or filters', details: [] };
    const readings = this.readings(query);
    if (!this.pooled(readings, query).has(doc)) {
      return { value: 0, description: `not among the best ${POOL} matches of any reading of the query`, details: [] };
    }
    const prior = this.prior(doc);
    const details: Explanation[] = readings.map((r) => {
      const match = this.match(r, doc, entity, query);
      return {
        value: r.probability * match,
        description: `reading "${r.description}": probability × match`,
        details: [
          { value: r.probability, description: 'probability of the reading', details: [] },
          { value: match, description: 'match: product of slot weights (0 if any slot or type does not match)', details: this.slotDetails(r, entity, doc, query) },
        ],
      };
    });
    return {
      value: this.score(readings, doc, query),
      description: 'popularity factor × Σ over readings of probability × match',
      details: [{ value: (1 + prior) / 2, description: 'popularity factor (1 + prior) / 2', details: [] }, ...details],
    };
  }

  /** Entities looked at: each reading's driving slot list, at most a few pools' worth. */
  cost(query: QueryContext, budget: number): number {
    let work = 0;
    for (const r of this.readings(query)) {
      const slot = this.driver(r);
      work += Math.min(slot ? slotDocs(slot).length : this.index.size, 4 * POOL);
    }
    return work + budget;
  }

  private readings(query: QueryContext): Reading[] {
    const readings = this.understanding.understand(query).interpretations
      .map((i) => toReading(i))
      .filter((r) => r.matchers.length > 0 || r.types !== undefined);
    for (const r of readings) if (r.recent) r.halfLife = this.halfLife(r, query.time.getTime());
    return readings;
  }

  /** NEW_HALF_LIFE_DAYS, or the age of the reading's NEW_REFERENCE_RELEASES-th newest release if older. */
  private halfLife(r: Reading, now: number): number {
    const codes = this.typeCodes(r.types);
    let seen = 0;
    let oldest = now;
    for (const doc of this.releases.window(now, NEW_WINDOW_DAYS * DAY_MS)) {
      if (!this.index.entities[doc] || (codes && !codes.has(this.index.types[doc]))) continue;
      oldest = this.releases.time(doc);
      if (++seen === NEW_REFERENCE_RELEASES) break;
    }
    return Math.max(NEW_HALF_LIFE_DAYS * DAY_MS, now - oldest);
  }

  private score(readings: readonly Reading[], doc: number, query: QueryContext): number {
    const entity = this.index.entities[doc]!;
    let sum = 0;
    for (const r of readings) sum += r.probability * this.match(r, doc, entity, query);
    return sum * ((1 + this.prior(doc)) / 2);
  }

  private match(r: Reading, doc: number, entity: Entity, query: QueryContext): number {
    if (r.types && !r.types.has(entity.type)) return 0;
    let product = 1;
    for (const slot of r.matchers) {
      product *= slotWeight(slot, doc, entity);
      if (product === 0) return 0;
    }
    if (r.recent) product *= this.newFactor(r, doc, query);
    if (r.top) product *= this.prior(doc);
    if (r.free.length > 0) product *= this.freeFactor(r, doc, entity);
    return product;
  }

  /** FREE_MISS + (1 − FREE_MISS) · the share of the reading's free words the entity's names hold. */
  private freeFactor(r: Reading, doc: number, entity: Entity): number {
    const words = this.nameWords(doc, entity);
    let held = 0;
    for (const w of r.free) if (words.has(w)) held++;
    return FREE_MISS + ((1 - FREE_MISS) * held) / r.free.length;
  }

  /**
   * The words of an entity's names as the fuzzy name index keys them (title, title core, name fields), kept per
   * doc until the index changes: an artist's works are scored for every query that names the artist.
   */
  private nameWords(doc: number, entity: Entity): Set<string> {
    if (this.nameWordsVersion !== this.index.inverted.version) {
      this.nameWordsOf.clear();
      this.nameWordsVersion = this.index.inverted.version;
    }
    let words = this.nameWordsOf.get(doc);
    if (!words) {
      words = new Set(fuzzyNamesOf(this.resources).namesOf(entity).flatMap((n) => nameTokens(n.key)));
      this.nameWordsOf.set(doc, words);
    }
    return words;
  }

  private slotDetails(r: Reading, entity: Entity, doc: number, query: QueryContext): Explanation[] {
    const out: Explanation[] = r.matchers.map((slot) => ({
      value: slotWeight(slot, doc, entity),
      description: `${slot.kind}${slot.attribute ? ` ${slot.attribute}` : ''} = "${slot.value}" (${slot.match}${slot.match === 'fuzzy' ? `, similarity ${slot.similarity.toFixed(3)}` : ''})`,
      details: [],
    }));
    if (r.types) out.push({ value: r.types.has(entity.type) ? 1 : 0, description: `type is ${[...r.types].join(' or ')}`, details: [] });
    if (r.recent) {
      const description = r.matchers.length > 0 ? `"new": 0.25 + 0.75 × recency, halving every ${days(r.halfLife)} days` : `"new": recency, halving every ${days(r.halfLife)} days`;
      out.push({ value: this.newFactor(r, doc, query), description, details: [] });
    }
    if (r.top) out.push({ value: this.prior(doc), description: '"top": popularity prior', details: [] });
    if (r.free.length > 0) out.push({ value: this.freeFactor(r, doc, entity), description: `free words ${r.free.map((w) => `"${w}"`).join(', ')}: ${FREE_MISS} + ${1 - FREE_MISS} × the share the names hold`, details: [] });
    return out;
  }

  /** The smallest list of entities a reading's slots name (the slot that drives the scan); undefined if none. */
  private driver(r: Reading): Slot | undefined {
    let best: Slot | undefined;
    for (const slot of r.matchers) if (!best || slotDocs(slot).length < slotDocs(best).length) best = slot;
    return best;
  }

  /**
   * Each reading's best POOL entities within the restrictions. The driving list is walked in descending order of
   * an upper bound of the match (its own weight × the popularity factor; every other factor is ≤ 1), so the walk
   * stops as soon as the bound cannot enter the pool.
   */
  private pooled(readings: readonly Reading[], query: QueryContext): Set<number> {
    const out = new Set<number>();
    for (const r of readings) {
      const top = new TopK(POOL);
      const offer = (doc: number) => {
        const entity = this.index.entities[doc];
        if (!entity || !passesRestrictions(entity, query)) return;
        const value = r.probability * this.match(r, doc, entity, query) * ((1 + this.prior(doc)) / 2);
        if (value > 0) top.offer(value, doc);
      };
      // Every factor of the match is ≤ 1 ("new" and "top" included), so a list's bound order stays a valid
      // bound: the walk stops once the pool is out of reach (popular recent releases fill it early).
      if (r.recent && r.matchers.length === 0) {
        // Type-only "new": the release window newest first; a doc's recency bounds its value and only falls.
        const now = query.time.getTime();
        const codes = this.typeCodes(r.types);
        for (const doc of this.releases.window(now, NEW_WINDOW_DAYS * DAY_MS)) {
          if (top.full && r.probability * this.recency(doc, now, r.halfLife) < top.threshold) break;
          if (!codes || codes.has(this.index.types[doc])) offer(doc);
        }
      } else {
        const { docs, bounds } = this.ordered(r);
        for (let i = 0; i < docs.length; i++) {
          if (top.full && r.probability * bounds[i] < top.threshold) break;
          offer(docs[i]);
        }
      }
      for (const { doc } of top.sorted()) out.add(doc);
    }
    return out;
  }

  /**
   * A reading's candidate docs with match bounds, best bound first. Name slots are short and built per query:
   * the smallest drives, ordered each time. Readings of attribute values and types only get their exact
   * candidate list instead: the intersection of the values' postings (ascending doc lists, merged), of the
   * reading's types, weighted by the product of the weights, cached per catalogue version. Its bounds are then
   * tight, so a conjunction such as "2010s latin pop tracks" stops after a pool's worth of entities rather than
   * walking the 300k 2010s entries of a million-entity catalogue.
   */
  private ordered(r: Reading): Order {
    if (this.orderVersion !== this.index.inverted.version) {
      this.orders = new Map();
      this.orderVersion = this.index.inverted.version;
    }
    const bound = (doc: number, weight: number) => weight * ((1 + this.prior(doc)) / 2) * (r.top ? this.prior(doc) : 1);
    const slot = this.driver(r);
    if (slot && !slot.posting) {
      const weights = nameWeights(slot);
      const docs = [...weights.keys()];
      const order = bucketByBound(docs, Float64Array.from(docs, (d) => bound(d, weights.get(d)!)));
      // A slot's bound is 1 × its similarity at most; scale rather than re-sort.
      return slot.similarity === 1 ? order : { docs: order.docs, bounds: order.bounds.map((b) => b * slot.similarity) };
    }
    // The driver has a posting, but a name slot may sit beside it (a one-artist tag can be rarer than a name):
    // its docs are a filter match() applies, so only the postings are intersected and keyed.
    const postings = r.matchers.flatMap((m) => (m.posting ? [m.posting] : []));
    const types = r.types ? [...r.types].sort() : [];
    const key = `${postings.map((p) => `${p.attribute}=${p.value}`).sort().join('&')}|${types.join(',')}|${r.top ? 'top' : ''}`;
    let order = this.orders.get(key);
    if (!order) {
      const codes = this.typeCodes(r.types);
      const { docs, weights } = postings.length > 0 ? intersect(postings) : this.allDocs();
      const kept: number[] = [];
      const keptBounds: number[] = [];
      docs.forEach((doc, i) => {
        if (codes && !codes.has(this.index.types[doc])) return;
        kept.push(doc);
        keptBounds.push(bound(doc, weights[i]));
      });
      order = bucketByBound(kept, Float64Array.from(keptBounds));
      this.orders.set(key, order);
    }
    // Similarities scale every entry alike (fuzzy attribute slots).
    const similarity = r.matchers.reduce((product, m) => product * m.similarity, 1);
    return similarity === 1 ? order : { docs: order.docs, bounds: order.bounds.map((b) => b * similarity) };
  }

  /** Every live doc with weight 1, for readings of types only. */
  private allDocs(): { docs: number[]; weights: number[] } {
    const docs: number[] = [];
    this.index.entities.forEach((e, doc) => e && docs.push(doc));
    return { docs, weights: docs.map(() => 1) };
  }

  /**
   * "new" with names or attributes ("new taylor swift") favours their recent releases but keeps the rest; "new"
   * with only a type ("new albums") asks for recent releases and nothing else.
   */
  private newFactor(r: Reading, doc: number, query: QueryContext): number {
    const recency = this.recency(doc, query.time.getTime(), r.halfLife);
    return r.matchers.length > 0 ? 0.25 + 0.75 * recency : recency;
  }

  /** 1 for a release today, halving every `halfLife` ms; 0 from NEW_WINDOW_DAYS on and for unknown or future dates. */
  private recency(doc: number, now: number, halfLife: number): number {
    const released = this.releases.time(doc);
    if (!(released <= now)) return 0;
    const age = now - released;
    return age < NEW_WINDOW_DAYS * DAY_MS ? Math.pow(0.5, age / halfLife) : 0;
  }

  /** The index's codes of these type names (undefined: no type restriction). */
  private typeCodes(types: ReadonlySet<string> | undefined): Set<number> | undefined {
    return types && types.size > 0 ? new Set([...types].map((t) => this.index.typeNames.indexOf(t))) : undefined;
  }

  private prior(doc: number): number {
    return this.index.prior(doc);
  }
}

/**
 * The docs in every posting, with the product of their weights: postings list docs in ascending order (built in
 * doc order, live adds get larger doc numbers, removals splice), so a k-way merge intersects them.
 */
export function intersect(postings: readonly AttributePosting[]): { docs: number[]; weights: number[] } {
  const sorted = [...postings].sort((a, b) => a.docs.length - b.docs.length);
  let docs = [...sorted[0].docs];
  let weights = [...sorted[0].weights];
  for (const other of sorted.slice(1)) {
    const nextDocs: number[] = [];
    const nextWeights: number[] = [];
    let j = 0;
    for (let i = 0; i < docs.length; i++) {
      while (j < other.docs.length && other.docs[j] < docs[i]) j++;
      if (j < other.docs.length && other.docs[j] === docs[i]) {
        nextDocs.push(docs[i]);
        nextWeights.push(weights[i] * other.weights[j]);
      }
    }
    docs = nextDocs;
    weights = nextWeights;
  }
  return { docs, weights };
}

const BUCKETS = 1024;

/**
 * Docs in descending order of their bound, by counting sort into BUCKETS buckets over [0, 1] (every bound here
 * is a product of factors ≤ 1): linear time, so a 300k-entry posting orders in milliseconds, not the third of a
 * second a comparison sort took at 1M. Each doc is reported with its bucket's upper edge, which is ≥ its own
 * bound, so stopping when the bound cannot enter the pool stays exact. Within a bucket docs keep list order.
 */
export function bucketByBound(docs: ArrayLike<number>, bounds: Float64Array): { docs: Int32Array; bounds: Float64Array } {
  const bucketOf = (b: number) => BUCKETS - 1 - Math.min(BUCKETS - 1, Math.floor(b * BUCKETS));
  const starts = new Int32Array(BUCKETS + 1);
  for (const b of bounds) starts[bucketOf(b) + 1]++;
  for (let k = 0; k < BUCKETS; k++) starts[k + 1] += starts[k];
  const next = starts.slice(0, BUCKETS);
  const outDocs = new Int32Array(bounds.length);
  const outBounds = new Float64Array(bounds.length);
  for (let i = 0; i < bounds.length; i++) {
    const k = bucketOf(bounds[i]);
    const at = next[k]++;
    outDocs[at] = docs[i];
    outBounds[at] = Math.min(1, (BUCKETS - k) / BUCKETS);
  }
  return { docs: outDocs, bounds: outBounds };
}

function toReading(i: Interpretation): Reading {
  const types = i.slots.filter((s) => s.kind === 'type').map((s) => s.value);
  const modifiers = new Set(i.slots.filter((s) => s.kind === 'modifier').map((s) => s.value));
  return {
    probability: i.probability,
    matchers: i.slots.filter((s) => s.kind === 'artist' || s.kind === 'title' || s.kind === 'attribute'),
    types: types.length > 0 ? new Set(types) : undefined,
    recent: modifiers.has('new'),
    halfLife: NEW_HALF_LIFE_DAYS * DAY_MS,
    top: modifiers.has('top'),
    // Only beside a name: "more burna" means one of Burna Boy's works. Beside attributes ("chill workout
    // songs"), free words rarely name anything, and weighing them cost topical queries 0.035 nDCG@10.
    free: i.slots.some((s) => s.kind === 'artist' || s.kind === 'title') ? i.free.filter((w) => !isFillerWord(w)) : [],
    description: i.slots.map((s) => `${s.kind}${s.attribute ? `.${s.attribute}` : ''}=${s.value}`).join(' ∧ ') || i.free.join(' '),
  };
}

const days = (ms: number) => Number((ms / DAY_MS).toFixed(1));

function slotDocs(slot: Slot): readonly number[] {
  return slot.docs ?? slot.posting!.docs;
}

/** How well an entity fills a slot: membership × similarity for names, the carried weight for attributes. */
function slotWeight(slot: Slot, doc: number, entity: Entity): number {
  if (slot.kind === 'attribute') {
    return attributeWeight(entity, slot.attribute!, slot.value) * slot.similarity;
  }
  return (nameWeights(slot).get(doc) ?? 0) * slot.similarity;
}

const NAME_WEIGHTS = new WeakMap<Slot, Map<number, number>>();

/** Doc → 1 for the named entity itself, WORKS_WEIGHT for an artist's works; built once per slot. */
function nameWeights(slot: Slot): Map<number, number> {
  let weights = NAME_WEIGHTS.get(slot);
  if (!weights) {
    weights = new Map();
    slot.docs!.forEach((doc, i) => {
      const weight = slot.kind === 'artist' && i >= (slot.lead ?? 0) ? WORKS_WEIGHT : 1;
      weights!.set(doc, Math.max(weights!.get(doc) ?? 0, weight));
    });
    NAME_WEIGHTS.set(slot, weights);
  }
  return weights;
}

