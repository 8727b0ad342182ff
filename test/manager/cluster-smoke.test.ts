import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startCluster } from '../helpers/in-process-cluster.js';

// Proves that three in-process managers form one cluster: one leader, every
// manager lists the same nodes, and a write through a follower is visible on all.
test('three managers agree on nodes and serve writes through a follower', async () => {
  const c = await startCluster(3);
  try {
    assert.equal(c.managers.filter((m) => m.shell.isLeader).length, 1);
    const lists = await Promise.all(c.apis.map((a) => a.listNodes()));
    const ids = lists.map((l) => l.nodes.map((n) => n.id).sort().join(','));
    assert.equal(new Set(ids).size, 1, 'every manager lists the same nodes');
    assert.equal(lists[0]!.nodes.length, 3);
    const follower = c.managers.findIndex((m) => !m.shell.isLeader);
    await c.apis[follower]!.updateNode({ ref: 'm2', labelAdd: { zone: 'a' } });
    for (const api of c.apis) {
      const n = await api.getNode({ ref: 'm2' });
      assert.equal(n.node?.labels['zone'], 'a');
    }
  } finally {
    await c.close();
  }
});
