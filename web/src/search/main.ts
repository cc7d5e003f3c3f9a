// The search page: wires the search box, type chips, context panel, plan panel and results together. State is
// the current query, type restriction and context; every change runs one search (search-session.ts keeps only
// the newest answer), and feedback is sent with the request id of the search that showed the result.
import '../shared/style.css';
import './search.css';
import { getHealth, type RequestContext, sendFeedback } from '../shared/api.js';
import { createContextPanel } from './context-panel.js';
import { h } from './dom.js';
import { createFeedbackStatus } from './feedback-status.js';
import { createPlanPanel } from './plan-panel.js';
import { createResultList } from './result-list.js';
import { createSearchBox } from './search-box.js';
import { type SearchInput, SearchSession } from './search-session.js';
import { TYPE_CHOICES, createTypeChips } from './type-chips.js';

let query = '';
let types: string[] | undefined;
let entities: number | undefined;

const plan = createPlanPanel();
const feedbackStatus = createFeedbackStatus();
const contextPanel = createContextPanel(() => void run());
const box = createSearchBox({
  query: (text) => {
    query = text;
    void run();
  },
  again: () => {
    query = box.input.value;
    void run();
  },
  enterResults: () => results.focusFirst(),
  cleared: () => {
    query = '';
    void run();
  },
});
const scopeOf = (input: SearchInput) => (input.types ? ` in ${TYPE_CHOICES.find((c) => c.value === input.types![0])?.label.toLowerCase()}` : '');
const results = createResultList({
  leaveToTop: () => box.input.focus(),
  escape: () => box.clear(),
  feedback: (result, position, type) => {
    const requestId = shownRequest;
    if (!requestId) return;
    sendFeedback({ requestId, entityId: result.id, type, position })
      .then((receipt) => feedbackStatus.sent(type, result.title, position, receipt))
      .catch((err) => feedbackStatus.failed(type, err));
  },
});
let shownRequest: string | undefined;
const session = new SearchSession({
  loading: (input) => results.showLoading(input.query),
  results: (response, input) => {
    shownRequest = response.requestId;
    results.showResults(response, scopeOf(input));
    plan.show(response, input.context);
  },
  failed: (error) => {
    shownRequest = undefined;
    results.showError(error);
  },
  cleared: () => {
    shownRequest = undefined;
    results.showIntro(entities);
    plan.clear();
  },
});

function run(): Promise<void> {
  const context: RequestContext = contextPanel.context();
  return session.search({ query, types, context });
}

const chips = createTypeChips((chosen) => {
  types = chosen;
  void run();
});

document.getElementById('app')!.replaceChildren(
  h('div', { class: 'search-top' }, box.element, chips),
  h('div', { class: 'search-layout' },
    h('div', { class: 'search-main' }, feedbackStatus.element, results.element),
    h('aside', { class: 'search-side', 'aria-label': 'Context and plan' }, contextPanel.element, plan.element)),
);
results.showIntro();
getHealth().then((health) => {
  entities = health.entities;
  if (query === '') results.showIntro(entities);
}).catch(() => undefined);
box.input.focus();
