/**
 * Name features: how closely the query's words spell the candidate's names (title, title core, artist), with
 * the fuzzy name index's definitions (src/index/fuzzy-names.ts), so a typo costs here what it costs the fuzzy
 * strategy. Per candidate, the query's spans (computed once per query) are compared with the candidate's own
 * names, not looked up in the index, so a value exists for every candidate, whoever found it:
 *
 *   fuzzy.<field>      best coverage · similarity · (½ + ½ share) of a span matching one of the field's names
 *                      (0 when none is within the allowed edits), the fuzzy strategy's per-match value;
 *   name.jaro_winkler  Jaro–Winkler similarity of the whole query to the title (or its core): graded where the
 *                      fuzzy match gives up (a full edit distance per candidate cost more than the rest together);
 *   name.exact_title   the whole query is the title or its core, after folding;
 *   name.prefix_title  the title (or its core) starts with the whole query (a partial title);
 *   name.exact_<field> the whole query is one of the field's values (the artist's name on a track).
 */
import { jaroWinkler } from '../../analysis/string-distance.js';
import type { Entity } from '../../catalog/entity.js';
import type { EntityName, FuzzyNames } from '../../index/fuzzy-names.js';
import { type FeatureBatch, type FeatureDef, type FeatureGroup, type FeatureSink, flag, rowWriter } from './feature-group.js';

interface Span {
  key: string;
  coverage: number;
  /** The edits allowed for the span (maxEditsFor), computed once per query. */
  edits: number;
}

export class NameFeatures implements FeatureGroup {
  readonly name = 'names';
  readonly features: FeatureDef[];
  /** Entities are replaced, never changed, on upsert, so their names are cached by object. */
  private readonly ownNames = new WeakMap<Entity, EntityName[]>();

  constructor(private readonly names: FuzzyNames) {
    const fields = names.fields;
    const others = fields.slice(1);
    this.features = [
      ...fields.map((f) => ({ name: `fuzzy.${f}`, description: `best fuzzy match of a query span with a ${f} name: coverage · similarity · (½ + ½ share)` })),
      { name: 'name.jaro_winkler', description: 'Jaro–Winkler similarity of the whole query to the title or its core (folded)' },
      { name: 'name.exact_title', description: 'the whole query is the title or its core (folded)' },
      { name: 'name.prefix_title', description: 'the title or its core starts with the whole query (folded)' },
      ...others.map((f) => ({ name: `name.exact_${f}`, description: `the whole query is one of the ${f} values (folded)` })),
    ];
  }

  fill(batch: FeatureBatch, sink: FeatureSink): void {
    const names = this.names;
    const spans: Span[] = [];
    names.forEachSpan(batch.query.raw, (key, _start, _end, coverage) => spans.push({ key, coverage, edits: names.maxEditsFor(key) }));
    const whole = names.queryWords(batch.query.raw).tokens.join(' ');
    if (whole === '') return;
    const fieldCount = names.fields.length;
    batch.entities.forEach((entity, i) => {
      const set = rowWriter(sink, i);
      const best = new Float64Array(fieldCount);
      let similarity = 0;
      let exactTitle = false;
      let prefixTitle = false;
      const exactOther = new Uint8Array(fieldCount);
      for (const own of this.namesOf(entity)) {
        for (const span of spans) {
          const found = names.similarityOf(span.key, own.key, span.edits);
          if (!found) continue;
          const value = span.coverage * found.similarity * (0.5 + 0.5 * own.share);
          if (value > best[own.field]) best[own.field] = value;
        }
        if (own.field === 0) {
          const s = jaroWinkler(whole, own.key);
          if (s > similarity) similarity = s;
          exactTitle ||= own.key === whole;
          prefixTitle ||= own.key.startsWith(whole);
        } else if (own.key === whole) exactOther[own.field] = 1;
      }
      for (let f = 0; f < fieldCount; f++) set(f, best[f]);
      set(fieldCount, similarity);
      set(fieldCount + 1, flag(exactTitle));
      set(fieldCount + 2, flag(prefixTitle));
      for (let f = 1; f < fieldCount; f++) set(fieldCount + 2 + f, exactOther[f]);
    });
  }

  private namesOf(entity: Entity): EntityName[] {
    let own = this.ownNames.get(entity);
    if (!own) this.ownNames.set(entity, (own = this.names.namesOf(entity)));
    return own;
  }
}
