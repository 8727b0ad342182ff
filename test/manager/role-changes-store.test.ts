import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { StoreHarness } from '../network/store-harness.js';
import { desiredRoleOf, pendingPromotions } from '../../src/manager/store/role-changes.js';

const W = 'worker00000000000000000001';

function withWorker(fn: (h: StoreHarness) => void): void {
  const h = StoreHarness.open();
  try {
    const { worker_token_hash: tokenHash } = h.db.prepare('SELECT worker_token_hash FROM cluster').get() as { worker_token_hash: string };
    h.applyOk({ op: 'node.join', at: 10, id: W, hostname: 'w1', role: 'worker', addr: '127.0.0.1:2', tokenHash });
    fn(h);
  } finally {
    h.close();
  }
}

describe('promotion and demotion in the replicated state', () => {
  // Proves a promotion gives the node a fresh Raft ID (never one used before) and a pending-learner row that
  // names it, and that repeating the same role changes neither (idempotent).
  test('promote: fresh Raft ID and a pending learner; a repeat changes nothing', () => {
    withWorker((h) => {
      const before = desiredRoleOf(h.db, W);
      assert.deepEqual(before, { role: 'worker', raftId: 2 });
      h.applyOk({ op: 'node.update', at: 11, id: W, version: 0, role: 'manager' });
      const after = desiredRoleOf(h.db, W);
      assert.equal(after?.role, 'manager');
      assert.equal(after?.raftId, 3, 'the next ID of the cluster counter, not the worker ID 2');
      assert.deepEqual(pendingPromotions(h.db).map((p) => [p.nodeId, p.raftId, p.addr]), [[W, 3, '127.0.0.1:2']]);
      h.applyOk({ op: 'node.update', at: 12, id: W, version: 0, role: 'manager' });
      assert.deepEqual(desiredRoleOf(h.db, W), { role: 'manager', raftId: 3 });
      assert.equal(pendingPromotions(h.db).length, 1);
    });
  });

  // Proves promotion-done clears only the row of the Raft ID it names (a stale report after a re-promotion is
  // ignored), that a demotion drops a pending promotion, and that promoting again takes yet another ID.
  test('promotion-done, demotion and re-promotion', () => {
    withWorker((h) => {
      h.applyOk({ op: 'node.update', at: 11, id: W, version: 0, role: 'manager' });
      h.applyOk({ op: 'node.promotion-done', at: 12, id: W, raftId: 99 });
      assert.equal(pendingPromotions(h.db).length, 1, 'a report for another Raft ID changes nothing');
      h.applyOk({ op: 'node.promotion-done', at: 13, id: W, raftId: 3 });
      assert.equal(pendingPromotions(h.db).length, 0);
      h.applyOk({ op: 'node.update', at: 14, id: W, version: 0, role: 'worker' });
      assert.deepEqual(desiredRoleOf(h.db, W), { role: 'worker', raftId: 3 }, 'a demoted node keeps its ID until promoted again');
      h.applyOk({ op: 'node.update', at: 15, id: W, version: 0, role: 'manager' });
      assert.deepEqual(desiredRoleOf(h.db, W), { role: 'manager', raftId: 4 });
      h.applyOk({ op: 'node.update', at: 16, id: W, version: 0, role: 'worker' });
      assert.equal(pendingPromotions(h.db).length, 0, 'a demotion before the learner was added drops the promotion');
    });
  });
});
