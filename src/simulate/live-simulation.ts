/**
 * Simulated traffic through a live Engine, so a new user can watch the policy learn on the dashboard in a minute
 * (POST /simulate, simulate-routes.ts). Queries come from the stream generator over the engine's own catalogue
 * (stream-generator.ts); a simulated user (a click model, click-models.ts) engages with what was shown exactly as
 * in the offline simulator (`simulatedEngagement`); both go through `engine.search` and `engine.feedback`, so they
 * are logged, learnt from and counted by /stats like any traffic. Every search carries its query style as the
 * label, so /stats splits the counts by style.
 *
 * Bounded: at most `queries` searches per run and one run at a time. The loop yields to the event loop after every
 * query, so the server keeps answering real requests while it runs. Every `flushEvery` queries the engine closes
 * its pending requests, so the policy learns within seconds instead of after the feedback window; this also closes
 * real users' pending requests early, which a demo server can afford. Generating the stream is one synchronous
 * step before the first query (about a second on the demo catalogue).
 */
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { Entity } from '../catalog/entity.js';
import type { Engine } from '../engine/engine.js';
import { createError } from '../errors.js';
import { generateStream } from '../eval/stream-generator.js';
import { resolveOptions, type ResolvedOptions } from '../options.js';
import { CLICK_MODELS, createClickModel } from './click-models.js';
import { DEFAULT_REFIND, isRefind, simulatedEngagement, userCoins } from './simulator.js';

export const LIVE_SIMULATION_OPTIONS = {
  queries: { kind: 'number', default: 1000, min: 1, max: 10_000, integer: true, description: 'searches to simulate in this run' },
  seed: { kind: 'number', default: 1, min: 0, max: 2 ** 31 - 1, integer: true, description: 'seed of the generated queries and the clicks' },
  clickModel: { kind: 'enum', default: 'pbm', values: CLICK_MODELS, description: 'how the simulated user clicks' },
  k: { kind: 'number', default: 10, min: 1, max: 100, integer: true, description: 'results shown per search' },
  refind: { kind: 'number', default: DEFAULT_REFIND, min: 0, max: 1, description: 'share of searches that found nothing wanted after which the user finds a target another way and plays it' },
  afterClick: { kind: 'boolean', default: true, description: 'after a click the user plays a target and skips anything else (false: clicks only)' },
  flushEvery: { kind: 'number', default: 20, min: 1, max: 10_000, integer: true, description: 'close the pending requests every this many searches, so the policy learns at once' },
} as const;

export type LiveSimulationOptions = ResolvedOptions<typeof LIVE_SIMULATION_OPTIONS>;

export type SimulationState = 'idle' | 'generating' | 'running' | 'done' | 'stopped' | 'failed';

/** What GET /simulate reports. */
export interface SimulationProgress {
  state: SimulationState;
  options: LiveSimulationOptions | null;
  /** Searches made so far, of them those the user clicked in, and those after which a target was refound and played. */
  done: number;
  clicks: number;
  plays: number;
  /** Epoch ms (null before the first run / while running). */
  startedAt: number | null;
  finishedAt: number | null;
  error: string | null;
}

export class LiveSimulation {
  private progress: SimulationProgress = { state: 'idle', options: null, done: 0, clicks: 0, plays: 0, startedAt: null, finishedAt: null, error: null };
  private running: Promise<void> | undefined;
  private stopRequested = false;

  constructor(
    private readonly engine: Engine,
    private readonly now: () => number = Date.now,
  ) {}

  get status(): SimulationProgress {
    return { ...this.progress, options: this.progress.options && { ...this.progress.options } };
  }

  get active(): boolean {
    return this.running !== undefined;
  }

  /** Starts a run in the background; refused with SIMULATE_RUNNING while one is under way. Bad options fail here. */
  start(given: Partial<LiveSimulationOptions> = {}): SimulationProgress {
    if (this.running) throw createError('SIMULATE_RUNNING', this.progress.done, this.progress.options!.queries);
    const options = resolveOptions(LIVE_SIMULATION_OPTIONS, given);
    this.stopRequested = false;
    this.progress = { state: 'generating', options, done: 0, clicks: 0, plays: 0, startedAt: this.now(), finishedAt: null, error: null };
    this.running = this.run(options)
      .then(() => this.finish(this.stopRequested ? 'stopped' : 'done'))
      .catch((err: Error) => this.finish('failed', err.message))
      .finally(() => {
        this.running = undefined;
      });
    return this.status;
  }

  /** Stops a run after its current query (the server calls it on close); resolves when it has stopped. */
  async stop(): Promise<void> {
    this.stopRequested = true;
    await this.running;
  }

  /** Resolves when the current run (if any) has ended. */
  async finished(): Promise<void> {
    await this.running;
  }

  private async run(options: LiveSimulationOptions): Promise<void> {
    await yieldToEventLoop(); // answer the POST before the synchronous generation
    const entities = this.engine.index.entities.filter((e): e is Entity => e !== undefined);
    const { events } = generateStream(entities, { n: options.queries, seed: options.seed });
    const user = createClickModel(options.clickModel);
    this.progress.state = 'running';
    for (const [t, event] of events.entries()) {
      if (this.stopRequested) break;
      const response = this.engine.search({ query: event.query, context: event.context, k: options.k, label: event.label });
      const engaged = simulatedEngagement(response.results.map((r) => r.id), event.targets, user, userCoins(options.seed, t), options.refind, options.afterClick);
      if (engaged.length > 0) {
        // Feedback at the query's own time, as the offline simulator does: the learners' decay reads it.
        this.engine.feedback(engaged.map((e) => ({ requestId: response.requestId, entityId: e.entityId, type: e.type, ts: event.context.time, ...(e.position !== undefined && { position: e.position }), ...(e.value !== undefined && { value: e.value }) })));
      }
      this.progress.done++;
      if (engaged.some((e) => e.type === 'click')) this.progress.clicks++;
      if (engaged.some(isRefind)) this.progress.plays++;
      if (this.progress.done % options.flushEvery === 0) this.engine.flush();
      await yieldToEventLoop();
    }
    this.engine.flush();
  }

  private finish(state: SimulationState, error: string | null = null): void {
    this.progress.state = state;
    this.progress.error = error;
    this.progress.finishedAt = this.now();
  }
}
