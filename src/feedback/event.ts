/**
 * Feedback: what a user did with a result. Every learner in Quiver (the memory index, user profiles, the
 * co-engagement graph, the intent classifier, later the retrieval policy and the ranker) learns from these.
 */
export type FeedbackType = 'click' | 'play' | 'like' | 'favorite' | 'skip' | 'dwell';

export const FEEDBACK_TYPES: readonly FeedbackType[] = ['click', 'play', 'like', 'favorite', 'skip', 'dwell'];

export interface FeedbackEvent {
  /** The query the result was shown for, as the user typed it. */
  query: string;
  entityId: string;
  type: FeedbackType;
  /** When it happened. */
  time: Date;
  user?: string;
  /** Seconds played or dwelt, for play and dwell. */
  value?: number;
  /** 1-based position the entity was shown at. */
  position?: number;
}

/**
 * How much each kind of feedback says the user wanted the entity; negative for rejections. By default a skip
 * weighs −1, a click +1: a click the user took back at once (clicked, then skipped) nets to no engagement.
 */
export interface EngagementWeights {
  click: number;
  /** A play of at least `minPlaySeconds` (or of unknown length). */
  play: number;
  like: number;
  favorite: number;
  skip: number;
  /** A dwell of at least `minDwellSeconds`. */
  dwell: number;
  minPlaySeconds: number;
  minDwellSeconds: number;
}

export const DEFAULT_ENGAGEMENT: EngagementWeights = {
  click: 1,
  play: 1.5,
  like: 2,
  favorite: 3,
  skip: -1,
  dwell: 1,
  minPlaySeconds: 30,
  minDwellSeconds: 10,
};

/**
 * The entities a request's events show the user wanted: those whose events' weights sum above 0. Skips and short
 * plays alone are not engagement, and neither is a click taken back by a skip (with the default weights).
 */
export function engagedEntities(events: readonly FeedbackEvent[], weights: EngagementWeights = DEFAULT_ENGAGEMENT): Set<string> {
  const engaged = new Set<string>();
  for (const [id, weight] of netEngagement(events, weights)) if (weight > 0) engaged.add(id);
  return engaged;
}

/** Per entity, the sum of its events' engagement weights. */
export function netEngagement(events: readonly FeedbackEvent[], weights: EngagementWeights = DEFAULT_ENGAGEMENT): Map<string, number> {
  const net = new Map<string, number>();
  for (const e of events) net.set(e.entityId, (net.get(e.entityId) ?? 0) + engagementWeight(e, weights));
  return net;
}

/** The engagement weight of one event: short plays and dwells count for nothing. */
export function engagementWeight(event: FeedbackEvent, weights: EngagementWeights = DEFAULT_ENGAGEMENT): number {
  if (event.type === 'play' && event.value !== undefined && event.value < weights.minPlaySeconds) return 0;
  if (event.type === 'dwell' && (event.value === undefined || event.value < weights.minDwellSeconds)) return 0;
  return weights[event.type];
}
