/**
 * The charts' series colours and dash patterns, shared by the server-side SVG charts (chart.ts) and the web
 * dashboard's (web/src/shared/svg-chart.ts), which cannot import chart.ts (it writes files). Okabe & Ito (2008),
 * colour-blind safe, ordered for contrast on white; yellow, the faintest, last. Past the palette, series are dashed.
 */
export const CHART_PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000', '#F0E442'] as const;
export const CHART_DASHES = ['', '8 4', '2 3', '8 3 2 3'] as const;

/** Colour and dash of the index-th series. */
export function seriesStroke(index: number): { color: string; dash: string } {
  return { color: CHART_PALETTE[index % CHART_PALETTE.length], dash: CHART_DASHES[Math.floor(index / CHART_PALETTE.length) % CHART_DASHES.length] };
}
