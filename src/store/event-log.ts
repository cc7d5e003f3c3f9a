/**
 * The event log: the durable record a serving engine is rebuilt from. Every state-changing call (a search
 * served, a feedback batch, a catalogue change) is appended before it takes effect, so replaying the log from a
 * checkpoint reproduces the state exactly (src/engine/engine.ts says how). Records are opaque to the log: a kind,
 * a time, a JSON body and an optional binary part.
 *
 * Feedback is idempotent by event id, and the log is where ids are remembered for good: `append` claims the
 * given ids in the same transaction as the record, so an event is either logged and claimed or neither.
 *
 * Impressions the ranker learns from are derived data kept beside the log (keyed by request id, so replaying
 * the record that produced one writes nothing new), to be read back on restart without replaying their history.
 *
 * Implementations: SqliteEventLog (durable, the default) and MemoryEventLog (tests, and engines without a
 * data directory); both pass test/store/conformance.ts.
 */

export interface LogRecord {
  kind: string;
  /** Epoch milliseconds: the engine's clock when the call was made. */
  time: number;
  /** JSON text. */
  body: string;
  blob?: Uint8Array;
}

export interface StoredRecord extends LogRecord {
  seq: number;
}

export interface StoredImpression {
  requestId: string;
  /** The log record whose replay produced it. */
  seq: number;
  body: string;
  blob?: Uint8Array;
}

export interface AppendResult {
  /** The record's sequence number, or undefined if `build` returned nothing (every event a duplicate). */
  seq?: number;
  /** Per claimed id: true if it was new (first time seen, in the log or earlier in this call). */
  fresh: boolean[];
}

export interface AppendOptions {
  /**
   * Called first, holding the log's write lock: a process sharing the log with others applies the records they
   * appended since it last looked, so its record lands right after the last one it has applied.
   */
  before?: () => void;
}

/** One record to append, as `append`'s arguments. */
export interface AppendRequest extends AppendOptions {
  eventIds: ReadonlyArray<string | undefined>;
  build: (fresh: readonly boolean[]) => LogRecord | undefined;
}

/** What became of one request of `appendMany`: its result, or what its build (or its `before`) threw. */
export type AppendOutcome = { result: AppendResult } | { error: unknown };

export interface EventLog {
  /**
   * Appends one record atomically with its event-id claims. `build` gets which of `eventIds` are fresh
   * (undefined ids always are) and returns the record, or undefined to append nothing; if it throws, nothing
   * is claimed or written.
   */
  append(eventIds: ReadonlyArray<string | undefined>, build: (fresh: readonly boolean[]) => LogRecord | undefined, options?: AppendOptions): AppendResult;
  /**
   * Appends several records in one transaction, in order, each as `append` would (its claims, its `before`,
   * which see the requests before it): a request whose build throws writes and claims nothing, and its error
   * stands in its place. If the transaction itself fails the call throws and nothing of any request is written.
   * One commit for many records: what group commit (group-commit.ts) is made of.
   */
  appendMany(requests: readonly AppendRequest[]): AppendOutcome[];
  /**
   * Whether another process may have appended since this was last asked (the first call: true). A replica asks
   * before reading records it did not write; a log without the method is read every time.
   */
  othersWrote?(): boolean;
  /** Records after `seq`, oldest first. */
  records(afterSeq: number): Iterable<StoredRecord>;
  /** The newest record's sequence number (0 when empty), this process's or another's. */
  readonly lastSeq: number;
  /** Whether an event id has been claimed. */
  hasEvent(eventId: string): boolean;
  /** Keeps an impression (a second one for the same request id is ignored). */
  saveImpression(impression: StoredImpression): void;
  /** The newest `limit` impressions produced by records up to `maxSeq`, oldest first. */
  impressions(maxSeq: number, limit: number): StoredImpression[];
  /** A small key → value table (the engine's configuration fingerprint). */
  getMeta(key: string): string | undefined;
  setMeta(key: string, value: string): void;
  close(): void;
}
