/**
 * The event log in memory: the same contract as the SQLite log (test/store/conformance.ts), nothing durable.
 * For tests and for replaying a log in another process's memory. Engines in one process may share one, as
 * processes share a SQLite log.
 */
import type { AppendOptions, AppendOutcome, AppendRequest, AppendResult, EventLog, LogRecord, StoredImpression, StoredRecord } from './event-log.js';

export class MemoryEventLog implements EventLog {
  private readonly log: StoredRecord[] = [];
  private readonly eventIds = new Set<string>();
  private readonly kept: StoredImpression[] = [];
  private readonly keptIds = new Set<string>();
  private readonly meta = new Map<string, string>();

  append(eventIds: ReadonlyArray<string | undefined>, build: (fresh: readonly boolean[]) => LogRecord | undefined, options: AppendOptions = {}): AppendResult {
    options.before?.();
    const claimed = new Set<string>();
    const fresh = eventIds.map((id) => {
      if (id === undefined) return true;
      if (this.eventIds.has(id) || claimed.has(id)) return false;
      claimed.add(id);
      return true;
    });
    const record = build(fresh); // throws before anything is claimed or written
    if (!record) return { fresh };
    for (const id of claimed) this.eventIds.add(id);
    const seq = this.lastSeq + 1;
    this.log.push({ seq, kind: record.kind, time: record.time, body: record.body, ...(record.blob && { blob: Uint8Array.from(record.blob) }) });
    return { seq, fresh };
  }

  appendMany(requests: readonly AppendRequest[]): AppendOutcome[] {
    return requests.map((r) => {
      try {
        return { result: this.append(r.eventIds, r.build, r) };
      } catch (error) {
        return { error };
      }
    });
  }

  *records(afterSeq: number): Iterable<StoredRecord> {
    for (const record of this.log) if (record.seq > afterSeq) yield record;
  }

  get lastSeq(): number {
    return this.log.at(-1)?.seq ?? 0;
  }

  hasEvent(eventId: string): boolean {
    return this.eventIds.has(eventId);
  }

  saveImpression(impression: StoredImpression): void {
    if (this.keptIds.has(impression.requestId)) return;
    this.keptIds.add(impression.requestId);
    this.kept.push({ ...impression });
  }

  impressions(maxSeq: number, limit: number): StoredImpression[] {
    const upTo = this.kept.filter((i) => i.seq <= maxSeq);
    return limit <= 0 ? [] : upTo.slice(-limit);
  }

  getMeta(key: string): string | undefined {
    return this.meta.get(key);
  }

  setMeta(key: string, value: string): void {
    this.meta.set(key, value);
  }

  close(): void {}
}
