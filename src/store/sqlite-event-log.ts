/**
 * The event log in SQLite (better-sqlite3), in WAL mode: an append is one transaction, durable once it
 * returns. With `sync: 'normal'` (the default) a committed record survives the process being killed, and the
 * last transactions before a power cut may be lost; `sync: 'full'` fsyncs every commit and survives that too,
 * at a cost measured in BENCHMARKS.md. Several processes may share a log (the replicas of `quiver serve
 * --workers`): appends take the write lock up front (BEGIN IMMEDIATE), waiting up to `busyTimeoutMs` for it,
 * and the `before` hook runs under the lock, so each process can catch up before its record gets the next seq.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { createError } from '../errors.js';
import type { AppendOptions, AppendOutcome, AppendRequest, AppendResult, EventLog, LogRecord, StoredImpression, StoredRecord } from './event-log.js';

export interface SqliteEventLogOptions {
  /** `normal` (default): survives a killed process; `full`: also a power cut. */
  sync?: 'normal' | 'full';
  /** How long a call waits for another process's lock before failing (default 10 s). */
  busyTimeoutMs?: number;
}

const SCHEMA_VERSION = 1;
const RECORD_PAGE = 1000;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS log (seq INTEGER PRIMARY KEY, kind TEXT NOT NULL, time INTEGER NOT NULL, body TEXT NOT NULL, blob BLOB);
CREATE TABLE IF NOT EXISTS event_ids (event_id TEXT PRIMARY KEY, seq INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS impressions (n INTEGER PRIMARY KEY, request_id TEXT NOT NULL UNIQUE, seq INTEGER NOT NULL, body TEXT NOT NULL, blob BLOB);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
`;

interface Row {
  seq: number;
  kind: string;
  time: number;
  body: string;
  blob: Buffer | null;
}

export class SqliteEventLog implements EventLog {
  private readonly db: Database.Database;
  private readonly statements;
  private dataVersion = -1;

  private constructor(readonly path: string, options: SqliteEventLogOptions) {
    mkdirSync(dirname(path), { recursive: true });
    try {
      this.db = new Database(path, { timeout: options.busyTimeoutMs ?? 10_000 });
      this.db.pragma('journal_mode = WAL');
      this.db.pragma(`synchronous = ${options.sync === 'full' ? 'FULL' : 'NORMAL'}`);
      this.db.exec(SCHEMA);
    } catch (err) {
      throw createError('STORE_OPEN', path, (err as Error).message);
    }
    const version = this.db.prepare(`SELECT value FROM meta WHERE key = 'schema'`).pluck().get() as string | undefined;
    if (version === undefined) this.db.prepare(`INSERT OR IGNORE INTO meta (key, value) VALUES ('schema', ?)`).run(String(SCHEMA_VERSION));
    else if (version !== String(SCHEMA_VERSION)) throw createError('STORE_OPEN', path, `schema version ${version}; this Quiver reads version ${SCHEMA_VERSION}`);
    this.statements = {
      insert: this.db.prepare('INSERT INTO log (kind, time, body, blob) VALUES (?, ?, ?, ?)'),
      hasEvent: this.db.prepare('SELECT 1 FROM event_ids WHERE event_id = ?').pluck(),
      claim: this.db.prepare('INSERT INTO event_ids (event_id, seq) VALUES (?, ?)'),
      after: this.db.prepare('SELECT seq, kind, time, body, blob FROM log WHERE seq > ? ORDER BY seq LIMIT ?'),
      saveImpression: this.db.prepare('INSERT OR IGNORE INTO impressions (request_id, seq, body, blob) VALUES (?, ?, ?, ?)'),
      impressions: this.db.prepare('SELECT request_id AS requestId, seq, body, blob FROM impressions WHERE seq <= ? ORDER BY n DESC LIMIT ?'),
      getMeta: this.db.prepare('SELECT value FROM meta WHERE key = ?').pluck(),
      setMeta: this.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value'),
      lastSeq: this.db.prepare('SELECT COALESCE(MAX(seq), 0) FROM log').pluck(),
      dataVersion: this.db.prepare('PRAGMA data_version').pluck(),
    };
    this.appendTransaction = this.db.transaction((eventIds: ReadonlyArray<string | undefined>, build: (fresh: readonly boolean[]) => LogRecord | undefined, before?: () => void) => {
      before?.();
      const claimed = new Set<string>();
      const fresh = eventIds.map((id) => {
        if (id === undefined) return true;
        if (claimed.has(id) || this.statements.hasEvent.get(id) !== undefined) return false;
        claimed.add(id);
        return true;
      });
      const record = build(fresh);
      if (!record) return { fresh };
      const seq = Number(this.statements.insert.run(record.kind, record.time, record.body, record.blob ? Buffer.from(record.blob.buffer, record.blob.byteOffset, record.blob.byteLength) : null).lastInsertRowid);
      for (const id of claimed) this.statements.claim.run(id, seq);
      return { seq, fresh };
    });
    // Each request in a savepoint of its own (a transaction function called inside another): a build that
    // throws rolls back its own request only. An error that ended the whole transaction fails them all.
    this.manyTransaction = this.db.transaction((requests: readonly AppendRequest[]) => requests.map((r): AppendOutcome => {
      try {
        return { result: this.appendTransaction(r.eventIds, r.build, r.before) };
      } catch (error) {
        if (!this.db.inTransaction) throw error;
        return { error };
      }
    }));
  }

  private readonly appendTransaction: Database.Transaction<(eventIds: ReadonlyArray<string | undefined>, build: (fresh: readonly boolean[]) => LogRecord | undefined, before?: () => void) => AppendResult>;

  private readonly manyTransaction: Database.Transaction<(requests: readonly AppendRequest[]) => AppendOutcome[]>;

  /** Opens (creating if needed) the log at `path`. */
  static open(path: string, options: SqliteEventLogOptions = {}): SqliteEventLog {
    return new SqliteEventLog(path, options);
  }

  append(eventIds: ReadonlyArray<string | undefined>, build: (fresh: readonly boolean[]) => LogRecord | undefined, options: AppendOptions = {}): AppendResult {
    // IMMEDIATE: a deferred transaction that read first could not upgrade to write once another process has.
    return this.appendTransaction.immediate(eventIds, build, options.before);
  }

  appendMany(requests: readonly AppendRequest[]): AppendOutcome[] {
    return this.manyTransaction.immediate(requests);
  }

  /** Read a page at a time, so the reader may write (impressions) between records without a busy connection. */
  *records(afterSeq: number): Iterable<StoredRecord> {
    let after = afterSeq;
    for (;;) {
      const rows = this.statements.after.all(after, RECORD_PAGE) as Row[];
      for (const row of rows) yield { seq: row.seq, kind: row.kind, time: row.time, body: row.body, ...(row.blob && { blob: new Uint8Array(row.blob) }) };
      if (rows.length < RECORD_PAGE) return;
      after = rows[rows.length - 1].seq;
    }
  }

  /** SQLite's data_version moves when another connection commits: a pragma, no table read. */
  othersWrote(): boolean {
    const version = this.statements.dataVersion.get() as number;
    const moved = version !== this.dataVersion;
    this.dataVersion = version;
    return moved;
  }

  get lastSeq(): number {
    return this.statements.lastSeq.get() as number;
  }

  hasEvent(eventId: string): boolean {
    return this.statements.hasEvent.get(eventId) !== undefined;
  }

  saveImpression(impression: StoredImpression): void {
    const blob = impression.blob ? Buffer.from(impression.blob.buffer, impression.blob.byteOffset, impression.blob.byteLength) : null;
    this.statements.saveImpression.run(impression.requestId, impression.seq, impression.body, blob);
  }

  impressions(maxSeq: number, limit: number): StoredImpression[] {
    if (limit <= 0) return [];
    const rows = this.statements.impressions.all(maxSeq, limit) as Array<{ requestId: string; seq: number; body: string; blob: Buffer | null }>;
    return rows.reverse().map((r) => ({ requestId: r.requestId, seq: r.seq, body: r.body, ...(r.blob && { blob: new Uint8Array(r.blob) }) }));
  }

  getMeta(key: string): string | undefined {
    return this.statements.getMeta.get(key) as string | undefined;
  }

  setMeta(key: string, value: string): void {
    this.statements.setMeta.run(key, value);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
