/**
 * SDBN, the simplified dynamic Bayesian network (Chapelle & Zhang 2009 with continuation γ = 1; Chuklin et al.
 * 2015, §3.8, §4.1.3): the user scans down, clicks an examined result with probability α_qd (attractiveness),
 * is then satisfied with probability σ_qd and stops, and otherwise always goes on. With γ = 1 every result down
 * to the last click was examined (all of them in a session without clicks), so the MLE is counting:
 * α_qd = clicks / times at or above the last click; σ_qd = times d was the last click / clicks on d.
 */
import { resolveClickFitOptions, SmoothedProbabilities, type ClickFitOptions, type FittedClickModel } from './click-model.js';
import { checkSessions, pairKey, type ClickSession } from './session.js';

export class SdbnModel implements FittedClickModel {
  readonly name = 'sdbn';
  constructor(
    private readonly alpha: ReadonlyMap<string, number>,
    private readonly sigma: ReadonlyMap<string, number>,
    private readonly priorMean: number,
  ) {}

  attractiveness(session: ClickSession, rank: number): number {
    return this.alpha.get(pairKey(session.query, session.documents[rank])) ?? this.priorMean;
  }

  satisfaction(session: ClickSession, rank: number): number {
    return this.sigma.get(pairKey(session.query, session.documents[rank])) ?? this.priorMean;
  }

  conditionalClickProbabilities(session: ClickSession): number[] {
    let examined = 1; // P(E_r = 1 | clicks above r)
    return session.documents.map((_, r) => {
      const alpha = this.attractiveness(session, r);
      const click = examined * alpha;
      // After a click the user goes on unless satisfied; after a skip, Bayes on "examined and not attracted".
      if (session.clicks[r]) examined = 1 - this.satisfaction(session, r);
      else examined = click < 1 ? (examined * (1 - alpha)) / (1 - click) : 0;
      return click;
    });
  }

  fullClickProbabilities(session: ClickSession): number[] {
    let examined = 1;
    return session.documents.map((_, r) => {
      const click = examined * this.attractiveness(session, r);
      examined -= click * this.satisfaction(session, r);
      return click;
    });
  }
}

export function fitSdbn(sessions: readonly ClickSession[], options: ClickFitOptions = {}): SdbnModel {
  checkSessions(sessions, 'sdbn');
  const prior = resolveClickFitOptions(options, 'sdbn.');
  const idOf = new Map<string, number>();
  const idFor = (key: string): number => {
    let id = idOf.get(key);
    if (id === undefined) idOf.set(key, (id = idOf.size));
    return id;
  };
  const alphaRows: Array<[number, number]> = [];
  const sigmaRows: Array<[number, number]> = [];
  for (const s of sessions) {
    const last = s.clicks.lastIndexOf(true);
    const examinedTo = last < 0 ? s.documents.length - 1 : last;
    for (let r = 0; r <= examinedTo; r++) {
      const id = idFor(pairKey(s.query, s.documents[r]));
      alphaRows.push([id, s.clicks[r] ? 1 : 0]);
      if (s.clicks[r]) sigmaRows.push([id, r === last ? 1 : 0]);
    }
  }
  const alpha = new SmoothedProbabilities(idOf.size, prior);
  const sigma = new SmoothedProbabilities(idOf.size, prior);
  for (const [id, click] of alphaRows) alpha.add(id, click);
  for (const [id, satisfied] of sigmaRows) sigma.add(id, satisfied);
  alpha.estimate();
  sigma.estimate();
  const tableOf = (p: SmoothedProbabilities): Map<string, number> => new Map([...idOf].map(([key, id]) => [key, p.values[id]]));
  return new SdbnModel(tableOf(alpha), tableOf(sigma), prior.priorMean);
}
