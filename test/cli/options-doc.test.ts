// The README's option tables are generated from the option declarations; this keeps them from drifting.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { optionsDoc } from '../../scripts/options-doc.js';

test('README option tables match the declarations', () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const between = /<!-- options:start -->\n([\s\S]*?)\n<!-- options:end -->/.exec(readme);
  assert.ok(between, 'README has the options markers');
  assert.equal(between[1], optionsDoc(), 'run: npx tsx scripts/options-doc.ts and paste between the markers');
});
