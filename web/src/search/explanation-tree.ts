// Any explanation tree (value, description, details) as nested lists: the complete, unabridged answer to "why
// this score", for the strategies the page has no dedicated view of.
import type { Explanation } from '../shared/api.js';
import { h } from './dom.js';
import { formatScore } from './format.js';

export function renderExplanationTree(e: Explanation): HTMLElement {
  return h('ul', { class: 'tree' }, renderNode(e));
}

function renderNode(e: Explanation): HTMLElement {
  return h('li', {},
    h('span', { class: 'tree-value' }, formatScore(e.value)), ' ', e.description,
    e.details.length > 0 ? h('ul', {}, ...e.details.map(renderNode)) : null);
}
