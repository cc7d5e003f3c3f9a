// One result: position, title (a button that opens it: sends a click and shows the entity), type, key fields,
// release year and popularity, the strategies that found it, feedback buttons and the "why" panel. The card
// itself is focusable so the list can move focus card by card (result-list.ts).
import type { SearchResponse, SearchResult } from '../shared/api.js';
import { h, uniqueId } from './dom.js';
import { fillEntityDetail } from './entity-detail.js';
import { createFeedbackControls, type FeedbackKind } from './feedback-controls.js';
import { formatScore, releaseYear, typeLabel } from './format.js';
import { renderProvenanceBadges } from './provenance-badges.js';
import { createWhyPanel } from './why-panel.js';

export interface CardActions {
  /** The user did something with the result at this 1-based position. */
  feedback(result: SearchResult, position: number, type: FeedbackKind): void;
}

const MAX_FIELD_CHARS = 120;

function keyFields(result: SearchResult): string[] {
  return Object.entries(result.fields ?? {})
    .map(([name, value]) => [name, Array.isArray(value) ? value.join(', ') : value] as const)
    .filter(([, text]) => text && text !== result.title)
    .map(([name, text]) => `${name}: ${text.length > MAX_FIELD_CHARS ? `${text.slice(0, MAX_FIELD_CHARS)}…` : text}`);
}

export function createResultCard(response: SearchResponse, result: SearchResult, position: number, actions: CardActions): HTMLLIElement {
  const titleId = uniqueId('title');
  const detailId = uniqueId('detail');
  const open = h('button', { type: 'button', class: 'open', id: titleId, 'aria-expanded': 'false', 'aria-controls': detailId }, result.title);
  const detail = h('div', { class: 'detail', id: detailId, hidden: true });
  const year = releaseYear(result.released);
  const card = h('article', { class: 'card', tabindex: '-1', 'aria-labelledby': titleId, 'data-id': result.id, 'data-position': position },
    h('div', { class: 'card-head' },
      h('span', { class: 'position', 'aria-label': `position ${position}` }, String(position)),
      h('h3', { class: 'title' }, open),
      h('span', { class: `type type-${result.type}` }, typeLabel(result.type))),
    h('p', { class: 'meta' },
      ...keyFields(result).map((f) => h('span', { class: 'key-field' }, f)),
      year && h('span', { class: 'year' }, `released ${year}`),
      result.popularity !== undefined && h('span', { class: 'popularity' }, `popularity ${formatScore(result.popularity)}`),
      h('span', { class: 'score' }, `score ${formatScore(result.score)}`)),
    renderProvenanceBadges(result),
    createFeedbackControls(result.title, (type) => actions.feedback(result, position, type)),
    detail,
    createWhyPanel(response, result));

  let fetched = false;
  /** Opening sends one click (the first time) and shows the entity; opening again folds it. */
  const toggle = () => {
    const opening = detail.hidden;
    detail.hidden = !opening;
    open.setAttribute('aria-expanded', String(opening));
    if (opening && !fetched) {
      fetched = true;
      actions.feedback(result, position, 'click');
      void fillEntityDetail(detail, result.id);
    }
  };
  open.addEventListener('click', toggle);
  card.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && e.target === card) {
      e.preventDefault();
      toggle();
    }
  });
  return h('li', {}, card);
}
