// The request context a search is made in: user id, local date and time, locale. The policy and query
// understanding read all three (time of day and locale are features of its choice), so changing them and
// searching again shows whether the plan changes. A change re-runs the current search.
import type { RequestContext } from '../shared/api.js';
import { h } from './dom.js';

const LOCALES = ['en-US', 'en-GB', 'de-DE', 'fr-FR', 'es-ES', 'pt-BR', 'sv-SE', 'ja-JP'];

/** A datetime-local value ("2020-01-10T20:00") as ISO 8601 with this browser's UTC offset at that moment. */
export function withLocalOffset(value: string): string {
  const offset = -new Date(value).getTimezoneOffset();
  const abs = Math.abs(offset);
  const pad = (n: number) => String(n).padStart(2, '0');
  const seconds = value.length === 16 ? `${value}:00` : value;
  return `${seconds}${offset < 0 ? '-' : '+'}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

export function createContextPanel(changed: (context: RequestContext) => void): { element: HTMLElement; context(): RequestContext } {
  const user = h('input', { id: 'ctx-user', type: 'text', autocomplete: 'off', placeholder: 'anonymous' });
  const time = h('input', { id: 'ctx-time', type: 'datetime-local' });
  const locale = h('input', { id: 'ctx-locale', type: 'text', list: 'ctx-locales', autocomplete: 'off', placeholder: 'none' });
  const reset = h('button', { type: 'button' }, 'Reset context');
  const context = (): RequestContext => {
    const out: RequestContext = {};
    if (user.value.trim()) out.user = user.value.trim();
    if (time.value) out.time = withLocalOffset(time.value);
    if (locale.value.trim()) out.locale = locale.value.trim();
    return out;
  };
  const element = h('section', { class: 'panel context', 'aria-labelledby': 'ctx-heading' },
    h('h2', { id: 'ctx-heading' }, 'Context'),
    h('p', { class: 'hint' }, 'Sent with every search. Empty fields are left out (time: the server\'s clock).'),
    h('div', { class: 'field' }, h('label', { for: 'ctx-user' }, 'User id'), user),
    h('div', { class: 'field' }, h('label', { for: 'ctx-time' }, 'Date and time of day'), time),
    h('div', { class: 'field' }, h('label', { for: 'ctx-locale' }, 'Locale'), locale),
    h('datalist', { id: 'ctx-locales' }, ...LOCALES.map((l) => h('option', { value: l }))),
    reset,
  );
  for (const input of [user, time, locale]) input.addEventListener('change', () => changed(context()));
  reset.addEventListener('click', () => {
    user.value = time.value = locale.value = '';
    changed(context());
  });
  return { element, context };
}
