// Retrieval OPE on simulator logs over the demo catalogue, where the truth is known: a target's on-policy mean
// reward on the same stream and seed. Also the exact parts against brute force (P(plan), the reward model's
// expectation over every plan), a frozen policy's own log (OPE must give back its mean reward exactly), the
// log reader's errors and the CLI.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadCatalog } from '../../src/catalog/load.js';
import { demoCatalogPath } from '../../src/demo.js';
import { generateStream } from '../../src/eval/stream-generator.js';
import { parseDecisionLog } from '../../src/ope/decision-log.js';
import { DM, IPS, SNIPS } from '../../src/ope/estimators.js';
import { fitPlanRewardModel } from '../../src/ope/plan-reward-model.js';
import { logCostWeight, retrievalOpeSamples } from '../../src/ope/retrieval-ope.js';
import { DEFAULT_COST_WEIGHT } from '../../src/policy/retrieval-policy.js';
import { frozenPolicy, planProbability, type PlanMixture, policyTarget, staticTarget, uniformTarget } from '../../src/ope/retrieval-targets.js';
import { logDecisions, type SimulationSetup, trainPolicy, validateTarget } from '../../src/ope/simulator-validation.js';
import { createClickModel } from '../../src/simulate/click-models.js';
import { runCli } from '../helpers/cli.js';
import { demoIndex } from '../helpers/demo-index.js';
import { tempDir } from '../helpers/tmp.js';

const index = demoIndex();
const entities = loadCatalog(demoCatalogPath()).entities;
const STRATEGIES = ['lexical', 'fuzzy', 'memory'];
const GRID = [25, 100];
const setup: SimulationSetup = { strategies: STRATEGIES, grid: GRID, user: createClickModel('pbm'), seed: 7 };
const events = generateStream(entities, { n: 300, seed: 7 }).events;
const log = logDecisions(index, events, 'uniform', setup);

test('uniform logging: every logged propensity is (1/(G+1))^S, and the uniform target agrees line by line', () => {
  const target = uniformTarget(STRATEGIES, GRID);
  for (const line of log.lines) {
    assert.ok(Math.abs(line.propensity - (1 / 3) ** 3) < 1e-15);
    assert.ok(Math.abs(planProbability(target.distribution(line, 0), line.plan) - line.propensity) < 1e-15);
  }
  // On-policy: IPS is the plain mean reward (every weight is 1), which is what the simulator reports.
  const samples = retrievalOpeSamples(log.lines, target, { seed: 1 });
  assert.ok(Math.abs(IPS.estimate(samples) - log.meanReward) < 1e-12);
});

test('the reward is [covered] − λ·cost with one λ; a log whose lines disagree is refused', () => {
  assert.ok(Math.abs(logCostWeight(log.lines) - DEFAULT_COST_WEIGHT) < 1e-15);
  const forged = log.lines.map((l, i) => (i === 5 && l.cost > 0 ? { ...l, reward: l.reward - 0.01 } : l));
  assert.throws(() => logCostWeight(forged), (e: Error & { code?: string }) => e.code === 'OPE_LOG_MISMATCH' && /t=5/.test(e.message));
});

test('P(plan) and the reward model\'s expectation equal brute force over every plan', () => {
  const model = fitPlanRewardModel(log.lines, DEFAULT_COST_WEIGHT);
  const choices = [0, ...GRID];
  const line = log.lines[10];
  // A two-component mixture with uneven budget distributions, like a Thompson target with ε > 0.
  const mixture: PlanMixture = [
    new Map(STRATEGIES.map((s, i) => [s, new Map(choices.map((b, j) => [b, [0.2, 0.5, 0.3][(i + j) % 3]]))])),
    new Map(STRATEGIES.map((s) => [s, new Map([[0, 0.1], [25, 0.1], [100, 0.8]])])),
  ];
  let total = 0;
  let expected = 0;
  for (const a of choices) for (const b of choices) for (const c of choices) {
    const plan = Object.fromEntries([['lexical', a], ['fuzzy', b], ['memory', c]].filter(([, budget]) => budget !== 0));
    const p = planProbability(mixture, plan);
    total += p;
    expected += p * model.value(line, plan);
  }
  assert.ok(Math.abs(total - 1) < 1e-12);
  assert.ok(Math.abs(model.expectation(line, mixture) - expected) < 1e-12);
  // A static target puts all its mass on its plan, and none on a plan that runs any other strategy.
  const lexical = staticTarget('lexical', new Map([['lexical', 100]])).distribution(line, 0);
  assert.equal(planProbability(lexical, { lexical: 100 }), 1);
  assert.equal(planProbability(lexical, { lexical: 100, fuzzy: 25 }), 0);
  assert.equal(planProbability(lexical, { lexical: 25 }), 0);
});

test('a static target: IPS and DR intervals hold the on-policy truth', () => {
  const result = validateTarget(index, events, log.lines, { name: 'lexical' }, setup, { resamples: 300, seed: 1 });
  assert.ok(result.report.matched >= 5, `only ${result.report.matched} logged plans match`);
  assert.ok(result.errors.ips.covers, JSON.stringify(result));
  assert.ok(result.errors.dr.covers, JSON.stringify(result));
  assert.ok(result.errors.snips.covers, JSON.stringify(result));
});

test('a frozen learned policy on its own log: OPE gives back its on-policy mean reward exactly', () => {
  const state = trainPolicy(index, generateStream(entities, { n: 150, seed: 8 }).events, 'linucb', { ...setup, seed: 8 });
  const own = logDecisions(index, events.slice(0, 100), 'linucb', setup, state);
  const truth = own.meanReward;
  const samples = retrievalOpeSamples(own.lines, policyTarget(frozenPolicy(index, state)), { seed: 1 });
  // linucb with ε = 0 is deterministic: the target re-derives from the logged context the plan it chose.
  for (const s of samples) assert.equal(s.targetProbability, 1);
  assert.ok(Math.abs(IPS.estimate(samples) - truth) < 1e-12);
  assert.ok(Math.abs(SNIPS.estimate(samples) - truth) < 1e-12);
  assert.ok(Number.isFinite(DM.estimate(samples)));
});

test('the decision log reader names file:line and field, and refuses the whole log', () => {
  const good = JSON.stringify(log.lines[0]);
  assert.equal(parseDecisionLog(`${good}\n\n${good}\n`, 'd.jsonl').length, 2);
  const cases: Array<[string, RegExp]> = [
    [JSON.stringify({ ...log.lines[0], propensity: 0 }), /d\.jsonl:2: field "propensity" is 0; expected a probability/],
    [JSON.stringify({ ...log.lines[0], plan: { semantic: 25 } }), /d\.jsonl:2: field "plan\.semantic" names a strategy with no action features/],
    [JSON.stringify({ ...log.lines[0], credited: {} , plan: { lexical: 25 } }), /d\.jsonl:2: field "credited\.lexical" missing/],
    ['{"t": 1', /d\.jsonl:2: field "\(line\)" not valid JSON/],
    [JSON.stringify({ ...log.lines[0], features: undefined }), /d\.jsonl:2: field "features" missing/],
  ];
  for (const [bad, message] of cases) {
    assert.throws(() => parseDecisionLog(`${good}\n${bad}\n${good}`, 'd.jsonl'), (e: Error & { code?: string }) => e.code === 'OPE_BAD_LOG' && message.test(e.message), bad);
  }
});

test('quiver ope: a static target from a log file, JSON and table; a learned name without --state is refused', () => {
  const path = join(tempDir(), 'decisions.jsonl');
  writeFileSync(path, log.lines.map((l) => JSON.stringify(l)).join('\n'));
  const json = runCli(['ope', '--log', path, '--policy', 'lexical=100,fuzzy=25', '--resamples', '50', '--json']);
  assert.equal(json.status, 0, json.stderr);
  const report = JSON.parse(json.stdout);
  assert.equal(report.policy, 'lexical=100,fuzzy=25');
  assert.equal(report.logger, 'uniform');
  assert.equal(report.decisions, log.lines.length);
  assert.deepEqual(Object.keys(report.estimators), ['ips', 'snips', 'dm', 'dr']);
  for (const e of Object.values(report.estimators) as Array<{ estimate: number; lower: number; upper: number }>) assert.ok(e.lower <= e.estimate + 1e-12 && e.estimate <= e.upper + 1e-12);
  assert.ok(report.ess > 0);
  const text = runCli(['ope', '--log', path, '--policy', 'fuzzy', '--resamples', '50']);
  assert.equal(text.status, 0, text.stderr);
  assert.match(text.stdout, /ips\s+-?\d\.\d{4}\s+\[/);
  const refused = runCli(['ope', '--log', path, '--policy', 'thompson']);
  assert.equal(refused.status, 1);
  assert.match(refused.stderr, /OPE_BAD_TARGET.*--state/);
  const wrongLogger = runCli(['ope', '--log', path, '--policy', 'fuzzy', '--logger', 'linucb']);
  assert.match(wrongLogger.stderr, /OPE_LOG_MISMATCH\]: decision log .*decisions\.jsonl: has no decisions of planner "linucb"/);
});

test('quiver ope: a bad fixed plan is refused out loud; a plan the log never chose is flagged as unsupported', () => {
  const dir = tempDir();
  const path = join(dir, 'decisions.jsonl');
  writeFileSync(path, log.lines.map((l) => JSON.stringify(l)).join('\n'));
  const refusals: Array<[string, RegExp]> = [
    ['lexical=abc', /error: --policy: a fixed plan is strategy=budget pairs with integer budgets ≥ 1, got "lexical=abc"/],
    ['lexical=0', /got "lexical=0"/],
    ['lexical=10,', /got ""/],
    ['lexical=10,lexical=25', /names each strategy once, "lexical" is given twice/],
  ];
  for (const [plan, message] of refusals) {
    const r = runCli(['ope', '--log', path, '--policy', plan]);
    assert.equal(r.status, 1, plan);
    assert.match(r.stderr, message, plan);
    assert.equal(r.stdout, '');
  }
  // Budget 7 is off the logger's grid (25, 100): no logged plan matches, and the table says the importance estimates are not estimates.
  const offGrid = runCli(['ope', '--log', path, '--policy', 'lexical=7', '--resamples', '20']);
  assert.equal(offGrid.status, 0, offGrid.stderr);
  assert.match(offGrid.stdout, /: 0 logged plans the target could have chosen/);
  assert.match(offGrid.stdout, /IPS and SNIPS have no support here/);
  const onGrid = runCli(['ope', '--log', path, '--policy', 'lexical=25', '--resamples', '20']);
  assert.doesNotMatch(onGrid.stdout, /no support/);
  const missing = runCli(['ope', '--log', join(dir, 'missing.jsonl'), '--policy', 'lexical=10']);
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /^error \[FILE_UNREADABLE\]: .*missing\.jsonl: cannot be read \(ENOENT/);
});
