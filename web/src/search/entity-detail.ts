// An opened result: the entity as the catalogue holds it (GET /entities/:id), its attributes and relations,
// fetched when the result is opened since the search response carries only what a card shows.
import { ApiError, type Entity, getEntity } from '../shared/api.js';
import { h } from './dom.js';
import { formatScore } from './format.js';

function attributeText(value: NonNullable<Entity['attributes']>[string]): string {
  if (Array.isArray(value)) return value.join(', ');
  if (typeof value === 'object') return Object.entries(value).map(([k, w]) => (w === 1 ? k : `${k} (${formatScore(w)})`)).join(', ');
  return String(value);
}

function renderEntity(entity: Entity): HTMLElement {
  const rows: Array<[string, string]> = [
    ...Object.entries(entity.fields ?? {}).map(([k, v]): [string, string] => [k, Array.isArray(v) ? v.join(', ') : v]),
    ...Object.entries(entity.attributes ?? {}).map(([k, v]): [string, string] => [k, attributeText(v)]),
    ...Object.entries(entity.relations ?? {}).map(([k, ids]): [string, string] => [k, `${ids.length} linked`]),
    ['id', entity.id],
  ];
  return h('dl', { class: 'entity' }, ...rows.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
}

export async function fillEntityDetail(region: HTMLElement, id: string): Promise<void> {
  region.replaceChildren(h('p', { class: 'hint' }, 'Loading…'));
  try {
    region.replaceChildren(renderEntity(await getEntity(id)));
  } catch (err) {
    const e = err instanceof ApiError ? err : new ApiError(0, 'UNKNOWN', String(err));
    region.replaceChildren(h('p', { class: 'error', role: 'alert' }, `${e.code}: ${e.message}`));
  }
}
