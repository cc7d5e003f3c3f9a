/**
 * Loads a catalogue file (JSONL or CSV, optionally gzipped) into validated entities. Whole-file checks follow the
 * row checks: duplicate ids and relations naming entities that are not there. By default any problem refuses the
 * whole load (nothing is half-loaded); with `skipInvalid` the bad rows, and rows whose relations point at skipped
 * or missing entities, are left out and reported.
 */
import { basename } from 'node:path';
import { createError } from '../errors.js';
import { type ColumnMapping, parseCsv } from './csv.js';
import type { Entity } from './entity.js';
import { type ParsedRow, parseJsonl } from './jsonl.js';
import { readTextFile } from './read-text.js';
import type { RowIssue } from './validate.js';

export interface LoadOptions {
  skipInvalid?: boolean;
  csvMapping?: ColumnMapping;
  /** Entities already loaded that relations may also name (e.g. when adding to an index). */
  knownIds?: ReadonlySet<string>;
}

export interface LoadedCatalog {
  entities: Entity[];
  skipped: RowIssue[];
}

export function loadCatalog(path: string, options: LoadOptions = {}): LoadedCatalog {
  const name = path.replace(/\.gz$/, '');
  let rows: ParsedRow[];
  if (name.endsWith('.jsonl') || name.endsWith('.ndjson')) rows = parseJsonl(readTextFile(path), basename(path));
  else if (name.endsWith('.csv')) rows = parseCsv(readTextFile(path), basename(path), options.csvMapping);
  else throw createError('CATALOG_UNKNOWN_FORMAT', path);
  return checkCatalog(rows, options);
}

/** The whole-catalogue checks over parsed rows; exported for callers that parse rows themselves. */
export function checkCatalog(rows: ParsedRow[], options: LoadOptions = {}): LoadedCatalog {
  const issues: RowIssue[] = [];
  const firstSeen = new Map<string, string>();
  let valid: Array<{ entity: Entity; where: string }> = [];
  for (const row of rows) {
    if (!row.entity) {
      issues.push(...row.issues);
      continue;
    }
    const first = firstSeen.get(row.entity.id);
    if (first !== undefined) {
      issues.push({ where: row.where, field: 'id', message: `duplicates "${row.entity.id}" (first seen at ${first})` });
      continue;
    }
    firstSeen.set(row.entity.id, row.where);
    valid.push({ entity: row.entity, where: row.where });
  }
  // Dropping a row can leave another row's relation dangling, so repeat until nothing more is dropped.
  for (;;) {
    const ids = new Set(valid.map((v) => v.entity.id));
    const kept = valid.filter(({ entity, where }) => {
      for (const [relation, targets] of Object.entries(entity.relations ?? {})) {
        const missing = targets.find((t) => !ids.has(t) && !options.knownIds?.has(t));
        if (missing !== undefined) {
          issues.push({ where, field: `relations.${relation}`, message: `names entity "${missing}", which is not in the catalogue` });
          return false;
        }
      }
      return true;
    });
    if (kept.length === valid.length) break;
    valid = kept;
    if (!options.skipInvalid) break;
  }
  if (issues.length > 0 && !options.skipInvalid) {
    const err = createError('CATALOG_INVALID', issues.length, formatIssue(issues[0]));
    (err as Error & { issues?: RowIssue[] }).issues = issues;
    throw err;
  }
  return { entities: valid.map((v) => v.entity), skipped: issues };
}

export function formatIssue(issue: RowIssue): string {
  return issue.field === '(row)' ? `${issue.where}: ${issue.message}` : `${issue.where}: field "${issue.field}" ${issue.message}`;
}
