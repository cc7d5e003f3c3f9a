/**
 * Is a learned policy really better than a static plan, or did one stream favour it? Every planner in a side-by-
 * side run sees the same queries, so the comparison is paired: per query, the learned planner's nDCG minus the
 * static plan's. The mean of those differences is the gap in the reports; its 95% confidence interval (normal
 * approximation, mean ± 1.96 · sd / √n, fine for the hundreds of queries a label has) says whether the gap is
 * larger than the query-to-query noise. Overall and per label, so "beats every static plan on most labels" can
 * be read off with its uncertainty.
 */

export interface Difference {
  /** Mean of the per-query differences (learned − static). */
  delta: number;
  /** The 95% confidence interval of `delta` (NaN, null in JSON, for a label with a single query). */
  low: number;
  high: number;
  queries: number;
}

export interface Versus {
  against: string;
  overall: Difference;
  by_label: Record<string, Difference>;
  /** Labels on which the learned planner's mean is higher, and on which its whole interval is above (or below) 0. */
  labels_won: number;
  labels_won_significantly: number;
  labels_lost_significantly: number;
}

/** A planner's per-query metric, in stream order. */
export interface PerQuery {
  planner: string;
  kind: 'static' | 'learned';
  values: ArrayLike<number>;
}

const Z95 = 1.959964;

/** The paired difference a − b over the given query indices (all when omitted). */
export function pairedDifference(a: ArrayLike<number>, b: ArrayLike<number>, indices?: readonly number[]): Difference {
  if (a.length !== b.length) throw new RangeError(`paired runs differ in length: ${a.length} and ${b.length}`);
  const n = indices?.length ?? a.length;
  const at = (i: number) => (indices ? indices[i] : i);
  let mean = 0;
  for (let i = 0; i < n; i++) mean += a[at(i)] - b[at(i)];
  mean = n > 0 ? mean / n : Number.NaN;
  let squares = 0;
  for (let i = 0; i < n; i++) squares += (a[at(i)] - b[at(i)] - mean) ** 2;
  const halfWidth = n > 1 ? Z95 * Math.sqrt(squares / (n - 1) / n) : Number.NaN;
  return { delta: mean, low: mean - halfWidth, high: mean + halfWidth, queries: n };
}

/** Every learned planner against every static one, overall and per label (`labels[t]`: query t's label). */
export function versusStatics(runs: readonly PerQuery[], labels: readonly string[]): Record<string, Versus[]> {
  const byLabel = new Map<string, number[]>();
  labels.forEach((label, t) => {
    let list = byLabel.get(label);
    if (!list) byLabel.set(label, (list = []));
    list.push(t);
  });
  const names = [...byLabel.keys()].sort();
  const statics = runs.filter((r) => r.kind === 'static');
  const out: Record<string, Versus[]> = {};
  for (const learned of runs.filter((r) => r.kind === 'learned')) {
    out[learned.planner] = statics.map((against) => {
      const by_label = Object.fromEntries(names.map((label) => [label, pairedDifference(learned.values, against.values, byLabel.get(label))]));
      const differences = Object.values(by_label);
      return {
        against: against.planner,
        overall: pairedDifference(learned.values, against.values),
        by_label,
        labels_won: differences.filter((d) => d.delta > 0).length,
        labels_won_significantly: differences.filter((d) => d.low > 0).length,
        labels_lost_significantly: differences.filter((d) => d.high < 0).length,
      };
    });
  }
  return out;
}
