/**
 * CSV catalogues with a column mapping. A mapping names, for each entity property, the column it comes from:
 * `id=track_id,title=track_name,type='track',fields.artist=track_artist,attributes.genre=playlist_genre,
 * popularity=track_popularity,released=track_album_release_date,relations.album=album_id`. A quoted value is a
 * constant. Without a mapping, columns named like the properties (`id`, `title`, `fields.artist`, …) are used.
 * Cells: `attributes.*` "pop:0.8|rock:0.4" is a weighted map, "a|b" a list; `relations.*` and list fields split
 * on "|"; `popularity` is parsed as a number. Empty cells are left out.
 */
import { parse } from 'csv-parse/sync';
import { createError } from '../errors.js';
import type { ParsedRow } from './jsonl.js';
import { validateEntity } from './validate.js';

export type ColumnMapping = Record<string, { column: string } | { constant: string }>;

const TARGET_RE = /^(id|type|title|popularity|released|(fields|attributes|relations)\.[^.]+)$/;

export function parseMapping(spec: string): ColumnMapping {
  const mapping: ColumnMapping = {};
  for (const part of spec.split(',').map((p) => p.trim()).filter(Boolean)) {
    const eq = part.indexOf('=');
    if (eq <= 0) throw createError('CATALOG_BAD_MAPPING', `"${part}" is not target=column`);
    const target = part.slice(0, eq).trim();
    const source = part.slice(eq + 1).trim();
    if (!TARGET_RE.test(target)) {
      throw createError('CATALOG_BAD_MAPPING', `"${target}" is not id, type, title, popularity, released, fields.X, attributes.X or relations.X`);
    }
    const quoted = /^'(.*)'$|^"(.*)"$/.exec(source);
    mapping[target] = quoted ? { constant: quoted[1] ?? quoted[2] } : { column: source };
  }
  return mapping;
}

export function parseCsv(text: string, file: string, mapping?: ColumnMapping): ParsedRow[] {
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    records = parse(text, { info: true, relax_column_count: false, skip_empty_lines: true, bom: true }) as unknown as typeof records;
  } catch (err) {
    throw createError('CATALOG_BAD_JSON', file, `CSV: ${(err as Error).message}`);
  }
  if (records.length === 0) return [];
  const header = records[0].record.map((h) => h.trim());
  const map = mapping ?? Object.fromEntries(header.filter((h) => TARGET_RE.test(h)).map((h) => [h, { column: h }]));
  const columnIndex = new Map(header.map((h, i) => [h, i]));
  for (const [target, source] of Object.entries(map)) {
    if ('column' in source && !columnIndex.has(source.column)) {
      throw createError('CATALOG_BAD_MAPPING', `${target} names column "${source.column}", which ${file} does not have (columns: ${header.join(', ')})`);
    }
  }
  return records.slice(1).map(({ record, info }) => {
    const where = `${file}:${info.lines}`;
    const row: Record<string, unknown> = {};
    for (const [target, source] of Object.entries(map)) {
      const cell = 'constant' in source ? source.constant : record[columnIndex.get(source.column)!]?.trim() ?? '';
      if (cell === '') continue;
      assign(row, target, cell);
    }
    return { where, ...validateEntity(row, where) };
  });
}

function assign(row: Record<string, unknown>, target: string, cell: string): void {
  const [group, name] = target.split('.');
  if (name === undefined) {
    row[group] = group === 'popularity' && cell.trim() !== '' && Number.isFinite(Number(cell)) ? Number(cell) : cell;
    return;
  }
  const bucket = ((row[group] as Record<string, unknown>) ??= {});
  if (group === 'relations') bucket[name] = cell.split('|').map((v) => v.trim()).filter(Boolean);
  else if (group === 'fields') bucket[name] = cell.includes('|') ? cell.split('|').map((v) => v.trim()) : cell;
  else bucket[name] = attributeCell(cell);
}

function attributeCell(cell: string): unknown {
  const parts = cell.split('|').map((v) => v.trim()).filter(Boolean);
  if (parts.length > 0 && parts.every((p) => /^[^:]+:[0-9.eE+-]+$/.test(p))) {
    return Object.fromEntries(parts.map((p) => {
      const at = p.lastIndexOf(':');
      return [p.slice(0, at), Number(p.slice(at + 1))];
    }));
  }
  if (parts.length > 1) return parts;
  const n = Number(cell);
  return cell !== '' && Number.isFinite(n) && /^-?[0-9.]+$/.test(cell) ? n : cell;
}
