/**
 * Entities by category (an attribute value such as genre = rock) and type, strongest first: by
 * weight × ln(1 + popularity), ties by doc number. The memory strategy's "<genre> <type>" predictions and the
 * personalised strategy's top-genre candidates read prefixes of these lists, so neither scans the catalogue per
 * request. Built on first use (`CategoryIndex.shared`) and follows the index: an added entity is inserted in
 * place; a removed one is skipped when read and dropped when the lists are next rebuilt (once removals pass an
 * eighth of the entities, so the rebuild's cost is spread over them).
 */
import { normalizeText } from '../analysis/normalize.js';
import { tokenize } from '../analysis/tokenize.js';
import { attributeWeights, type Entity } from '../catalog/entity.js';
import { ensureCapacity } from '../index/growable.js';
import type { SearchIndex } from '../index/search-index.js';
import type { RetrievalResources } from './resources.js';

/** The attributes whose values are categories people search and have tastes for. */
export const CATEGORY_ATTRIBUTES = ['genre', 'subgenre', 'mood'] as const;
export type CategoryAttribute = (typeof CATEGORY_ATTRIBUTES)[number];

/** A text's words, normalised and joined by one space: how a query's tokens compare to names and titles. */
export function textKey(text: string): string {
  return tokenize(normalizeText(text).trim()).join(' ');
}

/** The order of the lists: larger first. Both strategies scale this exact value, so their scores keep its order. */
export function categoryStrength(weight: number, popularity: number): number {
  return weight * Math.log1p(popularity);
}

class SortedDocs {
  docs = new Uint32Array(4);
  strengths = new Float64Array(4);
  size = 0;

  /** Inserts after every entry that is stronger, or equally strong with a smaller doc. */
  insert(doc: number, strength: number): void {
    let lo = 0;
    let hi = this.size;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const s = this.strengths[mid];
      if (s > strength || (s === strength && this.docs[mid] < doc)) lo = mid + 1;
      else hi = mid;
    }
    this.docs = ensureCapacity(this.docs, this.size + 1);
    this.strengths = ensureCapacity(this.strengths, this.size + 1);
    this.docs.copyWithin(lo + 1, lo, this.size);
    this.strengths.copyWithin(lo + 1, lo, this.size);
    this.docs[lo] = doc;
    this.strengths[lo] = strength;
    this.size++;
  }
}

export class CategoryIndex {
  private lists = new Map<string, SortedDocs>();
  /** attribute → text key of a value → the value, so query words find categories. */
  private valuesByKey = new Map<string, Map<string, string>>();
  private seenValues = new Set<string>();
  private live = 0;
  private dead = 0;

  static shared(resources: RetrievalResources): CategoryIndex {
    return resources.derived('category-index', (r) => new CategoryIndex(r.index));
  }

  constructor(private readonly index: SearchIndex) {
    this.rebuild();
    index.subscribe({ added: (entity) => this.insert(entity), removed: () => this.dead++ });
  }

  /** The category value whose words are exactly `key` (see textKey), if any. */
  valueForKey(attribute: CategoryAttribute, key: string): string | undefined {
    return this.valuesByKey.get(attribute)?.get(key);
  }

  /**
   * Visits the live entities of `type` in category `attribute = value`, strongest first, until `visit`
   * returns false.
   */
  forEach(attribute: CategoryAttribute, value: string, type: string, visit: (doc: number, strength: number) => boolean): void {
    if (this.dead * 8 > this.live) this.rebuild();
    const list = this.lists.get(listKey(attribute, value, type));
    if (!list) return;
    const entities = this.index.entities;
    for (let i = 0; i < list.size; i++) {
      if (entities[list.docs[i]] && !visit(list.docs[i], list.strengths[i])) return;
    }
  }

  /** Entries held, removed ones included: for the memory benchmark. */
  get entries(): number {
    let n = 0;
    for (const list of this.lists.values()) n += list.size;
    return n;
  }

  private rebuild(): void {
    this.valuesByKey = new Map();
    this.seenValues = new Set();
    this.live = 0;
    this.dead = 0;
    // Gathered in doc order, then each list sorted once: inserting one by one would move O(n²) entries.
    const gathered = new Map<string, { docs: number[]; strengths: number[] }>();
    this.index.entities.forEach((entity, doc) => {
      if (!entity) return;
      this.live++;
      this.forEachCategory(entity, (key, strength) => {
        let g = gathered.get(key);
        if (!g) gathered.set(key, (g = { docs: [], strengths: [] }));
        g.docs.push(doc);
        g.strengths.push(strength);
      });
    });
    this.lists = new Map();
    for (const [key, g] of gathered) {
      const order = Uint32Array.from(g.docs.keys()).sort((a, b) => g.strengths[b] - g.strengths[a] || a - b);
      const list = new SortedDocs();
      list.docs = Uint32Array.from(order, (i) => g.docs[i]);
      list.strengths = Float64Array.from(order, (i) => g.strengths[i]);
      list.size = order.length;
      this.lists.set(key, list);
    }
  }

  private insert(entity: Entity): void {
    this.live++;
    const doc = this.index.docId(entity.id)!;
    this.forEachCategory(entity, (key, strength) => {
      let list = this.lists.get(key);
      if (!list) this.lists.set(key, (list = new SortedDocs()));
      list.insert(doc, strength);
    });
  }

  /** Calls `visit` with the list key and strength of each category the entity is in, remembering the values. */
  private forEachCategory(entity: Entity, visit: (key: string, strength: number) => void): void {
    const attributes = entity.attributes;
    if (!attributes) return;
    for (const attribute of CATEGORY_ATTRIBUTES) {
      const raw = attributes[attribute];
      if (raw === undefined) continue;
      for (const [value, weight] of Object.entries(attributeWeights(raw))) {
        if (!(weight > 0)) continue;
        this.rememberValue(attribute, value);
        visit(listKey(attribute, value, entity.type), categoryStrength(weight, entity.popularity ?? 0));
      }
    }
  }

  private rememberValue(attribute: string, value: string): void {
    // Normalising every entity's values would cost a text analysis each; each distinct value is done once.
    const seen = `${attribute}\u0000${value}`;
    if (this.seenValues.has(seen)) return;
    this.seenValues.add(seen);
    let byKey = this.valuesByKey.get(attribute);
    if (!byKey) this.valuesByKey.set(attribute, (byKey = new Map()));
    const key = textKey(value);
    if (key !== '' && !byKey.has(key)) byKey.set(key, value);
  }
}

function listKey(attribute: string, value: string, type: string): string {
  return `${attribute}\u0000${value}\u0000${type}`;
}
