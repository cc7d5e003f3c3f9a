/**
 * Axis ranges with "nice" ticks for charts (Heckbert, "Nice Numbers for Graph Labels", Graphics Gems 1990): tick
 * steps of 1, 2 or 5 × 10^k, the axis widened outwards to whole steps, so labels read 0, 0.2, 0.4 … not 0.1837 ….
 */

export interface NiceAxis {
  readonly min: number;
  readonly max: number;
  readonly step: number;
  readonly ticks: readonly number[];
  /** Decimals that print every tick exactly. */
  readonly decimals: number;
}

/** The nice number near `value`: rounded to the nearest of 1, 2, 5, 10 × 10^k, or the smallest not below it. */
function niceNumber(value: number, round: boolean): number {
  const exponent = Math.floor(Math.log10(value));
  const fraction = value / 10 ** exponent;
  const nice = round
    ? fraction < 1.5 ? 1 : fraction < 3 ? 2 : fraction < 7 ? 5 : 10
    : fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
  return nice * 10 ** exponent;
}

/** An axis covering [lo, hi] with about `count` nice ticks; a single value is widened so that it sits mid-axis. */
export function niceAxis(lo: number, hi: number, count = 5): NiceAxis {
  // A span too small to divide into steps (equal values, or differing in the last bits) is plotted as one value.
  if (hi - lo <= Math.max(Math.abs(lo), Math.abs(hi)) * 1e-9 || hi - lo < 1e-290) {
    const middle = (lo + hi) / 2;
    const pad = Math.abs(middle) < 1e-290 ? 1 : Math.abs(middle) * 0.1;
    lo = middle - pad;
    hi = middle + pad;
  }
  const step = niceNumber(niceNumber(hi - lo, false) / Math.max(1, count - 1), true);
  const decimals = Math.min(20, Math.max(0, -Math.floor(Math.log10(step))));
  // Ticks are integer multiples of the step, trimmed to 12 significant digits so 3 × 0.1 is 0.3, not 0.30000000000000004.
  const tick = (k: number) => Number((k * step).toPrecision(12)) || 0;
  let first = Math.floor(lo / step);
  let last = Math.ceil(hi / step);
  // Rounding can leave an end tick inside the data: widen by a step then, unless by less than the eye can see.
  const slack = step * 1e-9;
  if (tick(first) > lo + slack) first--;
  if (tick(last) < hi - slack) last++;
  const ticks = Array.from({ length: last - first + 1 }, (_, i) => tick(first + i));
  return { min: ticks[0], max: ticks[ticks.length - 1], step, ticks, decimals };
}

/** A tick label: grouped digits for ordinary magnitudes; exponent form, with as many digits as the step needs, for extreme ones. */
export function formatTick(value: number, axis: NiceAxis): string {
  const magnitude = Math.max(Math.abs(axis.min), Math.abs(axis.max));
  if (magnitude >= 1e7 || magnitude < 1e-4) {
    const digits = Math.min(15, Math.max(0, Math.floor(Math.log10(magnitude)) - Math.floor(Math.log10(axis.step))));
    return value === 0 ? '0' : value.toExponential(digits).replace('e+', 'e');
  }
  return value.toLocaleString('en-US', { minimumFractionDigits: axis.decimals, maximumFractionDigits: axis.decimals });
}
