/**
 * Group commit: the appends asked for in one turn of the event loop are committed together, in one
 * transaction (EventLog.appendMany), when the turn is over (setImmediate), instead of one transaction each. A
 * SQLite commit costs far more than the row it writes (BENCHMARKS.md: 55-80 µs for a search record alone, about
 * 33 µs in fours), and a busy server reads several requests in one turn. Durability is unchanged: each caller's
 * `then` runs, and its promise settles, only once its record is committed; the `then`s run in the log's order,
 * synchronously after the commit, so the state that applies them follows the log exactly as with `append`.
 * A build that throws fails its own request alone; a commit that fails fails every request of its group and
 * writes none of them.
 */
import type { AppendRequest, AppendResult, EventLog } from './event-log.js';

interface Waiting {
  request: AppendRequest;
  then: (result: AppendResult) => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

export class GroupCommit {
  private waiting: Waiting[] = [];

  constructor(private readonly log: EventLog) {}

  /**
   * Appends with the other requests of this turn; once committed, `then` gets the result (in the log's order)
   * and the promise settles with what it returns (or throws).
   */
  append<T>(request: AppendRequest, then: (result: AppendResult) => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (this.waiting.length === 0) setImmediate(() => this.commit());
      this.waiting.push({ request, then, resolve: resolve as (value: unknown) => void, reject });
    });
  }

  /** Requests waiting for the next commit. */
  get size(): number {
    return this.waiting.length;
  }

  private commit(): void {
    const group = this.waiting;
    this.waiting = [];
    let outcomes;
    try {
      outcomes = this.log.appendMany(group.map((w) => w.request));
    } catch (err) {
      for (const w of group) w.reject(err);
      return;
    }
    group.forEach((w, i) => {
      const outcome = outcomes[i];
      if ('error' in outcome) return w.reject(outcome.error);
      try {
        w.resolve(w.then(outcome.result));
      } catch (err) {
        w.reject(err);
      }
    });
  }
}
