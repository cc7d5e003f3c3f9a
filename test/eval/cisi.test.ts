// Quality floor on a real collection: CISI in the BEIR layout, from ../shared (present beside every checkout in CI).
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { evaluateAdhoc } from '../../src/eval/adhoc.js';

const CISI = new URL('../../../shared/data/cisi/beir', import.meta.url).pathname;

test('CISI nDCG@10 with default settings is at least 0.37 (Xapian BM25 + stemming: 0.354 in bench/adhoc-bench.ts)', { skip: !existsSync(CISI) && 'no ../shared/data/cisi' }, () => {
  const report = evaluateAdhoc(CISI);
  assert.equal(report.queries, 76);
  assert.ok(report['ndcg@10'] >= 0.37, `nDCG@10 ${report['ndcg@10']}`);
  assert.ok(report.map > 0.19 && report['recall@100'] > 0.4, JSON.stringify(report));
});
