/**
 * The charts' series colours and dash patterns, shared by the server-side SVG charts (chart.ts) and the web
 * dashboard's (web/src/shared/svg-chart.ts), which cannot import chart.ts (it writes files). The hues of Okabe &
 * Ito (2008), colour-blind safe; the pale ones (reddish purple, orange, sky blue, yellow → olive) darkened so that
 * every line has at least 3:1 contrast on white (WCAG 1.4.11; test/report/palette.test.ts checks it). Past the
 * palette, series are dashed.
 */
export const CHART_PALETTE = ['#0072B2', '#D55E00', '#009E73', '#C0669A', '#B77E00', '#2E8BC8', '#000000', '#8A7D00'] as const;
export const CHART_DASHES = ['', '8 4', '2 3', '8 3 2 3'] as const;

/** Colour and dash of the index-th series. */
export function seriesStroke(index: number): { color: string; dash: string } {
  return { color: CHART_PALETTE[index % CHART_PALETTE.length], dash: CHART_DASHES[Math.floor(index / CHART_PALETTE.length) % CHART_DASHES.length] };
}
