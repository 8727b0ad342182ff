// Proves the reconnect delay doubles from the minimum, stays within the cap,
// and jitters only within the upper half of the current step.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backoffDelayMs } from '../../../src/raft/transport/backoff.js';

void test('backoff doubles, is capped, and jitters within [step/2, step]', () => {
  const range = { backoffMsMin: 100, backoffMsMax: 5000 };
  assert.equal(backoffDelayMs(range, 1, () => 0), 50);
  assert.equal(backoffDelayMs(range, 1, () => 0.999999), 100);
  assert.equal(backoffDelayMs(range, 3, () => 0.999999), 400);
  assert.equal(backoffDelayMs(range, 1000, () => 0.999999), 5000);
  for (let f = 1; f < 40; f++) {
    const d = backoffDelayMs(range, f, () => 0.5);
    assert.ok(d >= 50 && d <= 5000, `failure ${f}: ${d} ms`);
  }
  assert.throws(() => backoffDelayMs(range, 0, () => 0.5));
  assert.throws(() => backoffDelayMs(range, 1, () => 1));
  assert.throws(() => backoffDelayMs({ backoffMsMin: 10, backoffMsMax: 5 }, 1, () => 0.5));
});
