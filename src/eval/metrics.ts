/**
 * Ranking metrics with trec_eval conventions: a document is relevant when its judged grade is > 0; nDCG uses
 * graded gains 2^rel − 1 and a log2(rank + 1) discount over the ideal ordering of every judged document; AP
 * divides by the number of relevant documents, retrieved or not. The DCG here is the one the ranker's
 * objective and metrics use too.
 */

/** Relevance grades of one query's judged documents. */
export type Qrels = ReadonlyMap<string, number>;

export function gain(grade: number): number {
  return grade > 0 ? 2 ** grade - 1 : 0;
}

export function discount(rank: number): number {
  return 1 / Math.log2(rank + 2); // rank is 0-based
}

/** DCG of grades in ranked order, cut at k. */
export function dcg(grades: ArrayLike<number>, k: number): number {
  let sum = 0;
  for (let i = 0; i < Math.min(k, grades.length); i++) sum += gain(grades[i]) * discount(i);
  return sum;
}

/** The largest DCG@k any ordering of these grades can reach. */
export function idealDcg(grades: Iterable<number>, k: number): number {
  return dcg([...grades].sort((a, b) => b - a), k);
}

export function ndcgAt(ranked: readonly string[], qrels: Qrels, k: number): number {
  const ideal = idealDcg(qrels.values(), k);
  if (ideal === 0) return 0;
  return dcg(ranked.slice(0, k).map((id) => qrels.get(id) ?? 0), k) / ideal;
}

export function averagePrecision(ranked: readonly string[], qrels: Qrels): number {
  let relevant = 0;
  for (const grade of qrels.values()) if (grade > 0) relevant++;
  if (relevant === 0) return 0;
  let hits = 0;
  let sum = 0;
  ranked.forEach((id, i) => {
    if ((qrels.get(id) ?? 0) > 0) sum += ++hits / (i + 1);
  });
  return sum / relevant;
}

export function reciprocalRankAt(ranked: readonly string[], qrels: Qrels, k: number): number {
  const i = ranked.slice(0, k).findIndex((id) => (qrels.get(id) ?? 0) > 0);
  return i < 0 ? 0 : 1 / (i + 1);
}

export function recallAt(ranked: readonly string[], qrels: Qrels, k: number): number {
  let relevant = 0;
  for (const grade of qrels.values()) if (grade > 0) relevant++;
  if (relevant === 0) return 0;
  return ranked.slice(0, k).filter((id) => (qrels.get(id) ?? 0) > 0).length / relevant;
}

/**
 * The mean of the paired differences a[i] − b[i] over the given indices (all when omitted), summed left to right,
 * and its standard error sd / √n (NaN for fewer than two pairs): how two rankers or planners compare query by query.
 */
export function meanDifference(a: ArrayLike<number>, b: ArrayLike<number>, indices?: readonly number[]): { mean: number; standardError: number; n: number } {
  if (a.length !== b.length) throw new RangeError(`paired runs differ in length: ${a.length} and ${b.length}`);
  const n = indices?.length ?? a.length;
  const at = (i: number) => (indices ? indices[i] : i);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += a[at(i)] - b[at(i)];
  const m = n > 0 ? sum / n : Number.NaN;
  let squares = 0;
  for (let i = 0; i < n; i++) squares += (a[at(i)] - b[at(i)] - m) ** 2;
  return { mean: m, standardError: n > 1 ? Math.sqrt(squares / (n - 1) / n) : Number.NaN, n };
}

/**
 * The same mean with a cluster-robust standard error (Liang & Zeger 1986): pairs that share a cluster key (in a
 * simulation, the same query text, which memory and the policy's history learn across repeats) are not
 * independent, so residuals are summed within each cluster before squaring:
 * SE² = G / (G − 1) · Σ_c (Σ_{i∈c} (d_i − m))² / n², over G clusters. With one pair per cluster it is sd / √n.
 * NaN for fewer than two clusters.
 */
export function clusteredMeanDifference(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  clusters: ArrayLike<string>,
  indices?: readonly number[],
): { mean: number; standardError: number; n: number; clusters: number } {
  if (clusters.length !== a.length) throw new RangeError(`cluster keys (${clusters.length}) and paired runs (${a.length}) differ in length`);
  const { mean: m, n } = meanDifference(a, b, indices);
  const residuals = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const at = indices ? indices[i] : i;
    residuals.set(clusters[at], (residuals.get(clusters[at]) ?? 0) + a[at] - b[at] - m);
  }
  const g = residuals.size;
  let squares = 0;
  for (const r of residuals.values()) squares += r * r;
  return { mean: m, standardError: g > 1 ? Math.sqrt((g / (g - 1)) * squares) / n : Number.NaN, n, clusters: g };
}

/** Student's t 97.5% quantile for the given degrees of freedom (exact to 3 decimals up to 30, Cornish–Fisher beyond). */
export function studentT975(dof: number): number {
  if (!(dof >= 1)) return Number.NaN;
  if (dof <= T975.length) return T975[Math.floor(dof) - 1];
  const z = 1.959964;
  return z + (z ** 3 + z) / (4 * dof) + (5 * z ** 5 + 16 * z ** 3 + 3 * z) / (96 * dof * dof);
}
const T975 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042];

/** The arithmetic mean (0 for no values), summed left to right. */
export function mean(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i];
  return values.length === 0 ? 0 : sum / values.length;
}
