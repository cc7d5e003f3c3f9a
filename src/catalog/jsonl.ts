/** Parses a JSONL catalogue: one entity per line; blank lines are skipped; every problem names its line. */
import { type RowIssue, validateEntity } from './validate.js';
import type { Entity } from './entity.js';

export interface ParsedRow {
  entity?: Entity;
  /** "file:line" */
  where: string;
  issues: RowIssue[];
}

export function parseJsonl(text: string, file: string): ParsedRow[] {
  const rows: ParsedRow[] = [];
  let lineNo = 0;
  for (const line of text.split('\n')) {
    lineNo++;
    if (line.trim() === '') continue;
    const where = `${file}:${lineNo}`;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (err) {
      rows.push({ where, issues: [{ where, field: '(row)', message: `is not valid JSON (${(err as Error).message})` }] });
      continue;
    }
    rows.push({ where, ...validateEntity(value, where) });
  }
  return rows;
}
