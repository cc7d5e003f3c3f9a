// The search box: a labelled search input that reports the query after a short pause in typing (debounced), a
// "search again" button (a new request: the policy draws its plan afresh), ArrowDown to step into the results
// and Escape to clear.
import { h } from './dom.js';

export interface SearchBoxEvents {
  query(text: string): void;
  again(): void;
  /** ArrowDown: move focus into the results. */
  enterResults(): void;
  cleared(): void;
}

export const DEBOUNCE_MS = 150;

export function createSearchBox(events: SearchBoxEvents): { element: HTMLElement; input: HTMLInputElement; clear(): void } {
  const input = h('input', {
    id: 'q', type: 'search', autocomplete: 'off', spellcheck: 'false', placeholder: 'Songs, artists, albums, playlists…',
    'aria-describedby': 'q-hint', 'aria-controls': 'results',
  });
  const again = h('button', { type: 'submit', class: 'again' }, 'Search again');
  const form = h('form', { role: 'search', class: 'search-box', 'aria-label': 'Search the catalogue' },
    h('label', { for: 'q' }, 'Search'),
    h('div', { class: 'search-row' }, input, again),
    h('p', { id: 'q-hint', class: 'hint' }, 'Results appear as you type. ↓ moves into the results, Enter opens one, Esc clears.'),
  );
  let timer: ReturnType<typeof setTimeout> | undefined;
  const clear = () => {
    clearTimeout(timer);
    input.value = '';
    events.cleared();
    input.focus();
  };
  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => events.query(input.value), DEBOUNCE_MS);
  });
  input.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      events.enterResults();
    } else if (e.key === 'Escape') {
      e.preventDefault();
      clear();
    }
  });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    clearTimeout(timer);
    events.again();
  });
  return { element: form, input, clear };
}
