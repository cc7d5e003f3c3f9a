import assert from 'node:assert/strict';
import type { QuiverError } from '../../src/errors.js';

/** The error `make` throws; fails the test when it throws nothing. */
export function refusal(make: () => unknown): QuiverError {
  try {
    make();
  } catch (err) {
    return err as QuiverError;
  }
  assert.fail('no error was thrown');
}
