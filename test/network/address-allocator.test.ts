// Proves the endpoint address allocator: exact error texts, exact capacity of a /24, rotation
// (a freed address comes back only after the cursor wraps), no duplicates, no leaks, and that
// serialization round-trips, by comparing random operation sequences against a simple model.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { AddressAllocator } from '../../src/network/address-allocator.js';
import { formatIpv4, parseCidr, parseIpv4 } from '../../src/network/cidr.js';
import type { Cidr } from '../../src/network/cidr.js';
import type { Result } from '../../src/network/errors.js';

function value<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`unexpected error: ${r.error.message}`);
  return r.value;
}
const cidr = (t: string): Cidr => value(parseCidr(t));
const ip = (t: string): number => value(parseIpv4(t));
function error<T>(r: Result<T>, code: string): string {
  if (r.ok) throw new Error(`expected a ${code} error, got ${JSON.stringify(r.value)}`);
  assert.equal(r.error.code, code);
  return r.error.message;
}

function net24(): AddressAllocator {
  return value(AddressAllocator.create({ subnet: cidr('10.0.0.0/24'), gateway: ip('10.0.0.1') }));
}

void test('a /24 with a gateway gives exactly 253 addresses, in order, then resource-exhausted', () => {
  const a = net24();
  assert.equal(a.capacity, 253);
  const got: string[] = [];
  for (let i = 0; i < 253; i++) got.push(formatIpv4(value(a.allocate(`ep${i}`))));
  assert.equal(got[0], '10.0.0.2');
  assert.equal(got[252], '10.0.0.254');
  assert.equal(new Set(got).size, 253);
  assert.equal(error(a.allocate('one-more'), 'resource-exhausted'), 'no free address in network subnet 10.0.0.0/24: 253 of 253 addresses are held');
  assert.equal(a.heldCount, 253);
});

void test('error texts for specific requests and releases', () => {
  const a = net24();
  value(a.allocateSpecific(ip('10.0.0.9'), 'task-abc'));
  assert.equal(error(a.allocateSpecific(ip('10.0.0.9'), 'task-def'), 'already-exists'), 'address 10.0.0.9 is already taken by task-abc');
  assert.equal(error(a.allocateSpecific(ip('10.0.0.1'), 'x'), 'already-exists'), 'address 10.0.0.1 is already taken by the gateway of subnet 10.0.0.0/24');
  assert.equal(error(a.allocateSpecific(ip('10.0.0.0'), 'x'), 'invalid-argument'), 'address 10.0.0.0 is the network address of subnet 10.0.0.0/24');
  assert.equal(error(a.allocateSpecific(ip('10.0.0.255'), 'x'), 'invalid-argument'), 'address 10.0.0.255 is the broadcast address of subnet 10.0.0.0/24');
  assert.equal(error(a.allocateSpecific(ip('10.0.1.5'), 'x'), 'invalid-argument'), 'address 10.0.1.5 is outside subnet 10.0.0.0/24');
  assert.equal(error(a.release(ip('10.0.0.10')), 'invalid-argument'), 'address 10.0.0.10 is not allocated in network subnet 10.0.0.0/24');
  assert.equal(error(a.release(ip('10.0.0.1')), 'invalid-argument'), 'address 10.0.0.1 is the gateway of subnet 10.0.0.0/24 and cannot be released');
  assert.equal(value(a.release(ip('10.0.0.9'))), 'task-abc');
  assert.equal(a.heldCount, 0);

  const r = value(AddressAllocator.create({ subnet: cidr('10.0.0.0/24'), gateway: ip('10.0.0.1'), range: cidr('10.0.0.128/30') }));
  assert.equal(r.capacity, 4);
  assert.equal(error(r.allocateSpecific(ip('10.0.0.5'), 'x'), 'invalid-argument'), 'address 10.0.0.5 is outside the ip-range 10.0.0.128/30 of subnet 10.0.0.0/24');
  for (let i = 0; i < 4; i++) value(r.allocate(`e${i}`));
  assert.equal(error(r.allocate('x'), 'resource-exhausted'), 'no free address in network subnet 10.0.0.0/24 (ip-range 10.0.0.128/30): 4 of 4 addresses are held');
});

void test('configuration errors', () => {
  assert.equal(error(AddressAllocator.create({ subnet: cidr('10.0.0.0/24'), gateway: ip('10.0.0.0') }), 'invalid-argument'),
    'gateway 10.0.0.0 is not a host address of subnet 10.0.0.0/24');
  assert.equal(error(AddressAllocator.create({ subnet: cidr('10.0.0.0/24'), gateway: null, range: cidr('10.0.1.0/25') }), 'invalid-argument'),
    'ip-range 10.0.1.0/25 is not inside subnet 10.0.0.0/24');
  assert.equal(error(AddressAllocator.create({ subnet: cidr('10.0.0.0/24'), gateway: ip('10.0.0.1'), range: cidr('10.0.0.0/31') }), 'invalid-argument'),
    'ip-range 10.0.0.0/31 of subnet 10.0.0.0/24 has no address left for endpoints');
});

void test('a released address is handed out again only after the cursor wraps', () => {
  const a = net24();
  const first = value(a.allocate('a'));
  value(a.allocate('b'));
  value(a.release(first));
  const next = value(a.allocate('c'));
  assert.notEqual(next, first);
  assert.equal(formatIpv4(next), '10.0.0.4');
  for (let i = 0; i < 250; i++) assert.notEqual(value(a.allocate(`f${i}`)), first); // up to .254
  assert.equal(value(a.allocate('wrapped')), first);
});

void test('serialization round-trips, is deterministic and rejects corruption', () => {
  const a = net24();
  for (let i = 0; i < 40; i++) value(a.allocate(`endpoint-${i}-é`));
  for (let i = 0; i < 40; i += 3) value(a.release(ip(`10.0.0.${i + 2}`)));
  const bytes = a.serialize();
  const b = AddressAllocator.deserialize(bytes);
  assert.deepEqual(b.entries(), a.entries());
  assert.deepEqual(b.serialize(), bytes);
  assert.equal(AddressAllocator.fromBase64(a.toBase64()).heldCount, a.heldCount);
  assert.equal(value(b.allocate('x')), value(a.allocate('x')));
  const bad = bytes.slice();
  bad[28] = 0; // clear the reserved network-address bit in the stored bitmap
  assert.throws(() => AddressAllocator.deserialize(bad), /corrupt address allocator state/);
  assert.throws(() => AddressAllocator.deserialize(bytes.subarray(0, bytes.length - 1)), /corrupt/);
});

type Cmd = { t: 'alloc' } | { t: 'specific'; offset: number } | { t: 'release'; pick: number } | { t: 'roundtrip' };
const arbCmd: fc.Arbitrary<Cmd> = fc.oneof(
  { weight: 5, arbitrary: fc.constant({ t: 'alloc' as const }) },
  { weight: 2, arbitrary: fc.nat(63).map((offset) => ({ t: 'specific' as const, offset })) },
  { weight: 4, arbitrary: fc.nat().map((pick) => ({ t: 'release' as const, pick })) },
  { weight: 1, arbitrary: fc.constant({ t: 'roundtrip' as const }) },
);
const arbNet = fc.record({
  prefix: fc.integer({ min: 26, max: 29 }),
  gatewayOffset: fc.option(fc.nat(63), { nil: undefined }),
  rangeHalf: fc.boolean(),
});

void test('random allocate/specific/release sequences match a rotating reference model (property)', () => {
  fc.assert(fc.property(arbNet, fc.array(arbCmd, { maxLength: 300 }), (net, cmds) => {
    const subnet = { base: ip('10.9.0.0'), prefix: net.prefix };
    const size = 2 ** (32 - net.prefix);
    const gwOff = net.gatewayOffset === undefined ? undefined : 1 + (net.gatewayOffset % (size - 2));
    const gateway = gwOff === undefined ? null : subnet.base + gwOff;
    const range = net.rangeHalf ? { base: subnet.base + size / 2, prefix: net.prefix + 1 } : subnet;
    let a = value(AddressAllocator.create({ subnet, gateway, range }));
    // Reference model: the used set over range offsets and a cursor, searched linearly.
    const rsize = 2 ** (32 - range.prefix);
    const reserved = new Set([subnet.base, subnet.base + size - 1, ...(gateway === null ? [] : [gateway])].filter((x) => x >= range.base && x < range.base + rsize));
    const live = new Map<number, string>();
    let cursor = 0;
    let wraps = 0;
    const releasedBehind = new Map<number, number>(); // ip -> wraps when released behind the cursor
    let n = 0;
    for (const c of cmds) {
      if (c.t === 'alloc') {
        let expected: number | undefined;
        for (let k = 0; k < rsize; k++) {
          const cand = range.base + ((cursor + k) % rsize);
          if (!reserved.has(cand) && !live.has(cand)) { expected = cand; break; }
        }
        const r = a.allocate(`h${n++}`);
        if (expected === undefined) {
          assert.equal(r.ok, false);
          if (!r.ok) assert.equal(r.error.code, 'resource-exhausted');
          continue;
        }
        const got = value(r);
        assert.equal(got, expected);
        assert.ok(!live.has(got), 'duplicate address');
        const off = got - range.base;
        if (off < cursor) wraps++;
        const at = releasedBehind.get(got);
        if (at !== undefined) assert.ok(wraps > at, `${formatIpv4(got)} reused before the cursor wrapped`);
        releasedBehind.delete(got);
        cursor = (off + 1) % rsize;
        live.set(got, `h${n - 1}`);
      } else if (c.t === 'specific') {
        const want = subnet.base + (c.offset % size);
        const r = a.allocateSpecific(want, `s${n++}`);
        const assignable = want >= range.base && want < range.base + rsize && !reserved.has(want);
        assert.equal(r.ok, assignable && !live.has(want));
        if (r.ok) { live.set(want, `s${n - 1}`); releasedBehind.delete(want); }
      } else if (c.t === 'release') {
        const ips = [...live.keys()];
        if (ips.length === 0) continue;
        const victim = ips[c.pick % ips.length]!;
        assert.equal(value(a.release(victim)), live.get(victim));
        live.delete(victim);
        if (victim - range.base < cursor) releasedBehind.set(victim, wraps);
      } else {
        a = AddressAllocator.deserialize(a.serialize());
      }
      assert.equal(a.heldCount, live.size, 'held count must equal live endpoints');
    }
    assert.deepEqual(a.entries(), [...live.entries()].sort((x, y) => x[0] - y[0]));
  }), { numRuns: 300 });
});
