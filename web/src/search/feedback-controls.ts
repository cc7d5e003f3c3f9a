// What a person can do with a result besides opening it: play, like, favourite, skip. Each press posts a real
// feedback event (main.ts sends it with the search's request id and the result's position).
import type { FeedbackInput } from '../shared/api.js';
import { h } from './dom.js';

export type FeedbackKind = Extract<FeedbackInput['type'], 'click' | 'play' | 'like' | 'favorite' | 'skip'>;

const BUTTONS: ReadonlyArray<{ type: FeedbackKind; label: string; symbol: string }> = [
  { type: 'play', label: 'Play', symbol: '▶' },
  { type: 'like', label: 'Like', symbol: '♥' },
  { type: 'favorite', label: 'Favourite', symbol: '★' },
  { type: 'skip', label: 'Skip', symbol: '⤼' },
];

export function createFeedbackControls(title: string, send: (type: FeedbackKind) => void): HTMLElement {
  const group = h('div', { class: 'feedback', role: 'group', 'aria-label': `Feedback on ${title}` });
  for (const { type, label, symbol } of BUTTONS) {
    const button = h('button', { type: 'button', 'data-feedback': type }, h('span', { 'aria-hidden': 'true' }, symbol), ` ${label}`);
    button.addEventListener('click', () => {
      button.dataset.sent = 'true';
      send(type);
    });
    group.append(button);
  }
  return group;
}
