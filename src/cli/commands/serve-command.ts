/**
 * `quiver serve [--index <dir> | --catalog <file>] [--port 8080] [--host 127.0.0.1]`: the HTTP API
 * (src/server/server.ts) over an Engine. Without --index or --catalog it serves the demo catalogue (building its
 * index on first run). Prints the URL once listening; stops cleanly on SIGINT/SIGTERM. Feedback is learnt in
 * memory for now; the durable store and restart replay are the next slice of issue 6.
 */
import { Command } from 'commander';
import { loadCatalog } from '../../catalog/load.js';
import { demoIndex } from '../../demo.js';
import { Engine } from '../../engine/engine.js';
import { createError } from '../../errors.js';
import { SearchIndex } from '../../index/search-index.js';
import { loadSnapshot } from '../../index/snapshot.js';
import { createServer } from '../../server/server.js';
import { choiceFlag, numberFlag } from '../flags.js';

export function serveCommand(): Command {
  return new Command('serve')
    .description('serve the search and feedback HTTP API (OpenAPI at /openapi.json)')
    .option('--index <dir>', 'an index snapshot from `quiver index` (default: the demo catalogue, indexed into .quiver/demo-index on first run)')
    .option('--catalog <file>', 'a catalogue to index at start (.jsonl, .csv, optionally .gz)')
    .option('--port <n>', 'TCP port (0: any free one)', numberFlag('--port', { min: 0, max: 65535, integer: true }), 8080)
    .option('--host <address>', 'address to listen on', '127.0.0.1')
    .option('--policy <name>', 'the retrieval planner', 'thompson')
    .option('--ranker <name>', 'lambdamart (the heuristic until a model is trained) or heuristic', choiceFlag('--ranker', ['lambdamart', 'heuristic'] as const), 'lambdamart')
    .option('--models <dir>', 'keep the ranker\'s model versions here')
    .action(async (flags: { index?: string; catalog?: string; port: number; host: string; policy: string; ranker: 'lambdamart' | 'heuristic'; models?: string }) => {
      if (flags.index && flags.catalog) throw createError('CLI_BAD_FLAGS', 'give --index or --catalog, not both');
      const index = flags.index ? loadSnapshot(flags.index) : flags.catalog ? SearchIndex.build(loadCatalog(flags.catalog).entities) : demoIndex('.quiver/demo-index', (line) => console.error(line));
      const app = await createServer(new Engine(index, { policy: flags.policy, ranker: flags.ranker, modelsDirectory: flags.models }));
      const url = await app.listen({ host: flags.host, port: flags.port });
      console.log(`Quiver is serving ${index.size} entities at ${url} (POST /search, POST /feedback, GET /health, GET /openapi.json)`);
      const stop = () => void app.close().then(() => process.exit(0));
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}
