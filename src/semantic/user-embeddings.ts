/**
 * User embeddings: each user's taste as one vector, the decayed, engagement-weighted sum of the embeddings of the
 * entities they engaged with (skips subtract). Decay multiplies the whole sum, so reading it later does not turn
 * it; only the balance between older and newer engagements changes, exactly as the other learners' decayed
 * sums (retrieval/decay.ts) do. The semantic strategy searches with it: alone for a query the model knows nothing
 * of ("play something"), mixed with the query's embedding otherwise.
 */
import { engagementWeight, type FeedbackEvent } from '../feedback/event.js';
import { DAY_MS, decayFactor } from '../retrieval/decay.js';
import { checkedEventTime, checkStateHeader, stateArray } from '../retrieval/learner-state.js';
import type { Learner } from '../retrieval/resources.js';
import { createError } from '../errors.js';

export const USER_EMBEDDING_FORMAT = 'quiver.user-embeddings';
export const USER_EMBEDDING_VERSION = 1;

interface Taste {
  sum: Float64Array;
  /** Epoch ms of the latest engagement folded in. */
  time: number;
  /** Decayed engagement mass, as of `time`. */
  mass: number;
}

export interface UserEmbedding {
  /** Unit length. */
  vector: Float32Array;
  /** Decayed engagement mass at the read time. */
  mass: number;
}

export class UserEmbeddings implements Learner {
  private users = new Map<string, Taste>();
  private readonly halfLifeMs: number;

  constructor(
    readonly dimensions: number,
    private readonly vectorOf: (id: string) => Float32Array | undefined,
    halfLifeDays = 60,
  ) {
    this.halfLifeMs = halfLifeDays * DAY_MS;
  }

  learn(event: FeedbackEvent): void {
    const time = checkedEventTime('user embeddings', event);
    const weight = engagementWeight(event);
    if (!event.user || weight === 0) return;
    const v = this.vectorOf(event.entityId);
    if (!v) return;
    let taste = this.users.get(event.user);
    if (!taste) {
      taste = { sum: new Float64Array(this.dimensions), time, mass: 0 };
      this.users.set(event.user, taste);
    }
    // Bring the older of (sum, event) to the newer one's time, then add.
    const old = time >= taste.time ? decayFactor(this.halfLifeMs, taste.time, time) : 1;
    const fresh = time >= taste.time ? 1 : decayFactor(this.halfLifeMs, time, taste.time);
    for (let i = 0; i < this.dimensions; i++) taste.sum[i] = taste.sum[i] * old + weight * fresh * v[i];
    taste.mass = taste.mass * old + Math.abs(weight) * fresh;
    taste.time = Math.max(taste.time, time);
  }

  /** The user's taste read at `time`, or undefined for a user with none (or whose engagements cancel out). */
  at(user: string, time: number): UserEmbedding | undefined {
    const taste = this.users.get(user);
    if (!taste) return undefined;
    let norm = 0;
    for (const x of taste.sum) norm += x * x;
    if (!(norm > 0)) return undefined;
    const scale = 1 / Math.sqrt(norm);
    return { vector: Float32Array.from(taste.sum, (x) => x * scale), mass: taste.mass * decayFactor(this.halfLifeMs, taste.time, time) };
  }

  toJSON() {
    return {
      format: USER_EMBEDDING_FORMAT,
      version: USER_EMBEDDING_VERSION,
      dimensions: this.dimensions,
      users: [...this.users].map(([user, t]) => [user, [...t.sum], t.time, t.mass]),
    };
  }

  /** Replaces the state with a saved one, checked whole before anything changes. */
  restore(state: unknown): void {
    const s = checkStateHeader(state, USER_EMBEDDING_FORMAT, USER_EMBEDDING_VERSION);
    if (s.dimensions !== this.dimensions) throw createError('LEARNER_STATE_INVALID', USER_EMBEDDING_FORMAT, 'dimensions', `${String(s.dimensions)}, this model has ${this.dimensions}`);
    const users = new Map<string, Taste>();
    stateArray(USER_EMBEDDING_FORMAT, 'users', s.users).forEach((row, i) => {
      const [user, sum, time, mass] = Array.isArray(row) ? row : [];
      const ok = typeof user === 'string' && Array.isArray(sum) && sum.length === this.dimensions && sum.every(Number.isFinite) && Number.isFinite(time) && Number.isFinite(mass);
      if (!ok) throw createError('LEARNER_STATE_INVALID', USER_EMBEDDING_FORMAT, `users[${i}]`, 'expected [user, number[dimensions], time, mass]');
      users.set(user, { sum: Float64Array.from(sum as number[]), time: time as number, mass: mass as number });
    });
    this.users = users;
  }
}
