/**
 * Reads a collection in the BEIR layout: `corpus.jsonl` ({_id, title, text}), `queries.jsonl` ({_id, text}) and
 * `qrels/test.tsv` (query-id, corpus-id, score, with a header line). Every malformed line is reported with file
 * and line.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Entity } from '../catalog/entity.js';
import { jsonLines } from '../catalog/jsonl.js';
import { readTextFile } from '../catalog/read-text.js';
import { createError } from '../errors.js';

export interface BeirCollection {
  docs: Entity[];
  queries: Map<string, string>;
  qrels: Map<string, Map<string, number>>;
}

function findFile(dir: string, name: string): string {
  for (const candidate of [join(dir, name), join(dir, `${name}.gz`)]) if (existsSync(candidate)) return candidate;
  throw createError('EVAL_BAD_INPUT', dir, `no ${name} (expected the BEIR layout: corpus.jsonl, queries.jsonl, qrels/test.tsv)`);
}

function* objectLines(path: string): Generator<[Record<string, unknown>, string]> {
  for (const { where, value, error } of jsonLines(readTextFile(path), path)) {
    if (error) throw createError('EVAL_BAD_INPUT', where, error);
    if (typeof value !== 'object' || value === null || typeof (value as { _id?: unknown })._id !== 'string') {
      throw createError('EVAL_BAD_INPUT', where, 'expected an object with a string "_id"');
    }
    yield [value as Record<string, unknown>, where];
  }
}

/** `fields` picks which corpus properties become searchable fields (default title and text). */
export function readBeir(dir: string, fields: readonly string[] = ['title', 'text']): BeirCollection {
  const docs: Entity[] = [];
  for (const [row] of objectLines(findFile(dir, 'corpus.jsonl'))) {
    const text = (name: string) => (typeof row[name] === 'string' ? (row[name] as string) : '');
    const entity: Entity = { id: row._id as string, type: 'doc', title: fields.includes('title') ? text('title') : '', fields: {} };
    for (const f of fields) if (f !== 'title') entity.fields![f] = text(f);
    docs.push(entity);
  }
  const queries = new Map<string, string>();
  for (const [row, where] of objectLines(findFile(dir, 'queries.jsonl'))) {
    if (typeof row.text !== 'string') throw createError('EVAL_BAD_INPUT', where, 'query has no string "text"');
    queries.set(row._id as string, row.text);
  }
  const qrels = new Map<string, Map<string, number>>();
  const qrelsPath = findFile(join(dir, 'qrels'), 'test.tsv');
  readTextFile(qrelsPath).split('\n').forEach((line, i) => {
    const cols = line.trim().split('\t');
    if (line.trim() === '' || (i === 0 && !/^\d+$/.test(cols[2] ?? ''))) return; // header
    const grade = Number(cols[2]);
    if (cols.length < 3 || !Number.isFinite(grade)) throw createError('EVAL_BAD_INPUT', `${qrelsPath}:${i + 1}`, 'expected query-id, corpus-id, score');
    if (!qrels.has(cols[0])) qrels.set(cols[0], new Map());
    qrels.get(cols[0])!.set(cols[1], grade);
  });
  return { docs, queries, qrels };
}
