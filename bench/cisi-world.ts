/**
 * A world unlike music search, with human judgements: CISI (../shared/data/cisi/beir). Writes a catalogue of its
 * 1,460 documents (type doc; title and text fields) and a stream of `--n` searches that cycle through its 76
 * judged queries, each by one of 40 users ten minutes apart, with that query's judged documents as targets
 * (label `adhoc`). Queries are long and have many relevant documents (about 40 each), where the retrieval
 * policy's coverage reward, which one engaged entity satisfies, says nothing about finding more of them.
 *
 *   npx tsx bench/cisi-world.ts [--data ../shared/data/cisi/beir] [--out /tmp/cisi] [--n 2000]
 *   quiver simulate --catalog /tmp/cisi/catalog.jsonl --stream /tmp/cisi/stream.jsonl --policy all [--ranker lambdamart]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { readBeir } from '../src/eval/beir.js';
import { intFlag } from './args.js';

const { values: args } = parseArgs({
  options: {
    data: { type: 'string', default: '../shared/data/cisi/beir' },
    out: { type: 'string', default: '/tmp/cisi' },
    n: { type: 'string', default: '2000' },
  },
});
const n = intFlag('n', args.n, 1);
const { docs, queries, qrels } = readBeir(args.data!);
const judged = [...qrels.keys()].filter((q) => queries.has(q)).sort();
const lines: string[] = [];
let time = Date.parse('2024-01-01T00:00:00Z');
for (let i = 0; i < n; i++) {
  const q = judged[(i * 7919) % judged.length]; // 7919 is prime, so every query comes round once per cycle
  time += 600_000;
  const text = queries.get(q)!.replace(/\s+/g, ' ').trim();
  lines.push(JSON.stringify({ query: text, context: { user: `u${i % 40}`, time: new Date(time).toISOString() }, targets: [...qrels.get(q)!.keys()], label: 'adhoc' }));
}
mkdirSync(args.out!, { recursive: true });
writeFileSync(join(args.out!, 'catalog.jsonl'), docs.map((d) => JSON.stringify(d)).join('\n') + '\n');
writeFileSync(join(args.out!, 'stream.jsonl'), lines.join('\n') + '\n');
console.log(`${docs.length} documents, ${n} searches over ${judged.length} judged queries → ${args.out}`);
