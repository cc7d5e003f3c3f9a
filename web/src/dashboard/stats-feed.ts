// Live /stats: polls every few seconds for the buckets since the newest one it has (that bucket may have grown, so
// it is asked for again), merges them into the series it keeps, and hands every listener the snapshot with the
// whole merged series. A change of resolution starts the series afresh. One request at a time; none while the tab
// is hidden.
import type { BucketStats } from '../../../src/engine/stats-bucket.js';
import { fetchStats, type Resolution, type StatsSnapshot } from './dashboard-api.js';

/** Buckets kept per resolution (the server keeps 360 fine and 1440 coarse ones by default). */
const MAX_BUCKETS = 1440;

export class StatsFeed {
  private buckets = new Map<number, BucketStats>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private inFlight: Promise<void> | undefined;
  private generation = 0;
  resolution: Resolution = 'fine';
  latest: StatsSnapshot | undefined;

  constructor(
    private readonly onUpdate: (stats: StatsSnapshot) => void,
    private readonly onError: (err: Error) => void,
    readonly intervalMs = 2000,
  ) {}

  start(): void {
    const tick = async () => {
      if (!document.hidden) await this.refresh();
      this.timer = setTimeout(tick, this.intervalMs);
    };
    void tick();
  }

  stop(): void {
    clearTimeout(this.timer);
  }

  setResolution(resolution: Resolution): Promise<void> {
    this.resolution = resolution;
    this.buckets.clear();
    this.generation++;
    return this.refresh();
  }

  /** Fetches what changed now (joins a fetch already under way). */
  refresh(): Promise<void> {
    this.inFlight ??= this.fetchChanges().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  private async fetchChanges(): Promise<void> {
    const generation = this.generation;
    const starts = [...this.buckets.keys()];
    const since = starts.length > 0 ? Math.max(...starts) : undefined;
    let reply: StatsSnapshot;
    try {
      reply = await fetchStats(this.resolution, since);
    } catch (err) {
      this.onError(err as Error);
      return;
    }
    if (generation !== this.generation) return void this.refresh(); // the resolution changed meanwhile
    if (since !== undefined) for (const start of starts) if (start >= since) this.buckets.delete(start);
    for (const bucket of reply.series.buckets) this.buckets.set(bucket.start, bucket);
    const ordered = [...this.buckets.values()].sort((a, b) => a.start - b.start).slice(-MAX_BUCKETS);
    if (ordered.length < this.buckets.size) this.buckets = new Map(ordered.map((b) => [b.start, b]));
    this.latest = { ...reply, series: { ...reply.series, buckets: ordered } };
    this.onUpdate(this.latest);
  }
}
