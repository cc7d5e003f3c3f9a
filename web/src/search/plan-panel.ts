// The plan the retrieval policy drew for the current search: each strategy's budget, the probability of that
// budget and of running at all, how far the ranker trusts its order, what it found, and the probability of the
// whole plan (its propensity), with the context it was drawn in, so a person can change the context, search
// again and watch the choice move.
import type { RequestContext, SearchResponse } from '../shared/api.js';
import { h } from './dom.js';
import { formatProbability } from './format.js';
import { allChoices } from './plan-choice.js';

export function createPlanPanel(): { element: HTMLElement; show(response: SearchResponse, context: RequestContext): void; clear(): void } {
  const body = h('div', { class: 'plan-body' }, h('p', { class: 'hint' }, 'Search to see the plan.'));
  const element = h('section', { class: 'panel plan', id: 'plan', 'aria-labelledby': 'plan-heading' }, h('h2', { id: 'plan-heading' }, 'The policy\'s plan'), body);

  const show = (response: SearchResponse, context: RequestContext) => {
    const explanation = response.explanation;
    const rows = allChoices(response).map((c) => h('tr', { class: c.budget > 0 ? 'planned' : c.rescue ? 'rescue' : 'unplanned', 'data-strategy': c.strategy },
      h('th', { scope: 'row' }, c.strategy),
      h('td', {}, c.budget > 0 ? String(c.budget) : c.rescue ? 'rescue' : '0'),
      h('td', { class: 'p-budget' }, c.probability === undefined ? '—' : formatProbability(c.probability)),
      h('td', { class: 'p-run' }, c.runProbability === undefined ? '—' : formatProbability(c.runProbability)),
      h('td', { class: 'trust' }, explanation?.trust?.[c.strategy] === undefined ? '—' : formatProbability(explanation.trust[c.strategy])),
      h('td', {}, c.found === undefined ? '—' : String(c.found)),
    ));
    const where = [context.user && `user ${context.user}`, context.time && `at ${context.time}`, context.locale && `locale ${context.locale}`].filter(Boolean).join(', ');
    body.replaceChildren(
      h('p', { class: 'plan-summary' },
        explanation?.propensity === undefined ? 'A fixed plan.' : h('span', {}, 'Plan drawn with probability ', h('strong', { class: 'propensity' }, formatProbability(explanation.propensity)), '.'),
        ` Ranker: ${explanation?.ranker ?? 'unknown'}. Context: ${where || 'none'}.`),
      h('div', { class: 'table-scroll' },
        h('table', {},
          h('caption', { class: 'visually-hidden' }, 'Budget per strategy for this search'),
          h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Strategy'), h('th', { scope: 'col' }, 'Budget'), h('th', { scope: 'col' }, 'P(budget)'), h('th', { scope: 'col' }, 'P(runs)'), h('th', { scope: 'col', title: "The policy's estimate that the strategy's first candidates hold what you want: the ranker weighs its order by it" }, 'Trust'), h('th', { scope: 'col' }, 'Found'))),
          h('tbody', {}, ...rows))),
      h('p', { class: 'hint' }, `Request ${response.requestId} · ${response.timings.total.toFixed(1)} ms`),
    );
  };
  const clear = () => body.replaceChildren(h('p', { class: 'hint' }, 'Search to see the plan.'));
  return { element, show, clear };
}
