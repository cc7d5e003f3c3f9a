// The ranker's explanation of a result's score as a table of contributions (LambdaMART: base + each feature's
// contribution along the trees' paths; the heuristic: each strategy's evidence), largest first, with bars.
import type { Explanation } from '../shared/api.js';
import { h } from './dom.js';
import { formatScore } from './format.js';

export function renderRankerContributions(explanation: Explanation | undefined): HTMLElement {
  if (!explanation) return h('p', { class: 'hint' }, 'No ranker explanation in the response.');
  const rows = [...explanation.details].sort((a, b) => Math.abs(b.value) - Math.abs(a.value));
  const largest = Math.max(1e-12, ...rows.map((r) => Math.abs(r.value)));
  return h('div', { class: 'ranker' },
    h('p', {}, explanation.description, ' = ', h('strong', { class: 'ranker-score' }, formatScore(explanation.value))),
    h('div', { class: 'table-scroll' },
      h('table', { class: 'contributions' },
        h('caption', { class: 'visually-hidden' }, 'Ranker feature contributions'),
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Feature'), h('th', { scope: 'col' }, 'Contribution'))),
        h('tbody', {}, ...rows.map((r) => h('tr', {},
          h('th', { scope: 'row' }, r.description),
          h('td', { class: 'contribution' },
            h('span', { class: `bar${r.value < 0 ? ' negative' : ''}`, style: `width:${(60 * Math.abs(r.value)) / largest}%`, 'aria-hidden': 'true' }),
            h('span', { class: 'contribution-value' }, formatScore(r.value)))))))));
}
