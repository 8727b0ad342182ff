import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { attachmentsOfNetwork, attachmentsOfOwner, checkNetworks, containerById, reservationSweepGraceMs } from '../../src/manager/store/network-queries.js';
import { dueReservations, RESERVATION_TTL_MS } from '../../src/manager/store/reservations.js';
import { recallRequest, REQUEST_ID_WINDOW_MS } from '../../src/manager/store/request-ids.js';
import { StateStore } from '../../src/manager/store/state-store.js';
import { NODE_ID, StoreHarness } from '../network/store-harness.js';
import { nodeToProto } from '../../src/manager/node-view.js';
import type { NodeRecord } from '../../src/manager/store/queries.js';

const base = { nodeId: NODE_ID, command: 'sleep', args: [], env: [], labels: {} } as const;

function withNetwork(fn: (h: StoreHarness) => void, attachable = true): void {
  const h = StoreHarness.open();
  try {
    h.applyOk({ op: 'network.create', at: 2, id: 'net1', name: 'front', driver: 'overlay', subnet: '10.9.0.0/29', attachable, labels: {} });
    fn(h);
  } finally {
    h.close();
  }
}

const held = (h: StoreHarness): number => attachmentsOfNetwork(h.db, 'net1').length;

describe('a container created with its attachments is one command', () => {
  // Proves the container row and its addresses are made by ONE apply: both exist after it,
  // and a failing create (here: the network fills up on the second address) leaves neither.
  test('allocation and record in the same apply; all or nothing', () => {
    withNetwork((h) => {
      const r = h.applyOk({ op: 'container.create', at: 3, id: 'c1', name: 'web', ...base, attachmentIds: [], networks: [{ network: 'front' }] });
      assert.deepEqual(r, { id: 'c1' });
      assert.equal(attachmentsOfOwner(h.db, 'container', 'c1').length, 1);
      assert.equal(attachmentsOfOwner(h.db, 'container', 'c1')[0]!.expiresAt, 0, 'an owned address has no deadline');
      // A /29 with a gateway holds 5 addresses: 1 taken, fill 3 more, then ask for 2 at once.
      for (let i = 2; i <= 4; i++) h.applyOk({ op: 'container.create', at: 3 + i, id: `c${i}`, name: `c${i}`, ...base, attachmentIds: [], networks: [{ network: 'front' }] });
      h.applyOk({ op: 'network.create', at: 10, id: 'net2', name: 'back', driver: 'overlay', subnet: '10.9.1.0/24', attachable: true, labels: {} });
      assert.equal(held(h), 4);
      const refused = h.apply({ op: 'container.create', at: 11, id: 'c9', name: 'big', ...base, attachmentIds: [], networks: [{ network: 'back' }, { network: 'front', address: '10.9.0.2' }] });
      assert.equal(refused.ok, false);
      assert.equal(containerById(h.db, 'c9'), null, 'no container');
      assert.equal(attachmentsOfNetwork(h.db, 'net2').length, 0, 'and no address on the network that had room');
      const notAttachable = h.apply({ op: 'network.create', at: 12, id: 'net3', name: 'private', driver: 'overlay', attachable: false, labels: {} });
      assert.equal(notAttachable.ok, true);
      const r2 = h.apply({ op: 'container.create', at: 13, id: 'c10', name: 'x', ...base, attachmentIds: [], networks: [{ network: 'private' }] });
      assert.equal(r2.ok, false);
      assert.equal(!r2.ok && r2.error.message, 'network "private" is not attachable; create it with --attachable');
      assert.deepEqual(checkNetworks(h.db, undefined, 13).flatMap((c) => c.problems), []);
    });
  });
});

describe('reservations carry a deadline', () => {
  // Proves an address reserved for a container that does not exist yet gets a deadline from the
  // command's time, creating the container claims it, and attachment.expire frees only
  // reservations that are past their deadline and still unclaimed.
  test('reserve, claim, expire', () => {
    withNetwork((h) => {
      const a1 = h.applyOk({ op: 'attachment.attach', at: 1_000, network: 'front', ownerKind: 'container', ownerId: 'cA', nodeId: NODE_ID }) as { id: string };
      const a2 = h.applyOk({ op: 'attachment.attach', at: 2_000, network: 'front', ownerKind: 'container', ownerId: 'cB', nodeId: NODE_ID, reserveMs: 5_000 }) as { id: string };
      const byId = (id: string): number => attachmentsOfNetwork(h.db, 'net1').find((a) => a.id === id)!.expiresAt;
      assert.equal(byId(a1.id), 1_000 + RESERVATION_TTL_MS);
      assert.equal(byId(a2.id), 7_000);
      assert.deepEqual(dueReservations(h.db, 7_000).map((d) => d.id), [a2.id]);
      // cA is created in time: its reservation becomes an ordinary attachment.
      h.applyOk({ op: 'container.create', at: 3_000, id: 'cA', name: 'a', ...base, attachmentIds: [a1.id] });
      assert.equal(byId(a1.id), 0);
      // An expire sent early frees nothing; on time it frees cB's; the claimed one stays.
      assert.deepEqual(h.applyOk({ op: 'attachment.expire', at: 6_999, ids: [a1.id, a2.id] }), { freed: 0 });
      assert.deepEqual(h.applyOk({ op: 'attachment.expire', at: 7_000, ids: [a1.id, a2.id] }), { freed: 1 });
      assert.deepEqual(attachmentsOfNetwork(h.db, 'net1').map((a) => a.id), [a1.id]);
      assert.deepEqual(checkNetworks(h.db, undefined, 100_000).flatMap((c) => c.problems), []);
      // A repeated (stale) expire is harmless.
      assert.deepEqual(h.applyOk({ op: 'attachment.expire', at: 8_000, ids: [a2.id] }), { freed: 0 });
    });
  });

  // Proves `network check` reports an unclaimed reservation as a problem (naming its address)
  // once it is older than its deadline plus the sweep's grace — and only listed before that.
  test('network check fails on an unclaimed reservation past its bound', () => {
    withNetwork((h) => {
      h.applyOk({ op: 'attachment.attach', at: 1_000, network: 'front', ownerKind: 'container', ownerId: 'cZ', nodeId: NODE_ID });
      const deadline = 1_000 + RESERVATION_TTL_MS;
      const early = checkNetworks(h.db, undefined, deadline)[0]!;
      assert.deepEqual(early.problems, []);
      assert.match(early.unclaimed[0]!, /^10\.9\.0\.2 for container cZ on node \S+, reserved for 0 s more$/);
      const late = checkNetworks(h.db, undefined, deadline + reservationSweepGraceMs + 1_000)[0]!;
      assert.deepEqual(late.problems, [`address 10.9.0.2 reserved for container cZ on node ${NODE_ID} was never claimed: the reservation expired 11 s ago and was not freed`]);
    });
  });
});

describe('request IDs make writes idempotent', () => {
  // Proves a command repeated with the same request ID acts once and answers the first result,
  // even when the repeat carries a different fresh object ID (a retry through another leader).
  test('a repeat returns the original result and acts once', () => {
    withNetwork((h) => {
      const first = h.applyOk({ op: 'container.create', at: 3, requestId: 'r-1', id: 'c1', name: 'web', ...base, attachmentIds: [], networks: [{ network: 'front' }] });
      const again = h.applyOk({ op: 'container.create', at: 4, requestId: 'r-1', id: 'c2', name: 'web', ...base, attachmentIds: [], networks: [{ network: 'front' }] });
      assert.deepEqual(again, first);
      assert.equal(containerById(h.db, 'c2'), null);
      assert.equal(held(h), 1, 'one address, not two');
      // A remove repeated after it applied is not NOT_FOUND.
      assert.equal(h.applyOk({ op: 'container.remove', at: 5, requestId: 'r-2', id: 'c1' }), null);
      assert.equal(h.applyOk({ op: 'container.remove', at: 6, requestId: 'r-2', id: 'c1' }), null);
      // The same ID for another kind of write is a client bug.
      const misuse = h.apply({ op: 'network.remove', at: 7, requestId: 'r-2', id: 'net1' });
      assert.equal(!misuse.ok && misuse.error.code, 'INVALID_ARGUMENT');
      assert.match(!misuse.ok ? misuse.error.message : '', /was already used for a different write \(container\.remove\)/);
      assert.ok(containerById(h.db, 'c1') === null && held(h) === 0);
    });
  });

  // Proves a failed apply records nothing, so its retry runs again (it acted zero times).
  test('a failed write is not remembered', () => {
    withNetwork((h) => {
      const failed = h.apply({ op: 'container.remove', at: 3, requestId: 'r-9', id: 'nope' });
      assert.equal(!failed.ok && failed.error.code, 'NOT_FOUND');
      assert.equal(recallRequest(h.db, 'r-9'), null);
      h.applyOk({ op: 'container.create', at: 4, id: 'nope', name: 'n', ...base, attachmentIds: [] });
      assert.equal(h.applyOk({ op: 'container.remove', at: 5, requestId: 'r-9', id: 'nope' }), null);
    });
  });

  // Proves the window is bounded by the commands' time: an ID older than the window is forgotten.
  test('the window forgets old IDs', () => {
    withNetwork((h) => {
      h.applyOk({ op: 'network.update', at: 10, requestId: 'old', id: 'net1', version: 0, labelsAdd: { a: '1' }, labelsRemove: [] });
      assert.notEqual(recallRequest(h.db, 'old'), null);
      h.applyOk({ op: 'network.update', at: 10 + REQUEST_ID_WINDOW_MS + 1, requestId: 'new', id: 'net1', version: 0, labelsAdd: { b: '1' }, labelsRemove: [] });
      assert.equal(recallRequest(h.db, 'old'), null);
      assert.notEqual(recallRequest(h.db, 'new'), null);
    });
  });

  // Proves the remembered IDs travel in a snapshot (the snapshot is the state database): a
  // store restored from one still answers a repeat with the first result.
  test('IDs survive a snapshot', () => {
    withNetwork((h) => {
      const first = h.applyOk({ op: 'container.create', at: 3, requestId: 'snap-1', id: 'c1', name: 'web', ...base, attachmentIds: [], networks: [{ network: 'front' }] });
      const snap = h.store.snapshot();
      const dir = mkdtempSync(join(tmpdir(), 'shoal-snap-'));
      const other = StateStore.open(dir);
      try {
        other.restore(snap);
        const [o] = other.applyEntries(
          [{ term: 2, index: snap.meta.index + 1, kind: 'normal', data: new TextEncoder().encode(JSON.stringify({ op: 'container.create', at: 9, requestId: 'snap-1', id: 'c7', name: 'web', ...base, attachmentIds: [], networks: [{ network: 'front' }] })) }],
          null,
        );
        assert.deepEqual(o, { ok: true, value: first });
        assert.equal(attachmentsOfNetwork(other.db, 'net1').length, 1);
      } finally {
        other.close();
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});

// Proves a schema-4 database (attachments without deadlines) is migrated: an unclaimed container
// attachment gets created_at + TTL as its deadline, an owned one none; request_ids appears.
test('migration from schema 4 gives old reservations a deadline', () => {
  const h = StoreHarness.open();
  const dir = mkdtempSync(join(tmpdir(), 'shoal-mig-'));
  try {
    h.applyOk({ op: 'network.create', at: 2, id: 'net1', name: 'front', driver: 'overlay', attachable: true, labels: {} });
    h.applyOk({ op: 'attachment.attach', at: 500, network: 'front', ownerKind: 'container', ownerId: 'orphan', nodeId: NODE_ID });
    h.applyOk({ op: 'container.create', at: 600, id: 'own', name: 'own', ...base, attachmentIds: [], networks: [{ network: 'front' }] });
    h.store.close();
    const file = join(dir, 'state.db');
    copyFileSync(join(h.dir, 'state.db'), file);
    // Turn it back into a schema-4 database: no expires_at column, no request_ids table.
    const old = new Database(file);
    old.exec('DROP INDEX attachments_reserved; ALTER TABLE attachments DROP COLUMN expires_at; DROP TABLE request_ids');
    old.prepare('UPDATE app_schema SET version = 4').run();
    old.close();
    const migrated = StateStore.open(dir);
    try {
      const rows = attachmentsOfNetwork(migrated.db, 'net1');
      assert.deepEqual(rows.map((a) => [a.ownerId, a.expiresAt]).sort(), [['orphan', 500 + RESERVATION_TTL_MS], ['own', 0]]);
      assert.equal(recallRequest(migrated.db, 'x'), null);
    } finally {
      migrated.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(h.dir, { recursive: true, force: true });
  }
});

// Proves a learner is shown as catching up (Node.catching_up, MANAGER STATUS "catching up"), a voter not.
test('a learner is shown as catching up', () => {
  const rec = { id: 'n2', raftId: 2, hostname: 'm2', role: 'manager', availability: 'active', addr: 'a', reachable: true, status: 'unknown', statusMessage: '', labels: {}, createdAt: 0, updatedAt: 0, version: 1, platform: { os: '', arch: '' }, resources: { nanoCpus: 0, memoryBytes: 0 } } as unknown as NodeRecord;
  assert.equal(nodeToProto(rec, { leaderRaftId: 1, learners: [2] }).catchingUp, true);
  assert.equal(nodeToProto(rec, { leaderRaftId: 1, learners: [] }).catchingUp, false);
});
