/**
 * Checkpoints of a durable engine in <data>/checkpoints/<seq>/: `state.json` (the EngineState: learners, policy,
 * pending requests), `index/` (an index snapshot, only when the catalogue changed while serving) and
 * `manifest.json` (the log position, the state's SHA-256, whether an index is there), written last. A checkpoint
 * is written into a temporary directory and renamed into place, so a crash mid-write leaves the previous one;
 * the newest whole one is read at restart and the log is replayed from its position.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createError } from '../errors.js';
import type { SearchIndex } from '../index/search-index.js';
import { saveSnapshot } from '../index/snapshot.js';
import type { EngineState } from './engine-state.js';

export const CHECKPOINT_FORMAT = 'quiver.checkpoint';
export const CHECKPOINT_VERSION = 1;

interface Manifest {
  format: typeof CHECKPOINT_FORMAT;
  version: number;
  seq: number;
  sha256: string;
  index: boolean;
  created: string;
}

export interface Checkpoint {
  seq: number;
  path: string;
  state: unknown;
  /** The index snapshot saved with it, if the catalogue had changed. */
  indexPath?: string;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** Writes a checkpoint of `state` (and of `index` if given); keeps the newest `keep` checkpoints. Returns its path. */
export function writeCheckpoint(directory: string, state: EngineState, index?: SearchIndex, keep = 2): string {
  mkdirSync(directory, { recursive: true });
  const name = String(state.seq).padStart(12, '0');
  const final = join(directory, name);
  const temporary = join(directory, `.${name}.${process.pid}.tmp`);
  rmSync(temporary, { recursive: true, force: true });
  try {
    mkdirSync(temporary);
    const text = JSON.stringify(state);
    writeFileSync(join(temporary, 'state.json'), text);
    if (index) saveSnapshot(index, join(temporary, 'index'));
    const manifest: Manifest = { format: CHECKPOINT_FORMAT, version: CHECKPOINT_VERSION, seq: state.seq, sha256: sha256(text), index: index !== undefined, created: new Date().toISOString() };
    writeFileSync(join(temporary, 'manifest.json'), JSON.stringify(manifest));
    rmSync(final, { recursive: true, force: true });
    renameSync(temporary, final);
  } catch (err) {
    rmSync(temporary, { recursive: true, force: true });
    throw createError('FILE_UNWRITABLE', final, (err as Error).message);
  }
  for (const old of checkpointNames(directory).slice(0, -keep)) rmSync(join(directory, old), { recursive: true, force: true });
  return final;
}

/** The newest checkpoint that reads whole (older ones are tried if the newest is damaged), or undefined. */
export function latestCheckpoint(directory: string): Checkpoint | undefined {
  const names = checkpointNames(directory).reverse();
  let firstError: Error | undefined;
  for (const name of names) {
    try {
      return readCheckpoint(join(directory, name));
    } catch (err) {
      firstError ??= err as Error;
    }
  }
  if (firstError) throw firstError; // checkpoints exist but none reads: refuse rather than replay from nothing
  return undefined;
}

export function readCheckpoint(path: string): Checkpoint {
  const fail = (detail: string) => createError('CHECKPOINT_INVALID', path, detail);
  let manifest: Manifest;
  let text: string;
  try {
    manifest = JSON.parse(readFileSync(join(path, 'manifest.json'), 'utf8'));
    text = readFileSync(join(path, 'state.json'), 'utf8');
  } catch (err) {
    throw fail((err as Error).message);
  }
  if (manifest.format !== CHECKPOINT_FORMAT || manifest.version !== CHECKPOINT_VERSION) throw fail(`format ${manifest.format} v${manifest.version}; this Quiver reads ${CHECKPOINT_FORMAT} v${CHECKPOINT_VERSION}`);
  if (sha256(text) !== manifest.sha256) throw fail('state.json does not match its checksum');
  const indexPath = join(path, 'index');
  if (manifest.index && !existsSync(indexPath)) throw fail('the index snapshot is missing');
  return { seq: manifest.seq, path, state: JSON.parse(text), ...(manifest.index && { indexPath }) };
}

function checkpointNames(directory: string): string[] {
  if (!existsSync(directory)) return [];
  return readdirSync(directory).filter((name) => /^\d{12}$/.test(name)).sort();
}
