/**
 * Serving on several cores (`quiver serve --workers N`): N worker processes (node:cluster) accept connections
 * on one port, each with its own Engine over the same data directory. They share the event log (SQLite, WAL):
 * each appends under the log's write lock after applying what the others appended (Engine `sharedLog`), so
 * every worker learns from all the traffic, in the log's order, and a restart replays exactly what they did.
 * Worker 1 retrains the ranker and writes checkpoints; the others read its models from the shared registry.
 *
 * Feedback goes to the worker that served the request: request ids carry the serving worker (`w2-…`), and a
 * worker hands feedback for another's requests over IPC (through the primary), because only the serving
 * process holds the feature rows the request was ranked with (logged with its first feedback). A batch naming
 * requests of several workers is logged as one record per worker.
 */
import cluster, { type Worker } from 'node:cluster';
import { randomUUID } from 'node:crypto';
import type { Engine, FeedbackInput, FeedbackReceipt } from '../engine/engine.js';
import { createError, ERRORS, type ErrorCode, QuiverError } from '../errors.js';

/** The worker number (1…N) of this process, or undefined outside a cluster. */
export function workerNumber(): number | undefined {
  const n = Number(process.env.QUIVER_WORKER);
  return cluster.isWorker && Number.isInteger(n) && n >= 1 ? n : undefined;
}

/** Request ids of worker n: `w<n>-<uuid>`. */
export const workerRequestId = (n: number) => () => `w${n}-${randomUUID()}`;

const HANDOVER_TIMEOUT_MS = 10_000;

function ownerOf(requestId: string): number | undefined {
  const m = /^w(\d+)-/.exec(requestId);
  return m ? Number(m[1]) : undefined;
}

interface FeedbackMessage {
  quiver: 'feedback';
  id: string;
  from: number;
  to: number;
  events: FeedbackInput[];
}
interface ReceiptMessage {
  quiver: 'receipt';
  id: string;
  to: number;
  receipt?: FeedbackReceipt;
  error?: { code: string; message: string };
}
type Message = FeedbackMessage | ReceiptMessage;
const isMessage = (m: unknown): m is Message => typeof m === 'object' && m !== null && ((m as Message).quiver === 'feedback' || (m as Message).quiver === 'receipt');

/** How a worker talks to the primary: its IPC channel (tests pass an in-process pair). */
export interface WorkerChannel {
  send(message: unknown): void;
  onMessage(listener: (message: unknown) => void): void;
}

const processChannel: WorkerChannel = {
  send: (message) => process.send!(message),
  onMessage: (listener) => process.on('message', listener),
};

/**
 * In a worker: answers feedback handed over by other workers, and returns the feedback function the server
 * uses, which handles this worker's requests here and hands the rest to their workers.
 */
export function clusterFeedback(
  engine: Engine,
  self: number,
  workers: number,
  channel: WorkerChannel = processChannel,
  timeoutMs = HANDOVER_TIMEOUT_MS,
): (events: FeedbackInput[]) => Promise<FeedbackReceipt> {
  const waiting = new Map<string, { to: number; resolve: (r: FeedbackReceipt) => void; reject: (e: Error) => void }>();
  channel.onMessage((m: unknown) => {
    if (!isMessage(m)) return;
    if (m.quiver === 'feedback') {
      let reply: ReceiptMessage;
      try {
        reply = { quiver: 'receipt', id: m.id, to: m.from, receipt: engine.feedback(m.events) };
      } catch (err) {
        // A Quiver error (a bad event) is the caller's to see; anything else is this worker's failure.
        reply = { quiver: 'receipt', id: m.id, to: m.from, error: { code: err instanceof QuiverError ? err.code : 'WORKER_FAILED', message: (err as Error).message } };
      }
      channel.send(reply);
      return;
    }
    const call = waiting.get(m.id);
    if (!call) return;
    waiting.delete(m.id);
    if (m.receipt) call.resolve(m.receipt);
    else if (m.error && m.error.code in ERRORS) call.reject(new QuiverError(m.error.code as ErrorCode, m.error.message));
    else call.reject(createError('WORKER_UNAVAILABLE', call.to, m.error?.message ?? 'no reason given'));
  });
  const handOver = (to: number, events: FeedbackInput[]) => new Promise<FeedbackReceipt>((resolve, reject) => {
    const id = randomUUID();
    // A worker that dies holding the batch never answers: give up after a while rather than hang the caller.
    const timer = setTimeout(() => {
      if (waiting.delete(id)) reject(createError('WORKER_UNAVAILABLE', to, `no answer in ${timeoutMs / 1000} s`));
    }, timeoutMs);
    waiting.set(id, { to, resolve: (r) => (clearTimeout(timer), resolve(r)), reject: (e) => (clearTimeout(timer), reject(e)) });
    channel.send({ quiver: 'feedback', id, from: self, to, events } satisfies FeedbackMessage);
  });
  return async (events) => {
    const byWorker = new Map<number, FeedbackInput[]>();
    for (const e of events) {
      const owner = ownerOf(e.requestId);
      const to = owner !== undefined && owner >= 1 && owner <= workers ? owner : self;
      byWorker.get(to)?.push(e) ?? byWorker.set(to, [e]);
    }
    // Own events first, synchronously: a batch for this worker alone never leaves it.
    const receipts: FeedbackReceipt[] = [];
    const own = byWorker.get(self);
    if (own) receipts.push(engine.feedback(own));
    receipts.push(...(await Promise.all([...byWorker].filter(([to]) => to !== self).map(([to, list]) => handOver(to, list)))));
    return receipts.reduce(
      (a, r) => ({ accepted: a.accepted + r.accepted, duplicates: a.duplicates + r.duplicates, unknownRequests: [...a.unknownRequests, ...r.unknownRequests], lateRequests: [...a.lateRequests, ...r.lateRequests] }),
      { accepted: 0, duplicates: 0, unknownRequests: [] as string[], lateRequests: [] as string[] },
    );
  };
}

export interface PrimaryOptions {
  workers: number;
  /** Called once every worker listens, with the port they share. */
  onListening: (port: number) => void;
}

/**
 * In the primary: forks the workers (QUIVER_WORKER=1…N), relays feedback between them, restarts one that dies
 * unasked, and on SIGINT/SIGTERM stops them all (each closes its engine; worker 1 writes the last checkpoint).
 */
export function runPrimary(options: PrimaryOptions): void {
  const workers = new Map<number, Worker>();
  let stopping = false;
  let listening = 0;
  const fork = (n: number) => {
    const worker = cluster.fork({ QUIVER_WORKER: String(n) });
    workers.set(n, worker);
    worker.on('message', (m: unknown) => {
      if (!isMessage(m)) return;
      const to = workers.get(m.to);
      if (to?.isConnected()) to.send(m);
      else if (m.quiver === 'feedback') worker.send({ quiver: 'receipt', id: m.id, to: m.from, error: { code: 'WORKER_UNAVAILABLE', message: 'it is restarting' } } satisfies ReceiptMessage);
    });
    worker.once('listening', (address) => {
      if (++listening === options.workers) options.onListening(address.port);
    });
    worker.once('exit', (code, signal) => {
      if (stopping || workers.get(n) !== worker) return;
      console.error(`worker ${n} exited (${signal ?? code}); starting it again`);
      fork(n);
    });
  };
  for (let n = 1; n <= options.workers; n++) fork(n);
  const stop = () => {
    if (stopping) return;
    stopping = true;
    let left = workers.size;
    for (const worker of workers.values()) {
      worker.once('exit', () => {
        if (--left === 0) process.exit(0);
      });
      worker.process.kill('SIGTERM');
    }
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
