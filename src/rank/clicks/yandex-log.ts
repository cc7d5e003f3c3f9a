/**
 * Reader for the Yandex WSCD 2012 click-log sample as PyClick shipped it (../shared/data/yandex-wscd2012-clicklog-sample):
 * each line holds many `;`-separated sessions `<query_id>\t<doc1>,…,<docN> : <clicked>, <clicked>, …` (the click
 * list may be empty), gzipped or not. A malformed session is an error naming file:line:session; clicks on
 * documents that are not in the listed results (~1% of clicks) are dropped and counted (see `clickSessionOf`).
 */
import { readTextFile } from '../../catalog/read-text.js';
import { createError } from '../../errors.js';
import { clickSessionOf, type ClickSession } from './session.js';

export interface ClickLog {
  sessions: ClickSession[];
  /** Clicks kept (one per clicked rank; repeat clicks on one result count once). */
  clicks: number;
  /** Clicks on documents that were not among the session's listed results, left out. */
  outsideClicks: number;
}

const ID = /^[^\s,:;]+$/;

/** Parses the log's text; `source` (a path) names the file in errors. */
export function parseClickLog(text: string, source: string): ClickLog {
  const sessions: ClickSession[] = [];
  let clicks = 0;
  let outsideClicks = 0;
  text.split('\n').forEach((line, lineIndex) => {
    line.split(';').forEach((raw, sessionIndex) => {
      const body = raw.trim();
      if (body === '') return; // lines end with "; ", and blank lines carry nothing
      const where = `${source}:${lineIndex + 1}:${sessionIndex + 1}`;
      const { session, outsideClicks: outside } = parseSession(body, where);
      sessions.push(session);
      outsideClicks += outside;
      for (const c of session.clicks) if (c) clicks++;
    });
  });
  if (sessions.length === 0) throw createError('CLICK_LOG_BAD_SESSION', source, 'no sessions in the file');
  return { sessions, clicks, outsideClicks };
}

/** Reads a log file (`.gz` is gunzipped). */
export function readClickLog(path: string): ClickLog {
  return parseClickLog(readTextFile(path), path);
}

function parseSession(body: string, where: string): { session: ClickSession; outsideClicks: number } {
  const tab = body.indexOf('\t');
  if (tab < 0) throw createError('CLICK_LOG_BAD_SESSION', where, `no tab between the query id and the results in "${excerpt(body)}"`);
  const query = body.slice(0, tab).trim();
  if (!ID.test(query)) throw createError('CLICK_LOG_BAD_SESSION', where, `bad query id "${excerpt(query)}"`);
  const rest = body.slice(tab + 1);
  const colon = rest.indexOf(':');
  if (colon < 0) throw createError('CLICK_LOG_BAD_SESSION', where, `no " : " between the results and the clicks in "${excerpt(body)}"`);
  const shown = ids(rest.slice(0, colon), 'result', where);
  if (shown.length === 0) throw createError('CLICK_LOG_BAD_SESSION', where, 'no results listed');
  const clickText = rest.slice(colon + 1);
  const clicked = clickText.trim() === '' ? [] : ids(clickText, 'clicked', where);
  try {
    return clickSessionOf(query, shown, clicked, where);
  } catch (err) {
    throw createError('CLICK_LOG_BAD_SESSION', where, (err as Error).message.replace(`${where}: `, ''));
  }
}

function ids(list: string, what: string, where: string): string[] {
  return list.split(',').map((part, i) => {
    const id = part.trim();
    if (!ID.test(id)) throw createError('CLICK_LOG_BAD_SESSION', where, `${what} id ${i + 1} is "${excerpt(id)}"; expected a non-empty id without spaces`);
    return id;
  });
}

function excerpt(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
