// The text match of one result as tables: for each query term its BM25F score, idf and tf~, and under it the
// fields it matched with tf, field length against the average, the length norm and the field's share of tf~.
import type { Explanation } from '../shared/api.js';
import { bm25fBreakdown } from './bm25f.js';
import { h } from './dom.js';
import { formatScore } from './format.js';

const cell = (x: number | undefined) => h('td', {}, x === undefined ? '—' : formatScore(x));

export function renderBm25f(lexical: Explanation | undefined): HTMLElement {
  if (!lexical) return h('p', { class: 'hint' }, 'This engine has no lexical strategy.');
  const breakdown = bm25fBreakdown(lexical);
  if (!breakdown) return h('p', { class: 'hint' }, `No text match: ${lexical.description} (score ${formatScore(lexical.value)}).`);
  const terms = breakdown.terms.map((t) => h('div', { class: 'bm25f-term', 'data-term': t.term },
    h('p', {}, h('strong', {}, `“${t.term}”`), ' scores ', h('span', { class: 'term-score' }, formatScore(t.value)),
      ` = idf ${t.idf === undefined ? '?' : formatScore(t.idf)} · (k1 + 1) · tf~ / (k1 + tf~), tf~ = ${t.tfTilde === undefined ? '?' : formatScore(t.tfTilde)}, k1 = ${t.k1 === undefined ? '?' : formatScore(t.k1)}`),
    h('div', { class: 'table-scroll' },
      h('table', { class: 'bm25f-fields' },
        h('caption', { class: 'visually-hidden' }, `Fields matching “${t.term}”`),
        h('thead', {}, h('tr', {}, ...['Field', 'tf', 'weight', 'length', 'avg length', 'norm', 'share of tf~'].map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', {}, ...t.fields.map((f) => h('tr', { 'data-field': f.field },
          h('th', { scope: 'row' }, f.field), cell(f.tf), cell(f.weight), cell(f.length), cell(f.avgLength), cell(f.norm), h('td', { class: 'field-value' }, formatScore(f.value)))))))));
  return h('div', { class: 'bm25f' },
    ...terms,
    breakdown.prior === undefined ? null : h('p', {}, 'Popularity prior: ', h('span', { class: 'prior' }, formatScore(breakdown.prior))),
    h('p', {}, 'Lexical score (sum): ', h('strong', { class: 'lexical-total' }, formatScore(breakdown.total))));
}
