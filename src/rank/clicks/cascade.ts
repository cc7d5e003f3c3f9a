/**
 * The cascade model fitted from a log (Craswell et al. 2008; Chuklin et al. 2015, §3.4, §4.1): the user scans
 * down, clicks result r with probability α_qd if they reach it, and stops at the first click. Its maximum
 * likelihood estimate is counting: α_qd = clicks on d / times d was at or above the first click (or anywhere in
 * a session without clicks). Ranks below the first click say nothing about α and are not counted.
 *
 * Sessions with several clicks have probability 0 under the model. As a likelihood it has to give them
 * something: after the first click, P(click) is 0 (and P(no click) 1), which the metrics floor at
 * `PROBABILITY_FLOOR` (src/rank/clicks/metrics.ts). PyClick gives every rank after the first click its floor,
 * clicked or not, which punishes the unclicked ones too; the numbers in BENCHMARKS.md use the model's own
 * probabilities.
 */
import { resolveClickFitOptions, SmoothedProbabilities, type ClickFitOptions, type FittedClickModel } from './click-model.js';
import { checkSessions, pairKey, type ClickSession } from './session.js';

export class CascadeModel implements FittedClickModel {
  readonly name = 'cascade';
  constructor(
    private readonly table: ReadonlyMap<string, number>,
    private readonly priorMean: number,
  ) {}

  attractiveness(session: ClickSession, rank: number): number {
    return this.table.get(pairKey(session.query, session.documents[rank])) ?? this.priorMean;
  }

  conditionalClickProbabilities(session: ClickSession): number[] {
    let stopped = false;
    return session.documents.map((_, r) => {
      const p = stopped ? 0 : this.attractiveness(session, r);
      if (session.clicks[r]) stopped = true;
      return p;
    });
  }

  fullClickProbabilities(session: ClickSession): number[] {
    let reach = 1;
    return session.documents.map((_, r) => {
      const alpha = this.attractiveness(session, r);
      const click = reach * alpha;
      reach *= 1 - alpha;
      return click;
    });
  }
}

export function fitCascade(sessions: readonly ClickSession[], options: ClickFitOptions = {}): CascadeModel {
  checkSessions(sessions, 'cascade');
  const prior = resolveClickFitOptions(options, 'cascade.');
  const idOf = new Map<string, number>();
  const rows: Array<[number, boolean]> = [];
  for (const s of sessions) {
    for (let r = 0; r < s.documents.length; r++) {
      const key = pairKey(s.query, s.documents[r]);
      let id = idOf.get(key);
      if (id === undefined) idOf.set(key, (id = idOf.size));
      rows.push([id, s.clicks[r]]);
      if (s.clicks[r]) break; // the first click ends what the cascade explains
    }
  }
  const counts = new SmoothedProbabilities(idOf.size, prior);
  for (const [id, click] of rows) counts.add(id, click ? 1 : 0);
  counts.estimate();
  const table = new Map<string, number>();
  for (const [key, id] of idOf) table.set(key, counts.values[id]);
  return new CascadeModel(table, prior.priorMean);
}
