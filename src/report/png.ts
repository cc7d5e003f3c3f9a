/**
 * SVG → PNG with resvg (@resvg/resvg-js: a Rust SVG renderer shipped as prebuilt npm platform packages, no build
 * step). It is loaded on first use, so `import 'quiver'` never loads a native addon that only charts need.
 *
 * Text needs a font: system fonts are loaded by default (fontconfig's folders, e.g. /usr/share/fonts); `fontFiles`
 * adds more. On a machine with no fonts at all (a bare CI container) resvg leaves the text out and still renders
 * every line, axis and marker, rather than failing; the SVG keeps all text.
 */
import { createRequire } from 'node:module';
import type * as Resvg from '@resvg/resvg-js';
import { createError } from '../errors.js';

export interface PngOptions {
  /** Load the system's fonts (default true); false renders faster, without text unless `fontFiles` are given. */
  readonly loadSystemFonts?: boolean;
  /** Font files (.ttf, .otf) to use besides, or instead of, the system's. */
  readonly fontFiles?: readonly string[];
}

let renderer: typeof Resvg | undefined;

function loadRenderer(): typeof Resvg {
  try {
    renderer ??= createRequire(import.meta.url)('@resvg/resvg-js') as typeof Resvg;
    return renderer;
  } catch (err) {
    throw createError('CHART_PNG_UNAVAILABLE', (err as Error).message.split('\n')[0]);
  }
}

/** Renders the SVG at its own width and height (1 SVG unit = 1 pixel) as PNG bytes. */
export function svgToPng(svg: string, options: PngOptions = {}): Buffer {
  const { Resvg } = loadRenderer();
  try {
    const rendered = new Resvg(svg, {
      fitTo: { mode: 'original' },
      font: { loadSystemFonts: options.loadSystemFonts ?? true, fontFiles: [...(options.fontFiles ?? [])] },
      logLevel: 'off',
    }).render();
    return rendered.asPng();
  } catch (err) {
    throw createError('CHART_BAD_INPUT', 'SVG', `could not be rendered: ${(err as Error).message}`);
  }
}
