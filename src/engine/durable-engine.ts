/**
 * A durable engine over a data directory: every state-changing call is in the event log
 * (<data>/events.sqlite) before it takes effect, model versions live in <data>/models, and checkpoints of the
 * learnt state in <data>/checkpoints. Opening one restores the newest checkpoint and replays the log after it,
 * so a restarted server resumes exactly where the last acknowledged call left it, killed or not.
 *
 * The directory remembers the settings its state depends on (policy, ranker, credit rule); opening it with others
 * is refused rather than replaying a log into a differently shaped engine.
 */
import { join } from 'node:path';
import type { SearchIndex } from '../index/search-index.js';
import { loadSnapshot } from '../index/snapshot.js';
import { createError, QuiverError } from '../errors.js';
import { type CoverageCreditRule, DEFAULT_CREDIT } from '../policy/retrieval-policy.js';
import { SqliteEventLog } from '../store/sqlite-event-log.js';
import { latestCheckpoint, writeCheckpoint } from './checkpoint.js';
import { Engine, type EngineOptions } from './engine.js';

export interface DurableEngineOptions extends Omit<EngineOptions, 'log' | 'modelsDirectory'> {
  /** `normal` (default): every acknowledged call survives a killed process; `full`: also a power cut (slower). */
  sync?: 'normal' | 'full';
  /** Checkpoints to keep (default 2). */
  keepCheckpoints?: number;
}

export interface OpenedEngine {
  engine: Engine;
  /** The checkpoint's log position restored from (0: none). */
  restoredFrom: number;
  /** Log records replayed after it. */
  replayed: number;
  /** Writes a checkpoint of the state now (with the index, if the catalogue changed since it was loaded). */
  checkpoint(): string;
  /** Closes the log (writes a checkpoint first unless told not to). */
  close(options?: { checkpoint?: boolean }): void;
}

/** Opens the engine kept in `data`, over `baseIndex()` unless a checkpoint carries a changed catalogue. */
export function openDurableEngine(data: string, baseIndex: () => SearchIndex, options: DurableEngineOptions = {}): OpenedEngine {
  const log = SqliteEventLog.open(join(data, 'events.sqlite'), { sync: options.sync });
  try {
    const credit = checkSettings(log, data, options);
    const checkpoints = join(data, 'checkpoints');
    const checkpoint = latestCheckpoint(checkpoints);
    const index = checkpoint?.indexPath ? loadSnapshot(checkpoint.indexPath) : baseIndex();
    let changed = checkpoint?.indexPath !== undefined;
    const mark = () => void (changed = true);
    index.subscribe({ added: mark, removed: mark });
    const engine = new Engine(index, { ...options, credit, log, modelsDirectory: join(data, 'models') });
    if (checkpoint) {
      try {
        engine.restore(checkpoint.state);
      } catch (err) {
        if (!(err instanceof QuiverError) || err.code !== 'LEARNER_STATE_INVALID') throw err;
        // Most likely saved by another version, whose learners had other features. The log holds every event,
        // so the state can be rebuilt from it: say how, rather than leave the directory unusable.
        throw createError('CHECKPOINT_INVALID', checkpoint.path, `${err.message}. It was probably saved by another version of Quiver; the event log holds everything, so move ${checkpoints} aside and reopen to rebuild the state from the log`);
      }
    }
    const replayed = engine.replay(log.records(engine.seq));
    const write = () => writeCheckpoint(checkpoints, engine.state(), changed ? index : undefined, options.keepCheckpoints);
    return {
      engine, restoredFrom: checkpoint?.seq ?? 0, replayed,
      checkpoint: write,
      close: ({ checkpoint: save = true } = {}) => {
        if (save) write();
        log.close();
      },
    };
  } catch (err) {
    log.close();
    throw err;
  }
}

/**
 * Checks the settings asked for against the directory's, and returns the credit rule to learn under: the one
 * asked for, else the directory's. Until session 25 only 'share' was written down ('best', the default then, went
 * unrecorded), so a record that names no rule means 'best'.
 */
function checkSettings(log: SqliteEventLog, data: string, options: DurableEngineOptions): CoverageCreditRule {
  const saved = log.getMeta('engine');
  const had = saved === undefined ? undefined : savedSettings(saved, data);
  const credit = options.credit ?? had?.credit ?? DEFAULT_CREDIT;
  const asked = { policy: options.policy ?? 'thompson', ranker: options.ranker ?? 'lambdamart', credit };
  if (!had) log.setMeta('engine', JSON.stringify(asked));
  else if (had.policy !== asked.policy || had.ranker !== asked.ranker || had.credit !== credit) {
    throw createError('STORE_MISMATCH', data, `it has ${JSON.stringify(had)}; asked for ${JSON.stringify(asked)}`);
  }
  return credit;
}

/** The directory's settings record, its credit rule filled in when it names none. */
function savedSettings(saved: string, data: string): { policy: string; ranker: string; credit: CoverageCreditRule } {
  let had: { policy: string; ranker: string; credit?: CoverageCreditRule };
  try {
    had = JSON.parse(saved);
  } catch {
    throw createError('STORE_MISMATCH', data, `its settings record is not JSON: ${saved.slice(0, 80)}`);
  }
  return { ...had, credit: had.credit ?? 'best' };
}
