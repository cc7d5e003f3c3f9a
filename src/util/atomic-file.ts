/**
 * Whole-file writes that are never half done: write a temporary file beside the target, then rename it over the
 * target (atomic on one file system), so a reader or a crash sees the old file or the new one, never a mix.
 */
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createError } from '../errors.js';

export function writeFileAtomic(path: string, text: string): void {
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, text);
    renameSync(temporary, path);
  } catch (err) {
    rmSync(temporary, { force: true });
    throw createError('FILE_UNWRITABLE', path, (err as Error).message);
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
