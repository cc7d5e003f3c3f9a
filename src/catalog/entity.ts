/**
 * The catalogue's entity: the unit Quiver indexes, retrieves and ranks. One JSONL line is one entity.
 */

/** A weighted category assignment, e.g. `{ pop: 0.9, country: 0.4 }`; each weight in [0, 1]. */
export type WeightedValues = Record<string, number>;

/**
 * An attribute is structured and filterable. A category may be a plain value (weight 1), a list of values
 * (weight 1 each) or a weighted map; numbers and booleans are kept as they are (for range filters and features).
 */
export type AttributeValue = string | string[] | WeightedValues | number | boolean;

export interface Entity {
  id: string;
  type: string;
  title: string;
  /** Searchable text, by field name. */
  fields?: Record<string, string | string[]>;
  attributes?: Record<string, AttributeValue>;
  /** Non-negative; larger is more popular. Any scale: the index normalises by the catalogue's maximum. */
  popularity?: number;
  /** ISO date (YYYY, YYYY-MM or YYYY-MM-DD). */
  released?: string;
  /** Other entity ids, by relation name (e.g. `artist`, `album`, `tracks`, `related`). */
  relations?: Record<string, string[]>;
}

/** The text of every searchable field of an entity, the title included, as one string per field. */
export function searchableFields(entity: Entity): Record<string, string> {
  const out: Record<string, string> = { title: entity.title };
  for (const [name, value] of Object.entries(entity.fields ?? {})) {
    if (name !== 'title') out[name] = Array.isArray(value) ? value.join(' \n ') : value; // the title is the title
  }
  return out;
}

/** The weight with which an entity carries one category of an attribute (0 when it does not). */
export function attributeWeight(entity: Entity, attribute: string, category: string): number {
  const raw = entity.attributes?.[attribute];
  return raw === undefined ? 0 : (attributeWeights(raw)[category] ?? 0);
}

/** An attribute's categories with their weights: a plain value counts as weight 1. Numbers/booleans have none. */
export function attributeWeights(value: AttributeValue): WeightedValues {
  if (typeof value === 'string') return { [value]: 1 };
  if (Array.isArray(value)) return Object.fromEntries(value.map((v) => [v, 1]));
  if (typeof value === 'object' && value !== null) return value;
  return {};
}
