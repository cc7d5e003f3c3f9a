/**
 * One search session as the click models and the position-bias estimator see it: a query, the results shown in
 * rank order, and which of them were clicked. Every log (the Yandex sample, Quiver's own impression log) is turned
 * into these by `clickSessionOf`, so clicks on results that were not shown are handled the same way everywhere.
 */
import { createError } from '../../errors.js';

export interface ClickSession {
  readonly query: string;
  /** Result ids in the order shown: documents[0] was at rank 1. */
  readonly documents: readonly string[];
  /** clicks[r]: the result at 0-based rank r was clicked at least once (repeat clicks are one click). */
  readonly clicks: readonly boolean[];
}

export interface SessionFromClicks {
  session: ClickSession;
  /**
   * Clicked ids that are not among the shown results (a result from a later page, an ad, a vertical: the log
   * does not say). They are left out of the session, because every click model here describes clicks on the
   * list shown, and a click on something unlisted says nothing about any listed result's attractiveness or
   * examination. Callers count them so that how many were dropped is reported, never silent.
   */
  outsideClicks: number;
}

/** Builds a session from the shown ids and the clicked ids (any order, repeats allowed); `where` names it in errors. */
export function clickSessionOf(query: string, shown: readonly string[], clicked: readonly string[], where: string): SessionFromClicks {
  if (typeof query !== 'string' || query === '') throw createError('CLICKS_BAD_INPUT', where, 'the query is empty');
  if (shown.length === 0) throw createError('CLICKS_BAD_INPUT', where, 'no results were shown');
  const rankOf = new Map<string, number>();
  shown.forEach((id, r) => {
    if (typeof id !== 'string' || id === '') throw createError('CLICKS_BAD_INPUT', where, `the result at rank ${r + 1} has an empty id`);
    if (rankOf.has(id)) throw createError('CLICKS_BAD_INPUT', where, `result "${id}" is shown twice (ranks ${rankOf.get(id)! + 1} and ${r + 1})`);
    rankOf.set(id, r);
  });
  const clicks = new Array<boolean>(shown.length).fill(false);
  let outsideClicks = 0;
  for (const id of clicked) {
    const r = rankOf.get(id);
    if (r === undefined) outsideClicks++;
    else clicks[r] = true;
  }
  return { session: { query, documents: shown.slice(), clicks }, outsideClicks };
}

/** Refuses sessions that are not well formed (hand-built ones, or ones from JSON), naming the first bad one. */
export function checkSessions(sessions: readonly ClickSession[], what: string): void {
  if (!Array.isArray(sessions) || sessions.length === 0) throw createError('CLICKS_BAD_INPUT', what, 'no sessions to fit or evaluate');
  sessions.forEach((s, i) => {
    const where = `${what}: session ${i}`;
    if (typeof s?.query !== 'string' || s.query === '') throw createError('CLICKS_BAD_INPUT', where, 'the query is missing');
    if (!Array.isArray(s.documents) || s.documents.length === 0) throw createError('CLICKS_BAD_INPUT', where, 'no documents');
    if (!Array.isArray(s.clicks) || s.clicks.length !== s.documents.length) {
      throw createError('CLICKS_BAD_INPUT', where, `has ${s.documents.length} documents but ${Array.isArray(s.clicks) ? s.clicks.length : 'no'} click flags`);
    }
    (s.clicks as readonly unknown[]).forEach((c, r) => {
      if (typeof c !== 'boolean') throw createError('CLICKS_BAD_INPUT', where, `click flag at rank ${r + 1} is ${JSON.stringify(c)}; expected true or false`);
    });
  });
}

/** The longest list shown: how many ranks the per-rank parameters and perplexities cover. */
export function maxDepth(sessions: readonly ClickSession[]): number {
  let depth = 0;
  for (const s of sessions) depth = Math.max(depth, s.documents.length);
  return depth;
}

/** The key of a (query, document) pair in the per-pair parameter tables. */
export function pairKey(query: string, document: string): string {
  return `${query}\u0000${document}`;
}
