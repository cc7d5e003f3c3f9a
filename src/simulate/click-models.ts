/**
 * Click models for the simulator (Chuklin, Markov & de Rijke, "Click Models for Web Search", 2015): given which of
 * the shown results are relevant, a model samples the positions a simulated user clicks, and states the exact
 * marginal P(click) at each position, so that its sampler can be checked against its own closed form.
 *
 * - PBM (position-based): a result is clicked iff it is examined (probability θ_r, by rank alone) and attractive
 *   (probability α, by relevance alone), independently at every rank.
 * - DCM (dependent click model, Guo et al. 2009): the user scans top-down, clicks attractive results, always goes on
 *   after a skip, and after a click at rank r goes on with probability λ_r.
 * - Cascade (Craswell et al. 2008): DCM with λ = 0, i.e. the user stops at the first click. It is built as that DCM
 *   rather than written twice.
 */
import { createError } from '../errors.js';
import { resolveOptions, type OptionSpecs } from '../options.js';

export const CLICK_MODELS = ['pbm', 'cascade', 'dcm'] as const;
export type ClickModelName = (typeof CLICK_MODELS)[number];

export interface ClickModel {
  readonly name: ClickModelName;
  /** Samples the clicked positions (0-based, ascending); `relevant[r]` says whether the result at position r is relevant. */
  clicks(relevant: readonly boolean[], random: () => number): number[];
  /** The exact marginal P(click at position r) for every position of the list. */
  clickProbabilities(relevant: readonly boolean[]): number[];
}

export interface ClickModelOptions {
  relevantAttractiveness?: number;
  irrelevantAttractiveness?: number;
  /** PBM: examination θ_r = 1 / r^eta (rank r 1-based). */
  eta?: number;
  /** PBM: θ per position instead of eta; must cover every position shown. */
  examination?: readonly number[];
  /** DCM: λ, the same after a click at any rank. */
  continuation?: number;
  /** DCM: λ per position instead of one continuation; must cover every position shown. */
  continuations?: readonly number[];
}

const ATTRACTIVENESS_OPTIONS = {
  relevantAttractiveness: { kind: 'number', default: 0.9, min: 0, max: 1, description: 'P(click | examined) for a relevant result' },
  irrelevantAttractiveness: { kind: 'number', default: 0.05, min: 0, max: 1, description: 'P(click | examined) for an irrelevant result' },
} as const satisfies OptionSpecs;

/** The scalar options of each model, with defaults and ranges; the per-position arrays are checked by `perPosition`. */
export const CLICK_MODEL_OPTIONS = {
  pbm: {
    ...ATTRACTIVENESS_OPTIONS,
    eta: { kind: 'number', default: 1, min: 0, max: 10, description: 'examination θ_r = 1 / r^eta at rank r, unless `examination` is given' },
  },
  cascade: ATTRACTIVENESS_OPTIONS,
  dcm: {
    ...ATTRACTIVENESS_OPTIONS,
    continuation: { kind: 'number', default: 0.5, min: 0, max: 1, description: 'λ: P(scan on | clicked), unless `continuations` is given' },
  },
} as const satisfies Record<ClickModelName, OptionSpecs>;

type Attractiveness = (relevant: boolean) => number;
/** The per-position values (θ or λ) for a list of the given length. */
type PerPosition = (length: number) => readonly number[];

class PositionBasedModel implements ClickModel {
  readonly name = 'pbm';
  constructor(
    private readonly attractiveness: Attractiveness,
    private readonly examination: PerPosition,
  ) {}

  clickProbabilities(relevant: readonly boolean[]): number[] {
    checkRelevance(this.name, relevant);
    const theta = this.examination(relevant.length);
    return relevant.map((rel, r) => theta[r] * this.attractiveness(rel));
  }

  clicks(relevant: readonly boolean[], random: () => number): number[] {
    const clicked: number[] = [];
    this.clickProbabilities(relevant).forEach((p, r) => {
      if (random() < p) clicked.push(r);
    });
    return clicked;
  }
}

class DependentClickModel implements ClickModel {
  constructor(
    readonly name: 'dcm' | 'cascade',
    private readonly attractiveness: Attractiveness,
    private readonly continuation: PerPosition,
  ) {}

  clickProbabilities(relevant: readonly boolean[]): number[] {
    checkRelevance(this.name, relevant);
    const lambda = this.continuation(relevant.length);
    let examined = 1; // P(the user reaches position r)
    return relevant.map((rel, r) => {
      const alpha = this.attractiveness(rel);
      const click = examined * alpha;
      examined *= 1 - alpha + alpha * lambda[r]; // skipped, or clicked and went on
      return click;
    });
  }

  clicks(relevant: readonly boolean[], random: () => number): number[] {
    checkRelevance(this.name, relevant);
    const lambda = this.continuation(relevant.length);
    const clicked: number[] = [];
    for (let r = 0; r < relevant.length; r++) {
      // Both draws at every position reached, used or not: position r's coins are then the same whatever happened
      // above it, so two lists that share a result at r meet the same user there (common random numbers).
      const attracted = random() < this.attractiveness(relevant[r]);
      const goesOn = random() < lambda[r];
      if (!attracted) continue;
      clicked.push(r);
      if (!goesOn) break;
    }
    return clicked;
  }
}

/** Builds a click model by name; unknown names, unknown options and out-of-range values fail here, naming the valid ones. */
export function createClickModel(name: string, options: ClickModelOptions = {}): ClickModel {
  switch (name) {
    case 'pbm': {
      const { examination, ...scalars } = options;
      const o = resolveOptions(CLICK_MODEL_OPTIONS.pbm, scalars, 'pbm.');
      if (examination !== undefined && scalars.eta !== undefined) {
        throw createError('OPTION_OUT_OF_RANGE', 'pbm.eta', scalars.eta, 'left unset when pbm.examination is given');
      }
      return new PositionBasedModel(attractivenessOf(o), perPosition('pbm.examination', examination, (r) => 1 / (r + 1) ** o.eta));
    }
    case 'cascade': {
      const o = resolveOptions(CLICK_MODEL_OPTIONS.cascade, { ...options }, 'cascade.');
      return new DependentClickModel('cascade', attractivenessOf(o), perPosition('cascade', undefined, () => 0));
    }
    case 'dcm': {
      const { continuations, ...scalars } = options;
      const o = resolveOptions(CLICK_MODEL_OPTIONS.dcm, scalars, 'dcm.');
      if (continuations !== undefined && scalars.continuation !== undefined) {
        throw createError('OPTION_OUT_OF_RANGE', 'dcm.continuation', scalars.continuation, 'left unset when dcm.continuations is given');
      }
      return new DependentClickModel('dcm', attractivenessOf(o), perPosition('dcm.continuations', continuations, () => o.continuation));
    }
    default:
      throw createError('SIMULATE_BAD_CLICK_MODEL', name, CLICK_MODELS.join(', '));
  }
}

function attractivenessOf(o: { relevantAttractiveness: number; irrelevantAttractiveness: number }): Attractiveness {
  return (relevant) => (relevant ? o.relevantAttractiveness : o.irrelevantAttractiveness);
}

/** Per-position probabilities from a given array (checked now, and against each list's length) or a formula of the position. */
function perPosition(option: string, given: readonly number[] | undefined, formula: (position: number) => number): PerPosition {
  if (given === undefined) return (length) => Array.from({ length }, (_, r) => formula(r));
  if (!Array.isArray(given) || given.length === 0) {
    throw createError('OPTION_OUT_OF_RANGE', option, given, 'a non-empty array of probabilities in [0, 1]');
  }
  given.forEach((p, r) => {
    if (typeof p !== 'number' || !(p >= 0 && p <= 1)) throw createError('OPTION_OUT_OF_RANGE', `${option}[${r}]`, p, 'a probability in [0, 1]');
  });
  const values = given.slice();
  return (length) => {
    if (length > values.length) {
      throw createError('SIMULATE_BAD_INPUT', option, `gives ${values.length} positions, but the result list shown has ${length}`);
    }
    return values;
  };
}

function checkRelevance(model: ClickModelName, relevant: readonly boolean[]): void {
  if (!Array.isArray(relevant)) throw createError('SIMULATE_BAD_INPUT', `${model} click model`, 'relevance must be an array of booleans');
  relevant.forEach((rel, r) => {
    if (typeof rel !== 'boolean') {
      throw createError('SIMULATE_BAD_INPUT', `${model} click model`, `relevance at position ${r} is ${JSON.stringify(rel)}; expected true or false`);
    }
  });
}
