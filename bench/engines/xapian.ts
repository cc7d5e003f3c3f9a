/**
 * Xapian runner: Xapian is C++ reached through Debian's python3-xapian, so it runs out of process on the corpus
 * and query files the driver wrote, and bench/xapian_bench.py reports its own build time, memory and latencies.
 * The interpreter is $QUIVER_BENCH_PYTHON, else the first of python3, /usr/bin/python3 that can import xapian
 * (a pyenv python3 on PATH may not see Debian's dist-packages).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { CorpusFiles } from '../corpus.js';

const SCRIPT = fileURLToPath(new URL('../xapian_bench.py', import.meta.url));

export interface XapianReport {
  engine: 'xapian';
  version: string;
  backend: 'glass' | 'inmemory';
  docs: number;
  build_s: number;
  /** VmRSS after build and queries minus before build. */
  mem_mb: number;
  peak_rss_delta_mb: number;
  /** Size of the glass database (0 for inmemory); it is served from the OS page cache, not counted in RSS. */
  disk_mb: number;
  latency: { count: number; mean_ms: number; p50_ms: number; p99_ms: number };
  sample_top: string[][];
}

export function findPython(): string | undefined {
  const candidates = [process.env.QUIVER_BENCH_PYTHON, 'python3', '/usr/bin/python3'].filter((c): c is string => !!c);
  return candidates.find((py) => spawnSync(py, ['-c', 'import xapian'], { stdio: 'ignore' }).status === 0);
}

export function runXapian(files: CorpusFiles, options: { backend: 'glass' | 'inmemory'; k: number; sampleTop: number }): XapianReport {
  const python = findPython();
  if (!python) throw new Error('no python3 with the xapian module (apt-get install python3-xapian, or set QUIVER_BENCH_PYTHON)');
  const args = [SCRIPT, '--corpus', files.corpus, '--queries', files.queries, '--warmup', files.warmup];
  args.push('--k', String(options.k), '--backend', options.backend, '--sample-top', String(options.sampleTop));
  const run = spawnSync(python, args, { encoding: 'utf8', maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'inherit'] });
  if (run.status !== 0) throw new Error(`xapian_bench.py exited with ${run.status ?? run.signal}`);
  const last = run.stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(last) as XapianReport;
}
