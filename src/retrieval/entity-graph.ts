/**
 * The entity graph the related strategy walks: catalogue relations (track → artist and album, album → tracks
 * and artist, artist → tracks and related artists, playlist → tracks) in both directions, plus co-engagement
 * edges learnt from feedback: a user engaging with two entities within one session window links them, as a
 * decayed sum, each pair by the smaller of the two engagements' weights. A negative event (a skip) takes its
 * weight back from the entity's latest engagement in the session and, with it, the links that engagement made:
 * a click taken back by a skip links nothing, as it is no engagement for the plan and the ranker.
 * Forward edges are read from the entities themselves; reverse edges are kept as packed (doc, relation) numbers
 * per target id, built on first use and following the index's adds and removes.
 * Edge weight = the strongest catalogue relation between the two (a reverse edge counts reverseFactor of its
 * relation's weight) + coEngagementWeight · c / (c + 1), c the decayed co-engagement.
 */
import type { Entity } from '../catalog/entity.js';
import { engagementWeight, type FeedbackEvent } from '../feedback/event.js';
import type { SearchIndex } from '../index/search-index.js';
import { resolveOptions, type ResolvedOptions } from '../options.js';
import { addDecayed, DAY_MS, type DecayedSum, mergeDecayedMaps, valueAt } from './decay.js';
import { checkedEventTime, checkStateHeader, readNestedSums, stateArray, writeNestedSums } from './learner-state.js';
import { createError } from '../errors.js';
import type { Learner, RetrievalResources } from './resources.js';

export const ENTITY_GRAPH_OPTIONS = {
  sessionMinutes: { kind: 'number', default: 30, min: 0.1, max: 10080, description: 'two engagements by one user this close in time are co-engagement' },
  halfLifeDays: { kind: 'number', default: 90, min: 0.001, max: 36500, description: 'days after which a co-engagement counts half' },
  coEngagementWeight: { kind: 'number', default: 1, min: 0, max: 10, description: 'weight of a saturated co-engagement edge' },
  reverseFactor: { kind: 'number', default: 0.5, min: 0, max: 1, description: 'share of a relation\'s weight its reverse edge gets (album → track from track → album)' },
  maxCoNeighbours: { kind: 'number', default: 200, min: 1, max: 100000, integer: true, description: 'co-engagement edges kept per entity (the weakest go first)' },
  sessionLength: { kind: 'number', default: 50, min: 1, max: 10000, integer: true, description: 'engagements remembered per user session' },
} as const;

export type EntityGraphOptions = ResolvedOptions<typeof ENTITY_GRAPH_OPTIONS>;

/** Weight of each catalogue relation, by name; other relation names weigh DEFAULT_RELATION_WEIGHT. */
export const RELATION_WEIGHTS: Readonly<Record<string, number>> = { artist: 1, album: 0.9, tracks: 0.8, related: 0.6 };
export const DEFAULT_RELATION_WEIGHT = 0.5;

export const GRAPH_STATE_FORMAT = 'quiver.entity-graph';
export const GRAPH_STATE_VERSION = 1;

export interface Edge {
  id: string;
  weight: number;
  /** The strongest catalogue relation ("artist", "tracks (reverse)") or undefined, and the co-engagement part. */
  relation?: string;
  catalogue: number;
  coEngagement: number;
}

interface Engagement {
  id: string;
  time: number;
  weight: number;
}

/**
 * A user's session is forgotten once their last engagement is this much older than the session window before the
 * newest event seen: a late event (feedback arrives up to a day late) still finds its session, and a user who never
 * comes back does not hold memory, or a checkpoint's bytes, for ever.
 */
const SESSION_SLACK_MS = DAY_MS;
/** Sessions are swept of forgotten users once per this many learnt events. */
const SWEEP_EVERY = 4096;
/** A co-engagement sum this small after a take-back is rounding left over from decay: the link is gone. */
const LINK_EPSILON = 1e-9;
/** Relations are few; a reverse entry packs (source doc, relation code) into one number. */
const RELATION_CODES = 64;
/** Entities whose catalogue edges are kept at once. */
const MAX_CACHED = 50_000;

interface CatalogueEdges {
  ids: string[];
  /** The strongest catalogue relation's weight per target (0 when every relation to it weighs 0). */
  weights: number[];
  /** Its name ("artist", "tracks (reverse)"), undefined when the weight is 0. */
  relations: Array<string | undefined>;
  /** Position of each target in `ids`. */
  at: Map<string, number>;
}

export class EntityGraph implements Learner {
  readonly options: EntityGraphOptions;
  private readonly halfLifeMs: number;
  private reverse: Map<string, number[]> | undefined;
  private readonly relationNames: string[] = [];
  /** "<relation> (reverse)", by relation code. */
  private readonly reverseNames: string[] = [];
  private readonly catalogueCache = new Map<string, CatalogueEdges>();
  private co = new Map<string, Map<string, DecayedSum>>();
  private sessions = new Map<string, Engagement[]>();
  /** The newest event time learnt, and events learnt since sessions were last swept. */
  private newest = -Infinity;
  private sinceSweep = 0;

  static shared(resources: RetrievalResources, options: Partial<EntityGraphOptions> = {}): EntityGraph {
    return resources.sharedLearner('entity-graph', (r) => new EntityGraph(r.index, options));
  }

  constructor(
    private readonly index: SearchIndex,
    options: Partial<EntityGraphOptions> = {},
  ) {
    this.options = resolveOptions(ENTITY_GRAPH_OPTIONS, options, 'graph.');
    this.halfLifeMs = this.options.halfLifeDays * DAY_MS;
    index.subscribe({
      added: (e) => {
        this.catalogueCache.clear();
        if (this.reverse) this.link(e, 1);
      },
      removed: (e) => {
        this.catalogueCache.clear();
        if (this.reverse) this.link(e, -1);
      },
    });
  }

  /** The entity's neighbours at `time`, in a fixed order: forward relations, reverse ones, co-engagement. */
  neighbours(id: string, time: number): Edge[] {
    const catalogue = this.catalogueEdges(id);
    const edges: Edge[] = catalogue.ids.map((target, i) => {
      const relation = catalogue.relations[i];
      return relation === undefined
        ? { id: target, weight: 0, catalogue: catalogue.weights[i], coEngagement: 0 }
        : { id: target, weight: 0, catalogue: catalogue.weights[i], coEngagement: 0, relation };
    });
    for (const [target, sum] of this.co.get(id) ?? []) {
      const c = valueAt(sum, this.halfLifeMs, time);
      if (!(c > 0)) continue;
      const at = catalogue.at.get(target);
      const coEngagement = this.options.coEngagementWeight * (c / (c + 1));
      if (at === undefined) edges.push({ id: target, weight: 0, catalogue: 0, coEngagement });
      else edges[at].coEngagement = coEngagement;
    }
    for (const e of edges) e.weight = e.catalogue + e.coEngagement;
    return edges;
  }

  /**
   * `visit(target, weight)` for every neighbour, in `neighbours`' order and with its weights, without making an
   * Edge per neighbour: the related strategy's walk reads hundreds of neighbourhoods per query.
   */
  forEachNeighbour(id: string, time: number, visit: (target: string, weight: number) => void): void {
    const catalogue = this.catalogueEdges(id);
    const co = this.co.get(id);
    let learnt: Map<string, number> | undefined;
    let learntOnly: Array<[string, number]> | undefined;
    for (const [target, sum] of co ?? []) {
      const c = valueAt(sum, this.halfLifeMs, time);
      if (!(c > 0)) continue;
      const coEngagement = this.options.coEngagementWeight * (c / (c + 1));
      if (catalogue.at.has(target)) (learnt ??= new Map()).set(target, coEngagement);
      else (learntOnly ??= []).push([target, coEngagement]);
    }
    const { ids, weights } = catalogue;
    for (let i = 0; i < ids.length; i++) visit(ids[i], weights[i] + (learnt?.get(ids[i]) ?? 0));
    for (const [target, coEngagement] of learntOnly ?? []) visit(target, 0 + coEngagement);
  }

  /**
   * The entity's catalogue edges (forward relations, then reverse ones), one per target with its strongest
   * relation. They change only with the catalogue, so they are kept per entity (up to MAX_CACHED entities; all
   * dropped on any add or remove, which can change any entity's reverse edges).
   */
  private catalogueEdges(id: string): CatalogueEdges {
    const cached = this.catalogueCache.get(id);
    if (cached) return cached;
    const edges: CatalogueEdges = { ids: [], weights: [], relations: [], at: new Map() };
    const add = (target: string, weight: number, relation: string) => {
      const at = edges.at.get(target);
      if (at === undefined) {
        edges.at.set(target, edges.ids.length);
        edges.ids.push(target);
        edges.weights.push(weight > 0 ? weight : 0);
        edges.relations.push(weight > 0 ? relation : undefined);
      } else if (weight > edges.weights[at]) {
        edges.weights[at] = weight;
        edges.relations[at] = relation;
      }
    };
    const entity = this.index.get(id);
    for (const [relation, targets] of Object.entries(entity?.relations ?? {})) {
      const weight = relationWeight(relation);
      for (const target of targets) if (target !== id) add(target, weight, relation);
    }
    const entities = this.index.entities;
    for (const packed of this.reverseIndex().get(id) ?? []) {
      const source = entities[Math.floor(packed / RELATION_CODES)];
      const code = packed % RELATION_CODES;
      if (source && source.id !== id) add(source.id, relationWeight(this.relationNames[code]) * this.options.reverseFactor, this.reverseNames[code]);
    }
    if (this.catalogueCache.size >= MAX_CACHED) this.catalogueCache.clear();
    this.catalogueCache.set(id, edges);
    return edges;
  }

  /** Ids of the other entities whose catalogue relations name `id`: the reverse edges, without a catalogue scan. */
  referrers(id: string): string[] {
    const entities = this.index.entities;
    const out = new Set<string>();
    for (const packed of this.reverseIndex().get(id) ?? []) {
      const source = entities[Math.floor(packed / RELATION_CODES)];
      if (source && source.id !== id) out.add(source.id);
    }
    return [...out];
  }

  /** Co-engagement edges held (each counted from both ends). */
  get coEdges(): number {
    let n = 0;
    for (const m of this.co.values()) n += m.size;
    return n;
  }

  learn(event: FeedbackEvent): void {
    const time = checkedEventTime('entity graph', event);
    const weight = engagementWeight(event);
    if (!(weight !== 0 && Number.isFinite(weight)) || event.user === undefined) return;
    this.newest = Math.max(this.newest, time);
    if (++this.sinceSweep >= SWEEP_EVERY) this.sweepSessions();
    const windowMs = this.options.sessionMinutes * 60_000;
    const session = (this.sessions.get(event.user) ?? []).filter((e) => Math.abs(time - e.time) <= windowMs);
    if (weight < 0) {
      this.takeBack(session, event.entityId, -weight, time);
      const open = session.filter((e) => e.weight > 0);
      if (open.length > 0) this.sessions.set(event.user, open);
      else this.sessions.delete(event.user);
      return;
    }
    for (const other of session) {
      if (other.id === event.entityId) continue;
      const shared = Math.min(weight, other.weight);
      this.addCo(event.entityId, other.id, shared, time);
      this.addCo(other.id, event.entityId, shared, time);
    }
    session.push({ id: event.entityId, time, weight });
    this.sessions.set(event.user, session.slice(-this.options.sessionLength));
  }

  /**
   * Takes `amount` back from the entity's latest engagement in the session, and from each link it made the part
   * that no longer holds: min(w, w_other) − min(w − amount, w_other). A skip of something never engaged in the
   * session changes nothing.
   */
  private takeBack(session: Engagement[], id: string, amount: number, time: number): void {
    const own = session.findLast((e) => e.id === id);
    if (!own) return;
    const left = Math.max(0, own.weight - amount);
    for (const other of session) {
      if (other.id === id) continue;
      const undone = Math.min(own.weight, other.weight) - Math.min(left, other.weight);
      if (undone <= 0) continue;
      this.removeCo(id, other.id, undone, time);
      this.removeCo(other.id, id, undone, time);
    }
    own.weight = left;
  }

  /** Users with an open (not yet forgotten) session. */
  get openSessions(): number {
    return this.sessions.size;
  }

  /** Forgets the sessions of users whose last engagement is older than the horizon (SESSION_SLACK_MS). */
  private sweepSessions(): void {
    this.sinceSweep = 0;
    const horizon = this.sessionHorizon();
    for (const [user, list] of this.sessions) if (!this.isOpen(list, horizon)) this.sessions.delete(user);
  }

  private sessionHorizon(): number {
    return this.newest - this.options.sessionMinutes * 60_000 - SESSION_SLACK_MS;
  }

  private isOpen(list: readonly Engagement[], horizon: number): boolean {
    return list.some((e) => e.time >= horizon);
  }

  merge(other: EntityGraph): void {
    for (const [id, sums] of other.co) {
      let into = this.co.get(id);
      if (!into) this.co.set(id, (into = new Map()));
      mergeDecayedMaps(into, sums, this.halfLifeMs);
    }
    for (const [user, engagements] of other.sessions) {
      const all = [...(this.sessions.get(user) ?? []), ...engagements].sort((a, b) => a.time - b.time);
      this.sessions.set(user, all.slice(-this.options.sessionLength));
    }
    this.newest = Math.max(this.newest, other.newest);
  }

  toJSON() {
    const horizon = this.sessionHorizon();
    return {
      format: GRAPH_STATE_FORMAT,
      version: GRAPH_STATE_VERSION,
      coEngagement: writeNestedSums(this.co),
      // Open sessions only, by user: which forgotten ones a live graph still holds, and in what order, depends on
      // when it last swept, and a saved state must not (a replayed log reaches the same bytes).
      sessions: [...this.sessions]
        .filter(([, list]) => this.isOpen(list, horizon))
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([user, list]) => [user, list.map((e) => [e.id, e.time, e.weight])]),
      ...(Number.isFinite(this.newest) && { newest: this.newest }),
    };
  }

  /** Replaces the learnt edges and open sessions with saved ones; on a bad state nothing changes. */
  restore(state: unknown): void {
    const s = checkStateHeader(state, GRAPH_STATE_FORMAT, GRAPH_STATE_VERSION);
    const co = readNestedSums(GRAPH_STATE_FORMAT, 'coEngagement', s.coEngagement);
    const sessions = new Map<string, Engagement[]>();
    stateArray(GRAPH_STATE_FORMAT, 'sessions', s.sessions).forEach((entry, i) => {
      const ok = Array.isArray(entry) && typeof entry[0] === 'string' && Array.isArray(entry[1]) &&
        entry[1].every((e: unknown) => Array.isArray(e) && typeof e[0] === 'string' && Number.isFinite(e[1]) && Number.isFinite(e[2]));
      if (!ok) throw createError('LEARNER_STATE_INVALID', GRAPH_STATE_FORMAT, `sessions[${i}]`, 'expected [user, [[id, time, weight], …]]');
      sessions.set(entry[0], (entry[1] as Array<[string, number, number]>).map(([id, time, weight]) => ({ id, time, weight })));
    });
    if (s.newest !== undefined && !Number.isFinite(s.newest)) throw createError('LEARNER_STATE_INVALID', GRAPH_STATE_FORMAT, 'newest', 'expected the newest event time learnt, a finite number');
    this.co = co;
    this.sessions = sessions;
    // A state saved before `newest` was kept: the newest engagement it holds.
    this.newest = (s.newest as number | undefined) ?? -Infinity;
    if (s.newest === undefined) for (const list of sessions.values()) for (const e of list) this.newest = Math.max(this.newest, e.time);
    this.sinceSweep = 0;
  }

  static fromJSON(index: SearchIndex, state: unknown, options: Partial<EntityGraphOptions> = {}): EntityGraph {
    const graph = new EntityGraph(index, options);
    graph.restore(state);
    return graph;
  }

  private addCo(from: string, to: string, weight: number, time: number): void {
    let sums = this.co.get(from);
    if (!sums) this.co.set(from, (sums = new Map()));
    sums.set(to, addDecayed(sums.get(to), weight, time, this.halfLifeMs));
    if (sums.size > this.options.maxCoNeighbours) {
      let weakest: string | undefined;
      let least = Infinity;
      for (const [id, sum] of sums) {
        const v = valueAt(sum, this.halfLifeMs, time);
        if (v < least) [weakest, least] = [id, v];
      }
      sums.delete(weakest!);
    }
  }

  /** Subtracts from a link; a link left at (about) nothing is dropped. */
  private removeCo(from: string, to: string, weight: number, time: number): void {
    const sums = this.co.get(from);
    const sum = sums?.get(to);
    if (!sums || !sum) return;
    addDecayed(sum, -weight, time, this.halfLifeMs);
    if (sum.value <= LINK_EPSILON) {
      sums.delete(to);
      if (sums.size === 0) this.co.delete(from);
    }
  }

  private reverseIndex(): Map<string, number[]> {
    if (!this.reverse) {
      this.reverse = new Map();
      for (const entity of this.index.entities) if (entity) this.link(entity, 1);
    }
    return this.reverse;
  }

  /** Adds (+1) or removes (−1) the entity's reverse edges. */
  private link(entity: Entity, direction: 1 | -1): void {
    const doc = this.index.docId(entity.id);
    if (doc === undefined || !entity.relations) return;
    for (const [relation, targets] of Object.entries(entity.relations)) {
      let code = this.relationNames.indexOf(relation);
      if (code < 0) {
        if (this.relationNames.length === RELATION_CODES) continue; // more relation names than any catalogue has
        code = this.relationNames.push(relation) - 1;
        this.reverseNames.push(`${relation} (reverse)`);
      }
      const packed = doc * RELATION_CODES + code;
      for (const target of targets) {
        const list = this.reverse!.get(target);
        if (direction > 0) {
          if (list) list.push(packed);
          else this.reverse!.set(target, [packed]);
        } else if (list) {
          const at = list.indexOf(packed);
          if (at >= 0) list.splice(at, 1);
        }
      }
    }
  }
}

function relationWeight(relation: string): number {
  return RELATION_WEIGHTS[relation] ?? DEFAULT_RELATION_WEIGHT;
}
