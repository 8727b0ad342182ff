// Proves the store's hand-over of `stack deploy --adopt`, command by command on a real state
// database: a `service.create` with adoptContainer gives the slot-1 task the container's very
// attachment rows (same row IDs, same addresses: moved, never freed and re-taken), removes the
// container and frees its address on a network the service is not on; other replicas get new
// addresses; UNIQUE (network_id, address) still refuses a second holder; a move is refused, with
// nothing written, when the container is gone, when it no longer holds an address the service
// could take (someone else holds it now), when they share no network, or when the container's
// node is down, unknown, drained or paused; and a replay of the same request changes nothing.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { StoreHarness, NODE_ID } from './store-harness.js';
import type { ServiceSpecRecord } from '../../src/manager/store/service-commands.js';
import { attachmentsOfNetwork, attachmentsOfOwner, checkNetworks, containerById } from '../../src/manager/store/network-queries.js';
import { listServices, tasksOfService } from '../../src/manager/store/service-queries.js';
import { formatIpv4 } from '../../src/network/cidr.js';

const SVC = 'svc00000000000000000000001';
const FRONT = 'net0000000000000000000000f';
const BACK = 'net0000000000000000000000b';
const OTHER = 'net0000000000000000000000o';

const spec = (networks: string[], replicas = 3): ServiceSpecRecord => ({
  name: 'app_web',
  labels: {},
  mode: 'replicated',
  replicas,
  template: { command: 'sleep', args: [], env: [], reservations: { nanoCpus: 0, memoryBytes: 0 }, restartPolicy: { condition: 'any', delayMs: 0, maxAttempts: 0, windowMs: 0 } },
  networks,
  placement: { constraints: [], preferences: [], maxReplicasPerNode: 0 },
  updateConfig: { parallelism: 1, delayMs: 0, order: 'stop-first', failureAction: 'pause', monitorMs: 0 },
  stack: 'app',
  aliases: ['web'],
});

function setup(): StoreHarness {
  const h = StoreHarness.open();
  // The container's node, as its agent's session made it (the move needs it ready and active).
  h.db.prepare("UPDATE nodes SET status = 'ready', availability = 'active' WHERE id = ?").run(NODE_ID);
  h.applyOk({ op: 'network.create', at: 2, id: FRONT, name: 'front', driver: 'overlay', subnet: '10.9.0.0/24', attachable: true, labels: {} });
  h.applyOk({ op: 'network.create', at: 3, id: BACK, name: 'back', driver: 'overlay', subnet: '10.9.1.0/24', attachable: true, labels: {} });
  h.applyOk({ op: 'network.create', at: 4, id: OTHER, name: 'other', driver: 'overlay', subnet: '10.9.2.0/24', attachable: true, labels: {} });
  return h;
}

function runContainer(h: StoreHarness, id: string, name: string, networks: { network: string; address?: string }[]): void {
  h.applyOk({ op: 'container.create', at: 5, id, name, nodeId: NODE_ID, command: 'node', args: [], env: [], labels: {}, attachmentIds: [], networks });
}

function assertConsistent(h: StoreHarness): void {
  for (const c of checkNetworks(h.db)) assert.deepEqual(c.problems, [], `network ${c.name}`);
  for (const n of [FRONT, BACK, OTHER]) {
    const addresses = attachmentsOfNetwork(h.db, n).map((a) => a.address);
    assert.equal(new Set(addresses).size, addresses.length, `an address held twice on ${n}`);
  }
}

/** Every replicated row the move touches, to compare before and after a refused or replayed command. */
function snapshot(h: StoreHarness): string {
  const rows = (sql: string): unknown[] => h.db.prepare(sql).all();
  return JSON.stringify([rows('SELECT * FROM attachments ORDER BY id'), rows('SELECT id, name FROM containers ORDER BY id'), rows('SELECT id, version FROM services ORDER BY id'), rows('SELECT id, slot FROM tasks ORDER BY id')]);
}

describe('the adopt hand-over in the store', () => {
  test('the slot-1 task takes the container rows on shared networks; the container goes; others get new addresses', () => {
    const h = setup();
    try {
      runContainer(h, 'c1', 'web', [{ network: 'front', address: '10.9.0.50' }, { network: 'back', address: '10.9.1.60' }, { network: 'other' }]);
      const before = attachmentsOfOwner(h.db, 'container', 'c1');
      const heldOther = attachmentsOfNetwork(h.db, OTHER).length;
      h.applyOk({ op: 'service.create', at: 10, id: SVC, taskIdSeed: 'seed-0000000000000001', spec: spec([FRONT, BACK]), adoptContainer: 'web', requestId: 'deploy-1' });

      assert.equal(containerById(h.db, 'c1'), null, 'the container is removed in the same command');
      const tasks = tasksOfService(h.db, SVC);
      const first = tasks.find((t) => t.slot === 1);
      assert.ok(first);
      const moved = attachmentsOfOwner(h.db, 'task', first.id);
      const byNet = new Map(moved.map((a) => [a.networkId, a]));
      for (const old of before.filter((a) => a.networkId !== OTHER)) {
        const now = byNet.get(old.networkId);
        assert.equal(now?.id, old.id, 'the same row, re-owned');
        assert.equal(now?.address, old.address);
      }
      assert.equal(formatIpv4(byNet.get(FRONT)?.address ?? 0), '10.9.0.50');
      assert.equal(formatIpv4(byNet.get(BACK)?.address ?? 0), '10.9.1.60');
      assert.equal(attachmentsOfNetwork(h.db, OTHER).length, heldOther - 1, 'the address on a network the service is not on is freed');
      for (const t of tasks.filter((t) => t.slot !== 1)) {
        for (const a of attachmentsOfOwner(h.db, 'task', t.id)) assert.ok(!['10.9.0.50', '10.9.1.60'].includes(formatIpv4(a.address)), 'other replicas get new addresses');
      }
      assertConsistent(h);

      // UNIQUE still holds: another task cannot be given the moved address, even by hand.
      const second = tasks.find((t) => t.slot === 2);
      assert.ok(second);
      const secondFront = attachmentsOfOwner(h.db, 'task', second.id).find((a) => a.networkId === FRONT);
      assert.throws(() => h.db.prepare('UPDATE attachments SET address = ? WHERE id = ?').run(byNet.get(FRONT)?.address, secondFront?.id), /UNIQUE/);

      // Replaying the request (same request ID) changes nothing.
      const after = snapshot(h);
      h.applyOk({ op: 'service.create', at: 11, id: 'svc00000000000000000000009', taskIdSeed: 'seed-0000000000000002', spec: spec([FRONT, BACK]), adoptContainer: 'web', requestId: 'deploy-1' });
      assert.equal(snapshot(h), after);
    } finally {
      h.close();
    }
  });

  // Proves the pin and its precondition: the slot-1 task is placed on the container's node (whose
  // data plane orders the two endpoints) when that node is ready and active; a container on a node
  // that is down, not yet heard from, drained or paused cannot be moved in order (its agent cannot
  // stop it, or the node takes no task), so the move is refused with FAILED_PRECONDITION naming
  // the node and what to do, nothing written, the container left as it was.
  test('the adopting task is pinned to the container node; a node down, unknown, drained or paused refuses the move', () => {
    const cases = [
      ['ready', 'active', null],
      ['down', 'active', /runs on node \S+ \(\w+\), which is down: its agent cannot stop the container.*Bring the node back.*shoal container rm web/],
      ['unknown', 'active', /whose status is unknown: its agent has not been heard from.*once the node is ready/],
      ['ready', 'drain', /which is drained: the adopting task must start on the container's node.*--availability active/],
      ['ready', 'pause', /which is paused/],
    ] as const;
    for (const [status, availability, refused] of cases) {
      const h = setup();
      try {
        h.db.prepare('UPDATE nodes SET status = ?, availability = ? WHERE id = ?').run(status, availability, NODE_ID);
        runContainer(h, 'c1', 'web', [{ network: 'front', address: '10.9.0.50' }]);
        const before = snapshot(h);
        const r = h.apply({ op: 'service.create', at: 10, id: SVC, taskIdSeed: 'seed-0000000000000001', spec: spec([FRONT]), adoptContainer: 'web' });
        if (refused) {
          assert.equal(r.ok ? '' : r.error.code, 'FAILED_PRECONDITION', `node ${status}/${availability}`);
          assert.match(r.ok ? '' : r.error.message, refused);
          assert.match(r.ok ? '' : r.error.message, /nothing was created/);
          assert.equal(snapshot(h), before, 'nothing written');
          assert.ok(containerById(h.db, 'c1'), 'the container is left as it was');
          assert.equal(formatIpv4(attachmentsOfOwner(h.db, 'container', 'c1')[0]?.address ?? 0), '10.9.0.50', 'with its address');
          assertConsistent(h);
          continue;
        }
        assert.equal(r.ok, true);
        const first = tasksOfService(h.db, SVC).find((t) => t.slot === 1)!;
        assert.equal(first.nodeId, NODE_ID, 'pinned');
        assert.equal(first.status.state, 'pending');
        assert.equal(attachmentsOfOwner(h.db, 'task', first.id)[0]?.nodeId, NODE_ID);
        assert.ok(tasksOfService(h.db, SVC).filter((t) => t.slot !== 1).every((t) => t.nodeId === ''), 'the other replicas are not pinned');
        assertConsistent(h);
      } finally {
        h.close();
      }
    }
  });

  test('refused, with nothing written, when the container is gone, its address is held by someone else, or no network is shared', () => {
    const h = setup();
    try {
      // Gone.
      let before = snapshot(h);
      let r = h.apply({ op: 'service.create', at: 10, id: SVC, taskIdSeed: 'seed-0000000000000001', spec: spec([FRONT]), adoptContainer: 'web' });
      assert.equal(r.ok, false);
      assert.equal(r.ok ? '' : r.error.code, 'NOT_FOUND');
      assert.match(r.ok ? '' : r.error.message, /container "web" not found/);
      assert.equal(snapshot(h), before);

      // Its address was detached and another container holds it now: nothing on `front` to hand over.
      runContainer(h, 'c1', 'web', [{ network: 'front', address: '10.9.0.50' }]);
      const [a] = attachmentsOfOwner(h.db, 'container', 'c1');
      h.applyOk({ op: 'attachment.detach', at: 6, id: a?.id ?? '' });
      runContainer(h, 'c2', 'intruder', [{ network: 'front', address: '10.9.0.50' }]);
      before = snapshot(h);
      r = h.apply({ op: 'service.create', at: 10, id: SVC, taskIdSeed: 'seed-0000000000000001', spec: spec([FRONT]), adoptContainer: 'web' });
      assert.equal(r.ok ? '' : r.error.code, 'FAILED_PRECONDITION');
      assert.match(r.ok ? '' : r.error.message, /container web shares no network with service app_web/);
      assert.equal(snapshot(h), before);
      assert.equal(attachmentsOfOwner(h.db, 'container', 'c2')[0]?.address, a?.address, 'the other holder keeps it');

      // No shared network.
      runContainer(h, 'c3', 'api', [{ network: 'back' }]);
      before = snapshot(h);
      r = h.apply({ op: 'service.create', at: 10, id: SVC, taskIdSeed: 'seed-0000000000000001', spec: spec([FRONT]), adoptContainer: 'api' });
      assert.equal(r.ok ? '' : r.error.code, 'FAILED_PRECONDITION');
      assert.equal(snapshot(h), before);
      assert.ok(containerById(h.db, 'c3'), 'the container is left as it was');
      assert.deepEqual(listServices(h.db), []);
      assertConsistent(h);
    } finally {
      h.close();
    }
  });
});
