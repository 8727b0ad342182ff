// Endpoint address allocation inside one network's ip-range.
//
// State: a bitmap of used addresses (Uint32Array words, bit set = used, covering the range),
// who holds each endpoint address, and a rotation cursor. Allocation takes the first free
// address at or after the cursor, wrapping to the start of the range only when the end is
// reached, and moves the cursor past it. So, as in Docker's IPAM, a released address is not
// handed out again until the cursor has come round to it: a stale endpoint (a dead container
// still known to some peer) and a new one do not share an address soon after each other.
//
// Cost: the search skips full words 32 addresses at a time, so it is O(words) worst case; since
// the cursor only moves forward, sequential allocation is amortized O(1). Exhaustion is
// detected in O(1) from the counts, never by scanning.
//
// The network, broadcast and gateway addresses are reserved (set in the bitmap, no holder).
// The state is deterministic and serializes to a compact byte string for the replicated store.
import { broadcastAddress, cidrSize, containsCidr, containsIp, formatCidr, formatIpv4 } from './cidr.js';
import type { Cidr } from './cidr.js';
import { fail, ok } from './errors.js';
import type { Result } from './errors.js';

export interface AddressAllocatorConfig {
  readonly subnet: Cidr;
  /** The gateway address, reserved; null for a network without one. */
  readonly gateway: number | null;
  /** Where endpoint addresses come from; default: the whole subnet. */
  readonly range?: Cidr;
}

/** Largest range: 2^24 addresses, a 2 MiB bitmap. */
export const rangePrefixMin = 8;
export const holderLengthMax = 256;

/** How many addresses of `range` endpoints can get once network, broadcast and gateway are reserved. */
export function assignableCount(subnet: Cidr, gateway: number | null, range: Cidr = subnet): number {
  let n = cidrSize(range);
  if (containsIp(range, subnet.base)) n--;
  const broadcast = broadcastAddress(subnet);
  if (broadcast !== subnet.base && containsIp(range, broadcast)) n--;
  if (gateway !== null && gateway !== subnet.base && gateway !== broadcast && containsIp(range, gateway)) n--;
  return n;
}

const magic = 0x41504953; // "SIPA" little-endian
const formatVersion = 1;
const headerBytes = 28;

export class AddressAllocator {
  readonly subnet: Cidr;
  readonly gateway: number | null;
  readonly range: Cidr;
  /** Addresses in the range. */
  readonly size: number;
  /** Addresses endpoints can hold: size minus the reserved ones. */
  readonly capacity: number;
  // Invariant: bit i set <=> offset i is reserved, is padding past `size`, or is in `holders`.
  private readonly words: Uint32Array;
  private readonly holders = new Map<number, string>();
  // Invariant: 0 <= cursor < size.
  private cursor = 0;

  private constructor(cfg: Required<AddressAllocatorConfig>) {
    this.subnet = cfg.subnet;
    this.gateway = cfg.gateway;
    this.range = cfg.range;
    this.size = cidrSize(cfg.range);
    this.capacity = assignableCount(cfg.subnet, cfg.gateway, cfg.range);
    this.words = new Uint32Array(Math.ceil(this.size / 32));
    // Padding bits past the range (ranges below /27) are marked used so searches never see them.
    for (let off = this.size; off < this.words.length * 32; off++) this.setBit(off);
    for (const ip of [cfg.subnet.base, broadcastAddress(cfg.subnet), cfg.gateway]) {
      if (ip !== null && containsIp(cfg.range, ip)) this.setBit(ip - cfg.range.base);
    }
  }

  static create(cfg: AddressAllocatorConfig): Result<AddressAllocator> {
    const range = cfg.range ?? cfg.subnet;
    const where = `subnet ${formatCidr(cfg.subnet)}`;
    if (!containsCidr(cfg.subnet, range)) return fail('invalid-argument', `ip-range ${formatCidr(range)} is not inside ${where}`);
    if (range.prefix < rangePrefixMin) return fail('invalid-argument', `ip-range ${formatCidr(range)} is larger than a /${rangePrefixMin}`);
    if (cfg.gateway !== null) {
      const gw = cfg.gateway;
      if (!containsIp(cfg.subnet, gw) || gw === cfg.subnet.base || gw === broadcastAddress(cfg.subnet)) {
        return fail('invalid-argument', `gateway ${formatIpv4(gw)} is not a host address of ${where}`);
      }
    }
    if (assignableCount(cfg.subnet, cfg.gateway, range) <= 0) {
      return fail('invalid-argument', `ip-range ${formatCidr(range)} of ${where} has no address left for endpoints`);
    }
    return ok(new AddressAllocator({ subnet: cfg.subnet, gateway: cfg.gateway, range }));
  }

  /** Endpoint-held addresses (reserved ones not counted). */
  get heldCount(): number {
    return this.holders.size;
  }

  holderOf(ip: number): string | undefined {
    return this.holders.get(ip - this.range.base);
  }

  /** Held addresses and their holders, in address order. */
  entries(): [number, string][] {
    return [...this.holders.entries()].sort((a, b) => a[0] - b[0]).map(([off, h]) => [this.range.base + off, h]);
  }

  /** The next free address in rotation order. */
  allocate(holder: string): Result<number> {
    checkHolder(holder);
    if (this.holders.size === this.capacity) {
      return fail('resource-exhausted', `no free address in network subnet ${formatCidr(this.subnet)}${this.rangeText()}: ${this.holders.size} of ${this.capacity} addresses are held`);
    }
    let off = this.findFree(this.cursor, this.size);
    if (off < 0) off = this.findFree(0, this.cursor);
    if (off < 0) throw new Error(`allocator counts ${this.holders.size} of ${this.capacity} held but finds no free bit`);
    this.setBit(off);
    this.holders.set(off, holder);
    this.cursor = off + 1 === this.size ? 0 : off + 1;
    return ok(this.range.base + off);
  }

  /** A specific address (e.g. `--ip`). Does not move the rotation cursor. */
  allocateSpecific(ip: number, holder: string): Result<number> {
    checkHolder(holder);
    const problem = this.checkAssignable(ip);
    if (problem) return problem;
    const off = ip - this.range.base;
    if (this.isSet(off)) return fail('already-exists', `address ${formatIpv4(ip)} is already taken by ${this.holders.get(off) ?? '?'}`);
    this.setBit(off);
    this.holders.set(off, holder);
    return ok(ip);
  }

  /** Free an endpoint address; returns who held it. */
  release(ip: number): Result<string> {
    if (ip === this.gateway) return fail('invalid-argument', `address ${formatIpv4(ip)} is the gateway of subnet ${formatCidr(this.subnet)} and cannot be released`);
    const problem = this.checkAssignable(ip);
    if (problem) return problem;
    const off = ip - this.range.base;
    const holder = this.holders.get(off);
    if (holder === undefined) return fail('invalid-argument', `address ${formatIpv4(ip)} is not allocated in network subnet ${formatCidr(this.subnet)}`);
    this.clearBit(off);
    this.holders.delete(off);
    return ok(holder);
  }

  /** Errors for addresses no endpoint may ever hold; null if `ip` may be assigned. */
  private checkAssignable(ip: number): Result<never> | null {
    const subnetText = `subnet ${formatCidr(this.subnet)}`;
    if (!Number.isInteger(ip) || !containsIp(this.range, ip)) {
      const ipText = Number.isInteger(ip) && ip >= 0 && ip <= 0xffffffff ? formatIpv4(ip) : String(ip);
      return fail('invalid-argument', `address ${ipText} is outside ${this.range.prefix === this.subnet.prefix ? subnetText : `the ip-range ${formatCidr(this.range)} of ${subnetText}`}`);
    }
    if (ip === this.subnet.base) return fail('invalid-argument', `address ${formatIpv4(ip)} is the network address of ${subnetText}`);
    if (ip === broadcastAddress(this.subnet)) return fail('invalid-argument', `address ${formatIpv4(ip)} is the broadcast address of ${subnetText}`);
    if (ip === this.gateway) return fail('already-exists', `address ${formatIpv4(ip)} is already taken by the gateway of ${subnetText}`);
    return null;
  }

  private rangeText(): string {
    return this.range.prefix === this.subnet.prefix ? '' : ` (ip-range ${formatCidr(this.range)})`;
  }

  /** First clear bit in [start, end), or -1. Skips full words 32 bits at a time. */
  private findFree(start: number, end: number): number {
    if (start >= end) return -1;
    const words = this.words;
    const lastWord = (end - 1) >>> 5;
    let wi = start >>> 5;
    let free = ~words[wi]! & (-1 << (start & 31));
    for (;;) {
      if (free !== 0) {
        const off = wi * 32 + (31 - Math.clz32(free & -free));
        return off < end ? off : -1;
      }
      if (wi >= lastWord) return -1;
      wi++;
      free = ~words[wi]!;
    }
  }

  private isSet(off: number): boolean {
    return (this.words[off >>> 5]! & (1 << (off & 31))) !== 0;
  }

  private setBit(off: number): void {
    if (this.isSet(off)) throw new Error(`address offset ${off} is already marked used`);
    this.words[off >>> 5]! |= 1 << (off & 31);
  }

  private clearBit(off: number): void {
    if (!this.isSet(off)) throw new Error(`address offset ${off} is already marked free`);
    this.words[off >>> 5]! &= ~(1 << (off & 31));
  }

  /**
   * Deterministic little-endian encoding: header (magic, version, prefixes, flags, subnet base,
   * range base, gateway, cursor, held count), the bitmap words, then each holder in address
   * order as (offset u32, UTF-8 length u16, bytes).
   */
  serialize(): Uint8Array {
    const enc = new TextEncoder();
    const held = this.entries().map(([ip, h]) => [ip - this.range.base, enc.encode(h)] as const);
    let bytes = headerBytes + this.words.length * 4;
    for (const [, h] of held) bytes += 6 + h.length;
    const out = new Uint8Array(bytes);
    const view = new DataView(out.buffer);
    view.setUint32(0, magic, true);
    view.setUint8(4, formatVersion);
    view.setUint8(5, this.subnet.prefix);
    view.setUint8(6, this.range.prefix);
    view.setUint8(7, this.gateway === null ? 0 : 1);
    view.setUint32(8, this.subnet.base, true);
    view.setUint32(12, this.range.base, true);
    view.setUint32(16, this.gateway ?? 0, true);
    view.setUint32(20, this.cursor, true);
    view.setUint32(24, held.length, true);
    let pos = headerBytes;
    for (const w of this.words) {
      view.setUint32(pos, w, true);
      pos += 4;
    }
    for (const [off, h] of held) {
      view.setUint32(pos, off, true);
      view.setUint16(pos + 4, h.length, true);
      out.set(h, pos + 6);
      pos += 6 + h.length;
    }
    if (pos !== bytes) throw new Error(`serialized ${pos} bytes, expected ${bytes}`);
    return out;
  }

  /** Inverse of serialize(). Corrupt bytes are a broken invariant of the store: it throws. */
  static deserialize(bytes: Uint8Array): AddressAllocator {
    const corrupt = (why: string): never => {
      throw new Error(`corrupt address allocator state: ${why}`);
    };
    if (bytes.length < headerBytes) corrupt(`${bytes.length} bytes is shorter than the header`);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (view.getUint32(0, true) !== magic) corrupt('bad magic');
    if (view.getUint8(4) !== formatVersion) corrupt(`unknown version ${view.getUint8(4)}`);
    const subnet = { base: view.getUint32(8, true), prefix: view.getUint8(5) };
    const range = { base: view.getUint32(12, true), prefix: view.getUint8(6) };
    if (subnet.prefix > 32 || range.prefix > 32) corrupt('prefix out of range');
    const gateway = view.getUint8(7) === 1 ? view.getUint32(16, true) : null;
    const created = AddressAllocator.create({ subnet, gateway, range });
    if (!created.ok) return corrupt(created.error.message);
    const a = created.value;
    const cursor = view.getUint32(20, true);
    if (cursor >= a.size) corrupt(`cursor ${cursor} outside a range of ${a.size}`);
    a.cursor = cursor;
    const heldCount = view.getUint32(24, true);
    let pos = headerBytes + a.words.length * 4;
    const dec = new TextDecoder('utf-8', { fatal: true });
    for (let i = 0; i < heldCount; i++) {
      if (pos + 6 > bytes.length) corrupt('truncated holder list');
      const off = view.getUint32(pos, true);
      const len = view.getUint16(pos + 4, true);
      if (pos + 6 + len > bytes.length) corrupt('truncated holder name');
      if (off >= a.size || a.isSet(off)) corrupt(`holder offset ${off} is outside the range, reserved or repeated`);
      a.setBit(off);
      a.holders.set(off, dec.decode(bytes.subarray(pos + 6, pos + 6 + len)));
      pos += 6 + len;
    }
    if (pos !== bytes.length) corrupt(`${bytes.length - pos} trailing bytes`);
    // The stored bitmap is redundant with the reserved set plus the holders: check they agree.
    for (let i = 0; i < a.words.length; i++) {
      if (view.getUint32(headerBytes + i * 4, true) !== a.words[i]) corrupt(`bitmap word ${i} disagrees with the holder list`);
    }
    return a;
  }

  toBase64(): string {
    return Buffer.from(this.serialize()).toString('base64');
  }

  static fromBase64(text: string): AddressAllocator {
    return AddressAllocator.deserialize(Buffer.from(text, 'base64'));
  }
}

function checkHolder(holder: string): void {
  // A holder is an endpoint id chosen by the manager, not user input: a bad one is a bug.
  if (holder.length === 0 || holder.length > holderLengthMax) throw new Error(`holder must be 1-${holderLengthMax} characters`);
}
