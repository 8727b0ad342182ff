// Proves default-pool subnet allocation (first free, non-overlapping, deterministic, exhaustion
// as a 'resource-exhausted' value naming the pool), requested-subnet/gateway/ip-range validation
// messages, and VXLAN id allocation, with exact expectations and a fast-check property.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { formatCidr, formatIpv4, overlaps, parseCidr } from '../../src/network/cidr.js';
import type { Cidr } from '../../src/network/cidr.js';
import type { Result } from '../../src/network/errors.js';
import {
  allocateSubnet, makeSubnetPools, planNetworkAddressing, validateGateway, validateIpRange, validateSubnet,
} from '../../src/network/subnet-pool.js';
import type { SubnetPools } from '../../src/network/subnet-pool.js';
import { allocateVxlanId, vxlanIdMin } from '../../src/network/vxlan.js';

function value<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`unexpected error: ${r.error.message}`);
  return r.value;
}
function cidr(text: string): Cidr {
  return value(parseCidr(text));
}
function error<T>(r: Result<T>, code: string): string {
  if (r.ok) throw new Error(`expected a ${code} error, got ${JSON.stringify(r.value)}`);
  assert.equal(r.error.code, code);
  return r.error.message;
}

const defaults: SubnetPools = value(makeSubnetPools());

void test('default pool hands out /24s of 10.0.0.0/8 in order, skipping used and overlapping subnets', () => {
  assert.equal(formatCidr(value(allocateSubnet(defaults, []))), '10.0.0.0/24');
  assert.equal(formatCidr(value(allocateSubnet(defaults, [cidr('10.0.0.0/24')]))), '10.0.1.0/24');
  // A user-chosen /16 at the start pushes allocation past it; a hole before it is found first.
  assert.equal(formatCidr(value(allocateSubnet(defaults, [cidr('10.0.0.0/16')]))), '10.1.0.0/24');
  assert.equal(formatCidr(value(allocateSubnet(defaults, [cidr('10.0.1.0/24'), cidr('10.0.2.0/23')]))), '10.0.0.0/24');
  // A small subnet inside a candidate /24 makes that whole /24 unusable.
  assert.equal(formatCidr(value(allocateSubnet(defaults, [cidr('10.0.0.128/25'), cidr('192.168.0.0/16')]))), '10.0.1.0/24');
});

void test('several pools and a mask length; exhaustion names the pools', () => {
  const pools = value(makeSubnetPools(['172.20.0.0/23', '192.168.10.0/24'], 25));
  const got: Cidr[] = [];
  for (let i = 0; i < 6; i++) {
    const r = allocateSubnet(pools, got);
    if (!r.ok) break;
    got.push(r.value);
  }
  assert.deepEqual(got.map(formatCidr), ['172.20.0.0/25', '172.20.0.128/25', '172.20.1.0/25', '172.20.1.128/25', '192.168.10.0/25', '192.168.10.128/25']);
  assert.equal(error(allocateSubnet(pools, got), 'resource-exhausted'),
    'default address pools 172.20.0.0/23, 192.168.10.0/24 has no free /25 subnet left (6 networks allocated)');
  const one = value(makeSubnetPools(['10.9.0.0/24'], 24));
  assert.equal(error(allocateSubnet(one, [cidr('10.9.0.0/24')]), 'resource-exhausted'),
    'default address pool 10.9.0.0/24 has no free /24 subnet left (1 networks allocated)');
});

void test('pool configuration errors', () => {
  assert.equal(error(makeSubnetPools(['10.0.0.0/8'], 31), 'invalid-argument'), 'default address pool mask length 31 must be 8-30');
  assert.equal(error(makeSubnetPools(['10.0.0.0/25'], 24), 'invalid-argument'), 'default address pool 10.0.0.0/25 is smaller than the mask length /24');
  assert.equal(error(makeSubnetPools(['10.0.0.0/8', '10.5.0.0/16'], 24), 'invalid-argument'), 'default address pool 10.5.0.0/16 overlaps pool 10.0.0.0/8');
  assert.equal(error(makeSubnetPools([], 24), 'invalid-argument'), 'at least one default address pool is required');
  assert.equal(error(makeSubnetPools(['10.0.0.0/33'], 24), 'invalid-argument'), '"10.0.0.0/33" is not a valid CIDR: prefix length must be 0-32');
});

void test('requested subnet, gateway and ip-range validation messages', () => {
  const existing = [{ name: 'backend', subnet: cidr('10.1.2.0/24') }];
  assert.equal(error(validateSubnet('10.1.0.0/16', existing), 'invalid-argument'), 'subnet 10.1.0.0/16 overlaps network "backend" (10.1.2.0/24)');
  assert.equal(error(validateSubnet('10.1.2.128/25', existing), 'invalid-argument'), 'subnet 10.1.2.128/25 overlaps network "backend" (10.1.2.0/24)');
  assert.equal(error(validateSubnet('10.3.0.0/31', existing), 'invalid-argument'), 'subnet 10.3.0.0/31 is too small: an overlay network needs at least a /30');
  assert.equal(error(validateSubnet('10.0.0.0/7', existing), 'invalid-argument'), 'subnet 10.0.0.0/7 is too large: the largest allowed is a /8');
  assert.equal(formatCidr(value(validateSubnet('10.3.0.0/16', existing))), '10.3.0.0/16');

  const s = cidr('10.3.0.0/24');
  assert.equal(error(validateGateway(s, '10.4.0.1'), 'invalid-argument'), 'gateway 10.4.0.1 is not inside subnet 10.3.0.0/24');
  assert.equal(error(validateGateway(s, '10.3.0.0'), 'invalid-argument'), 'gateway 10.3.0.0 is the network address of subnet 10.3.0.0/24');
  assert.equal(error(validateGateway(s, '10.3.0.255'), 'invalid-argument'), 'gateway 10.3.0.255 is the broadcast address of subnet 10.3.0.0/24');
  assert.equal(error(validateGateway(s, '10.3.0'), 'invalid-argument'), '"10.3.0" is not a valid IPv4 address: expected four decimal numbers separated by dots');
  assert.equal(formatIpv4(value(validateGateway(s, '10.3.0.254'))), '10.3.0.254');
  assert.equal(error(validateIpRange(s, '10.3.1.0/25'), 'invalid-argument'), 'ip-range 10.3.1.0/25 is not inside subnet 10.3.0.0/24');
  assert.equal(error(validateIpRange(s, '10.0.0.0/16'), 'invalid-argument'), 'ip-range 10.0.0.0/16 is not inside subnet 10.3.0.0/24');
  assert.equal(formatCidr(value(validateIpRange(s, '10.3.0.128/25'))), '10.3.0.128/25');
});

void test('planNetworkAddressing fills defaults and refuses inconsistent flags', () => {
  const existing = [{ name: 'a', subnet: cidr('10.0.0.0/24') }];
  const p = value(planNetworkAddressing({}, defaults, existing));
  assert.deepEqual([formatCidr(p.subnet), formatIpv4(p.gateway), formatCidr(p.ipRange)], ['10.0.1.0/24', '10.0.1.1', '10.0.1.0/24']);
  const q = value(planNetworkAddressing({ subnet: '192.168.5.0/24', gateway: '192.168.5.254', ipRange: '192.168.5.0/25' }, defaults, existing));
  assert.deepEqual([formatCidr(q.subnet), formatIpv4(q.gateway), formatCidr(q.ipRange)], ['192.168.5.0/24', '192.168.5.254', '192.168.5.0/25']);
  assert.equal(error(planNetworkAddressing({ gateway: '10.0.0.1' }, defaults, existing), 'invalid-argument'), '--gateway requires --subnet');
  assert.equal(error(planNetworkAddressing({ ipRange: '10.0.0.0/25' }, defaults, existing), 'invalid-argument'), '--ip-range requires --subnet');
  assert.equal(error(planNetworkAddressing({ subnet: '10.7.0.0/24', ipRange: '10.7.0.0/31' }, defaults, existing), 'invalid-argument'),
    'ip-range 10.7.0.0/31 leaves no address for endpoints once the gateway, network and broadcast addresses are reserved');
});

void test('allocated subnets never overlap each other or existing ones, and fill the pool (property)', () => {
  const pools = value(makeSubnetPools(['10.0.0.0/20'], 24));
  const arbExisting = fc.array(
    fc.tuple(fc.integer({ min: 0, max: 0xfff }), fc.integer({ min: 20, max: 28 }))
      .map(([low, prefix]) => ({ base: (0x0a000000 + (low << 4)) & ((0xffffffff << (32 - prefix)) >>> 0), prefix }))
      .map((c) => ({ base: c.base >>> 0, prefix: c.prefix })),
    { maxLength: 6 },
  ).map((cs) => cs.filter((c, i) => cs.findIndex((d) => overlaps(c, d)) === i));
  fc.assert(fc.property(arbExisting, (existing) => {
    const all = [...existing];
    for (let i = 0; i <= 16; i++) {
      const r = allocateSubnet(pools, all);
      if (!r.ok) {
        assert.equal(r.error.code, 'resource-exhausted');
        // Exhausted must be true: no free aligned /24 left in the pool.
        for (let b = 0; b < 16; b++) {
          const cand = { base: 0x0a000000 + b * 256, prefix: 24 };
          assert.ok(all.some((c) => overlaps(c, cand)), `missed free ${formatCidr(cand)}`);
        }
        return;
      }
      assert.ok(!all.some((c) => overlaps(c, r.value)), `${formatCidr(r.value)} overlaps`);
      all.push(r.value);
    }
    assert.fail('a /20 holds at most 16 /24s');
  }), { numRuns: 300 });
});

void test('VXLAN ids start at 4096, are unique and reuse released ids', () => {
  const used = new Set<number>();
  for (let i = 0; i < 5; i++) used.add(value(allocateVxlanId(used)));
  assert.deepEqual([...used], [4096, 4097, 4098, 4099, 4100]);
  used.delete(4098);
  assert.equal(value(allocateVxlanId(used)), 4098);
  assert.equal(value(allocateVxlanId(new Set([1, 2, 4097]))), vxlanIdMin);
});
