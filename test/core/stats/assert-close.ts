// Numeric assertion helper shared by the statistics tests: absolute or relative closeness with a readable message.

import assert from 'node:assert/strict';

/** Passes when |actual - expected| ≤ tol, or, with `relative`, ≤ tol·|expected|. */
export function assertClose(actual: number, expected: number, tol: number, what = 'value', relative = false): void {
  const bound = relative ? tol * Math.abs(expected) : tol;
  assert.ok(
    Math.abs(actual - expected) <= bound,
    `${what}: expected ${expected}, got ${actual} (|diff| ${Math.abs(actual - expected)} > ${bound})`,
  );
}
