/** Reads a text file, gunzipping it when its name ends in .gz; a missing or corrupt file is a clear error, not a crash. */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { createError } from '../errors.js';

export function readTextFile(path: string): string {
  try {
    const bytes = readFileSync(path);
    return (path.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8');
  } catch (err) {
    throw createError('FILE_UNREADABLE', path, (err as Error).message);
  }
}
