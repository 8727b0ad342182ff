// IPv4 addresses and CIDR blocks as unsigned 32-bit numbers. Parsing is strict (dotted quad,
// no leading zeros, host bits clear) because an ambiguous subnet in replicated state is worse
// than a refused command. IPv6 is out of scope and refused with a message saying so.
import { fail, ok } from './errors.js';
import type { Result } from './errors.js';

/** A CIDR block. Invariant: 0 <= prefix <= 32 and base has no bits set below the prefix. */
export interface Cidr {
  readonly base: number;
  readonly prefix: number;
}

type Parsed<T> = { value: T } | { reason: string };

function ipv4Parts(text: string): Parsed<number> {
  if (text.includes(':')) return { reason: 'IPv6 is not supported' };
  const parts = text.split('.');
  if (parts.length !== 4) return { reason: 'expected four decimal numbers separated by dots' };
  let value = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return { reason: `"${part}" is not a number from 0 to 255` };
    if (part.length > 1 && part.startsWith('0')) return { reason: `"${part}" has a leading zero, which is ambiguous` };
    const n = Number(part);
    if (n > 255) return { reason: `${part} is out of range 0-255` };
    value = value * 256 + n;
  }
  return { value };
}

export function parseIpv4(text: string): Result<number> {
  const p = ipv4Parts(text.trim());
  if ('reason' in p) return fail('invalid-argument', `"${text}" is not a valid IPv4 address: ${p.reason}`);
  return ok(p.value);
}

export function formatIpv4(ip: number): string {
  assertIpv4(ip);
  return `${ip >>> 24}.${(ip >>> 16) & 255}.${(ip >>> 8) & 255}.${ip & 255}`;
}

/** The netmask of a prefix length as an unsigned 32-bit number. */
export function maskOf(prefix: number): number {
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > 32) throw new Error(`prefix ${prefix} out of range 0-32`);
  // A shift by 32 is a no-op in JS, so /0 needs its own case.
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

export function parseCidr(text: string): Result<Cidr> {
  const bad = (reason: string): Result<Cidr> => fail('invalid-argument', `"${text}" is not a valid CIDR: ${reason}`);
  const trimmed = text.trim();
  if (trimmed.includes(':')) return bad('IPv6 is not supported');
  const slash = trimmed.indexOf('/');
  if (slash < 0) return bad('missing the /prefix length (e.g. 10.0.0.0/24)');
  const prefixText = trimmed.slice(slash + 1);
  if (!/^\d{1,2}$/.test(prefixText) || Number(prefixText) > 32) return bad('prefix length must be 0-32');
  const prefix = Number(prefixText);
  const addr = ipv4Parts(trimmed.slice(0, slash));
  if ('reason' in addr) return bad(addr.reason);
  const base = (addr.value & maskOf(prefix)) >>> 0;
  if (base !== addr.value) return bad(`host bits are set (the network is ${formatCidr({ base, prefix })})`);
  return ok({ base, prefix });
}

export function formatCidr(c: Cidr): string {
  assertCidr(c);
  return `${formatIpv4(c.base)}/${c.prefix}`;
}

/** Number of addresses in the block (2^(32-prefix); up to 2^32, exact as a double). */
export function cidrSize(c: Cidr): number {
  return 2 ** (32 - c.prefix);
}

export function networkAddress(c: Cidr): number {
  return c.base;
}

export function broadcastAddress(c: Cidr): number {
  return c.base + cidrSize(c) - 1;
}

export function containsIp(c: Cidr, ip: number): boolean {
  return ip >= c.base && ip <= broadcastAddress(c);
}

/** Whether `inner` lies entirely inside `outer`. */
export function containsCidr(outer: Cidr, inner: Cidr): boolean {
  return inner.prefix >= outer.prefix && containsIp(outer, inner.base);
}

/** Aligned blocks overlap exactly when one contains the other. */
export function overlaps(a: Cidr, b: Cidr): boolean {
  return containsCidr(a, b) || containsCidr(b, a);
}

export function assertIpv4(ip: number): void {
  if (!Number.isInteger(ip) || ip < 0 || ip > 0xffffffff) throw new Error(`${ip} is not an unsigned 32-bit IPv4 address`);
}

export function assertCidr(c: Cidr): void {
  assertIpv4(c.base);
  if ((c.base & maskOf(c.prefix)) >>> 0 !== c.base) throw new Error(`CIDR base ${c.base} has host bits set for /${c.prefix}`);
}
