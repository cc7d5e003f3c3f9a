// The results region: a status line read out by screen readers (how many results, or searching, or nothing
// found), an error box for API errors (code and message), and the list of cards with keyboard navigation:
// ↑/↓ move from card to card (↑ from the first goes back to the search box), Home/End jump, Esc clears.
import { ApiError, type SearchResponse } from '../shared/api.js';
import { h } from './dom.js';
import { type CardActions, createResultCard } from './result-card.js';

export interface ResultListEvents extends CardActions {
  /** ↑ on the first card. */
  leaveToTop(): void;
  escape(): void;
}

export interface ResultList {
  element: HTMLElement;
  showIntro(entities?: number): void;
  showLoading(query: string): void;
  showResults(response: SearchResponse, scope: string): void;
  showError(error: unknown): void;
  focusFirst(): void;
}

export function createResultList(events: ResultListEvents): ResultList {
  const status = h('p', { id: 'status', role: 'status', 'aria-live': 'polite' });
  const error = h('div', { id: 'search-error', class: 'error', role: 'alert', hidden: true });
  const list = h('ol', { id: 'results', class: 'results', 'aria-labelledby': 'results-heading' });
  const element = h('section', { class: 'results-region', 'aria-labelledby': 'results-heading' },
    h('h2', { id: 'results-heading', class: 'visually-hidden' }, 'Results'), status, error, list);
  const cards = () => [...list.querySelectorAll<HTMLElement>('article.card')];

  list.addEventListener('keydown', (e) => {
    const all = cards();
    const current = (e.target as HTMLElement).closest<HTMLElement>('article.card');
    const at = current ? all.indexOf(current) : -1;
    const go = (i: number) => {
      e.preventDefault();
      all[Math.max(0, Math.min(all.length - 1, i))]?.focus();
    };
    if (e.key === 'ArrowDown') go(at + 1);
    else if (e.key === 'ArrowUp') {
      if (at <= 0) {
        e.preventDefault();
        events.leaveToTop();
      } else go(at - 1);
    } else if (e.key === 'Home') go(0);
    else if (e.key === 'End') go(all.length - 1);
    else if (e.key === 'Escape') {
      e.preventDefault();
      events.escape();
    }
  });

  const setError = (text?: string) => {
    error.hidden = text === undefined;
    error.textContent = text ?? '';
  };
  return {
    element,
    showIntro(entities) {
      setError();
      list.removeAttribute('aria-busy');
      list.replaceChildren();
      status.textContent = entities === undefined ? 'Type to search.' : `Type to search ${entities.toLocaleString('en')} tracks, artists, albums and playlists.`;
    },
    showLoading(query) {
      setError();
      list.setAttribute('aria-busy', 'true');
      status.textContent = `Searching for “${query}”…`;
    },
    showResults(response, scope) {
      setError();
      list.removeAttribute('aria-busy');
      list.replaceChildren(...response.results.map((result, i) => createResultCard(response, result, i + 1, events)));
      const n = response.results.length;
      status.textContent = n === 0 ? `No results for “${response.query}”${scope}.` : `${n} result${n === 1 ? '' : 's'} for “${response.query}”${scope}.`;
    },
    showError(err) {
      const e = err instanceof ApiError ? err : new ApiError(0, 'UNKNOWN', String(err));
      list.removeAttribute('aria-busy');
      list.replaceChildren();
      status.textContent = 'The search failed.';
      setError(`Error ${e.code}${e.status ? ` (HTTP ${e.status})` : ''}: ${e.message}`);
    },
    focusFirst() {
      cards()[0]?.focus();
    },
  };
}
