/**
 * The load test's traffic: one autocannon request definition that, on every send, is either a search (the next
 * query of a generated stream, with its user, time and locale) or, with probability `feedbackShare`, a click or
 * play on a result of a recent search (the newest one not yet answered, as a user reacts to what they just saw).
 * The result clicked is a target of the query when one was shown, else a position drawn ∝ 1/position, so the
 * learners see the usual mix of good clicks and position-biased noise. Latency is timed per request kind here
 * (autocannon keeps one histogram for all), from the moment the request is built, just before it is written.
 */
import type autocannon from 'autocannon';
import type { StreamEvent } from '../src/eval/stream.js';
import { mulberry32 } from '../src/util/random.js';

export type RequestKind = 'search' | 'feedback';

export interface KindStats {
  /** Milliseconds, in completion order. */
  latencies: number[];
  ok: number;
  non2xx: number;
}

interface Served {
  requestId: string;
  ids: string[];
  targets: readonly string[];
}

interface SendContext {
  kind?: RequestKind;
  sent?: number;
  targets?: readonly string[];
}

/** Searches not yet reacted to, newest last; older ones are dropped (abandoned) past this many. */
const MAX_SERVED = 1000;
const JSON_HEADERS = { 'content-type': 'application/json' };

export class Traffic {
  readonly stats: Record<RequestKind, KindStats> = { search: emptyStats(), feedback: emptyStats() };
  /** Feedback events the server did not know the request of (should stay 0). */
  unknownRequests = 0;
  private next = 0;
  private readonly served: Served[] = [];
  private readonly random: () => number;

  constructor(
    private readonly events: readonly StreamEvent[],
    private readonly feedbackShare: number,
    seed: number,
  ) {
    if (events.length === 0) throw new Error('the load test needs at least one query');
    this.random = mulberry32(seed);
  }

  /** The one request definition autocannon cycles through. */
  request(): autocannon.Request {
    return {
      setupRequest: (request, context) => this.setup(request, context as SendContext),
      onResponse: (status, body, context) => this.record(status, body, context as SendContext),
    };
  }

  /** A search body for a stream event (also what the warm-up sends). */
  searchBody(event: StreamEvent): string {
    return JSON.stringify({ query: event.query, context: event.context });
  }

  /** Remembers a search's answer, so feedback can refer to it. */
  remember(body: string, targets: readonly string[]): void {
    const answer = JSON.parse(body) as { requestId: string; results: Array<{ id: string }> };
    if (answer.results.length === 0) return;
    this.served.push({ requestId: answer.requestId, ids: answer.results.map((r) => r.id), targets });
    if (this.served.length > MAX_SERVED) this.served.splice(0, this.served.length - MAX_SERVED);
  }

  /** A click or play on one result of the newest unanswered search, or undefined when there is none. */
  feedbackBody(): string | undefined {
    const served = this.served.pop();
    if (!served) return undefined;
    let position = served.ids.findIndex((id) => served.targets.includes(id));
    if (position < 0) position = this.positionBiased(served.ids.length);
    const type = this.random() < 0.3 ? 'play' : 'click';
    const entityId = served.ids[position];
    return JSON.stringify({ requestId: served.requestId, entityId, type, position: position + 1, eventId: `${served.requestId}:${type}` });
  }

  nextEvent(): StreamEvent {
    return this.events[this.next++ % this.events.length];
  }

  private setup(request: autocannon.Request, context: SendContext): autocannon.Request {
    const feedback = this.random() < this.feedbackShare ? this.feedbackBody() : undefined;
    if (feedback !== undefined) {
      context.kind = 'feedback';
      context.sent = performance.now();
      return { ...request, method: 'POST', path: '/feedback', headers: JSON_HEADERS, body: feedback };
    }
    const event = this.nextEvent();
    context.kind = 'search';
    context.targets = event.targets;
    context.sent = performance.now();
    return { ...request, method: 'POST', path: '/search', headers: JSON_HEADERS, body: this.searchBody(event) };
  }

  private record(status: number, body: string, context: SendContext): void {
    if (!context.kind || context.sent === undefined) return;
    const stats = this.stats[context.kind];
    stats.latencies.push(performance.now() - context.sent);
    if (status < 200 || status >= 300) {
      stats.non2xx++;
      return;
    }
    stats.ok++;
    if (context.kind === 'search') this.remember(body, context.targets ?? []);
    else this.unknownRequests += (JSON.parse(body) as { unknownRequests: string[] }).unknownRequests.length;
  }

  /** A position in [0, n) drawn with probability ∝ 1/(position + 1). */
  private positionBiased(n: number): number {
    let total = 0;
    for (let p = 1; p <= n; p++) total += 1 / p;
    let r = this.random() * total;
    for (let p = 0; p < n; p++) {
      r -= 1 / (p + 1);
      if (r <= 0) return p;
    }
    return n - 1;
  }
}

function emptyStats(): KindStats {
  return { latencies: [], ok: 0, non2xx: 0 };
}
