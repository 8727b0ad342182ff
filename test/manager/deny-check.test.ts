/**
 * The authorization interceptor's deny check is remembered per node ID (security-store.ts
 * cachedDenyCheck) instead of querying SQLite on every call. Proves, on a real store, that the
 * answer is remembered, that applying a node's removal makes its very next check refuse it (no
 * stale "allowed" after the removal is applied), and that a snapshot restore (a new connection)
 * forgets what was remembered.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StoreHarness } from '../network/store-harness.js';
import { cachedDenyCheck, denyListGeneration } from '../../src/manager/store/security-store.js';

const WORKER = 'worker00000000000000000001';

function joinWorker(h: StoreHarness): void {
  const { worker_token_hash: tokenHash } = h.db.prepare('SELECT worker_token_hash FROM cluster').get() as { worker_token_hash: string };
  h.applyOk({ op: 'node.join', at: 2, id: WORKER, hostname: 'w1', role: 'worker', addr: '127.0.0.2:4242', tokenHash });
}

test('the deny check is remembered until the deny list changes or the store is restored', () => {
  const h = StoreHarness.open();
  const other = StoreHarness.open();
  try {
    joinWorker(h);
    const isDenied = cachedDenyCheck(() => h.db);
    assert.equal(isDenied(WORKER), false);

    // A row written behind the check's back (not through denyNodeCertificates) is not seen: the
    // answer is remembered. (Every real write goes through denyNodeCertificates; this only proves the cache.)
    h.db.prepare('INSERT INTO denied_certs (node_id, denied_at, until) VALUES (?, 3, 4)').run(WORKER);
    assert.equal(isDenied(WORKER), false, 'remembered, not queried again');
    h.db.prepare('DELETE FROM denied_certs WHERE node_id = ?').run(WORKER);

    const generation = denyListGeneration(h.db);
    h.applyOk({ op: 'node.remove', at: 5, id: WORKER });
    assert.ok(denyListGeneration(h.db) > generation, 'the removal bumps the generation');
    assert.equal(isDenied(WORKER), true, 'refused on the first check after the removal applied');

    // A snapshot of a store where the worker was never removed, restored here (past the applied index).
    joinWorker(other);
    for (let i = 0; i < 3; i++) other.applyOk({ op: 'node.update', at: 6 + i, id: WORKER, version: 0, availability: 'active' });
    h.store.restore(other.store.snapshot());
    assert.equal(isDenied(WORKER), false, 'after a restore (a new connection) the restored state is asked');
  } finally {
    h.close();
    other.close();
  }
});
