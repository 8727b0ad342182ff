import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ProcCluster } from './harness.js';

interface NodeLsRecord {
  id: string;
  hostname: string;
  role: string;
  status: string;
  leader: boolean;
  reachability?: string;
}

describe('manager processes form one cluster', { concurrency: 1 }, () => {
  for (const size of [1, 3, 5]) {
    // Proves that 1, 3 and 5 manager processes started through the CLI agree on
    // exactly one leader (every manager's GetClusterInfo names the same one, and
    // only that manager's own record says leader) and that `node ls --format json`
    // prints the same nodes, leader and reachability on every manager.
    test(`${size} manager(s): one leader, node ls agrees everywhere`, { timeout: 120_000 }, async (t) => {
      const c = await ProcCluster.start(size);
      t.after(() => c.close());
      const { leader, term } = await c.waitForLeader(20_000);
      assert.ok(term >= 1);
      const infos = await Promise.all(c.managers.map((m) => m.api.clusterInfo(10_000)));
      for (const info of infos) {
        assert.equal(info.leaderNodeId, leader.nodeId);
        assert.equal(info.managers.length, size);
        assert.equal(info.managers.filter((x) => x.leader).length, 1, 'exactly one manager is marked leader');
      }
      const listings = await Promise.all(
        c.managers.map(async (m) => {
          const r = await c.cli(m, ['node', 'ls', '--format', 'json']);
          assert.equal(r.code, 0, r.stderr);
          const rows = JSON.parse(r.stdout) as NodeLsRecord[];
          return rows.sort((a, b) => a.id.localeCompare(b.id));
        }),
      );
      const first = listings[0]!;
      assert.equal(first.length, size);
      assert.deepEqual(first.map((r) => r.hostname).sort(), c.managers.map((m) => m.name).sort());
      assert.equal(first.filter((r) => r.leader).length, 1);
      assert.equal(first.find((r) => r.leader)?.id, leader.nodeId);
      for (const r of first) {
        assert.equal(r.role, 'manager');
        assert.equal(r.status, 'ready');
        assert.equal(r.reachability, 'reachable');
      }
      for (const l of listings) assert.deepEqual(l, first, 'every manager prints the same node ls');
    });
  }
});
