/**
 * What pending requests cost the engine's memory, and what their feedback logs. `--searches` searches (default
 * policy: Thompson, LambdaMART, the default holdback) over a catalogue, all left pending, then the heap (after a
 * full GC) is compared with the heap before them: bytes per pending request. Then every request with results
 * gets a click on one of them, the requests close, and the impressions logged (shown rows, soft negatives) are
 * hashed: the digest says whether two builds log the same rows.
 *
 *   npx tsx --expose-gc bench/pending-rows.ts [--catalog /tmp/catalog-20k.jsonl] [--searches 2000] [--holdback 0.1] [--seed 1]
 *
 * Run it from two checkouts to compare them (each runs its own src/).
 */
import { createHash } from 'node:crypto';
import { parseArgs } from 'node:util';
import { loadCatalog } from '../src/catalog/load.js';
import { Engine } from '../src/engine/engine.js';
import { decodeImpression } from '../src/engine/log-entry.js';
import { generateStream } from '../src/eval/stream-generator.js';
import { DEMO_INDEX_OPTIONS } from '../src/demo.js';
import { SearchIndex } from '../src/index/search-index.js';
import { MemoryEventLog } from '../src/store/memory-event-log.js';
import { heapBytes, intFlag, requireGc } from './args.js';

const { values: args } = parseArgs({
  options: {
    catalog: { type: 'string', default: 'data/demo/catalog.jsonl.gz' },
    searches: { type: 'string', default: '2000' },
    holdback: { type: 'string' },
    seed: { type: 'string', default: '1' },
  },
});
requireGc();
const searches = intFlag('searches', args.searches, 1);
const seed = intFlag('seed', args.seed, 0);
const holdback = args.holdback === undefined ? undefined : Number(args.holdback);
if (holdback !== undefined && !(holdback >= 0 && holdback < 1)) throw new Error(`--holdback must be in [0, 1), got ${args.holdback}`);

const entities = loadCatalog(args.catalog!).entities;
const index = SearchIndex.build(entities, DEMO_INDEX_OPTIONS);
const { events } = generateStream(entities, { n: searches, seed });
let n = 0;
let clock = Date.parse(events[0].context?.time ?? '2024-01-01T00:00:00Z');
const log = new MemoryEventLog();
const engine = new Engine(index, {
  log, retrainEvery: 0, maxPending: searches + 1, feedbackWindowMs: 1e12, requestId: () => `r${++n}`, now: () => clock,
  ...(holdback !== undefined && { holdback }),
});
engine.warmUp();
const before = heapBytes();
const served = events.map((e) => engine.search({ query: e.query, context: e.context, k: 10 }));
const held = heapBytes() - before;
const rows = (engine as { pendingFeatureRows?: number }).pendingFeatureRows;
for (const [i, r] of served.entries()) {
  if (r.results.length === 0) continue;
  clock += 1000;
  engine.feedback([{ requestId: r.requestId, entityId: r.results[i % r.results.length].id, type: 'click', position: 1 + (i % r.results.length) }]);
}
engine.flush();
const impressions = log.impressions(engine.seq, searches + 1).map(decodeImpression);
const digest = createHash('sha256');
for (const imp of impressions) {
  digest.update(JSON.stringify([imp.query, imp.ids, imp.engaged, imp.shown]));
  digest.update(Buffer.from(imp.features.buffer, imp.features.byteOffset, imp.features.byteLength));
}
console.log(JSON.stringify({
  catalog: args.catalog, entities: entities.length, searches, holdback: holdback ?? 'default',
  pendingKiB: Math.round(held / 1024), bytesPerPending: Math.round(held / searches), pendingFeatureRows: rows ?? 'n/a',
  impressions: impressions.length, loggedRows: impressions.reduce((a, imp) => a + imp.ids.length, 0), digest: digest.digest('hex').slice(0, 16),
}));
