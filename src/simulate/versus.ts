/**
 * Is a learned policy really better than a static plan, or did one stream favour it? Every planner in a side-by-
 * side run sees the same queries, so the comparison is paired: per query, the learned planner's nDCG minus the
 * static plan's. The mean of those differences is the gap in the reports; its 95% confidence interval says
 * whether the gap is larger than the noise. Overall and per label, so "beats every static plan on most labels" can
 * be read off with its uncertainty.
 *
 * Queries are not independent when a text recurs: what memory and the policy learnt from its first search decides
 * the later ones, so one lucky head word ("best", 33 searches in a stream) moves a label by several points. Given
 * each query's text, the interval is cluster-robust by text (mean ± t_{G−1} · SE over G texts, see
 * `clusteredMeanDifference`); without, it is the plain normal approximation, mean ± 1.96 · sd / √n.
 */
import { clusteredMeanDifference, meanDifference, studentT975 } from '../eval/metrics.js';

export interface Difference {
  /** Mean of the per-query differences (learned − static). */
  delta: number;
  /** The 95% confidence interval of `delta` (NaN, null in JSON, for a label with a single query). */
  low: number;
  high: number;
  queries: number;
  /** The distinct query texts among them, when the interval is clustered by text. */
  texts?: number;
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

/** The key queries are clustered by: the text, case-folded, with runs of whitespace collapsed. */
export function queryTextKey(query: string): string {
  return query.normalize('NFKC').toLowerCase().trim().replace(/\s+/g, ' ');
}

/**
 * The paired difference a − b over the given query indices (all when omitted), with its 95% interval: clustered
 * by `texts[t]` (query t's text) when given, else per query.
 */
export function pairedDifference(a: ArrayLike<number>, b: ArrayLike<number>, indices?: readonly number[], texts?: ArrayLike<string>): Difference {
  if (!texts) {
    const { mean, standardError, n } = meanDifference(a, b, indices);
    return { delta: mean, low: mean - Z95 * standardError, high: mean + Z95 * standardError, queries: n };
  }
  const { mean, standardError, n, clusters } = clusteredMeanDifference(a, b, texts, indices);
  const half = studentT975(clusters - 1) * standardError;
  return { delta: mean, low: mean - half, high: mean + half, queries: n, texts: clusters };
}

/**
 * Every learned planner against every static one, overall and per label (`labels[t]`: query t's label), with
 * intervals clustered by `texts[t]` (query t's normalised text) when given.
 */
export function versusStatics(runs: readonly PerQuery[], labels: readonly string[], texts?: readonly string[]): Record<string, Versus[]> {
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
      const by_label = Object.fromEntries(names.map((label) => [label, pairedDifference(learned.values, against.values, byLabel.get(label), texts)]));
      const differences = Object.values(by_label);
      return {
        against: against.planner,
        overall: pairedDifference(learned.values, against.values, undefined, texts),
        by_label,
        labels_won: differences.filter((d) => d.delta > 0).length,
        labels_won_significantly: differences.filter((d) => d.low > 0).length,
        labels_lost_significantly: differences.filter((d) => d.high < 0).length,
      };
    });
  }
  return out;
}

/** One label, read against the static plan that decides it. */
export interface LabelVerdict {
  /** The static plan below which the learned one falls ('lost'), else the one with the smallest gap. */
  against: string;
  difference: Difference;
  /** 'won': every static plan's interval is above 0; 'lost': some static plan's is below 0; else 'tied'. */
  verdict: 'won' | 'tied' | 'lost';
}

/**
 * "Beats every static plan on most labels", read off one learned planner's comparisons: per label, whether it is
 * above every static plan (each interval above 0), below one (that interval below 0), or neither.
 */
export function labelVerdicts(rows: readonly Versus[]): Record<string, LabelVerdict> {
  const labels = rows.length > 0 ? Object.keys(rows[0].by_label) : [];
  return Object.fromEntries(labels.map((label) => {
    const at = (row: Versus) => row.by_label[label];
    const closest = rows.reduce((a, b) => (at(b).delta < at(a).delta ? b : a));
    const below = rows.filter((row) => at(row).high < 0).sort((a, b) => at(a).high - at(b).high)[0];
    if (below) return [label, { against: below.against, difference: at(below), verdict: 'lost' }];
    const won = rows.every((row) => at(row).low > 0);
    return [label, { against: closest.against, difference: at(closest), verdict: won ? 'won' : 'tied' }];
  }));
}
