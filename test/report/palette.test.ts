// The chart palette is readable on white: every series colour has at least 3:1 contrast (WCAG 1.4.11, non-text
// contrast), by the WCAG relative-luminance formula; and no two colours repeat.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CHART_PALETTE } from '../../src/report/palette.js';

function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

test('every series colour has at least 3:1 contrast on white, and none repeats', () => {
  for (const colour of CHART_PALETTE) assert.ok(1.05 / (luminance(colour) + 0.05) >= 3, `${colour} on white`);
  assert.equal(new Set(CHART_PALETTE).size, CHART_PALETTE.length);
  assert.ok(Math.abs(1.05 / (luminance('#767676') + 0.05) - 4.54) < 0.01, 'the formula gives the known 4.54:1 for #767676');
});
