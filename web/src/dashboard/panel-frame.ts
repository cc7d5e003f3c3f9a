// The frame every dashboard panel shares: a titled <section> (its heading names it for assistive technology), a
// line saying what it shows, an optional row of controls, and a body the panel draws into.
export interface Panel<V = unknown> {
  readonly element: HTMLElement;
  update(view: V): void;
}

export interface PanelFrame {
  section: HTMLElement;
  controls: HTMLElement;
  body: HTMLElement;
}

export function panelFrame(id: string, title: string, description: string): PanelFrame {
  const section = document.createElement('section');
  section.className = 'panel';
  section.id = id;
  section.setAttribute('aria-labelledby', `${id}-title`);
  const heading = document.createElement('h2');
  heading.id = `${id}-title`;
  heading.textContent = title;
  const about = document.createElement('p');
  about.className = 'about';
  about.textContent = description;
  const controls = document.createElement('div');
  controls.className = 'controls';
  const body = document.createElement('div');
  body.className = 'chart-host';
  section.append(heading, about, controls, body);
  return { section, controls, body };
}

/** A labelled <select>; `onChange` gets the chosen value. */
export function labelledSelect(id: string, label: string, options: ReadonlyArray<[value: string, text: string]>, onChange: (value: string) => void): { wrap: HTMLElement; select: HTMLSelectElement } {
  const wrap = document.createElement('label');
  wrap.className = 'select';
  wrap.htmlFor = id;
  wrap.textContent = label;
  const select = document.createElement('select');
  select.id = id;
  for (const [value, text] of options) select.add(new Option(text, value));
  select.addEventListener('change', () => onChange(select.value));
  wrap.append(select);
  return { wrap, select };
}

/** Redraws `draw` when the element's width changes (charts are drawn at their container's width). */
export function redrawOnResize(element: HTMLElement, draw: () => void): void {
  let width = element.clientWidth;
  let frame = 0;
  new ResizeObserver(() => {
    if (element.clientWidth === width) return;
    width = element.clientWidth;
    cancelAnimationFrame(frame);
    frame = requestAnimationFrame(draw);
  }).observe(element);
}
