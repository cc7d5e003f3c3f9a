/**
 * Hybrid linear model (LinUCB's hybrid model, Li et al. 2010, Algorithm 2): reward = zᵀβ + xᵀθ_arm, with β
 * shared by every arm over the action features z and θ_arm per arm over its context x. It is one ridge
 * regression over the stacked vector [z, x in the arm's block]; the block structure solves it through the Schur
 * complement of the shared block:
 *
 *   A_a = λI + Σ_a xxᵀ,   B_a = Σ_a xzᵀ,   A₀ = λI + Σ zzᵀ − Σ_a B_aᵀA_a⁻¹B_a,   b₀ = Σ rz − Σ_a B_aᵀA_a⁻¹b_a
 *   β = A₀⁻¹b₀,   θ_a = A_a⁻¹(b_a − B_aβ)
 *   variance = xᵀA_a⁻¹x + (z − w)ᵀA₀⁻¹(z − w),   w = B_aᵀA_a⁻¹x
 *
 * (the paper's s_{t,a}, regrouped). Only the raw sums are state, so replicas merge by adding them. Each arm
 * keeps M_a = A_a⁻¹B_a, updated in O(d·k) per observation from the rank-one step of A_a⁻¹ (recomputed in
 * O(d²·k) only after a load, a merge or a periodic refresh of the inverse), and its Schur term B_aᵀM_a is
 * cached until the arm learns something.
 */
import { createError } from '../errors.js';
import { cholesky, inverseFromFactor } from '../util/cholesky.js';
import { type ArmEstimate, type ArmInput, type ArmModel, checkObservation, type ModelState } from './arm-model.js';
import { dotProduct, LinearStats, multiply } from './linear-stats.js';

interface HybridArm {
  stats: LinearStats;
  /** B_a = Σ x zᵀ, d × k row-major. */
  xz: Float64Array;
  /** M_a = A_a⁻¹B_a (d × k), kept current through updates; undefined until (re)computed. */
  product?: Float64Array;
  /** Cached B_aᵀA_a⁻¹B_a (k × k) and B_aᵀA_a⁻¹b_a (k), cleared when the arm learns. */
  schur?: { matrix: Float64Array; vector: Float64Array };
}

export class HybridLinearModel implements ArmModel {
  readonly kind = 'hybrid';
  readonly arms = new Map<string, HybridArm>();
  private shared?: LinearStats;
  private solved?: { a0inv: Float64Array; beta: Float64Array };

  constructor(readonly lambda = 1) {}

  get observations(): number {
    return this.shared?.n ?? 0;
  }

  estimate(inputs: readonly ArmInput[]): ArmEstimate[] {
    if (inputs.length === 0) return [];
    const k = sharedFeatures(inputs[0]).length;
    for (const input of inputs) this.arm(input.arm, input.x.length, sharedFeatures(input).length);
    const { a0inv, beta } = this.solve(k);
    return inputs.map((input) => {
      const z = sharedFeatures(input);
      const { stats, xz } = this.arms.get(input.arm)!;
      const d = stats.d;
      const u = multiply(stats.inverse(), d, input.x);
      const zw = new Float64Array(k);
      for (let j = 0; j < k; j++) {
        let w = 0;
        for (let i = 0; i < d; i++) w += xz[i * k + j] * u[i];
        zw[j] = z[j] - w;
      }
      return { mean: dotProduct(zw, beta) + dotProduct(u, stats.xr), variance: dotProduct(u, input.x) + dotProduct(zw, multiply(a0inv, k, zw)) };
    });
  }

  update(input: ArmInput, reward: number, weight = 1): void {
    checkObservation(input, reward);
    const z = sharedFeatures(input);
    const arm = this.arm(input.arm, input.x.length, z.length);
    const k = z.length;
    const d = input.x.length;
    const step = arm.stats.add(input.x, reward, weight);
    const m = arm.product;
    if (m && step) {
      // With A⁻¹ ← A⁻¹ − s·uuᵀ and B ← B + w·xzᵀ: M ← M − s·u(Bᵀu)ᵀ + w(1 − s·xᵀu)·uzᵀ (B before the step).
      const { u, scale } = step;
      const g = new Float64Array(k);
      for (let i = 0; i < d; i++) if (u[i] !== 0) for (let j = 0; j < k; j++) g[j] += arm.xz[i * k + j] * u[i];
      const along = weight * (1 - scale * dotProduct(input.x, u));
      for (let i = 0; i < d; i++) {
        if (u[i] === 0) continue;
        for (let j = 0; j < k; j++) m[i * k + j] += u[i] * (along * z[j] - scale * g[j]);
      }
    } else arm.product = undefined;
    for (let i = 0; i < d; i++) {
      const xi = input.x[i] * weight;
      if (xi !== 0) for (let j = 0; j < k; j++) arm.xz[i * k + j] += xi * z[j];
    }
    this.sharedStats(k).add(z, reward, weight);
    arm.schur = undefined;
    this.solved = undefined;
  }

  merge(other: ArmModel): void {
    if (!(other instanceof HybridLinearModel) || other.lambda !== this.lambda) throw createError('POLICY_MERGE', 'models differ in kind or ridge λ');
    if (!other.shared) return;
    this.sharedStats(other.shared.d).merge(other.shared);
    for (const [name, theirs] of other.arms) {
      const mine = this.arm(name, theirs.stats.d, other.shared.d);
      mine.stats.merge(theirs.stats);
      for (let i = 0; i < mine.xz.length; i++) mine.xz[i] += theirs.xz[i];
      mine.schur = undefined;
      mine.product = undefined;
    }
    this.solved = undefined;
  }

  toJSON(): ModelState {
    const k = this.shared?.d ?? 0;
    return {
      kind: 'hybrid',
      lambda: this.lambda,
      shared: (this.shared ?? new LinearStats(k, this.lambda)).toJSON(),
      // Canonical, as the disjoint model's: learnt arms only, by name.
      arms: Object.fromEntries([...this.arms].filter(([, arm]) => arm.stats.n > 0).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([name, arm]) => [name, { x: arm.stats.toJSON(), xz: [...arm.xz] }])),
    };
  }

  static fromJSON(state: Extract<ModelState, { kind: 'hybrid' }>): HybridLinearModel {
    const model = new HybridLinearModel(state.lambda);
    if (state.shared.d > 0) model.shared = LinearStats.fromJSON(state.shared);
    for (const [name, arm] of Object.entries(state.arms)) {
      model.arms.set(name, { stats: LinearStats.fromJSON(arm.x), xz: Float64Array.from(arm.xz) });
    }
    return model;
  }

  private sharedStats(k: number): LinearStats {
    if (!this.shared) this.shared = new LinearStats(k, this.lambda);
    else if (this.shared.d !== k) throw createError('POLICY_BAD_INPUT', 'shared features', `${k} features, the model was learnt with ${this.shared.d}`);
    return this.shared;
  }

  private arm(name: string, d: number, k: number): HybridArm {
    this.sharedStats(k);
    let arm = this.arms.get(name);
    if (!arm) {
      arm = { stats: new LinearStats(d, this.lambda), xz: new Float64Array(d * k) };
      this.arms.set(name, arm);
    } else if (arm.stats.d !== d) throw createError('POLICY_BAD_INPUT', `arm ${name}`, `context has ${d} features, the arm was learnt with ${arm.stats.d}`);
    return arm;
  }

  /** β and A₀⁻¹ from the shared sums minus every arm's (cached) Schur term. */
  private solve(k: number): { a0inv: Float64Array; beta: Float64Array } {
    if (this.solved) return this.solved;
    const shared = this.sharedStats(k);
    const a0 = Float64Array.from(shared.xx);
    for (let i = 0; i < k; i++) a0[i * k + i] += this.lambda;
    const b0 = Float64Array.from(shared.xr);
    for (const arm of this.arms.values()) {
      const { matrix, vector } = this.schur(arm, k);
      for (let i = 0; i < k * k; i++) a0[i] -= matrix[i];
      for (let i = 0; i < k; i++) b0[i] -= vector[i];
    }
    const a0inv = inverseFromFactor(cholesky(a0, k), k);
    this.solved = { a0inv, beta: multiply(a0inv, k, b0) };
    return this.solved;
  }

  private schur(arm: HybridArm, k: number): { matrix: Float64Array; vector: Float64Array } {
    if (arm.schur) return arm.schur;
    const d = arm.stats.d;
    const m = (arm.product ??= this.product(arm, k));
    // Bᵀ M and Mᵀ b.
    const matrix = new Float64Array(k * k);
    const vector = new Float64Array(k);
    for (let i = 0; i < d; i++) {
      for (let a = 0; a < k; a++) {
        const b = arm.xz[i * k + a];
        if (b !== 0) for (let c = 0; c < k; c++) matrix[a * k + c] += b * m[i * k + c];
        vector[a] += m[i * k + a] * arm.stats.xr[i];
      }
    }
    arm.schur = { matrix, vector };
    return arm.schur;
  }

  /** M = A⁻¹B from scratch (d × k). */
  private product(arm: HybridArm, k: number): Float64Array {
    const d = arm.stats.d;
    const inv = arm.stats.inverse();
    const m = new Float64Array(d * k);
    for (let i = 0; i < d; i++) {
      for (let p = 0; p < d; p++) {
        const a = inv[i * d + p];
        if (a === 0) continue;
        for (let j = 0; j < k; j++) m[i * k + j] += a * arm.xz[p * k + j];
      }
    }
    return m;
  }
}

function sharedFeatures(input: ArmInput): Float64Array {
  if (!input.z) throw createError('POLICY_BAD_INPUT', `arm ${input.arm}`, 'the hybrid model needs shared features z');
  return input.z;
}
