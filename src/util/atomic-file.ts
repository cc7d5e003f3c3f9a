/**
 * Whole-file writes that are never half done: write a temporary file beside the target, then rename it over the
 * target (atomic on one file system), so a reader or a crash sees the old file or the new one, never a mix.
 */
import { closeSync, openSync, readFileSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { createError } from '../errors.js';

export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, data);
    renameSync(temporary, path);
  } catch (err) {
    removeQuietly(temporary);
    throw createError('FILE_UNWRITABLE', path, (err as Error).message);
  }
}

/**
 * Removes a temporary file or directory if it is there, after a failed write; a path that cannot hold one (its
 * parent is a file) has nothing to remove, and the write's own error is the one to report.
 */
export function removeQuietly(path: string): void {
  try {
    rmSync(path, { recursive: true, force: true });
  } catch {
    // ENOTDIR and the like: nothing was written there.
  }
}

/**
 * A file written piece by piece that appears whole or not at all: the pieces go to a temporary file beside the
 * target, `commit` renames it over the target, `abort` (or a failed commit) removes it. Opening fails at once,
 * FILE_UNWRITABLE naming the target, so a long run that would end unable to write finds out before it starts.
 */
export class AtomicFileWriter {
  private readonly temporary: string;
  private fd: number | undefined;

  constructor(readonly path: string) {
    this.temporary = `${path}.${process.pid}.tmp`;
    try {
      this.fd = openSync(this.temporary, 'w');
    } catch (err) {
      throw createError('FILE_UNWRITABLE', path, (err as Error).message);
    }
  }

  write(text: string): void {
    if (this.fd === undefined) throw createError('FILE_UNWRITABLE', this.path, 'the writer is closed');
    try {
      writeSync(this.fd, text);
    } catch (err) {
      this.abort();
      throw createError('FILE_UNWRITABLE', this.path, (err as Error).message);
    }
  }

  /** Moves the whole file into place. */
  commit(): void {
    if (this.fd === undefined) return;
    try {
      closeSync(this.fd);
      this.fd = undefined;
      renameSync(this.temporary, this.path);
    } catch (err) {
      this.abort();
      throw createError('FILE_UNWRITABLE', this.path, (err as Error).message);
    }
  }

  /** Drops what was written; the target is left as it was. */
  abort(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    removeQuietly(this.temporary);
  }
}

/** A JSON file's value; FILE_UNREADABLE if it cannot be read, `corrupt(detail)` if it is not JSON. */
export function readJsonFile(path: string, corrupt: (detail: string) => Error): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw createError('FILE_UNREADABLE', path, (err as Error).message);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw corrupt(`not JSON: ${(err as Error).message}`);
  }
}
