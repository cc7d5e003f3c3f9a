/**
 * The learned half of intent: a multinomial logistic regression over hashed query features (words, word pairs,
 * slot kinds, the rules' query type), trained online by one AdaGrad step per engagement: the label is the type
 * of the entity the user engaged with, weighted by the engagement. Its prediction is blended with the rules' by
 * how familiar the query's features are (how many updates touched them), so an unseen query keeps the rules'
 * answer and a query users have answered many times follows them.
 */
import { checkStateHeader } from '../retrieval/learner-state.js';
import { hashString } from '../util/random.js';
import { type Distribution, normalized } from './intent.js';

const BUCKETS = 1 << 14;
const MAX_TYPES = 32;
const LEARNING_RATE = 0.5;
/** Updates a feature needs before the classifier gets half the say. */
const HALF_TRUST = 8;
export const INTENT_MODEL_VERSION = 1;

export interface IntentModelState {
  format: 'quiver-intent';
  version: number;
  types: string[];
  /** Sparse: [bucket, type index, weight, squared-gradient sum] per non-zero weight. */
  weights: Array<[number, number, number, number]>;
  /** Sparse: [bucket, updates]. */
  counts: Array<[number, number]>;
}

export class IntentClassifier {
  private types: string[] = [];
  private readonly weights = new Float64Array(BUCKETS * MAX_TYPES);
  private readonly gradSq = new Float64Array(BUCKETS * MAX_TYPES);
  private readonly counts = new Uint32Array(BUCKETS);

  /** The features of a query: every one is hashed to a bucket; the bias is always present. */
  static features(words: readonly string[], extras: readonly string[]): number[] {
    const names = ['bias', ...words.map((w) => `w:${w}`), ...extras];
    for (let i = 1; i < words.length; i++) names.push(`b:${words[i - 1]} ${words[i]}`);
    return [...new Set(names.map((name) => hashString(name) % BUCKETS))];
  }

  /** P(type | features) over the types seen so far; empty before any update. */
  predict(features: readonly number[]): Distribution {
    if (this.types.length === 0) return {};
    const logits = this.types.map((_, t) => features.reduce((sum, b) => sum + this.weights[b * MAX_TYPES + t], 0));
    const max = Math.max(...logits);
    const exp = logits.map((z) => Math.exp(z - max));
    return normalized(Object.fromEntries(this.types.map((type, t) => [type, exp[t]])));
  }

  /** How much to trust the prediction for these features, in [0, 1): mean updates per non-bias feature, squashed. */
  familiarity(features: readonly number[]): number {
    const own = features.slice(1);
    if (own.length === 0) return 0;
    const mean = own.reduce((sum, b) => sum + this.counts[b], 0) / own.length;
    return mean / (mean + HALF_TRUST);
  }

  /** One AdaGrad step of weighted cross-entropy towards `type`. */
  learn(features: readonly number[], type: string, weight: number): void {
    if (!(weight > 0)) return;
    let t = this.types.indexOf(type);
    if (t < 0) {
      if (this.types.length === MAX_TYPES) return; // more types than a catalogue plausibly has; ignore the rest
      t = this.types.push(type) - 1;
    }
    const p = this.predict(features);
    this.types.forEach((name, k) => {
      const gradient = weight * ((p[name] ?? 0) - (k === t ? 1 : 0));
      for (const b of features) {
        const at = b * MAX_TYPES + k;
        this.gradSq[at] += gradient * gradient;
        if (this.gradSq[at] > 0) this.weights[at] -= (LEARNING_RATE * gradient) / Math.sqrt(this.gradSq[at]);
      }
    });
    for (const b of features) this.counts[b]++;
  }

  toJSON(): IntentModelState {
    const weights: IntentModelState['weights'] = [];
    const counts: IntentModelState['counts'] = [];
    for (let b = 0; b < BUCKETS; b++) {
      if (this.counts[b] > 0) counts.push([b, this.counts[b]]);
      for (let t = 0; t < this.types.length; t++) {
        const at = b * MAX_TYPES + t;
        if (this.weights[at] !== 0 || this.gradSq[at] !== 0) weights.push([b, t, this.weights[at], this.gradSq[at]]);
      }
    }
    return { format: 'quiver-intent', version: INTENT_MODEL_VERSION, types: [...this.types], weights, counts };
  }

  static fromJSON(state: IntentModelState): IntentClassifier {
    checkStateHeader(state, 'quiver-intent', INTENT_MODEL_VERSION);
    const model = new IntentClassifier();
    model.types = [...state.types];
    for (const [b, t, w, g] of state.weights) {
      model.weights[b * MAX_TYPES + t] = w;
      model.gradSq[b * MAX_TYPES + t] = g;
    }
    for (const [b, n] of state.counts) model.counts[b] = n;
    return model;
  }
}
