/**
 * `quiver serve [--index <dir> | --catalog <file>] [--data <dir>] [--port 8080] [--host 127.0.0.1]`: the HTTP
 * API (src/server/server.ts) over an Engine. Without --index or --catalog it serves the demo catalogue (building
 * its index on first run). With --data the engine is durable: every search, feedback event and catalogue change is
 * logged before it is acknowledged, checkpoints are written every --checkpoint-interval seconds and on
 * shutdown, and a restart (clean or after a kill) resumes from the newest checkpoint and the log after it.
 * Without --data everything is learnt in memory only. Prints the URL once listening; stops cleanly on
 * SIGINT/SIGTERM. With --workers N (and --data) N processes serve on the one port, sharing the log, the learnt
 * state and the models (src/server/cluster.ts).
 */
import cluster from 'node:cluster';
import { Command } from 'commander';
import { loadCatalog } from '../../catalog/load.js';
import { demoIndex } from '../../demo.js';
import { openDurableEngine, type OpenedEngine } from '../../engine/durable-engine.js';
import { Engine } from '../../engine/engine.js';
import { createError } from '../../errors.js';
import { SearchIndex } from '../../index/search-index.js';
import { BUDGET_MODES, type BudgetMode, type CandidateBudget } from '../../policy/candidate-price.js';
import { COVERAGE_CREDIT_RULES, type CoverageCreditRule } from '../../policy/retrieval-policy.js';
import { DEFAULT_HOLDBACK_DECAY, DEFAULT_WARM_START } from '../../policy/planners.js';
import { loadSnapshot } from '../../index/snapshot.js';
import { clusterFeedback, runPrimary, workerNumber, workerRequestId } from '../../server/cluster.js';
import { createServer } from '../../server/server.js';
import { candidateBudgetFlag, choiceFlag, numberFlag } from '../flags.js';

interface ServeFlags {
  index?: string;
  catalog?: string;
  data?: string;
  port: number;
  host: string;
  policy: string;
  holdback?: number;
  warmStart: number;
  holdbackDecay: number;
  candidateBudget?: CandidateBudget;
  budgetMode?: BudgetMode;
  credit?: CoverageCreditRule;
  ranker: 'lambdamart' | 'heuristic';
  models?: string;
  sync: 'normal' | 'full';
  checkpointInterval: number;
  simulate: boolean;
  workers: number;
  warm: boolean;
}

export function serveCommand(): Command {
  return new Command('serve')
    .description('serve the search and feedback HTTP API (OpenAPI at /openapi.json)')
    .option('--index <dir>', 'an index snapshot from `quiver index` (default: the demo catalogue, indexed into .quiver/demo-index on first run)')
    .option('--catalog <file>', 'a catalogue to index at start (.jsonl, .csv, optionally .gz)')
    .option('--data <dir>', 'keep the event log, checkpoints and models here: learning survives restarts (default: in memory only)')
    .option('--port <n>', 'TCP port (0: any free one)', numberFlag('--port', { min: 0, max: 65535, integer: true }), 8080)
    .option('--host <address>', 'address to listen on', '127.0.0.1')
    .option('--policy <name>', 'the retrieval planner', 'thompson')
    .option('--credit <rule>', `what a learned plan's arm earns when the user engaged with several results: ${COVERAGE_CREDIT_RULES.join(', ')} (default share, the share of them its list held; best: the best-placed one; a data directory keeps the rule it was made with; DESIGN.md, "The reward")`, choiceFlag('--credit', COVERAGE_CREDIT_RULES))
    .option('--holdback <share>', 'share of the learned policy\'s requests served by every strategy at full budget, so deep draws learn what they cover (DESIGN.md, "Holdback"; default 0.1 with --ranker lambdamart, 0 with heuristic)', numberFlag('--holdback', { min: 0, max: 0.99 }))
    .option('--warm-start <n>', 'a new learned policy holds back every request at first; the extra share halves by request n (DESIGN.md, "Warm start"; 0: off)', numberFlag('--warm-start', { min: 0, max: 1e9 }), DEFAULT_WARM_START)
    .option('--holdback-decay <n>', 'the holdback fades past request n, as √(n / t) (DESIGN.md, "The holdback fades"; 0: it never fades)', numberFlag('--holdback-decay', { min: 0, max: 1e12 }), DEFAULT_HOLDBACK_DECAY)
    .option('--candidate-budget <n|p%>', 'mean candidates per search the learned plan keeps under, or a share of the full draw (every strategy at the largest budget) such as 35%: a candidate\'s price rises while searches draw more (DESIGN.md, "A candidate budget"; default: none)', candidateBudgetFlag('--candidate-budget'))
    .option('--budget-mode <mode>', 'ceiling: the learned plan keeps under --candidate-budget; target: it spends it, a candidate\'s price also falling while searches draw less (default ceiling)', choiceFlag('--budget-mode', BUDGET_MODES))
    .option('--ranker <name>', 'lambdamart (the heuristic until a model is trained) or heuristic', choiceFlag('--ranker', ['lambdamart', 'heuristic'] as const), 'lambdamart')
    .option('--models <dir>', 'keep the ranker\'s model versions here (with --data: <data>/models)')
    .option('--sync <mode>', 'normal: acknowledged calls survive a killed process; full: also a power cut (slower)', choiceFlag('--sync', ['normal', 'full'] as const), 'normal')
    .option('--simulate', 'serve POST /simulate (the dashboard\'s button): generated traffic the engine learns from, for demos', false)
    .option('--checkpoint-interval <seconds>', 'with --data, checkpoint the learnt state this often when it changed', numberFlag('--checkpoint-interval', { min: 0.1, max: 86_400 }), 300)
    .option('--workers <n>', 'serve from this many processes (with --data): they share the log, the learnt state and the models', numberFlag('--workers', { min: 1, max: 64, integer: true }), 1)
    .option('--no-warm', 'listen at once, building the semantic vectors, ANN graph and other lazily built structures on the first searches instead of before listening')
    .action(async (flags: ServeFlags) => {
      if (flags.index && flags.catalog) throw createError('CLI_BAD_FLAGS', 'give --index or --catalog, not both');
      if (flags.data && flags.models) throw createError('CLI_BAD_FLAGS', '--data keeps models in <data>/models; give --data or --models, not both');
      if (flags.workers > 1 && !flags.data) throw createError('CLI_BAD_FLAGS', '--workers > 1 needs --data: the workers share the event log kept there');
      if (flags.budgetMode !== undefined && flags.candidateBudget === undefined) throw createError('CLI_BAD_FLAGS', '--budget-mode needs --candidate-budget');
      const demo = () => demoIndex('.quiver/demo-index', (line) => console.error(line));
      if (flags.workers > 1 && cluster.isPrimary) {
        if (!flags.index && !flags.catalog) demo(); // built once here, not raced by the workers
        runPrimary({
          workers: flags.workers,
          onListening: (port) => console.log(`Quiver is serving from ${flags.workers} workers at http://${flags.host}:${port} (search page /, dashboard /dashboard, API POST /search, POST /feedback, GET /openapi.json)`),
        });
        return;
      }
      const worker = workerNumber();
      const baseIndex = () => (flags.index ? loadSnapshot(flags.index) : flags.catalog ? SearchIndex.build(loadCatalog(flags.catalog).entities) : demo());
      let durable: OpenedEngine | undefined;
      let engine: Engine;
      // Worker 1 (or the only process) retrains and checkpoints; other workers follow it.
      const leads = worker === undefined || worker === 1;
      if (flags.data) {
        durable = openDurableEngine(flags.data, baseIndex, {
          policy: flags.policy, holdback: flags.holdback, warmStart: flags.warmStart, holdbackDecay: flags.holdbackDecay, candidateBudget: flags.candidateBudget, budgetMode: flags.budgetMode, credit: flags.credit, ranker: flags.ranker, sync: flags.sync,
          ...(worker !== undefined && { sharedLog: true, requestId: workerRequestId(worker), ...(!leads && { retrainEvery: 0 }) }),
        });
        engine = durable.engine;
        console.error(`${flags.data}: restored from the checkpoint at record ${durable.restoredFrom}, replayed ${durable.replayed} records`);
      } else {
        engine = new Engine(baseIndex(), { policy: flags.policy, holdback: flags.holdback, warmStart: flags.warmStart, holdbackDecay: flags.holdbackDecay, candidateBudget: flags.candidateBudget, budgetMode: flags.budgetMode, credit: flags.credit, ranker: flags.ranker, modelsDirectory: flags.models });
      }
      if (flags.warm) {
        if (leads) console.error('warming up: building the semantic vectors, their ANN graph and the other structures searches use (--no-warm skips this)…');
        console.error(`${worker === undefined ? '' : `worker ${worker}: `}warmed up in ${(engine.warmUp() / 1000).toFixed(1)} s`);
      }
      const app = await createServer(engine, { simulate: flags.simulate, ...(worker !== undefined && { feedback: clusterFeedback(engine, worker, flags.workers) }) });
      let checkpointed = engine.seq;
      const timer = durable && leads ? setInterval(() => {
        engine.catchUp(); // an idle leader has not applied the other workers' records yet
        if (engine.seq === checkpointed) return;
        checkpointed = engine.seq;
        durable!.checkpoint();
      }, flags.checkpointInterval * 1000) : undefined;
      timer?.unref();
      // Handlers go in before the URL is printed: a signal sent the moment a client sees the URL must find them.
      const stop = () => void app.close().then(() => {
        if (timer) clearInterval(timer);
        durable?.close({ checkpoint: leads });
        process.exit(0);
      });
      // A worker stops when the primary says so (a terminal's Ctrl-C reaches the whole group; the primary decides).
      if (worker === undefined) process.once('SIGINT', stop);
      else process.on('SIGINT', () => {});
      process.once('SIGTERM', stop);
      const url = await app.listen({ host: flags.host, port: flags.port });
      if (worker !== undefined) return;
      console.log(`Quiver is serving ${engine.index.size} entities at ${url} (search page ${url}/, dashboard ${url}/dashboard, API POST /search, POST /feedback, GET /openapi.json)`);
    });
}
