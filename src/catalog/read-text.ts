/** Reads a text file, gunzipping it when its name ends in .gz. */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

export function readTextFile(path: string): string {
  const bytes = readFileSync(path);
  return (path.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8');
}
