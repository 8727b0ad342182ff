// Proves the VIP invariants in the replicated store, command by command on a real state
// database: a vip-mode service holds exactly one VIP per network, drawn from the same IPAM as
// task and container addresses (never equal to one, refused by the table's constraint even when
// written by hand), freed on `service rm`, moved with network add/remove and endpoint-mode
// changes, kept across a restart and a snapshot restore, and a schema-4 database migrates
// with its rows intact. Also: network aliases are validated and stored.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { StoreHarness, NODE_ID } from './store-harness.js';
import { StateStore } from '../../src/manager/store/state-store.js';
import type { ServiceSpecRecord } from '../../src/manager/store/service-commands.js';
import { attachmentsOfNetwork, checkNetworks, networkById } from '../../src/manager/store/network-queries.js';
import { vipsOfService } from '../../src/manager/store/vip-apply.js';
import { containerAliases } from '../../src/manager/store/alias-queries.js';
import { formatIpv4 } from '../../src/network/cidr.js';

const SVC = 'svc00000000000000000000001';
const SVC2 = 'svc00000000000000000000002';
const FRONT = 'net0000000000000000000000f';
const BACK = 'net0000000000000000000000b';

const spec = (networks: string[], extra: Partial<ServiceSpecRecord> = {}): ServiceSpecRecord => ({
  name: 'web',
  labels: {},
  mode: 'replicated',
  replicas: 3,
  template: { command: 'sleep', args: [], env: [], reservations: { nanoCpus: 0, memoryBytes: 0 }, restartPolicy: { condition: 'any', delayMs: 0, maxAttempts: 0, windowMs: 0 } },
  networks,
  placement: { constraints: [], preferences: [], maxReplicasPerNode: 0 },
  updateConfig: { parallelism: 1, delayMs: 0, order: 'stop-first', failureAction: 'pause', monitorMs: 0 },
  stack: '',
  ...extra,
});

let seed = 0;
const nextSeed = (): string => `seed-${String(++seed).padStart(16, '0')}`;

function setup(): StoreHarness {
  const h = StoreHarness.open();
  h.applyOk({ op: 'network.create', at: 2, id: FRONT, name: 'front', driver: 'overlay', subnet: '10.9.0.0/24', attachable: true, labels: {} });
  h.applyOk({ op: 'network.create', at: 3, id: BACK, name: 'back', driver: 'overlay', subnet: '10.9.1.0/24', attachable: true, labels: {} });
  return h;
}

/** VIPs of a service as { network ID: "a.b.c.d/nn" }. */
function vips(h: StoreHarness, id = SVC): Record<string, string> {
  return Object.fromEntries(vipsOfService(h.db, id).map((a) => [a.networkId, a.address]));
}

function assertConsistent(h: StoreHarness): void {
  for (const c of checkNetworks(h.db)) assert.deepEqual(c.problems, [], `network ${c.name}`);
  // No address twice on a network, VIPs included.
  for (const n of [FRONT, BACK]) {
    const addresses = attachmentsOfNetwork(h.db, n).map((a) => a.address);
    assert.equal(new Set(addresses).size, addresses.length);
  }
}

function version(h: StoreHarness, id = SVC): number {
  const r = h.db.prepare('SELECT version FROM services WHERE id = ?').get(id) as { version: number };
  return r.version;
}

describe('service VIPs in the store', () => {
  test('a vip-mode service gets one VIP per network, apart from every task address; dnsrr gets none', () => {
    const h = setup();
    try {
      h.applyOk({ op: 'service.create', at: 10, id: SVC, taskIdSeed: nextSeed(), spec: spec([FRONT, BACK]) });
      const v = vips(h);
      assert.deepEqual(Object.keys(v).sort(), [BACK, FRONT].sort());
      assert.match(v[FRONT] ?? '', /^10\.9\.0\.\d+\/24$/);
      assert.match(v[BACK] ?? '', /^10\.9\.1\.\d+\/24$/);
      const front = attachmentsOfNetwork(h.db, FRONT);
      assert.equal(front.filter((a) => a.ownerKind === 'vip').length, 1);
      assert.equal(front.filter((a) => a.ownerKind === 'task').length, 3);
      assert.equal(networkById(h.db, FRONT)?.allocHeld, 4, 'the VIP is held in the allocator like any address');
      assertConsistent(h);

      h.applyOk({ op: 'service.create', at: 11, id: SVC2, taskIdSeed: nextSeed(), spec: spec([FRONT], { name: 'api', endpointMode: 'dnsrr' }) });
      assert.deepEqual(vips(h, SVC2), {});
      assertConsistent(h);
    } finally {
      h.close();
    }
  });

  test('the table refuses a second holder of a VIP address, whoever asks', () => {
    const h = setup();
    try {
      h.applyOk({ op: 'service.create', at: 10, id: SVC, taskIdSeed: nextSeed(), spec: spec([FRONT]) });
      const vip = vipsOfService(h.db, SVC)[0];
      assert.ok(vip);
      // Through the API path: a container asking for the VIP's address is told who holds it.
      const r = h.apply({ op: 'attachment.attach', at: 11, network: 'front', ownerKind: 'container', ownerId: 'c1', nodeId: NODE_ID, address: formatIpv4(vip.ip) });
      assert.equal(r.ok, false);
      if (!r.ok) {
        assert.equal(r.error.code, 'ALREADY_EXISTS');
        assert.match(r.error.message, new RegExp(`already taken by the VIP of service web \\(${SVC}\\)`));
      }
      // Written by hand, past the allocator: the UNIQUE constraint still refuses it.
      assert.throws(
        () => h.db.prepare("INSERT INTO attachments (id, network_id, address, owner_kind, owner_id, node_id, created_at, version) VALUES ('x', ?, ?, 'task', 't', '', 0, 0)").run(FRONT, vip.ip),
        /UNIQUE constraint failed: attachments.network_id, attachments.address/,
      );
      assert.throws(
        () => h.db.prepare("INSERT INTO attachments (id, network_id, address, owner_kind, owner_id, node_id, created_at, version) VALUES ('y', ?, 1, 'bogus', 't', '', 0, 0)").run(FRONT),
        /CHECK constraint failed/,
      );
    } finally {
      h.close();
    }
  });

  test('network add/remove and endpoint-mode changes move VIPs; a VIP on a network that stays is kept', () => {
    const h = setup();
    try {
      h.applyOk({ op: 'service.create', at: 10, id: SVC, taskIdSeed: nextSeed(), spec: spec([FRONT]) });
      const first = vips(h)[FRONT];
      h.applyOk({ op: 'service.update', at: 11, id: SVC, version: version(h), taskIdSeed: nextSeed(), spec: spec([FRONT, BACK]) });
      assert.equal(vips(h)[FRONT], first, 'kept on the network that stays');
      assert.ok(vips(h)[BACK]);
      h.applyOk({ op: 'service.update', at: 12, id: SVC, version: version(h), taskIdSeed: nextSeed(), spec: spec([BACK]) });
      assert.deepEqual(Object.keys(vips(h)), [BACK]);
      assert.equal(attachmentsOfNetwork(h.db, FRONT).filter((a) => a.ownerKind === 'vip').length, 0, 'freed on the network left');
      h.applyOk({ op: 'service.update', at: 13, id: SVC, version: version(h), taskIdSeed: nextSeed(), spec: spec([BACK], { endpointMode: 'dnsrr' }) });
      assert.deepEqual(vips(h), {});
      h.applyOk({ op: 'service.update', at: 14, id: SVC, version: version(h), taskIdSeed: nextSeed(), spec: spec([BACK]) });
      assert.deepEqual(Object.keys(vips(h)), [BACK]);
      // Rollback goes back to the previous spec (dnsrr): the VIP goes with it.
      const prev = h.db.prepare('SELECT previous_spec FROM services WHERE id = ?').get(SVC) as { previous_spec: string };
      h.applyOk({ op: 'service.update', at: 15, id: SVC, version: version(h), taskIdSeed: nextSeed(), spec: JSON.parse(prev.previous_spec) as ServiceSpecRecord, rollback: 'test' });
      assert.deepEqual(vips(h), {});
      // Scaling keeps the endpoint mode.
      h.applyOk({ op: 'service.update', at: 16, id: SVC, version: version(h), taskIdSeed: nextSeed(), spec: spec([BACK]) });
      h.applyOk({ op: 'service.scale', at: 17, id: SVC, version: 0, taskIdSeed: nextSeed(), replicas: 5 });
      assert.deepEqual(Object.keys(vips(h)), [BACK]);
      assertConsistent(h);
    } finally {
      h.close();
    }
  });

  test('service rm frees its VIPs (and the network can then be removed)', () => {
    const h = setup();
    try {
      h.applyOk({ op: 'service.create', at: 10, id: SVC, taskIdSeed: nextSeed(), spec: spec([FRONT, BACK]) });
      h.applyOk({ op: 'service.remove', at: 11, id: SVC });
      assert.deepEqual(vips(h), {});
      assert.equal(networkById(h.db, FRONT)?.allocHeld, 0);
      assertConsistent(h);
      h.applyOk({ op: 'network.remove', at: 12, id: FRONT });
    } finally {
      h.close();
    }
  });

  test('VIPs and aliases survive a restart and a snapshot restore', () => {
    const h = setup();
    const other = StoreHarness.open();
    try {
      h.applyOk({ op: 'service.create', at: 10, id: SVC, taskIdSeed: nextSeed(), spec: spec([FRONT, BACK], { aliases: ['www'] }) });
      h.applyOk({ op: 'attachment.attach', at: 11, network: 'front', ownerKind: 'container', ownerId: 'c1', nodeId: NODE_ID });
      h.applyOk({ op: 'container.create', at: 12, id: 'c1', name: 'cache', nodeId: NODE_ID, command: 'sleep', args: [], env: [], labels: {}, attachmentIds: [attachmentsOfNetwork(h.db, FRONT).find((a) => a.ownerKind === 'container')?.id ?? ''], aliases: ['redis'] });
      const before = vips(h);
      const snap = h.store.snapshot();
      h.store.close();
      const reopened = StateStore.open(h.dir);
      try {
        assert.deepEqual(Object.fromEntries(vipsOfService(reopened.db, SVC).map((a) => [a.networkId, a.address])), before);
        assert.deepEqual(containerAliases(reopened.db, 'c1'), ['redis']);
      } finally {
        reopened.close();
      }
      other.store.restore(snap);
      assert.deepEqual(vips(other), before);
      assert.deepEqual(containerAliases(other.db, 'c1'), ['redis']);
      for (const c of checkNetworks(other.db)) assert.deepEqual(c.problems, []);
    } finally {
      rmSync(h.dir, { recursive: true, force: true });
      other.close();
    }
  });

  test('a schema-4 database (attachments without VIPs, containers without aliases) migrates with its rows intact', () => {
    const h = setup();
    try {
      h.applyOk({ op: 'service.create', at: 10, id: SVC, taskIdSeed: nextSeed(), spec: spec([FRONT], { endpointMode: 'dnsrr' }) });
      // Read with today's queries before the table takes its schema-4 shape (which they cannot read).
      const rows = attachmentsOfNetwork(h.db, FRONT);
      // Make it what a schema-4 build wrote: the old CHECK, no aliases column, version 4.
      h.db.exec(`
        CREATE TABLE attachments_old (id TEXT PRIMARY KEY, network_id TEXT NOT NULL REFERENCES networks(id),
          address INTEGER NOT NULL CHECK (address BETWEEN 0 AND 4294967295),
          owner_kind TEXT NOT NULL CHECK (owner_kind IN ('task', 'container')), owner_id TEXT NOT NULL, node_id TEXT NOT NULL,
          created_at INTEGER NOT NULL, version INTEGER NOT NULL, UNIQUE (network_id, address), UNIQUE (owner_kind, owner_id, network_id));
        INSERT INTO attachments_old SELECT id, network_id, address, owner_kind, owner_id, node_id, created_at, version FROM attachments;
        DROP TABLE attachments;
        ALTER TABLE attachments_old RENAME TO attachments;
        CREATE INDEX attachments_by_node ON attachments (node_id);
        ALTER TABLE containers DROP COLUMN aliases;
        UPDATE app_schema SET version = 4 WHERE id = 1;
      `);
      h.store.close();
      const again = StateStore.open(h.dir);
      try {
        assert.deepEqual(attachmentsOfNetwork(again.db, FRONT), rows);
        const sql = (again.db.prepare("SELECT sql FROM sqlite_master WHERE name = 'attachments'").get() as { sql: string }).sql;
        assert.match(sql, /'vip'/);
        assert.ok(again.db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'attachments_by_node'").get());
        assert.deepEqual(containerAliases(again.db, 'nobody'), []);
      } finally {
        again.close();
      }
    } finally {
      rmSync(h.dir, { recursive: true, force: true });
    }
  });

  test('aliases are validated: bad names, tasks.*, duplicates and too many are refused by name', () => {
    const h = setup();
    try {
      const bad = (aliases: string[]): string => {
        const r = h.apply({ op: 'service.create', at: 10, id: SVC, taskIdSeed: nextSeed(), spec: spec([FRONT], { aliases }) });
        assert.equal(r.ok, false);
        return r.ok ? '' : `${r.error.code}: ${r.error.message}`;
      };
      assert.equal(bad(['ok', 'bad name']), `INVALID_ARGUMENT: networkAliases: "bad name" is not a DNS name: use dot-separated labels of 1-63 letters, digits, '-' or '_'`);
      assert.equal(bad(['tasks.web']), 'INVALID_ARGUMENT: networkAliases: "tasks.web" may not start with "tasks." (reserved for the task lists of services)');
      assert.equal(bad(['a', 'A']), 'INVALID_ARGUMENT: networkAliases: "A" is listed twice');
      assert.equal(bad(Array.from({ length: 33 }, (_, i) => `a${i}`)), 'INVALID_ARGUMENT: networkAliases: at most 32 aliases, got 33');
      assert.equal(bad(['-x']), `INVALID_ARGUMENT: networkAliases: "-x" is not a DNS name: use dot-separated labels of 1-63 letters, digits, '-' or '_'`);
      const r = h.apply({ op: 'container.create', at: 12, id: 'c1', name: 'cache', nodeId: NODE_ID, command: 'sleep', args: [], env: [], labels: {}, attachmentIds: [], aliases: ['x..y'] });
      assert.equal(r.ok, false);
      assert.match(r.ok ? '' : r.error.message, /^network_aliases: "x\.\.y" is not a DNS name/);
    } finally {
      h.close();
    }
  });
});
