/**
 * The fuzzy strategy: entities whose names are close to words of the query, typos and all ("tayler swift",
 * "bohemian rapsody queen"). Every contiguous run of query words (a span) is matched against the fuzzy name
 * index (src/index/fuzzy-names.ts); an entity collects the matches of the names it carries.
 *
 * A match is worth  coverage · similarity · fieldWeight · (½ + ½ share):  the span's share of the query's
 * characters, how close the name is, 1 for the title and `nameFieldWeight` for the other name fields (an artist
 * is found first by its own title, then its tracks by their artist field), and how much of the title the name
 * is (1 for the whole title, less for its core, so "Bohemian Rhapsody - 2011 Mix" beats "Bohemian Rhapsody (The
 * Original Soundtrack)" for "bohemian rhapsody"). An entity scores the best sum over at most one match per
 * field with disjoint spans ("ed sheren" in the artist + "shape of you" in the title), plus a popularity
 * tie-break  popularityWeight · ln(1 + pop) / ln(1 + maxPop).
 */
import type { Entity } from '../catalog/entity.js';
import type { Explanation } from '../index/explain.js';
import { type FuzzyNames, fuzzyNamesOf, type SpanMatch } from '../index/fuzzy-names.js';
import { popularityPrior } from '../index/bm25f.js';
import { ensureCapacity } from '../index/growable.js';
import { TopK } from '../index/top-k.js';
import type { QueryContext } from '../query/query-context.js';
import { createError } from '../errors.js';
import type { RetrievalResources } from './resources.js';
import { passesRestrictions, requireEntity } from './restrictions.js';
import { type Candidate, checkBudget, ranked, type Strategy } from './strategy.js';

export interface FuzzyOptions {
  /** Weight of a match in a name field other than the title, in (0, 1] (default 0.9). */
  nameFieldWeight?: number;
  /** Weight of the popularity tie-break, in [0, 1] (default 0.01). */
  popularityWeight?: number;
  name?: string;
}

/** One name of an entity matched by one span of the query. */
interface EntityMatch {
  field: number;
  start: number;
  end: number;
  text: string;
  distance: number;
  similarity: number;
  coverage: number;
  share: number;
  value: number;
}

/** Per field, only the best few matches take part in the combination: it bounds the search over subsets. */
const MATCHES_PER_FIELD = 4;
const EXCLUDED = -2;

/** Per-query scratch space, reused: docs seen (by stamp), and per doc a chain of (span, field, share, value). */
class MatchScratch {
  stamp = 0;
  docStamp = new Int32Array(0);
  docHead = new Int32Array(0);
  touched = new Int32Array(0);
  touchedCount = 0;
  next = new Int32Array(1024);
  span = new Int32Array(1024);
  field = new Uint8Array(1024);
  share = new Float64Array(1024);
  value = new Float64Array(1024);
  count = 0;

  begin(docs: number): void {
    if (this.docStamp.length < docs) {
      this.docStamp = new Int32Array(docs + 1024);
      this.docHead = new Int32Array(docs + 1024);
      this.touched = new Int32Array(docs + 1024);
      this.stamp = 0;
    }
    this.stamp++;
    this.touchedCount = 0;
    this.count = 0;
  }

  push(doc: number, span: number, field: number, share: number, value: number): void {
    const e = this.count++;
    if (e === this.next.length) {
      this.next = ensureCapacity(this.next, e + 1);
      this.span = ensureCapacity(this.span, e + 1);
      this.field = ensureCapacity(this.field, e + 1);
      this.share = ensureCapacity(this.share, e + 1);
      this.value = ensureCapacity(this.value, e + 1);
    }
    this.next[e] = this.docHead[doc];
    this.span[e] = span;
    this.field[e] = field;
    this.share[e] = share;
    this.value[e] = value;
    this.docHead[doc] = e;
  }
}

export class FuzzyStrategy implements Strategy {
  readonly kind = 'fuzzy' as const;
  readonly name: string;
  private readonly nameFieldWeight: number;
  private readonly popularityWeight: number;
  private readonly scratch = new MatchScratch();

  constructor(
    private readonly names: FuzzyNames,
    options: FuzzyOptions = {},
  ) {
    this.name = options.name ?? 'fuzzy';
    this.nameFieldWeight = options.nameFieldWeight ?? 0.9;
    this.popularityWeight = options.popularityWeight ?? 0.01;
    if (!(this.nameFieldWeight > 0 && this.nameFieldWeight <= 1)) throw createError('OPTION_OUT_OF_RANGE', 'fuzzy.nameFieldWeight', this.nameFieldWeight, 'a number in (0, 1]');
    if (!(this.popularityWeight >= 0 && this.popularityWeight <= 1)) throw createError('OPTION_OUT_OF_RANGE', 'fuzzy.popularityWeight', this.popularityWeight, 'a number in [0, 1]');
  }

  retrieve(query: QueryContext, budget: number): Candidate[] {
    checkBudget(this.name, budget);
    if (budget === 0) return [];
    const spans = this.names.matchQuery(query.raw);
    const scratch = this.collect(spans, query);
    const top = new TopK(budget);
    for (let t = 0; t < scratch.touchedCount; t++) {
      const doc = scratch.touched[t];
      const first = scratch.docHead[doc];
      if (first === EXCLUDED) continue;
      // Most entities have one match, whose value is their sum; the others go through the combination.
      const total = scratch.next[first] < 0 ? scratch.value[first] : this.total(best(this.entriesOf(scratch, first, spans)));
      top.offer(total + this.tieBreak(doc), doc);
    }
    const entities = this.names.index.entities;
    return ranked(top.sorted().map(({ doc, score }) => ({ id: entities[doc]!.id, score })));
  }

  explain(query: QueryContext, id: string): Explanation {
    const entity = requireEntity(this.names.index, id);
    if (!passesRestrictions(entity, query)) return { value: 0, description: "excluded by the query's type or filters", details: [] };
    const matches = this.entityMatches(entity, query);
    if (matches.length === 0) return { value: 0, description: 'no name of this entity is within reach of the query', details: [] };
    const chosen = best(matches);
    const doc = this.names.index.docId(id)!;
    const tie = this.tieBreak(doc);
    return {
      value: this.total(chosen) + tie,
      description: 'sum of the best name matches (one per field, disjoint query spans) + popularity tie-break',
      details: [
        ...chosen.map((m) => this.explainMatch(m)),
        {
          value: tie,
          description: 'popularity tie-break, popularityWeight · ln(1 + popularity) / ln(1 + maxPopularity)',
          details: [
            { value: this.popularityWeight, description: 'popularityWeight', details: [] },
            { value: this.names.index.popularity[doc], description: 'popularity', details: [] },
          ],
        },
      ],
    };
  }

  /** Postings the query's spans read in the name index, plus the candidates kept. */
  cost(query: QueryContext, budget: number): number {
    return this.names.queryWork(query.raw) + budget;
  }

  /**
   * Every carrier of every matched name, grouped by doc in flat arrays (a chain per doc, no object per
   * carrier): a common name can have thousands of carriers. Docs the restrictions exclude are marked once.
   */
  private collect(spans: SpanMatch[], query: QueryContext): MatchScratch {
    const scratch = this.scratch;
    const entities = this.names.index.entities;
    scratch.begin(entities.length);
    spans.forEach((m, span) => {
      this.names.forEachCarrier(m.name, (doc, field, share) => {
        if (scratch.docStamp[doc] !== scratch.stamp) {
          scratch.docStamp[doc] = scratch.stamp;
          scratch.docHead[doc] = passesRestrictions(entities[doc]!, query) ? -1 : EXCLUDED;
          scratch.touched[scratch.touchedCount++] = doc;
        }
        if (scratch.docHead[doc] === EXCLUDED) return;
        scratch.push(doc, span, field, share, this.valueOf(field, m.coverage, m.similarity, share));
      });
    });
    return scratch;
  }

  /** The matches chained from entry `first`, as objects for the combination. */
  private entriesOf(scratch: MatchScratch, first: number, spans: SpanMatch[]): EntityMatch[] {
    const out: EntityMatch[] = [];
    for (let e = first; e >= 0; e = scratch.next[e]) {
      const m = spans[scratch.span[e]];
      out.push(this.match(scratch.field[e], m.start, m.end, m.text, m.distance, m.similarity, m.coverage, scratch.share[e]));
    }
    return out;
  }

  /** The same matches for one entity, found by comparing its own names with every span (for explain). */
  private entityMatches(entity: Entity, query: QueryContext): EntityMatch[] {
    const own = this.names.namesOf(entity).filter((n) => this.names.nameId(n.key) >= 0);
    const out: EntityMatch[] = [];
    this.names.forEachSpan(query.raw, (key, start, end, coverage) => {
      for (const n of own) {
        const found = this.names.similarityOf(key, n.key);
        if (found) out.push(this.match(n.field, start, end, n.key, found.distance, found.similarity, coverage, n.share));
      }
    });
    return out;
  }

  private match(field: number, start: number, end: number, text: string, distance: number, similarity: number, coverage: number, share: number): EntityMatch {
    return { field, start, end, text, distance, similarity, coverage, share, value: this.valueOf(field, coverage, similarity, share) };
  }

  /** coverage · similarity · fieldWeight · (½ + ½ share): one expression for retrieve and explain. */
  private valueOf(field: number, coverage: number, similarity: number, share: number): number {
    return coverage * similarity * (field === 0 ? 1 : this.nameFieldWeight) * (0.5 + 0.5 * share);
  }

  /** Sums in field order, so retrieve and explain add the same numbers in the same order. */
  private total(chosen: EntityMatch[]): number {
    let sum = 0;
    for (const m of chosen) sum += m.value;
    return sum;
  }

  private tieBreak(doc: number): number {
    const index = this.names.index;
    return popularityPrior(this.popularityWeight, index.popularity[doc], index.maxPopularity);
  }

  private explainMatch(m: EntityMatch): Explanation {
    const field = this.names.fields[m.field];
    const weight = m.field === 0 ? 1 : this.nameFieldWeight;
    return {
      value: m.value,
      description: `${field} name "${m.text}" for query words ${m.start + 1}–${m.end}: coverage · similarity · fieldWeight · (½ + ½ share)`,
      details: [
        { value: m.coverage, description: "coverage, the span's share of the query's characters", details: [] },
        {
          value: m.similarity,
          description: 'similarity, ½ (1 − edits / longer length) + ½ Jaro–Winkler',
          details: [{ value: m.distance, description: 'edits (optimal string alignment distance)', details: [] }],
        },
        { value: weight, description: m.field === 0 ? 'fieldWeight of the title' : 'fieldWeight, nameFieldWeight', details: [] },
        { value: m.share, description: 'share of the title the name is (1 outside the title)', details: [] },
      ],
    };
  }
}

/**
 * The matches with the largest sum, at most one per field, with pairwise disjoint spans: an exhaustive search
 * over each field's best MATCHES_PER_FIELD (few fields, few matches each). Returned in field order.
 */
function best(matches: EntityMatch[]): EntityMatch[] {
  if (matches.length === 1) return matches; // most entities: one name matched by one span
  const byField = new Map<number, EntityMatch[]>();
  for (const m of matches) {
    const list = byField.get(m.field);
    if (list) list.push(m);
    else byField.set(m.field, [m]);
  }
  const fields = [...byField.keys()].sort((a, b) => a - b);
  const options = fields.map((f) =>
    byField
      .get(f)!
      .sort((a, b) => b.value - a.value || a.start - b.start || a.end - b.end)
      .slice(0, MATCHES_PER_FIELD),
  );
  let bestSum = -1;
  let bestSet: EntityMatch[] = [];
  const chosen: EntityMatch[] = [];
  const visit = (f: number, sum: number) => {
    if (f === options.length) {
      if (sum > bestSum) {
        bestSum = sum;
        bestSet = chosen.slice();
      }
      return;
    }
    for (const m of options[f]) {
      if (chosen.some((c) => c.start < m.end && m.start < c.end)) continue;
      chosen.push(m);
      visit(f + 1, sum + m.value);
      chosen.pop();
    }
    visit(f + 1, sum);
  };
  visit(0, 0);
  return bestSet;
}

/** The fuzzy strategy over a catalogue's shared fuzzy name index. */
export function createFuzzyStrategy(resources: RetrievalResources, options?: FuzzyOptions): FuzzyStrategy {
  return new FuzzyStrategy(fuzzyNamesOf(resources), options);
}
