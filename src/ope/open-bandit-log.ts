/**
 * Reads an Open Bandit Dataset log (Saito et al. 2020, "Open Bandit Dataset and Pipeline", arXiv:2008.07146):
 * one row per impression of a ZOZOTOWN fashion recommendation, with the item shown, its slot (position 1–3),
 * the click, and the logging policy's probability of showing that item in that slot. Gzipped CSV whose first
 * column is an unnamed pandas index; only the five columns off-policy evaluation needs are kept. A bad row fails
 * the whole read, naming file:line and column.
 */
import { parse } from 'csv-parse/sync';
import { readTextFile } from '../catalog/read-text.js';
import { createError } from '../errors.js';

/** One logged impression. */
export interface ObdRow {
  /** Milliseconds since the epoch. */
  time: number;
  item: number;
  /** Slot 1, 2 or 3 (left to right on the page). */
  position: number;
  click: 0 | 1;
  /** The logging policy's probability of this item in this slot at this time. */
  propensity: number;
}

const COLUMNS = ['timestamp', 'item_id', 'position', 'click', 'propensity_score'] as const;

export function readObdLog(path: string): ObdRow[] {
  const records = parse(readTextFile(path), { skip_empty_lines: true, info: true }) as unknown as Array<{ record: string[]; info: { lines: number } }>;
  if (records.length === 0) throw createError('EVAL_BAD_INPUT', path, 'empty Open Bandit Dataset log');
  const header = records[0].record;
  const at = COLUMNS.map((name) => {
    const index = header.indexOf(name);
    if (index < 0) throw createError('EVAL_BAD_INPUT', path, `no column "${name}" (columns: ${header.slice(0, 8).join(', ')}, …)`);
    return index;
  });
  return records.slice(1).map(({ record, info }) => {
    const where = `${path}:${info.lines}`;
    const cell = (k: number) => record[at[k]] ?? '';
    const fail = (k: number, expected: string): never => {
      throw createError('EVAL_BAD_INPUT', where, `column "${COLUMNS[k]}" is ${JSON.stringify(cell(k))}; expected ${expected}`);
    };
    // pandas writes "2019-11-24 00:01:03.979311+00:00"; the "T" makes it ISO 8601 for Date.parse.
    const time = Date.parse(cell(0).replace(' ', 'T'));
    if (!Number.isFinite(time)) fail(0, 'a date-time');
    const item = Number(cell(1));
    if (!Number.isInteger(item) || item < 0 || cell(1) === '') fail(1, 'an integer ≥ 0');
    const position = Number(cell(2));
    if (!Number.isInteger(position) || position < 1 || cell(2) === '') fail(2, 'an integer ≥ 1');
    if (cell(3) !== '0' && cell(3) !== '1') fail(3, '0 or 1');
    const propensity = Number(cell(4));
    if (!(propensity > 0 && propensity <= 1)) fail(4, 'a probability in (0, 1]');
    return { time, item, position, click: cell(3) === '1' ? 1 : 0, propensity };
  });
}
