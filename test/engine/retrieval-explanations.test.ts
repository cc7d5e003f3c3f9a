// Each result of an `explain` search carries every strategy's own explanation: the strategies that found it (root
// value = their provenance score), and lexical's per-field BM25F and memory's learned score whatever the plan.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Engine } from '../../src/engine/engine.js';
import { ALWAYS_EXPLAINED } from '../../src/engine/retrieval-explanations.js';
import { DEMO_TIME } from '../helpers/demo-index.js';
import { sampleIndex } from '../helpers/sample-index.js';

const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));

test('every strategy that found a result explains exactly its provenance score; lexical and memory always explain', () => {
  let n = 0;
  const engine = new Engine(sampleIndex(), { policy: 'always-all', ranker: 'heuristic', retrainEvery: 0, now: () => Date.parse(DEMO_TIME), requestId: () => `r${++n}` });
  const response = engine.search({ query: 'love', k: 10, explain: true });
  assert.ok(response.results.length > 0);
  for (const result of response.results) {
    const explained = result.retrievalExplanations!;
    for (const name of ALWAYS_EXPLAINED) assert.ok(explained[name], `${result.id} has ${name}'s explanation`);
    for (const p of result.provenance) assert.ok(close(explained[p.strategy].value, p.score), `${p.strategy} explains ${result.id}'s score ${p.score}`);
  }
  const lexicalHit = response.results.find((r) => r.provenance.some((p) => p.strategy === 'lexical'))!;
  assert.match(JSON.stringify(lexicalHit.retrievalExplanations!.lexical), /field \\"title\\"/, 'the lexical explanation names the fields');
  assert.equal(engine.search({ query: 'love', k: 10 }).results[0].retrievalExplanations, undefined, 'only explain searches pay for it');
});

test('after a like, memory explains a positive learned score for the liked result, found or not', () => {
  const engine = new Engine(sampleIndex(), { policy: 'lexical', ranker: 'heuristic', retrainEvery: 0, now: () => Date.parse(DEMO_TIME) });
  const first = engine.search({ query: 'love', k: 10, explain: true });
  const liked = first.results[6];
  const before = liked.retrievalExplanations!.memory.value;
  engine.feedback([{ requestId: first.requestId, entityId: liked.id, type: 'like', position: 7 }]);
  const again = engine.search({ query: 'love', k: 10, explain: true }).results.find((r) => r.id === liked.id)!;
  assert.ok(again.retrievalExplanations!.memory.value > before, `memory learned: ${before} → ${again.retrievalExplanations!.memory.value}`);
});
