// Proves that reading one node by its ID (what a Watch stream's node events use) returns exactly the
// record the full node list holds for it, after a join and a status change, and null for an unknown
// or removed ID; and that SQLite reads that one row through the primary key instead of scanning the
// nodes. Real store, replicated apply code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { listNodes, nodeById } from '../../src/manager/store/queries.js';
import { StoreHarness, NODE_ID } from '../network/store-harness.js';

const WORKER_ID = 'node000000000000000000002';

test('nodeById returns the listed record, or null', () => {
  const h = StoreHarness.open();
  try {
    const hash = (h.db.prepare('SELECT worker_token_hash AS w FROM cluster').get() as { w: string }).w;
    h.applyOk({ op: 'node.join', at: 2, id: WORKER_ID, hostname: 'w1', role: 'worker', addr: '127.0.0.1:2', tokenHash: hash });
    h.applyOk({ op: 'node.status', at: 3, updates: [{ id: WORKER_ID, status: 'down', message: 'gone' }] });
    for (const listed of listNodes(h.db)) assert.deepEqual(nodeById(h.db, listed.id), listed, listed.hostname);
    assert.equal(nodeById(h.db, WORKER_ID)?.status, 'down');
    assert.equal(nodeById(h.db, NODE_ID)?.hostname, 'm1');
    assert.equal(nodeById(h.db, 'node999999999999999999999'), null);

    const plan = (h.db.prepare('EXPLAIN QUERY PLAN SELECT id FROM nodes WHERE id = ?').all('x') as { detail: string }[]).map((r) => r.detail).join('; ');
    assert.match(plan, /SEARCH nodes USING/, `a node by ID must be a keyed search, not a scan: ${plan}`);
  } finally {
    h.close();
  }
});
