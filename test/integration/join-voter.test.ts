import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ProcCluster, sleep, type ManagerProc } from './harness.js';
import { nodeToProto } from '../../src/manager/node-view.js';
import type { NodeRecord } from '../../src/manager/store/queries.js';

/** The first moment any of `among` says it is the leader (polled every 50 ms). */
async function firstLeader(among: readonly ManagerProc[], timeoutMs: number): Promise<ManagerProc> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const infos = await Promise.allSettled(among.map((m) => m.api.clusterInfo(500)));
    for (const [i, r] of infos.entries()) {
      const m = among[i]!;
      if (r.status === 'fulfilled' && r.value.leaderNodeId === m.nodeId) return m;
    }
    await sleep(50);
  }
  throw new Error(`no leader among ${among.map((m) => m.name).join(',')} within ${timeoutMs} ms`);
}

// Proves `shoal join --token <manager token>` returns only once the new manager votes: killing
// the leader (kill -9) right after it returned leaves a quorum of voters that elects a leader
// within 2 s — with 3 managers that quorum needs the manager that just joined.
describe('join returns once the manager is a voter', () => {
  for (const size of [3, 5]) {
    test(`${size} managers: join, kill -9 the leader at once, a leader within 2 s`, async () => {
      const c = await ProcCluster.start(size - 1);
      try {
        await c.joinManager(`m${size}`);
        const { leader } = await c.waitForLeader(5_000);
        const killedAt = Date.now();
        c.kill9(leader);
        const next = await firstLeader(c.running(), 10_000);
        const took = Date.now() - killedAt;
        assert.notEqual(next.name, leader.name);
        assert.ok(took <= 2_000, `a leader after ${took} ms (want ≤ 2,000)`);
      } finally {
        await c.close();
      }
    });
  }
});

// Proves a learner is shown as catching up (Node.catching_up), a voter not.
test('a learner is shown as catching up', () => {
  const rec = { id: 'n2', raftId: 2, hostname: 'm2', role: 'manager', availability: 'active', addr: 'a', reachable: true, status: 'unknown', statusMessage: '', labels: {}, createdAt: 0, updatedAt: 0, version: 1, platform: { os: '', arch: '' }, resources: { nanoCpus: 0, memoryBytes: 0 } } as unknown as NodeRecord;
  assert.equal(nodeToProto(rec, { leaderRaftId: 1, learners: [2] }).catchingUp, true);
  assert.equal(nodeToProto(rec, { leaderRaftId: 1, learners: [] }).catchingUp, false);
});
