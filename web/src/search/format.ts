// How numbers read on the search page: one formatter for scores and one for probabilities, shared with the
// browser test so it can check the page shows exactly what the API answered.

/** Integers as they are; other values to 4 significant digits (trailing zeros dropped). */
export function formatScore(x: number): string {
  if (Number.isInteger(x)) return String(x);
  if (Math.abs(x) >= 1000) return x.toFixed(1);
  return String(Number(x.toPrecision(4)));
}

/** A probability as a percentage with one decimal (two below 1 %, so small propensities stay readable). */
export function formatProbability(p: number): string {
  const percent = p * 100;
  return `${percent < 1 && percent > 0 ? percent.toFixed(2) : percent.toFixed(1)} %`;
}

/** The year of a release date (YYYY, YYYY-MM or YYYY-MM-DD). */
export const releaseYear = (released: string | undefined): string | undefined => released?.slice(0, 4);

export const TYPE_LABELS: Record<string, string> = { track: 'Track', artist: 'Artist', album: 'Album', playlist: 'Playlist' };
export const typeLabel = (type: string) => TYPE_LABELS[type] ?? type;
