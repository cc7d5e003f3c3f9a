/**
 * Learning strategies benchmark: retrieve latency (mean, p50, p99) of memory, related and personalised after
 * they have learnt from simulated feedback, side by side with the lexical strategy (their reference point) in
 * one process on one corpus; the memory taken by the memory strategy's cold-start tables (predicted queries:
 * title and artist KeyTables plus the CategoryIndex) and by the learnt state; and feedback throughput.
 *
 *   npx tsx --expose-gc bench/learners-bench.ts --n 100000 [--queries 1000] [--events 20000] [--users 500] [--seed 42] [--k 10]
 *
 * The corpus is bench/corpus.ts's tracks, given what the learners read and the generator leaves out: an artist
 * entity per distinct artist (relations: tracks, and each track's artist), a genre attribute, and a seeded
 * popularity. Feedback: for random queries, a click, play or like on one of the lexical top 5 (sometimes a
 * skip), by a random user, over the 30 days before the request time; requests carry a random user.
 */
import { parseArgs } from 'node:util';
import type { Entity } from '../src/catalog/entity.js';
import type { FeedbackEvent, FeedbackType } from '../src/feedback/event.js';
import { SearchIndex } from '../src/index/search-index.js';
import { createQueryContext } from '../src/query/query-context.js';
import { LexicalStrategy } from '../src/retrieval/lexical.js';
import { MemoryStrategy } from '../src/retrieval/memory.js';
import { PersonalisedStrategy } from '../src/retrieval/personalised.js';
import { PredictedQueries } from '../src/retrieval/predicted-queries.js';
import { RelatedStrategy } from '../src/retrieval/related.js';
import { RetrievalResources } from '../src/retrieval/resources.js';
import type { Strategy } from '../src/retrieval/strategy.js';
import { mulberry32 } from '../src/util/random.js';
import { heapBytes, intFlag, requireGc } from './args.js';
import { generateCorpus, generateQueries, loadVocabulary } from './corpus.js';
import { summarise } from './stats.js';

const { values: args } = parseArgs({
  options: {
    n: { type: 'string', default: '100000' },
    queries: { type: 'string', default: '1000' },
    events: { type: 'string', default: '20000' },
    users: { type: 'string', default: '500' },
    seed: { type: 'string', default: '42' },
    k: { type: 'string', default: '10' },
  },
});
const [n, queryCount, eventCount, userCount, seed, k] = (['n', 'queries', 'events', 'users', 'seed', 'k'] as const).map((name) => intFlag(name, args[name], 1));
requireGc();
const log = (msg: string) => process.stderr.write(`[learners] ${msg}\n`);
const heapMb = () => heapBytes() / 2 ** 20;
const NOW = Date.parse('2020-02-01T00:00:00Z');

/** Tracks with artist entities, relations, a genre attribute and popularity. */
function catalogue(): Entity[] {
  const rand = mulberry32(seed + 7);
  const tracks = generateCorpus(loadVocabulary(), n, seed);
  const artists = new Map<string, Entity>();
  for (const t of tracks) {
    const name = t.fields!.artist as string;
    let artist = artists.get(name);
    if (!artist) artists.set(name, (artist = { id: `a${artists.size}`, type: 'artist', title: name, relations: { tracks: [] }, popularity: 0 }));
    t.popularity = Math.round(rand() ** 3 * 100) / 100;
    t.attributes = { genre: { [t.fields!.genre as string]: 1 } };
    t.relations = { artist: [artist.id] };
    artist.relations!.tracks.push(t.id);
    artist.popularity = Math.max(artist.popularity!, t.popularity);
  }
  const byPopularity = (a: string, b: string) => tracks[Number(b.slice(1))].popularity! - tracks[Number(a.slice(1))].popularity!;
  for (const a of artists.values()) a.relations!.tracks = a.relations!.tracks.sort(byPopularity).slice(0, 50);
  return [...tracks, ...artists.values()];
}

function events(index: SearchIndex, queries: string[]): FeedbackEvent[] {
  const rand = mulberry32(seed + 11);
  const types: FeedbackType[] = ['click', 'click', 'play', 'play', 'like', 'skip'];
  const out: FeedbackEvent[] = [];
  while (out.length < eventCount) {
    const query = queries[Math.floor(rand() * queries.length)];
    const hits = index.search(query, { k: 5 });
    if (hits.length === 0) continue;
    const time = new Date(NOW - rand() * 30 * 86_400_000);
    out.push({ query, entityId: hits[Math.floor(rand() * hits.length)].id, type: types[Math.floor(rand() * types.length)], time, user: `u${Math.floor(rand() * userCount)}` });
  }
  return out.sort((a, b) => a.time.getTime() - b.time.getTime());
}

function time(strategy: Strategy, queries: string[]) {
  const rand = mulberry32(seed + 13);
  const contexts = queries.map((text) => createQueryContext(text, { context: { time: '2020-02-01T00:00:00Z', user: `u${Math.floor(rand() * userCount)}` } }));
  for (const c of contexts.slice(0, 100)) strategy.retrieve(c, k); // warm-up
  const latencies = new Float64Array(contexts.length);
  let returned = 0;
  contexts.forEach((c, i) => {
    const t = process.hrtime.bigint();
    returned += strategy.retrieve(c, k).length;
    latencies[i] = Number(process.hrtime.bigint() - t);
  });
  return { ...summarise(latencies), hits: returned / contexts.length };
}

const entities = catalogue();
let t = Date.now();
const index = SearchIndex.build(entities, { popularityWeight: 1 });
log(`${entities.length} entities indexed in ${Date.now() - t} ms`);
const allQueries = generateQueries(entities.slice(0, n), queryCount * 2, seed + 1);
const [trainQueries, testQueries] = [allQueries.slice(0, queryCount), allQueries.slice(queryCount)];
// Half the timed queries were seen in feedback, as in a catalogue with a head of repeated queries.
const timed = testQueries.map((q, i) => (i % 2 === 0 ? trainQueries[i] : q));

const resources = new RetrievalResources(index);
const lexical = new LexicalStrategy(index);
const memory = new MemoryStrategy(resources);
const related = new RelatedStrategy(resources);
const personalised = new PersonalisedStrategy(resources);

let before = heapMb();
t = Date.now();
const predicted = PredictedQueries.shared(resources);
const predictedMs = Date.now() - t;
const predictedMb = heapMb() - before;
log(`predicted-query tables: ${predictedMs} ms, ${predictedMb.toFixed(1)} MB (${predicted.titles.size} title keys, ${predicted.artists.size} artist keys, ${predicted.categories.entries} category entries)`);

const feedback = events(index, trainQueries);
before = heapMb();
t = Date.now();
for (const e of feedback) resources.learn(e);
const learnMs = Date.now() - t;
const learntMb = heapMb() - before;
log(`learnt ${feedback.length} events in ${learnMs} ms (${((feedback.length / learnMs) * 1000).toFixed(0)}/s), ${learntMb.toFixed(1)} MB; ${memory.memory.pairs} query-entity pairs, ${related.graph.coEdges} co-engagement edge ends, ${personalised.profiles.size} users`);

const rows = [lexical, memory, related, personalised].map((s) => ({ name: s.name, ...time(s, timed) }));
const reference = rows[0];
console.log(`\n${n} tracks + ${entities.length - n} artists, ${timed.length} queries (half seen in feedback), k=${k}, ${feedback.length} events by ${userCount} users, Node ${process.version}\n`);
console.log('| strategy | mean ms | p50 ms | p99 ms | × lexical mean | × lexical p99 | hits/q |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const r of rows) {
  console.log(`| ${r.name} | ${r.meanMs.toFixed(3)} | ${r.p50Ms.toFixed(3)} | ${r.p99Ms.toFixed(3)} | ${(r.meanMs / reference.meanMs).toFixed(2)} | ${(r.p99Ms / reference.p99Ms).toFixed(2)} | ${r.hits.toFixed(1)} |`);
}
console.log(`\nmemory strategy cold-start tables: ${predictedMb.toFixed(1)} MB, built in ${predictedMs} ms; learnt state of the three learners after ${feedback.length} events: ${learntMb.toFixed(1)} MB; feedback ${((feedback.length / learnMs) * 1000).toFixed(0)} events/s`);
