// `quiver simulate` through the real CLI, over a slice of the demo catalogue (every 15th entity, relations kept
// inside the slice) so each run takes seconds: output shapes, the files it writes, and bad flags.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { loadCatalog } from '../../src/catalog/load.js';
import { demoCatalogPath } from '../../src/demo.js';
import { SearchIndex } from '../../src/index/search-index.js';
import { plannerNames } from '../../src/policy/planners.js';
import { createPolicy } from '../../src/policy/policy.js';
import { policyState, readPolicyState, restorePolicy } from '../../src/policy/policy-state.js';
import { RetrievalPolicy } from '../../src/policy/retrieval-policy.js';
import { createStrategies } from '../../src/retrieval/registry.js';
import { RetrievalResources } from '../../src/retrieval/resources.js';
import type { LabelVerdict, Versus } from '../../src/simulate/versus.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const dir = tempDir();
const catalog = join(dir, 'catalog.jsonl');
{
  const rows = gunzipSync(readFileSync(demoCatalogPath())).toString('utf8').split('\n').filter((line, i) => line && i % 15 === 0).map((line) => JSON.parse(line));
  const ids = new Set(rows.map((r) => r.id as string));
  for (const row of rows) for (const [name, targets] of Object.entries((row.relations ?? {}) as Record<string, string[]>)) row.relations[name] = targets.filter((id) => ids.has(id));
  writeFileSync(catalog, rows.map((r) => JSON.stringify(r)).join('\n'));
}
const simulate = (...args: string[]) => runCli(['simulate', '--catalog', catalog, ...args]);
const REPORT_KEYS = ['policy', 'kind', 'queries', 'candidate_recall', 'ndcg@10', 'mrr@10', 'mean_candidates', 'mean_strategies', 'ms_per_query', 'mean_reward', 'regret', 'strategy_use', 'regret_half', 'ranker', 'by_label', 'curve'];

test('--policy all --json prints {"policies": [...]}: every planner on the same stream, static or learned', () => {
  const strategies = ['lexical', 'semantic', 'memory'];
  const r = simulate('--generate', '30', '--policy', 'all', '--json', '--no-regret', '--strategies', strategies.join(','), '--seed', '3');
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.deepEqual(Object.keys(out), ['policies', 'versus', 'labels']);
  assert.deepEqual(out.policies.map((p: { policy: string }) => p.policy), plannerNames(strategies));
  assert.ok(out.policies.some((p: { policy: string }) => p.policy === 'rrf-lexical-semantic'));
  for (const p of out.policies) {
    assert.equal(p.kind, ['epsilon-greedy', 'linucb', 'hybrid-linucb', 'thompson'].includes(p.policy) ? 'learned' : 'static');
    // A learned plan also says its holdback, and the share of its requests held back.
    assert.deepEqual(Object.keys(p).sort(), [...REPORT_KEYS, ...(p.kind === 'learned' ? ['holdback', 'held_back'] : [])].sort());
    assert.equal(p.queries, 30);
    assert.equal(p.regret, 0, '--no-regret');
  }
  assert.equal(out.policies.find((p: { policy: string }) => p.policy === 'always-all').mean_strategies, strategies.length);
  // Every learned planner against every static one, query by query: the mean gap is the gap between the reports.
  const report = (name: string) => out.policies.find((p: { policy: string }) => p.policy === name);
  const statics = out.policies.filter((p: { kind: string }) => p.kind === 'static').map((p: { policy: string }) => p.policy);
  assert.deepEqual(Object.keys(out.versus), ['epsilon-greedy', 'linucb', 'hybrid-linucb', 'thompson']);
  for (const [learned, rows] of Object.entries(out.versus as Record<string, Versus[]>)) {
    assert.deepEqual(rows.map((v) => v.against), statics);
    for (const v of rows) {
      assert.ok(Math.abs(v.overall.delta - (report(learned)['ndcg@10'] - report(v.against)['ndcg@10'])) < 1e-9, `${learned} vs ${v.against}`);
      assert.ok(v.overall.low <= v.overall.delta && v.overall.delta <= v.overall.high);
      for (const [label, d] of Object.entries(v.by_label)) {
        assert.ok(Math.abs(d.delta - (report(learned).by_label[label]['ndcg@10'] - report(v.against).by_label[label]['ndcg@10'])) < 1e-9);
        assert.equal(d.queries, report(learned).by_label[label].queries);
      }
      assert.equal(v.labels_won, Object.values(v.by_label).filter((d) => d.delta > 0).length);
    }
  }
  // Per label, the verdict against every static plan: won only when every interval is above 0, lost when one is below.
  assert.deepEqual(Object.keys(out.labels), Object.keys(out.versus));
  for (const [learned, verdicts] of Object.entries(out.labels as Record<string, Record<string, LabelVerdict>>)) {
    const rows = out.versus[learned] as Versus[];
    for (const [label, v] of Object.entries(verdicts)) {
      const lows = rows.map((row) => row.by_label[label].low);
      const highs = rows.map((row) => row.by_label[label].high);
      const expected = highs.some((h) => h !== null && h < 0) ? 'lost' : lows.every((l) => l !== null && l > 0) ? 'won' : 'tied';
      assert.equal(v.verdict, expected, `${learned} on ${label}`);
      assert.deepEqual(v.difference, rows.find((row) => row.against === v.against)!.by_label[label]);
    }
  }
  // The table prints the same comparison.
  const text = simulate('--generate', '30', '--policy', 'all', '--no-regret', '--strategies', strategies.join(','), '--seed', '3');
  assert.equal(text.status, 0, text.stderr);
  assert.match(text.stdout, /versus[\s\S]*95% interval[\s\S]*thompson\s+always-all/);
  assert.match(text.stdout, /above every static[\s\S]*below a static[\s\S]*thompson/);
});

test('--candidate-budget keeps a learned plan near that many candidates per query, and the report says its budget and price', () => {
  const common = ['--generate', '150', '--json', '--no-regret', '--strategies', 'lexical,memory,popular,fresh', '--seed', '3', '--policy', 'thompson', '--warm-start', '0'];
  const free = simulate(...common);
  assert.equal(free.status, 0, free.stderr);
  const freeReport = JSON.parse(free.stdout);
  assert.equal(freeReport.candidate_budget, undefined, 'no budget, no field');
  const budget = Math.round(freeReport.mean_candidates / 3);
  const kept = simulate(...common, '--candidate-budget', String(budget));
  assert.equal(kept.status, 0, kept.stderr);
  const report = JSON.parse(kept.stdout);
  assert.equal(report.candidate_budget.budget, budget);
  assert.ok(report.candidate_budget.price_factor > 1, `${report.candidate_budget.price_factor}`);
  // The curve's last third (equal windows): the price has caught up, and plans draw far fewer than without it
  // (the policy test checks that the budget itself is kept over a longer stream).
  const last = report.curve.slice(-Math.floor(report.curve.length / 3));
  const late = last.reduce((s: number, p: { mean_candidates: number }) => s + p.mean_candidates, 0) / last.length;
  assert.ok(late < 0.6 * freeReport.mean_candidates && report.mean_candidates < freeReport.mean_candidates, `late ${late}, free ${freeReport.mean_candidates}, budget ${budget}`);
  // The text summary says so too.
  const text = simulate('--generate', '20', '--no-regret', '--strategies', 'lexical,memory', '--seed', '3', '--policy', 'thompson', '--candidate-budget', '15');
  assert.equal(text.status, 0, text.stderr);
  assert.match(text.stdout, /Learned plans kept under 15 candidates per query on average \(--candidate-budget\)/);
  // A single planner's text also says what each strategy drew and found.
  assert.match(text.stdout, /strategy\s+ran\s+candidates\s+found a target\s+alone found one/);
  assert.match(text.stdout, /\nlexical\s+\d+\.\d%\s+\d+\.\d\s+\d+\.\d%\s+\d+\.\d%/);
  // A target is spent: the price falls below the cost weight and the plans draw more than they would.
  const target = simulate(...common, '--candidate-budget', String(Math.round(freeReport.mean_candidates * 2)), '--budget-mode', 'target');
  assert.equal(target.status, 0, target.stderr);
  const spent = JSON.parse(target.stdout);
  assert.equal(spent.candidate_budget.mode, 'target');
  assert.ok(spent.candidate_budget.price_factor < 1 && spent.mean_candidates > freeReport.mean_candidates, `${JSON.stringify(spent.candidate_budget)}, ${spent.mean_candidates} against ${freeReport.mean_candidates}`);
  // A share of the full draw: the report gives the share and the budget it came to in candidates.
  const share = simulate(...common, '--candidate-budget', '60%', '--budget-mode', 'target');
  assert.equal(share.status, 0, share.stderr);
  const shared = JSON.parse(share.stdout).candidate_budget;
  assert.equal(shared.share, 0.6);
  assert.ok(shared.budget > 0 && shared.budget <= 0.6 * 4 * 100, JSON.stringify(shared));
  const shareText = simulate('--generate', '20', '--no-regret', '--strategies', 'lexical,memory', '--seed', '3', '--policy', 'thompson', '--candidate-budget', '35%');
  assert.equal(shareText.status, 0, shareText.stderr);
  assert.match(shareText.stdout, /Learned plans kept under 35% of the full draw on average \(--candidate-budget\)/);
});

test('--clicks-only runs the user who only clicks; by default clicked targets are played and other clicks skipped', () => {
  const common = ['--generate', '20', '--no-regret', '--strategies', 'lexical,memory', '--seed', '3', '--policy', 'lexical'];
  const playing = simulate(...common);
  assert.equal(playing.status, 0, playing.stderr);
  assert.match(playing.stdout, /\(clicked targets played, other clicks skipped\), 0\.3 of searches that found nothing wanted refound/);
  const clicking = simulate(...common, '--clicks-only');
  assert.equal(clicking.status, 0, clicking.stderr);
  assert.match(clicking.stdout, /\(a user who only clicks\)/);
});

test('--holdback serves that share of a learned plan\'s requests with every strategy at full budget', () => {
  const common = ['--generate', '60', '--json', '--no-regret', '--strategies', 'lexical,memory,popular', '--seed', '3', '--policy', 'thompson,always-all'];
  const run = (holdback: string) => {
    const r = simulate(...common, '--holdback', holdback);
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    return (name: string) => out.policies.find((p: { policy: string }) => p.policy === name);
  };
  const none = run('0');
  const most = run('0.9');
  assert.equal(most('thompson').holdback, 0.9);
  assert.equal(most('always-all').holdback, undefined, 'a static plan has none');
  assert.equal(most('always-all').mean_candidates, none('always-all').mean_candidates); // static plans ignore it
  assert.ok(most('thompson').mean_candidates >= 0.85 * most('always-all').mean_candidates, `${most('thompson').mean_candidates}`);
  assert.ok(none('thompson').mean_candidates < most('thompson').mean_candidates);
  // It fades past --holdback-decay requests, as √(τ/t): over 60 requests from τ = 5, about half as many are held back.
  assert.ok(most('thompson').held_back >= 0.85, `${most('thompson').held_back}`);
  const fading = JSON.parse(simulate(...common, '--holdback', '0.9', '--holdback-decay', '5').stdout).policies.find((p: { policy: string }) => p.policy === 'thompson');
  assert.equal(fading.holdback, 0.9);
  assert.ok(fading.held_back > 0.2 && fading.held_back < 0.7, `${fading.held_back}`);
  assert.ok(fading.mean_candidates < most('thompson').mean_candidates);
  // Without the flag the holdback follows the ranker: 0.1 under LambdaMART, 0 under the fallback.
  const defaults = (...ranker: string[]) => {
    const r = simulate('--generate', '20', '--json', '--no-regret', '--strategies', 'lexical,memory', '--seed', '3', '--policy', 'thompson', ...ranker);
    assert.equal(r.status, 0, r.stderr);
    return JSON.parse(r.stdout).holdback;
  };
  assert.equal(defaults(), 0);
  assert.equal(defaults('--ranker', 'lambdamart'), 0.1);
});

test('--policy a,b runs just those planners side by side, in that order, compared as --policy all compares them', () => {
  const strategies = ['lexical', 'memory'];
  const common = ['--generate', '30', '--json', '--no-regret', '--strategies', strategies.join(','), '--seed', '3'];
  const some = simulate('--policy', 'thompson,always-all,lexical', ...common);
  assert.equal(some.status, 0, some.stderr);
  const out = JSON.parse(some.stdout);
  assert.deepEqual(out.policies.map((p: { policy: string }) => p.policy), ['thompson', 'always-all', 'lexical']);
  assert.deepEqual(Object.keys(out.versus), ['thompson']);
  assert.deepEqual(out.versus.thompson.map((v: Versus) => v.against), ['always-all', 'lexical']);
  // Each planner's run does not depend on which others ran beside it.
  const all = JSON.parse(simulate('--policy', 'all', ...common).stdout);
  const fromAll = (name: string) => all.policies.find((p: { policy: string }) => p.policy === name);
  for (const p of out.policies) assert.equal(p['ndcg@10'], fromAll(p.policy)['ndcg@10'], p.policy);
  assert.deepEqual(out.versus.thompson[0], all.versus.thompson.find((v: Versus) => v.against === 'always-all'));
});

test('--log and --save-policy paths that cannot be written are refused before the run; the log appears whole', () => {
  const quick = ['--generate', '5', '--policy', 'linucb', '--strategies', 'lexical', '--no-regret'];
  for (const [flag, path] of [['--log', join(dir, 'no-such-dir', 'log.jsonl')], ['--save-policy', join(dir, 'no-such-dir', 'policy.json')]]) {
    const r = simulate(...quick, flag, path);
    assert.equal(r.status, 1, `${flag}: ${r.stdout}`);
    assert.match(r.stderr, new RegExp(`error \\[FILE_UNWRITABLE\\]: .*no-such-dir/${flag === '--log' ? 'log\\.jsonl' : 'policy\\.json'}: cannot be written`));
    assert.equal(r.stdout, '');
  }
  // A finished run's log replaces the previous one whole, with no temporary file left beside it.
  const log = join(dir, 'whole.jsonl');
  writeFileSync(log, 'the previous run\n');
  assert.equal(simulate(...quick, '--json', '--log', log).status, 0);
  assert.equal(readFileSync(log, 'utf8').trimEnd().split('\n').length, 5);
  assert.ok(!readdirSync(dir).some((name) => name.startsWith('whole.jsonl.')));
});

test('a single policy prints one object; --curves, --log and --save-policy write what they promise', () => {
  const curves = join(dir, 'curves');
  const log = join(dir, 'decisions.jsonl');
  const saved = join(dir, 'policy.json');
  const strategies = ['lexical', 'fuzzy', 'memory'];
  const r = simulate('--generate', '30', '--policy', 'linucb', '--json', '--strategies', strategies.join(','), '--k', '5', '--click-model', 'dcm',
    '--curves', curves, '--log', log, '--save-policy', saved);
  assert.equal(r.status, 0, r.stderr);
  const report = JSON.parse(r.stdout);
  assert.deepEqual(Object.keys(report).sort(), [...REPORT_KEYS, 'holdback', 'held_back', 'ndcg@5', 'mrr@5'].filter((k) => !k.endsWith('@10')).sort());
  assert.equal(report.policy, 'linucb');
  assert.equal(report.kind, 'learned');

  assert.deepEqual(readdirSync(curves).sort(), ['candidates.png', 'candidates.svg', 'ndcg.png', 'ndcg.svg', 'recall.png', 'recall.svg', 'regret.png', 'regret.svg']);
  for (const name of ['candidates', 'ndcg', 'recall', 'regret']) {
    assert.match(readFileSync(join(curves, `${name}.svg`), 'utf8'), /^<svg[^>]*>[\s\S]*<\/svg>\s*$/);
    assert.deepEqual([...readFileSync(join(curves, `${name}.png`)).subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  }

  const lines = readFileSync(log, 'utf8').trimEnd().split('\n').map((line) => JSON.parse(line));
  assert.equal(lines.length, 30);
  lines.forEach((line, t) => {
    assert.equal(line.policy, 'linucb');
    assert.equal(line.t, t);
    assert.ok(line.propensity > 0 && line.propensity <= 1);
    assert.deepEqual(Object.keys(line.credited).sort(), Object.keys(line.plan).sort());
  });

  // The saved state loads into a policy over the same catalogue and strategies, with every round learnt.
  const state = readPolicyState(saved);
  assert.equal(state.policy, 'linucb');
  assert.equal(state.rounds, 30);
  assert.deepEqual(state.strategies, strategies);
  const resources = new RetrievalResources(SearchIndex.build(loadCatalog(catalog).entities));
  const policy = new RetrievalPolicy(resources, createStrategies(resources, strategies), createPolicy('linucb'));
  restorePolicy(policy, state);
  assert.equal(policy.policy.rounds, 30);
  assert.deepEqual(policyState(policy).model, state.model);
  assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.tmp')), []);
});

test('arms learn an engagement at its page position\'s worth, or whole with --no-position-discount', () => {
  // With the bias first in every arm's x, an arm's Σ r·x[0] is the sum of what it learnt: whole engagements sum
  // to integers (under best credit: share credit splits several), discounted ones (1 / log2(1 + position)) do not
  // once anything was engaged with below the top.
  const learnt = (...flags: string[]) => {
    const saved = join(dir, `discount${flags.join('')}.json`);
    const r = simulate('--generate', '60', '--policy', 'linucb', '--json', '--no-regret', '--strategies', 'lexical,fuzzy,memory', '--seed', '4', '--credit', 'best', '--save-policy', saved, ...flags);
    assert.equal(r.status, 0, r.stderr);
    const model = readPolicyState(saved).model as { arms: Record<string, { xr: number[] }> };
    return Object.values(model.arms).map((stats) => stats.xr[0]);
  };
  const whole = learnt('--no-position-discount');
  assert.ok(whole.some((sum) => sum > 0) && whole.every((sum) => Number.isInteger(sum)), `${whole}`);
  const discounted = learnt();
  assert.ok(discounted.some((sum) => !Number.isInteger(sum)), `${discounted}`);
});

test('--credit share (the default): an arm earns the share of the engaged entities its list held, not the best one alone', () => {
  // Whole engagements (no position discount): under "best" every arm's learnt sum is an integer; under "share"
  // a request with several engagements credits fractions (1/n each) to arms that held only some of them.
  const learnt = (...flags: string[]) => {
    const saved = join(dir, `credit${flags.join('')}.json`);
    const r = simulate('--generate', '80', '--policy', 'linucb', '--json', '--no-regret', '--strategies', 'lexical,structured,popular', '--seed', '5', '--no-position-discount', '--save-policy', saved, ...flags);
    assert.equal(r.status, 0, r.stderr);
    const model = readPolicyState(saved).model as { arms: Record<string, { xr: number[] }> };
    return Object.values(model.arms).map((stats) => stats.xr[0]);
  };
  const best = learnt('--credit', 'best');
  assert.ok(best.some((sum) => sum > 0) && best.every((sum) => Number.isInteger(sum)), `${best}`);
  const share = learnt('--credit', 'share');
  assert.ok(share.some((sum) => !Number.isInteger(sum)), `${share}`);
  // The default is share; the report names a rule other than the default.
  assert.deepEqual(learnt(), share);
  const report = (...flags: string[]) => JSON.parse(simulate('--generate', '5', '--policy', 'linucb', '--json', '--no-regret', '--strategies', 'lexical', ...flags).stdout);
  assert.equal(report('--credit', 'best').credit, 'best');
  assert.equal(report().credit, undefined);
  // The table's note says so too, only for the rule that is not the default.
  const text = (...flags: string[]) => simulate('--generate', '5', '--policy', 'linucb', '--no-regret', '--strategies', 'lexical', ...flags).stdout;
  assert.match(text('--credit', 'best'), /best-placed engaged result alone \(--credit best\)/);
  assert.doesNotMatch(text(), /--credit/);
});

test('bad flags exit with status 1 and a message naming the flag', () => {
  // Flags are checked before the catalogue is read: the catalogue named here does not exist.
  const refused = (args: string[], message: RegExp) => {
    const r = runCli(['simulate', ...missing, ...args]);
    assert.equal(r.status, 1, `${args.join(' ')}: ${r.stdout}`);
    assert.match(r.stderr, message);
    assert.equal(r.stdout, '');
  };
  const stream = join(dir, 'none.jsonl');
  const missing = ['--catalog', join(dir, 'missing.jsonl')];
  refused(['--generate', '5', '--stream', stream, '--policy', 'lexical'], /CLI_BAD_FLAGS.*exactly one of --stream <file> or --generate <n>/);
  refused(['--policy', 'lexical'], /exactly one of --stream <file> or --generate <n>/);
  refused(['--generate', '5', '--policy', 'psychic', '--strategies', 'lexical'], /POLICY_UNKNOWN.*unknown policy "psychic"; known: all, lexical, always-all, uniform, epsilon-greedy, linucb, hybrid-linucb, thompson/);
  refused(['--generate', '5', '--policy', 'lexical', '--save-policy', join(dir, 'x.json')], /CLI_BAD_FLAGS.*--save-policy needs a single learned --policy/);
  refused(['--generate', '5', '--policy', 'thompson,psychic', '--strategies', 'lexical'], /POLICY_UNKNOWN.*unknown policy "psychic"/);
  refused(['--generate', '5', '--policy', 'thompson,', '--strategies', 'lexical'], /POLICY_UNKNOWN.*unknown policy "thompson,"/);
  refused(['--generate', '5', '--policy', 'lexical,thompson,lexical', '--strategies', 'lexical'], /CLI_BAD_FLAGS.*--policy names lexical twice/);
  refused(['--generate', '5', '--policy', 'thompson,linucb', '--save-policy', join(dir, 'x.json'), '--strategies', 'lexical'], /--save-policy needs a single learned --policy/);
  refused(['--generate', '5', '--policy', 'all', '--save-policy', join(dir, 'x.json'), '--strategies', 'lexical'], /--save-policy needs a single learned --policy/);
  refused(['--generate', '5', '--policy', 'linucb', '--click-model', 'ubm'], /--click-model must be one of pbm, cascade, dcm, got "ubm"/);
  refused(['--generate', '5', '--policy', 'linucb', '--refind', '2'], /--refind/);
  refused(['--generate', '5', '--policy', 'linucb', '--holdback', '1'], /--holdback must be a number in \[0, 0.99\], got "1"/);
  refused(['--generate', '5', '--policy', 'linucb', '--holdback-decay', '-1'], /--holdback-decay must be a number in \[0, 1000000000000\], got "-1"/);
  refused(['--generate', '5', '--policy', 'linucb', '--candidate-budget', '0'], /--candidate-budget must be a number in \[1, 1000000\], got "0"/);
  refused(['--generate', '5', '--policy', 'linucb', '--candidate-budget', '120%'], /--candidate-budget must be a number of candidates in \[1, 1000000\] or a share of the full draw in \(0%, 100%\], got "120%"/);
  refused(['--generate', '5', '--policy', 'linucb', '--credit', 'all'], /--credit must be one of best, share, got "all"/);
  refused(['--generate', '5', '--policy', 'linucb', '--budget-mode', 'target'], /--budget-mode needs --candidate-budget/);
  refused(['--generate', '5', '--policy', 'linucb', '--candidate-budget', '9', '--budget-mode', 'most'], /--budget-mode must be one of ceiling, target, got "most"/);
  // …and a catalogue that cannot be read is a clear error too, not a crash.
  refused(['--generate', '5', '--policy', 'linucb'], /error \[FILE_UNREADABLE\]: .*missing\.jsonl: cannot be read \(ENOENT/);
  assert.ok(!existsSync(join(dir, 'x.json')));
});
