// "Why this result?": a disclosure with the full explanation of one result. How it was found (each strategy's
// rank and score, the budget the policy gave that strategy and that budget's probability, the whole plan's
// probability), the text match as per-field BM25F, the ranker's contributions, what memory learned from feedback,
// and every strategy's own explanation tree. Built when first opened: most are never opened.
import type { SearchResponse, SearchResult } from '../shared/api.js';
import { renderBm25f } from './bm25f-table.js';
import { h } from './dom.js';
import { renderExplanationTree } from './explanation-tree.js';
import { formatProbability, formatScore } from './format.js';
import { strategyChoice } from './plan-choice.js';
import { renderRankerContributions } from './ranker-contributions.js';

export function createWhyPanel(response: SearchResponse, result: SearchResult): HTMLDetailsElement {
  const details = h('details', { class: 'why' }, h('summary', {}, 'Why this result?'));
  details.addEventListener('toggle', () => {
    if (details.open && details.childElementCount === 1) details.append(whyContent(response, result));
  });
  return details;
}

function whyContent(response: SearchResponse, result: SearchResult): HTMLElement {
  const explained = result.retrievalExplanations ?? {};
  const propensity = response.explanation?.propensity;
  const found = result.provenance.map((p) => {
    const choice = strategyChoice(response, p.strategy);
    return h('li', { 'data-strategy': p.strategy },
      h('strong', {}, p.strategy), ` found it at rank ${p.rank} with score ${formatScore(p.score)}. `,
      choice.rescue ? 'It ran as a rescue: the plan found nothing.' :
      choice.probability === undefined ? `Budget ${choice.budget} (fixed plan).` :
      h('span', {}, `The policy gave it budget ${choice.budget} with probability `, h('span', { class: 'p-budget' }, formatProbability(choice.probability)),
        ` (it runs with probability ${formatProbability(choice.runProbability ?? 0)}).`));
  });
  const memory = explained.memory;
  return h('div', { class: 'why-body' },
    h('section', { class: 'why-choice' }, h('h3', {}, 'How it was found'),
      h('ul', {}, ...found),
      propensity === undefined ? null : h('p', {}, 'The whole plan was drawn with probability ', h('span', { class: 'propensity' }, formatProbability(propensity)), '.')),
    h('section', { class: 'why-bm25f' }, h('h3', {}, 'Text match (BM25F per field)'), renderBm25f(explained.lexical)),
    h('section', { class: 'why-ranker' }, h('h3', {}, `Ranking (${response.explanation?.ranker ?? 'ranker'})`), renderRankerContributions(result.explanation)),
    memory && h('section', { class: 'why-memory' }, h('h3', {}, 'What feedback taught (memory)'),
      h('p', {}, 'Memory scores it ', h('strong', { class: 'memory-score' }, formatScore(memory.value)),
        result.provenance.some((p) => p.strategy === 'memory') ? ' and found it in this search.' : ' (memory did not find it in this search).'),
      renderExplanationTree(memory)),
    h('section', { class: 'why-all' }, h('h3', {}, 'Every strategy\'s explanation'),
      ...Object.entries(explained).map(([name, e]) => h('details', { class: 'strategy-tree' },
        h('summary', {}, `${name}: ${formatScore(e.value)}`), renderExplanationTree(e)))));
}
