// Entity-type chips: a radio group (native radios, so arrow keys and screen readers work as usual) that
// restricts the search to one type, sent as POST /search `types`.
import { h } from './dom.js';

export const TYPE_CHOICES: ReadonlyArray<{ value: string; label: string }> = [
  { value: 'all', label: 'All' },
  { value: 'track', label: 'Tracks' },
  { value: 'artist', label: 'Artists' },
  { value: 'album', label: 'Albums' },
  { value: 'playlist', label: 'Playlists' },
];

/** The chips; `changed` gets the types to send (undefined: all). */
export function createTypeChips(changed: (types: string[] | undefined) => void): HTMLElement {
  const fieldset = h('fieldset', { class: 'chips' }, h('legend', { class: 'visually-hidden' }, 'Entity type'));
  for (const { value, label } of TYPE_CHOICES) {
    const radio = h('input', { type: 'radio', name: 'type', value, id: `type-${value}`, checked: value === 'all' });
    radio.addEventListener('change', () => changed(value === 'all' ? undefined : [value]));
    fieldset.append(h('span', { class: 'chip' }, radio, h('label', { for: `type-${value}` }, label)));
  }
  return fieldset;
}
