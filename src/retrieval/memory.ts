/**
 * The memory strategy (Q2E): entities users engaged with after this query or its cluster (MemoryIndex), plus
 * entities whose predicted queries include it (PredictedQueries), the cold start. Score = observed + predicted:
 *   observed  = decayed engagement after the exact query + clusterWeight · after other wordings of its cluster;
 *   predicted = priorWeight · template strength · popularity factor · shrink, the best of its templates, where
 *     the popularity factor is (1 + p) / 2 for title and artist templates and weight · p for category ones
 *     (p = ln(1 + popularity) / ln(1 + maxPopularity)), and shrink = priorEvidence / (priorEvidence + E), E
 *     the query's total absolute observed engagement: predictions give way as the query's own statistics grow.
 * One click (weight 1) outweighs any prediction at the default prior weight of 0.5. Only positive scores are
 * returned; ties go to the smaller doc number.
 */
import type { Explanation } from '../index/explain.js';
import type { SearchIndex } from '../index/search-index.js';
import { resolveOptions, type ResolvedOptions } from '../options.js';
import type { QueryContext } from '../query/query-context.js';
import { attributeWeight } from '../catalog/entity.js';
import { categoryStrength } from './category-index.js';
import { MemoryIndex, type ObservedScore, type QueryKeys, queryKeys } from './memory-index.js';
import { PredictedQueries, TEMPLATES, type TemplateName } from './predicted-queries.js';
import type { RetrievalResources } from './resources.js';
import { passesRestrictions, requireEntity } from './restrictions.js';
import { type Candidate, checkBudget, ranked, type Strategy } from './strategy.js';

export const MEMORY_OPTIONS = {
  priorWeight: { kind: 'number', default: 0.5, min: 0, max: 100, description: 'weight of a predicted query before shrinking (a click weighs 1)' },
  priorEvidence: {
    kind: 'number', default: 3, min: 0, max: 1e6,
    description: 'observed engagement at which predictions count half (0: they count fully until the first feedback, then not at all)',
  },
} as const;

export type MemoryOptions = ResolvedOptions<typeof MEMORY_OPTIONS> & { name: string };

interface Context {
  keys: QueryKeys;
  time: number;
  observed: Map<string, ObservedScore>;
  evidence: number;
  shrink: number;
  logMaxPopularity: number;
}

interface Scored {
  doc: number;
  observed: number;
  predicted: number;
  template?: TemplateName;
}

export class MemoryStrategy implements Strategy {
  readonly kind = 'memory' as const;
  readonly name: string;
  readonly options: ResolvedOptions<typeof MEMORY_OPTIONS>;
  readonly memory: MemoryIndex;
  private readonly index: SearchIndex;

  constructor(
    private readonly resources: RetrievalResources,
    options: Partial<MemoryOptions> = {},
  ) {
    const { name, ...rest } = options;
    this.name = name ?? 'memory';
    this.options = resolveOptions(MEMORY_OPTIONS, rest, 'memory.');
    this.index = resources.index;
    this.memory = MemoryIndex.shared(resources);
  }

  /** Built on first use: the cold-start tables cost a pass over the catalogue. */
  get predictions(): PredictedQueries {
    return PredictedQueries.shared(this.resources);
  }

  retrieve(query: QueryContext, budget: number): Candidate[] {
    checkBudget(this.name, budget);
    if (budget === 0 || query.tokens.length === 0) return [];
    const ctx = this.context(query);
    const byDoc = new Map<number, Scored>();
    const entry = (doc: number) => {
      let s = byDoc.get(doc);
      if (!s) byDoc.set(doc, (s = { doc, observed: 0, predicted: 0 }));
      return s;
    };
    for (const [id, observed] of ctx.observed) {
      const doc = this.index.docId(id);
      if (doc !== undefined && passesRestrictions(this.index.entities[doc]!, query)) entry(doc).observed = observed.value;
    }
    const { direct, categories } = this.predictions.matches(query.tokens);
    for (const { doc, template } of direct) {
      if (!passesRestrictions(this.index.entities[doc]!, query)) continue;
      const value = this.directPrior(ctx, template, doc);
      const s = entry(doc);
      if (value > s.predicted) Object.assign(s, { predicted: value, template });
    }
    // A category's list is in score order, so beyond budget + |observed| passing entries none can make the cut.
    const wanted = budget + ctx.observed.size;
    for (const c of categories) {
      if (query.types && query.types.length > 0 && !query.types.includes(c.type)) continue;
      let taken = 0;
      this.predictions.categories.forEach(c.attribute, c.value, c.type, (doc, strength) => {
        if (!passesRestrictions(this.index.entities[doc]!, query)) return true;
        const value = this.categoryPrior(ctx, strength);
        const s = entry(doc);
        if (value > s.predicted) Object.assign(s, { predicted: value, template: 'category' });
        return ++taken < wanted;
      });
    }
    const scored = [...byDoc.values()]
      .map((s) => ({ doc: s.doc, score: s.observed + s.predicted }))
      .filter((s) => s.score > 0)
      .sort((a, b) => b.score - a.score || a.doc - b.doc);
    return ranked(scored.slice(0, budget).map((s) => ({ id: this.index.entities[s.doc]!.id, score: s.score })));
  }

  explain(query: QueryContext, id: string): Explanation {
    const entity = requireEntity(this.index, id);
    if (!passesRestrictions(entity, query)) return { value: 0, description: "excluded by the query's type or filters", details: [] };
    if (query.tokens.length === 0) return { value: 0, description: 'the query has no words to remember', details: [] };
    const doc = this.index.docId(id)!;
    const ctx = this.context(query);
    const observed = ctx.observed.get(id) ?? { exact: 0, others: 0, value: 0 };
    const { direct, categories } = this.predictions.matches(query.tokens);
    let predicted = 0;
    let why: Explanation[] = [];
    for (const m of direct) {
      const value = m.doc === doc ? this.directPrior(ctx, m.template, doc) : 0;
      if (value > predicted) [predicted, why] = [value, this.explainDirect(ctx, m.template, doc)];
    }
    for (const c of categories) {
      const weight = attributeWeight(entity, c.attribute, c.value);
      if (entity.type !== c.type || !(weight > 0)) continue;
      const value = this.categoryPrior(ctx, categoryStrength(weight, entity.popularity ?? 0));
      if (value > predicted) [predicted, why] = [value, this.explainCategory(ctx, `${c.attribute} = ${c.value}`, weight, doc)];
    }
    const score = observed.value + predicted;
    if (!(score > 0)) return { value: 0, description: `not returned: observed + predicted = ${score} is not positive`, details: [] };
    return {
      value: score,
      description: 'memory: observed engagement + predicted-query prior',
      details: [
        {
          value: observed.value,
          description: 'observed: exact + clusterWeight · others, decayed to the request time',
          details: [
            leaf(observed.exact, `exact, engagement after "${ctx.keys.exact}"`),
            leaf(observed.others, `others, engagement after other wordings of cluster "${ctx.keys.cluster}"`),
            leaf(this.memory.options.clusterWeight, 'clusterWeight'),
            leaf(this.memory.options.halfLifeDays, 'half-life in days'),
          ],
        },
        { value: predicted, description: predicted > 0 ? 'predicted: the best matching template' : 'predicted: no template matches', details: why },
      ],
    };
  }

  /** Observed pairs to score, plus the title and artist look-ups a parse makes, plus the budget. */
  cost(query: QueryContext, budget: number): number {
    if (query.tokens.length === 0) return 0;
    return this.memory.entities(queryKeys(query.tokens)).length + 4 * Math.min(query.tokens.length, 12) + budget;
  }

  private context(query: QueryContext): Context {
    const keys = queryKeys(query.tokens);
    const time = query.time.getTime();
    const observed = new Map<string, ObservedScore>();
    let evidence = 0;
    for (const id of this.memory.entities(keys)) {
      const score = this.memory.score(keys, id, time);
      observed.set(id, score);
      evidence += Math.abs(score.value);
    }
    const { priorEvidence } = this.options;
    const shrink = evidence === 0 ? 1 : priorEvidence / (priorEvidence + evidence);
    return { keys, time, observed, evidence, shrink, logMaxPopularity: Math.log1p(this.index.maxPopularity) };
  }

  private popularityFactor(doc: number): number {
    return (1 + this.index.prior(doc)) / 2;
  }

  private directPrior(ctx: Context, template: TemplateName, doc: number): number {
    return this.options.priorWeight * TEMPLATES[template].strength * this.popularityFactor(doc) * ctx.shrink;
  }

  /** Linear in the list's strength, so the list's order is the score's order. */
  private categoryPrior(ctx: Context, strength: number): number {
    if (!(ctx.logMaxPopularity > 0)) return 0;
    return strength * ((this.options.priorWeight * TEMPLATES.category.strength * ctx.shrink) / ctx.logMaxPopularity);
  }

  private explainDirect(ctx: Context, template: TemplateName, doc: number): Explanation[] {
    return [
      leaf(this.options.priorWeight, 'priorWeight'),
      leaf(TEMPLATES[template].strength, `template strength: ${TEMPLATES[template].description}`),
      leaf(this.popularityFactor(doc), 'popularity factor, (1 + ln(1 + popularity) / ln(1 + maxPopularity)) / 2'),
      this.explainShrink(ctx),
    ];
  }

  private explainCategory(ctx: Context, category: string, weight: number, doc: number): Explanation[] {
    return [
      leaf(this.options.priorWeight, 'priorWeight'),
      leaf(TEMPLATES.category.strength, `template strength: ${TEMPLATES.category.description}`),
      leaf(weight, `weight in ${category}`),
      leaf(this.index.prior(doc), 'ln(1 + popularity) / ln(1 + maxPopularity)'),
      this.explainShrink(ctx),
    ];
  }

  private explainShrink(ctx: Context): Explanation {
    return {
      value: ctx.shrink,
      description: 'shrink, priorEvidence / (priorEvidence + E): predictions give way to observed feedback',
      details: [leaf(this.options.priorEvidence, 'priorEvidence'), leaf(ctx.evidence, 'E, total absolute observed engagement for the query')],
    };
  }
}

function leaf(value: number, description: string): Explanation {
  return { value, description, details: [] };
}
