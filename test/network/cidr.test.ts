// Proves IPv4/CIDR parsing, formatting and set arithmetic, and that each parse error names the
// input and the problem, by checking exact messages and round-trips (including fast-check ones).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  broadcastAddress, cidrSize, containsCidr, containsIp, formatCidr, formatIpv4, maskOf, networkAddress, overlaps, parseCidr, parseIpv4,
} from '../../src/network/cidr.js';
import type { Cidr } from '../../src/network/cidr.js';

function cidr(text: string): Cidr {
  const r = parseCidr(text);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

function errorOf(r: { ok: true } | { ok: false; error: { code: string; message: string } }): string {
  assert.equal(r.ok, false, 'expected an error');
  if (r.ok) return '';
  assert.equal(r.error.code, 'invalid-argument');
  return r.error.message;
}

void test('parses and formats addresses and blocks', () => {
  assert.deepEqual(parseIpv4('10.1.2.3'), { ok: true, value: 0x0a010203 });
  assert.equal(formatIpv4(0xffffffff), '255.255.255.255');
  assert.deepEqual(cidr('10.0.0.0/8'), { base: 0x0a000000, prefix: 8 });
  assert.equal(formatCidr(cidr('0.0.0.0/0')), '0.0.0.0/0');
  assert.equal(formatCidr(cidr('192.168.1.7/32')), '192.168.1.7/32');
  const c = cidr('10.1.2.0/24');
  assert.equal(cidrSize(c), 256);
  assert.equal(formatIpv4(networkAddress(c)), '10.1.2.0');
  assert.equal(formatIpv4(broadcastAddress(c)), '10.1.2.255');
  assert.equal(maskOf(0), 0);
  assert.equal(maskOf(32), 0xffffffff);
});

void test('each invalid CIDR is refused with the problem named', () => {
  assert.equal(errorOf(parseCidr('10.0.0.0/33')), '"10.0.0.0/33" is not a valid CIDR: prefix length must be 0-32');
  assert.equal(errorOf(parseCidr('10.0.0.0')), '"10.0.0.0" is not a valid CIDR: missing the /prefix length (e.g. 10.0.0.0/24)');
  assert.equal(errorOf(parseCidr('10.0.0.1/24')), '"10.0.0.1/24" is not a valid CIDR: host bits are set (the network is 10.0.0.0/24)');
  assert.equal(errorOf(parseCidr('10.0.0/24')), '"10.0.0/24" is not a valid CIDR: expected four decimal numbers separated by dots');
  assert.equal(errorOf(parseCidr('10.0.300.0/24')), '"10.0.300.0/24" is not a valid CIDR: 300 is out of range 0-255');
  assert.equal(errorOf(parseCidr('fd00::/64')), '"fd00::/64" is not a valid CIDR: IPv6 is not supported');
  assert.equal(errorOf(parseCidr('10.0.0.0/x')), '"10.0.0.0/x" is not a valid CIDR: prefix length must be 0-32');
  assert.equal(errorOf(parseIpv4('010.0.0.1')), '"010.0.0.1" is not a valid IPv4 address: "010" has a leading zero, which is ambiguous');
  assert.equal(errorOf(parseIpv4('1.2.3.a')), '"1.2.3.a" is not a valid IPv4 address: "a" is not a number from 0 to 255');
  assert.equal(errorOf(parseIpv4('::1')), '"::1" is not a valid IPv4 address: IPv6 is not supported');
});

void test('containment and overlap', () => {
  const big = cidr('10.1.0.0/16');
  const small = cidr('10.1.2.0/24');
  const other = cidr('10.2.0.0/24');
  assert.ok(containsCidr(big, small));
  assert.ok(!containsCidr(small, big));
  assert.ok(overlaps(big, small) && overlaps(small, big));
  assert.ok(!overlaps(big, other));
  assert.ok(containsIp(small, 0x0a0102ff));
  assert.ok(!containsIp(small, 0x0a010300));
});

const arbCidr = fc.tuple(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 32 }))
  .map(([ip, prefix]) => ({ base: (ip & maskOf(prefix)) >>> 0, prefix }));

void test('format/parse round-trips and overlap agrees with a brute-force definition (property)', () => {
  fc.assert(fc.property(arbCidr, (c) => {
    assert.deepEqual(parseCidr(formatCidr(c)), { ok: true, value: c });
    assert.deepEqual(parseIpv4(formatIpv4(c.base)), { ok: true, value: c.base });
  }), { numRuns: 500 });
  fc.assert(fc.property(arbCidr, arbCidr, (a, b) => {
    const intersect = Math.max(a.base, b.base) <= Math.min(broadcastAddress(a), broadcastAddress(b));
    assert.equal(overlaps(a, b), intersect);
  }), { numRuns: 1000 });
});
