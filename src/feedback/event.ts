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

/** How much each kind of feedback says the user wanted the entity; negative for rejections. */
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
  skip: -0.5,
  dwell: 1,
  minPlaySeconds: 30,
  minDwellSeconds: 10,
};

/** The entities a request's events show the user wanted: positive engagement weight (skips and short plays are not). */
export function engagedEntities(events: readonly FeedbackEvent[], weights: EngagementWeights = DEFAULT_ENGAGEMENT): Set<string> {
  const engaged = new Set<string>();
  for (const e of events) if (engagementWeight(e, weights) > 0) engaged.add(e.entityId);
  return engaged;
}

/** The engagement weight of one event: short plays and dwells count for nothing. */
export function engagementWeight(event: FeedbackEvent, weights: EngagementWeights = DEFAULT_ENGAGEMENT): number {
  if (event.type === 'play' && event.value !== undefined && event.value < weights.minPlaySeconds) return 0;
  if (event.type === 'dwell' && (event.value === undefined || event.value < weights.minDwellSeconds)) return 0;
  return weights[event.type];
}
