import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { AddressAllocator } from '../../src/network/address-allocator.js';
import { formatIpv4, parseCidr, parseIpv4 } from '../../src/network/cidr.js';
import { allocateTaskAttachments, networkInUseBy, releaseNodeContainers, releaseOwnerAttachments } from '../../src/manager/store/attachments.js';
import type { Attachment } from '../../src/manager/store/network-queries.js';
import { attachmentsOfNetwork, checkNetworks, listNetworks, resolveNetwork } from '../../src/manager/store/network-queries.js';
import type { NetworkCommand } from '../../src/manager/store/network-commands.js';
import { NODE_ID, StoreHarness } from './store-harness.js';

function create(h: StoreHarness, id: string, name: string, extra: Partial<Extract<NetworkCommand, { op: 'network.create' }>> = {}): ReturnType<StoreHarness['apply']> {
  return h.apply({ op: 'network.create', at: 10, id, name, driver: 'overlay', attachable: true, labels: {}, ...extra });
}

function attach(h: StoreHarness, network: string, ownerId: string, address?: string): ReturnType<StoreHarness['apply']> {
  return h.apply({ op: 'attachment.attach', at: 20, network, ownerKind: 'container', ownerId, nodeId: NODE_ID, ...(address ? { address } : {}) });
}

function ip(a: unknown): string {
  return (a as Attachment).address;
}

describe('network store commands', () => {
  // Proves default-pool subnets and VXLAN IDs are handed out in order, from 10.0.0.0/24 and 4096.
  test('network.create draws subnets from the default pool and VXLAN IDs from 4096', () => {
    const h = StoreHarness.open();
    try {
      create(h, 'n1', 'front');
      create(h, 'n2', 'back');
      const [back, front] = listNetworks(h.db);
      assert.equal(formatIpv4(front!.subnet.base) + '/' + front!.subnet.prefix, '10.0.0.0/24');
      assert.equal(formatIpv4(front!.gateway), '10.0.0.1');
      assert.equal(front!.vxlanId, 4096);
      assert.equal(formatIpv4(back!.subnet.base), '10.0.1.0');
      assert.equal(back!.vxlanId, 4097);
      const dup = create(h, 'n3', 'front');
      assert.equal(dup.ok, false);
      if (!dup.ok) assert.equal(dup.error.code, 'ALREADY_EXISTS');
    } finally {
      h.close();
    }
  });

  // Proves requested addressing is validated with the pure module's exact texts.
  test('network.create rejects overlapping or malformed addressing with exact messages', () => {
    const h = StoreHarness.open();
    try {
      assert.equal(create(h, 'b', 'backend', { subnet: '10.1.2.0/24' }).ok, true);
      const cases: [Partial<Extract<NetworkCommand, { op: 'network.create' }>>, string][] = [
        [{ subnet: '10.1.0.0/16' }, 'subnet 10.1.0.0/16 overlaps network "backend" (10.1.2.0/24)'],
        [{ subnet: '10.2.0.0/24', gateway: '10.3.0.1' }, 'gateway 10.3.0.1 is not inside subnet 10.2.0.0/24'],
        [{ subnet: '10.2.0.0/24', ipRange: '10.2.1.0/25' }, 'ip-range 10.2.1.0/25 is not inside subnet 10.2.0.0/24'],
        [{ subnet: '10.2.0.1/24' }, '"10.2.0.1/24" is not a valid CIDR: host bits are set (the network is 10.2.0.0/24)'],
        [{ gateway: '10.0.0.1' }, '--gateway requires --subnet'],
      ];
      for (const [extra, message] of cases) {
        const r = create(h, 'x', 'x', extra);
        assert.equal(r.ok, false);
        if (!r.ok) assert.deepEqual({ code: r.error.code, message: r.error.message }, { code: 'INVALID_ARGUMENT', message });
      }
    } finally {
      h.close();
    }
  });

  // Proves the attach error codes and texts: not attachable, taken address, full network, stale update, in-use removal.
  test('attach/update/remove errors name the network, the holder and the users', () => {
    const h = StoreHarness.open();
    try {
      create(h, 'p', 'private', { attachable: false });
      create(h, 't', 'tiny', { subnet: '10.5.0.0/30' });
      const na = attach(h, 'private', 'c1');
      assert.ok(!na.ok && na.error.code === 'FAILED_PRECONDITION' && na.error.message === 'network "private" is not attachable; create it with --attachable');
      assert.equal(ip(h.applyOk({ op: 'attachment.attach', at: 1, network: 'tiny', ownerKind: 'container', ownerId: 'c1', nodeId: NODE_ID })), '10.5.0.2/30');
      const full = attach(h, 'tiny', 'c2');
      assert.ok(!full.ok);
      assert.equal(full.error.code, 'RESOURCE_EXHAUSTED');
      assert.match(full.error.message, /^no free address on network "tiny" \(subnet 10\.5\.0\.0\/30\): it holds 1 of 1 assignable addresses/);
      h.applyOk({ op: 'container.create', at: 2, id: 'c1', name: 'web', nodeId: NODE_ID, command: 'sleep', args: [], env: [], labels: {}, attachmentIds: [] });
      create(h, 'w', 'wide', { subnet: '10.6.0.0/24' });
      h.applyOk({ op: 'attachment.attach', at: 1, network: 'wide', ownerKind: 'container', ownerId: 'c1', nodeId: NODE_ID, address: '10.6.0.9' });
      const taken = attach(h, 'wide', 'c3', '10.6.0.9');
      assert.ok(!taken.ok);
      assert.equal(taken.error.code, 'ALREADY_EXISTS');
      assert.equal(taken.error.message, 'address 10.6.0.9 on network "wide" is already taken by container web (c1)');
      const gw = attach(h, 'wide', 'c3', '10.6.0.1');
      assert.ok(!gw.ok && gw.error.code === 'ALREADY_EXISTS' && /gateway/.test(gw.error.message));
      const outside = attach(h, 'wide', 'c3', '10.7.0.1');
      assert.ok(!outside.ok && outside.error.code === 'INVALID_ARGUMENT' && outside.error.message.startsWith('address: 10.7.0.1 is outside'));
      const rm = h.apply({ op: 'network.remove', at: 3, id: 'w' });
      assert.ok(!rm.ok);
      assert.equal(rm.error.code, 'FAILED_PRECONDITION');
      assert.match(rm.error.message, /network "wide" is in use by 1 endpoint: container web \(c1\)/);
      const v = resolveNetwork(h.db, 'wide').version;
      h.applyOk({ op: 'network.update', at: 4, id: 'w', version: v, labelsAdd: { a: '1' }, labelsRemove: [] });
      const stale = h.apply({ op: 'network.update', at: 5, id: 'w', version: v, labelsAdd: { a: '2' }, labelsRemove: [] });
      assert.ok(!stale.ok && stale.error.code === 'ABORTED');
      h.applyOk({ op: 'container.remove', at: 6, id: 'c1' });
      h.applyOk({ op: 'network.remove', at: 7, id: 'w' });
      assert.deepEqual(checkNetworks(h.db).flatMap((c) => c.problems), []);
    } finally {
      h.close();
    }
  });

  // Proves rotation: a freed address is not handed out again until the cursor wraps.
  test('a detached address is reused only after rotation', () => {
    const h = StoreHarness.open();
    try {
      create(h, 'n', 'rot', { subnet: '10.8.0.0/29' }); // hosts .2-.6 (gateway .1)
      const first = h.applyOk({ op: 'attachment.attach', at: 1, network: 'rot', ownerKind: 'container', ownerId: 'a', nodeId: NODE_ID }) as Attachment;
      assert.equal(first.address, '10.8.0.2/29');
      h.applyOk({ op: 'attachment.detach', at: 2, id: first.id });
      const got = ['b', 'c', 'd', 'e', 'f'].map((o) => ip(h.applyOk({ op: 'attachment.attach', at: 3, network: 'rot', ownerKind: 'container', ownerId: o, nodeId: NODE_ID })));
      assert.deepEqual(got, ['10.8.0.3/29', '10.8.0.4/29', '10.8.0.5/29', '10.8.0.6/29', '10.8.0.2/29']);
    } finally {
      h.close();
    }
  });

  // Proves the functions for task apply code and node removal: all-or-nothing allocation, release, in-use listing.
  test('task attachments, owner release and node container release', () => {
    const h = StoreHarness.open();
    try {
      create(h, 'n1', 'a', { attachable: false });
      create(h, 'n2', 'b', { subnet: '10.9.0.0/30' });
      const db = h.db;
      const atts = db.transaction(() => allocateTaskAttachments(db, 100, 'task1', NODE_ID, ['n1', 'n2'], 5))();
      assert.deepEqual(atts.map((a) => a.address), ['10.0.0.2/24', '10.9.0.2/30']);
      assert.deepEqual(networkInUseBy(db, 'n1'), [{ kind: 'task', id: 'task1' }]);
      // n2 is full: the second task's allocation fails and its first address is rolled back.
      assert.throws(() => db.transaction(() => allocateTaskAttachments(db, 101, 'task2', NODE_ID, ['n1', 'n2']))(), /no free address on network "b"/);
      assert.equal(attachmentsOfNetwork(db, 'n1').length, 1);
      db.transaction(() => releaseOwnerAttachments(db, 102, 'task', 'task1'))();
      assert.deepEqual(networkInUseBy(db, 'n1'), []);
      h.applyOk({ op: 'container.create', at: 2, id: 'c9', name: 'c9', nodeId: NODE_ID, command: 'x', args: [], env: [], labels: {}, attachmentIds: [] });
      h.applyOk({ op: 'attachment.attach', at: 1, network: 'b', ownerKind: 'container', ownerId: 'c9', nodeId: NODE_ID });
      db.transaction(() => releaseNodeContainers(db, 103, NODE_ID))();
      assert.equal(attachmentsOfNetwork(db, 'n2').length, 0);
      assert.deepEqual(checkNetworks(db).flatMap((c) => c.problems), []);
    } finally {
      h.close();
    }
  });
});

type Op =
  | { t: 'create'; slot: number; prefix: number }
  | { t: 'attach'; slot: number; owner: number }
  | { t: 'attachAt'; slot: number; owner: number; host: number }
  | { t: 'detach'; pick: number }
  | { t: 'remove'; slot: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { arbitrary: fc.record({ t: fc.constant('create' as const), slot: fc.integer({ min: 0, max: 3 }), prefix: fc.integer({ min: 27, max: 30 }) }), weight: 1 },
  { arbitrary: fc.record({ t: fc.constant('attach' as const), slot: fc.integer({ min: 0, max: 3 }), owner: fc.integer({ min: 0, max: 60 }) }), weight: 6 },
  { arbitrary: fc.record({ t: fc.constant('attachAt' as const), slot: fc.integer({ min: 0, max: 3 }), owner: fc.integer({ min: 0, max: 60 }), host: fc.integer({ min: 0, max: 31 }) }), weight: 1 },
  { arbitrary: fc.record({ t: fc.constant('detach' as const), pick: fc.nat() }), weight: 4 },
  { arbitrary: fc.record({ t: fc.constant('remove' as const), slot: fc.integer({ min: 0, max: 3 }) }), weight: 1 },
);

describe('IPAM store properties', () => {
  // Proves, for random sequences of create/attach/detach/remove applied to a real StateStore, that
  // every allocation equals the pure rotating allocator's (so reuse happens only after rotation),
  // no address is ever held twice, nothing leaks (held counts and bitmaps match the rows), and the
  // consistency check stays clean.
  test('random network operations never duplicate, leak or reuse early', () => {
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 1, maxLength: 120 }), (ops) => {
        const h = StoreHarness.open();
        try {
          const models = new Map<number, { id: string; name: string; model: AddressAllocator }>();
          const live: { id: string; slot: number; ip: number }[] = [];
          let seq = 0;
          for (const op of ops) {
            seq++;
            if (op.t === 'create') {
              if (models.has(op.slot)) continue;
              const subnet = `10.${op.slot}.0.0/${op.prefix}`;
              const id = `net${seq}`;
              const r = create(h, id, `n${op.slot}`, { subnet });
              assert.equal(r.ok, true);
              const cidr = parseCidr(subnet);
              assert.ok(cidr.ok);
              const model = AddressAllocator.create({ subnet: cidr.value, gateway: cidr.value.base + 1 });
              assert.ok(model.ok);
              models.set(op.slot, { id, name: `n${op.slot}`, model: model.value });
            } else if (op.t === 'attach' || op.t === 'attachAt') {
              const m = models.get(op.slot);
              if (!m) continue;
              const owner = `o${op.owner}`;
              const wanted = op.t === 'attachAt' ? formatIpv4(m.model.subnet.base + (op.host % 2 ** (32 - m.model.subnet.prefix))) : undefined;
              const r = attach(h, m.name, owner, wanted);
              const already = live.some((l) => l.slot === op.slot && attachmentsOfNetwork(h.db, m.id).some((a) => a.ownerId === owner && a.id === l.id));
              const expected = already ? null : wanted === undefined ? m.model.allocate(owner) : m.model.allocateSpecific(parseIpv4(wanted).ok ? (parseIpv4(wanted) as { value: number }).value : -1, owner);
              if (r.ok) {
                assert.ok(expected?.ok, `store allocated but the model refused: ${JSON.stringify(expected)}`);
                const a = r.value as Attachment;
                assert.equal(a.ip, expected.value);
                live.push({ id: a.id, slot: op.slot, ip: a.ip });
              } else {
                assert.ok(expected === null || !expected.ok, `store refused (${r.error.message}) but the model allocated`);
              }
            } else if (op.t === 'detach') {
              if (live.length === 0) continue;
              const [l] = live.splice(op.pick % live.length, 1);
              h.applyOk({ op: 'attachment.detach', at: 1, id: l!.id });
              const released = models.get(l!.slot)!.model.release(l!.ip);
              assert.ok(released.ok);
            } else {
              const m = models.get(op.slot);
              if (!m) continue;
              const r = h.apply({ op: 'network.remove', at: 1, id: m.id });
              assert.equal(r.ok, m.model.heldCount === 0, 'remove succeeds exactly when nothing is attached');
              if (r.ok) models.delete(op.slot);
            }
          }
          for (const c of checkNetworks(h.db)) assert.deepEqual(c.problems, [], `network ${c.name}`);
          for (const m of models.values()) {
            const rows = attachmentsOfNetwork(h.db, m.id);
            assert.equal(rows.length, m.model.heldCount);
            assert.equal(new Set(rows.map((r) => r.address)).size, rows.length);
          }
        } finally {
          h.close();
        }
      }),
      { numRuns: 40 },
    );
  });
});
