// Text contrast in a live page (WCAG 1.4.3): every visible element with its own text, its computed colour against
// the first opaque background behind it (walking up the ancestors), by the WCAG relative-luminance formula.
// Returns the elements below their threshold: 4.5:1, or 3:1 for large text (24 px, or 18.66 px bold).
import type { Page } from 'playwright-core';

export interface LowContrast {
  text: string;
  ratio: number;
  color: string;
  background: string;
}

// Plain JavaScript, sent as text: a function passed from here would carry tsx's __name helper into the page.
const SCRIPT = `(() => {
  const parse = (css) => (css.match(/[\\d.]+/g) ?? []).map(Number);
  const luminance = ([r, g, b]) => {
    const [R, G, B] = [r, g, b].map((c) => c / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
    return 0.2126 * R + 0.7152 * G + 0.0722 * B;
  };
  const backgroundOf = (el) => {
    for (let e = el; e; e = e.parentElement) {
      const bg = parse(getComputedStyle(e).backgroundColor);
      if (bg.length === 3 || (bg.length === 4 && bg[3] >= 0.99)) return bg.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    const own = [...el.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.textContent ?? '').join('').trim();
    const style = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    if (!own || style.visibility === 'hidden' || style.display === 'none' || box.width === 0 || box.height === 0) continue;
    if (el.closest('[aria-hidden="true"], .visually-hidden, svg')) continue;
    const fg = parse(style.color);
    const bg = backgroundOf(el);
    const alpha = fg.length === 4 ? fg[3] : 1;
    const blended = fg.slice(0, 3).map((c, i) => alpha * c + (1 - alpha) * bg[i]);
    const [a, b] = [luminance(blended), luminance(bg)];
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    const size = parseFloat(style.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
    if (ratio < (large ? 3 : 4.5)) out.push({ text: own.slice(0, 40), ratio: Math.round(ratio * 100) / 100, color: style.color, background: 'rgb(' + bg.join(', ') + ')' });
  }
  return out;
})()`;

export function lowContrastText(page: Page): Promise<LowContrast[]> {
  return page.evaluate(SCRIPT) as Promise<LowContrast[]>;
}
