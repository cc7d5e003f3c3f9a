/**
 * Click logs drawn from a known PBM (src/simulate/click-models.ts), seed-reproducible: each session shows a
 * random order of one query's documents, so every document is seen at every rank and the truth is identifiable.
 */
import type { ClickSession } from '../../src/rank/clicks/session.js';
import { createClickModel } from '../../src/simulate/click-models.js';
import { mulberry32, shuffled } from '../../src/util/random.js';

export interface SimulatedLog {
  sessions: ClickSession[];
  /** Whether each (query \0 doc) is relevant. */
  relevant: Map<string, boolean>;
}

export function simulatedPbmLog(seed: number, examination: readonly number[], sessions: number, queries = 5, docsPerQuery = 12): SimulatedLog {
  const random = mulberry32(seed);
  const model = createClickModel('pbm', { examination, relevantAttractiveness: 0.8, irrelevantAttractiveness: 0.1 });
  const relevant = new Map<string, boolean>();
  const docs: string[][] = [];
  for (let q = 0; q < queries; q++) {
    docs.push(Array.from({ length: docsPerQuery }, (_, d) => `d${q}-${d}`));
    for (const d of docs[q]) relevant.set(`q${q}\u0000${d}`, random() < 0.35);
  }
  const out: ClickSession[] = [];
  for (let i = 0; i < sessions; i++) {
    const q = Math.floor(random() * queries);
    const shown = shuffled(docs[q], random).slice(0, examination.length);
    const flags = shown.map((d) => relevant.get(`q${q}\u0000${d}`)!);
    const clicks = new Array<boolean>(shown.length).fill(false);
    for (const r of model.clicks(flags, random)) clicks[r] = true;
    out.push({ query: `q${q}`, documents: shown, clicks });
  }
  return { sessions: out, relevant };
}
