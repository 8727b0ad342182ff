import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BrokenSessions } from '../../src/manager/session-loss.js';

// Proves the grace bookkeeping: a node is due only once its grace has run out, is returned once,
// a new session (forget) takes it off, and a stall of the manager's own loop (credit) moves the deadline.
test('broken sessions come due after the grace, once, unless the node came back', () => {
  const b = new BrokenSessions();
  b.noteBroken('a', 1_000);
  b.noteBroken('b', 1_200);
  b.noteBroken('c', 1_300);
  assert.deepEqual(b.takeExpired(1_999, 1_000), [], 'nothing is due before its grace');
  assert.deepEqual(b.takeExpired(2_000, 1_000), [{ nodeId: 'a', brokeAtMs: 1_000 }]);
  assert.deepEqual(b.takeExpired(2_100, 1_000), [], 'returned once');
  b.forget('b'); // it opened a new session
  b.credit(500); // the manager itself stalled 0.5 s
  assert.deepEqual(b.takeExpired(2_700, 1_000), []);
  assert.deepEqual(b.takeExpired(2_800, 1_000), [{ nodeId: 'c', brokeAtMs: 1_800 }]);
  assert.equal(b.size, 0);
  b.noteBroken('d', 5_000);
  b.clear(); // leadership changed
  assert.deepEqual(b.takeExpired(10_000, 1_000), []);
});
