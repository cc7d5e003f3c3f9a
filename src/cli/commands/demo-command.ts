/**
 * `quiver demo` (what `npm start` runs): builds the demo music index on first run, then answers searches typed
 * at a prompt; without a terminal it runs a few example queries and exits.
 */
import { Command } from 'commander';
import { createInterface } from 'node:readline/promises';
import { demoIndex } from '../../demo.js';
import type { SearchIndex } from '../../index/search-index.js';

const EXAMPLES = ['love', 'taylor swift', 'chill workout', 'queen bohemian', 'reggaeton 2019'];

function show(index: SearchIndex, query: string): void {
  const started = process.hrtime.bigint();
  const hits = index.search(query, { k: 8 });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  console.log(`\n"${query}" (${ms.toFixed(2)} ms)`);
  hits.forEach((hit, i) => {
    const e = index.get(hit.id)!;
    const artist = e.fields?.artist ? ` — ${[e.fields.artist].flat().join(', ')}` : '';
    console.log(`  ${i + 1}. [${e.type}] ${e.title}${artist}  ${hit.score.toFixed(2)}`);
  });
  if (hits.length === 0) console.log('  no results');
}

export function demoCommand(): Command {
  return new Command('demo')
    .description('search the demo music catalogue (builds its index on first run)')
    .option('--index <dir>', 'where to keep the demo index', '.quiver/demo-index')
    .action(async (flags) => {
      const index = demoIndex(flags.index, (line) => console.error(line));
      if (!process.stdin.isTTY) {
        for (const q of EXAMPLES) show(index, q);
        return;
      }
      console.log(`Quiver demo: ${index.size} entities. Type a query (empty line to quit).`);
      const rl = createInterface({ input: process.stdin, output: process.stdout });
      for (;;) {
        const query = (await rl.question('\nsearch> ')).trim();
        if (query === '') break;
        show(index, query);
      }
      rl.close();
    });
}
