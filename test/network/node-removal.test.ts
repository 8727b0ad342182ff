import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clusterTokenDigest, hashJoinToken, deriveJoinToken } from '../../src/manager/tokens.js';
import { attachmentsOfNetwork, checkNetworks } from '../../src/manager/store/network-queries.js';
import { StoreHarness } from './store-harness.js';

// Proves that removing a node frees the addresses of its standalone containers (and
// removes the containers), while other nodes' endpoints keep theirs.
test('node removal frees the addresses of its standalone containers', () => {
  const h = StoreHarness.open();
  try {
    const workerToken = deriveJoinToken(clusterTokenDigest('cluster0000000000000000001'), 'k'.repeat(64), 'worker', 1);
    const joined = h.applyOk({ op: 'node.join', at: 2, id: 'worker00000000000000000001', hostname: 'w1', role: 'worker', addr: '127.0.0.1:2', tokenHash: hashJoinToken(workerToken) });
    assert.deepEqual(joined, { raftId: 2 });
    h.applyOk({ op: 'network.create', at: 3, id: 'net1', name: 'front', driver: 'overlay', attachable: true, labels: {} });
    const onWorker = h.applyOk({ op: 'attachment.attach', at: 4, network: 'front', ownerKind: 'container', ownerId: 'c-w', nodeId: 'worker00000000000000000001' }) as { id: string };
    h.applyOk({ op: 'container.create', at: 5, id: 'c-w', name: 'web', nodeId: 'worker00000000000000000001', command: 'sleep', args: [], env: [], labels: {}, attachmentIds: [onWorker.id] });
    h.applyOk({ op: 'attachment.attach', at: 6, network: 'front', ownerKind: 'container', ownerId: 'c-m', nodeId: 'node000000000000000000001' });
    assert.equal(attachmentsOfNetwork(h.db, 'net1').length, 2);
    h.applyOk({ op: 'node.remove', at: 7, id: 'worker00000000000000000001' });
    const left = attachmentsOfNetwork(h.db, 'net1');
    assert.deepEqual(left.map((a) => a.ownerId), ['c-m']);
    assert.equal((h.db.prepare('SELECT COUNT(*) AS n FROM containers').get() as { n: number }).n, 0);
    assert.deepEqual(checkNetworks(h.db).flatMap((c) => c.problems), []);
  } finally {
    h.close();
  }
});
