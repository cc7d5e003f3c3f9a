/** Human-readable output helpers for the CLI (JSON output is written as is). */
import type { Explanation } from '../index/explain.js';

export function formatExplanation(e: Explanation, indent = ''): string {
  const value = Number.isInteger(e.value) ? String(e.value) : e.value.toFixed(4);
  const lines = [`${indent}${value}  ${e.description}`];
  for (const d of e.details) lines.push(formatExplanation(d, `${indent}  `));
  return lines.join('\n');
}

export function table(rows: Array<Record<string, string | number>>): string {
  if (rows.length === 0) return '';
  const keys = Object.keys(rows[0]);
  const cell = (v: string | number) => (typeof v === 'number' && !Number.isInteger(v) ? v.toFixed(4) : String(v));
  const widths = keys.map((k) => Math.max(k.length, ...rows.map((r) => cell(r[k]).length)));
  const line = (values: string[]) => values.map((v, i) => v.padEnd(widths[i])).join('  ').trimEnd();
  return [line(keys), line(widths.map((w) => '-'.repeat(w))), ...rows.map((r) => line(keys.map((k) => cell(r[k]))))].join('\n');
}

/** The same rows as a Markdown table, first column left-aligned and the others right-aligned. */
export function markdownTable(rows: Array<Record<string, string | number>>): string {
  if (rows.length === 0) return '';
  const keys = Object.keys(rows[0]);
  const cell = (v: string | number) => (typeof v === 'number' && !Number.isInteger(v) ? v.toFixed(4) : String(v));
  const line = (values: string[]) => `| ${values.join(' | ')} |`;
  return [line(keys), line(keys.map((_, i) => (i === 0 ? '---' : '---:'))), ...rows.map((r) => line(keys.map((k) => cell(r[k]))))].join('\n');
}
