/** `quiver search --index <dir> "<query>"`: top-k by BM25F with filters, optionally explained. */
import { Command } from 'commander';
import { parseFilter } from '../../index/filters.js';
import { loadSnapshot } from '../../index/snapshot.js';
import { collect, numberFlag } from '../flags.js';
import { formatExplanation } from '../output.js';

export function searchCommand(): Command {
  return new Command('search')
    .description('search an index snapshot')
    .argument('<query>', 'query text')
    .requiredOption('--index <dir>', 'index snapshot directory (from "quiver index")')
    .option('--k <n>', 'number of results', numberFlag('--k', { min: 1, max: 10000, integer: true }), 10)
    .option('--type <type>', 'only entities of this type')
    .option('--filter <expr>', 'attribute filter, repeatable: genre=pop, genre=pop@0.5, tempo>=120, released>=2010', collect)
    .option('--explain', 'show how each score was computed')
    .option('--json', 'print one JSON object')
    .action((query: string, flags) => {
      const filters = (flags.filter ?? []).map(parseFilter);
      const index = loadSnapshot(flags.index);
      const started = process.hrtime.bigint();
      const hits = index.search(query, { k: flags.k, type: flags.type, filters });
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const results = hits.map((hit, i) => ({
        rank: i + 1,
        id: hit.id,
        score: hit.score,
        entity: index.get(hit.id),
        ...(flags.explain ? { explanation: index.explain(query, hit.id) } : {}),
      }));
      if (flags.json) {
        console.log(JSON.stringify({ query, k: flags.k, ms, results }));
        return;
      }
      if (results.length === 0) console.log(`no results for "${query}"`);
      for (const r of results) {
        const e = r.entity!;
        const artist = e.fields?.artist ? ` — ${[e.fields.artist].flat().join(', ')}` : '';
        console.log(`${String(r.rank).padStart(3)}. ${r.score.toFixed(3)}  [${e.type}] ${e.title}${artist}  (${e.id})`);
        if (r.explanation) console.log(formatExplanation(r.explanation, '       '));
      }
      console.log(`\n${results.length} results in ${ms.toFixed(2)} ms`);
    });
}
