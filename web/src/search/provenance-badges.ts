// The strategies that found a result, as badges: name, rank in that strategy and its score there.
import type { SearchResult } from '../shared/api.js';
import { h } from './dom.js';
import { formatScore } from './format.js';

export function renderProvenanceBadges(result: SearchResult): HTMLElement {
  return h('ul', { class: 'badges', 'aria-label': 'Found by' },
    ...result.provenance.map((p) => h('li', {
      class: `badge badge-${p.strategy}`, 'data-strategy': p.strategy, title: `${p.strategy}: rank ${p.rank}, score ${formatScore(p.score)}`,
    }, h('span', { class: 'badge-name' }, p.strategy), ` #${p.rank} · ${formatScore(p.score)}`)));
}
