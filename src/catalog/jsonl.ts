/** Parses a JSONL catalogue: one entity per line; blank lines are skipped; every problem names its line. */
import { type RowIssue, validateEntity } from './validate.js';
import type { Entity } from './entity.js';

export interface ParsedRow {
  entity?: Entity;
  /** "file:line" */
  where: string;
  issues: RowIssue[];
}

/** One non-blank line of a JSONL text: its parsed value, or why it is not JSON. */
export interface JsonLine {
  /** "file:line" */
  where: string;
  value?: unknown;
  /** Set when the line is not valid JSON: "not valid JSON (…)". */
  error?: string;
}

/** Every non-blank line of a JSONL text, parsed, numbered from 1: the one JSONL reader (catalogues, streams, BEIR). */
export function* jsonLines(text: string, file: string): Generator<JsonLine> {
  let lineNo = 0;
  for (const line of text.split('\n')) {
    lineNo++;
    if (line.trim() === '') continue;
    const where = `${file}:${lineNo}`;
    try {
      yield { where, value: JSON.parse(line) };
    } catch (err) {
      yield { where, error: `not valid JSON (${(err as Error).message})` };
    }
  }
}

export function parseJsonl(text: string, file: string): ParsedRow[] {
  const rows: ParsedRow[] = [];
  for (const { where, value, error } of jsonLines(text, file)) {
    if (error) rows.push({ where, issues: [{ where, field: '(row)', message: `is ${error}` }] });
    else rows.push({ where, ...validateEntity(value, where) });
  }
  return rows;
}
