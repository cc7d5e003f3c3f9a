import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clickSessionOf } from '../../../src/rank/clicks/session.js';
import { parseClickLog, readClickLog } from '../../../src/rank/clicks/yandex-log.js';
import { refusal } from '../../helpers/refusal.js';

const DATA = '../shared/data/yandex-wscd2012-clicklog-sample';

test('sessions split on ";", repeat clicks count once, clicks on unlisted documents are dropped and counted', () => {
  const log = parseClickLog('7_1\ta,b,c : b , a , b; 7_1\ta,b,c :; \n9_0\tx,y : zz , y; ', 'mem.txt');
  assert.deepEqual(log.sessions, [
    { query: '7_1', documents: ['a', 'b', 'c'], clicks: [true, true, false] },
    { query: '7_1', documents: ['a', 'b', 'c'], clicks: [false, false, false] },
    { query: '9_0', documents: ['x', 'y'], clicks: [false, true] },
  ]);
  assert.equal(log.clicks, 3);
  assert.equal(log.outsideClicks, 1);
});

test('a malformed session is refused naming file:line:session', () => {
  const cases: Array<[string, RegExp]> = [
    ['1_0\ta,b : a;\n1_0 a,b : a', /bad\.txt:2:1: no tab/],
    ['1_0\ta,b : a; 1_0\ta,b a', /bad\.txt:1:2: no " : "/],
    ['1_0\ta,,b : a', /bad\.txt:1:1: result id 2 is ""/],
    ['1_0\ta,b : a,', /bad\.txt:1:1: clicked id 2 is ""/],
    ['1_0\ta,b,a : a', /bad\.txt:1:1: result "a" is shown twice \(ranks 1 and 3\)/],
    ['q x\ta : a', /bad\.txt:1:1: bad query id "q x"/],
    [' ; \n', /bad\.txt: no sessions/],
  ];
  for (const [text, message] of cases) {
    const err = refusal(() => parseClickLog(text, 'bad.txt'));
    assert.equal(err.code, 'CLICK_LOG_BAD_SESSION', text);
    assert.match(err.message, message);
  }
  assert.equal(refusal(() => readClickLog('/nonexistent/log.gz')).code, 'FILE_UNREADABLE');
});

test('clickSessionOf refuses empty lists and queries', () => {
  assert.match(refusal(() => clickSessionOf('q', [], [], 'impression 3')).message, /impression 3: no results were shown/);
  assert.equal(refusal(() => clickSessionOf('', ['a'], [], 'x')).code, 'CLICKS_BAD_INPUT');
});

test('the Yandex train sample reads as its README counts it', () => {
  const log = readClickLog(`${DATA}/trainSample.gz`);
  assert.equal(log.sessions.length, 35_064);
  assert.equal(new Set(log.sessions.map((s) => s.query)).size, 20);
  assert.equal(log.outsideClicks, 417);
  // The README's 11,780 sessions with an empty click list, plus 67 whose only clicks were on unlisted documents.
  assert.equal(log.sessions.filter((s) => !s.clicks.includes(true)).length, 11_847);
  assert.ok(log.sessions.every((s) => s.documents.length === 10));
});
