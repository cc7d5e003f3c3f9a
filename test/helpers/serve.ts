// Starts `quiver serve` in a child process (from source, through tsx) and resolves with its URL once it listens.
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { demoCatalogPath } from '../../src/demo.js';

const ENTRY = fileURLToPath(new URL('./cli-entry.ts', import.meta.url));
// Resolved here, so the child finds tsx whatever directory it runs in.
const TSX = import.meta.resolve('tsx');

export interface Served {
  child: ChildProcessWithoutNullStreams;
  url: string;
  /** Everything the server wrote to stderr so far (read it after the fact). */
  stderr: () => string;
}

export function startServe(args: readonly string[], options: { cwd?: string; startTimeoutMs?: number } = {}): Promise<Served> {
  const child = spawn(process.execPath, ['--import', TSX, ENTRY, 'serve', ...args], { stdio: ['pipe', 'pipe', 'pipe'], cwd: options.cwd });
  let err = '';
  child.stderr.on('data', (chunk) => (err += chunk));
  return new Promise<Served>((resolve, reject) => {
    // A server that never says where it listens is killed (its workers exit with it), so a stuck start fails the
    // test instead of keeping the test file, and the whole run, alive.
    const limit = options.startTimeoutMs ?? 60_000;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new ServeStartTimeout(`serve did not listen within ${limit} ms: ${err}`));
    }, limit);
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const m = /at (http:\/\/\S+) /.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1], stderr: () => err });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code}: ${err}`));
    });
  });
}

export class ServeStartTimeout extends Error {}

/** Sends SIGTERM and resolves with the exit code, or the signal's name if one ended it. */
export function stopServe(served: Served): Promise<number | string | null> {
  const exited = new Promise<number | string | null>((resolve) => served.child.once('exit', (code, signal) => resolve(code ?? signal)));
  served.child.kill('SIGTERM');
  return exited;
}

/** Every 40th demo entity without relations (about 1,500): a catalogue a server starts on in a second. */
export function writeSmallCatalog(dir: string): string {
  const path = join(dir, 'catalog.jsonl');
  writeFileSync(path, gunzipSync(readFileSync(demoCatalogPath())).toString('utf8').split('\n').filter((line, i) => line && i % 40 === 0)
    .map((line) => JSON.stringify({ ...JSON.parse(line), relations: undefined })).join('\n'));
  return path;
}
