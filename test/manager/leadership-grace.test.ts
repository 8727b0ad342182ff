import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HEARTBEAT_PERIODS_DOWN, LEADERSHIP_GRACE_MIN_MS, leadershipGraceMs, overdueSilenceMs } from '../../src/manager/leadership-grace.js';

// Proves the grace a new leader gives nodes it has not heard from: six heartbeat periods but never
// under LEADERSHIP_GRACE_MIN_MS, counted from when it started leading, so short periods (500 ms in
// the tests) do not leave workers 3 s to find a leader that was elected, restarted or forced; a node
// heard from in this leadership is back on the three-period rule; a node never heard from is due
// once the grace has passed (a worker lost across the leader change is still marked down).
test('a new leader waits at least the leadership grace before taking a silent node for lost', () => {
  assert.equal(leadershipGraceMs(500), LEADERSHIP_GRACE_MIN_MS, 'short periods: the floor');
  assert.equal(leadershipGraceMs(1_000), LEADERSHIP_GRACE_MIN_MS, 'the default period: the floor');
  assert.equal(leadershipGraceMs(5_000), 30_000, 'long periods: six of them');

  const leaderSinceMs = 100_000;
  const clock = (nowMs: number, heartbeatMs = 500): { nowMs: number; leaderSinceMs: number; heartbeatMs: number } => ({ nowMs, leaderSinceMs, heartbeatMs });
  // Never heard in this leadership (lastSeen 0, or a time before it started leading).
  for (const lastSeenMs of [0, leaderSinceMs - 1]) {
    assert.equal(overdueSilenceMs({ lastSeenMs }, clock(leaderSinceMs + 6 * 500 + 1)), null, 'six periods are not enough any more');
    assert.equal(overdueSilenceMs({ lastSeenMs }, clock(leaderSinceMs + LEADERSHIP_GRACE_MIN_MS)), null, 'within the grace');
    assert.equal(overdueSilenceMs({ lastSeenMs }, clock(leaderSinceMs + LEADERSHIP_GRACE_MIN_MS + 1)), LEADERSHIP_GRACE_MIN_MS + 1, 'due after it');
  }
  // Heard from in this leadership (a session that ended, e.g. a goodbye): three periods from then.
  const heard = leaderSinceMs + 2_000;
  assert.equal(overdueSilenceMs({ lastSeenMs: heard }, clock(heard + HEARTBEAT_PERIODS_DOWN * 500)), null);
  assert.equal(overdueSilenceMs({ lastSeenMs: heard }, clock(heard + HEARTBEAT_PERIODS_DOWN * 500 + 1)), HEARTBEAT_PERIODS_DOWN * 500 + 1);
  // The default period: a node heard from is due after 3 s, one never heard from after 10 s.
  assert.equal(overdueSilenceMs({ lastSeenMs: heard }, clock(heard + 3_001, 1_000)), 3_001);
  assert.equal(overdueSilenceMs({ lastSeenMs: 0 }, clock(leaderSinceMs + 9_999, 1_000)), null);
});
