// The address allocator's bitmap split into fixed-size pages, for state that lives in a store.
//
// address-allocator.ts keeps a network's whole bitmap (and every holder) in one object, which
// must be serialized whole after each change: O(addresses) per allocation once persisted. Here
// the same rotation rule (first free address at or after the cursor, wrapping at the end) runs
// over pages of `pageBits` addresses that the caller loads one at a time, so one allocation
// reads the cursor's page (and only further pages when those are full) and writes back one
// page: amortized O(1), since the cursor only moves forward and a full page is skipped once
// per wrap.
//
// A page holds only endpoint-held bits (a missing page is all free). Reserved addresses (the
// network, broadcast and gateway addresses) are never stored: they are derived from the
// layout, so a page cannot disagree with them. Bit i of a page is byte i>>3, bit i&7: a
// byte layout, so the stored bytes are identical on every platform.
import { broadcastAddress, cidrSize, containsIp } from './cidr.js';
import type { Cidr } from './cidr.js';
import { assignableCount } from './address-allocator.js';

/** Addresses per page: 2,048 (a 256-byte page). A /16 has 32 pages, a /8 8,192. */
export const pageBits = 2048;
export const pageBytes = pageBits / 8;

export interface RangeLayout {
  readonly subnet: Cidr;
  readonly gateway: number | null;
  /** Where endpoint addresses come from (inside the subnet). */
  readonly range: Cidr;
}

/** Addresses in the range. */
export function rangeSize(l: RangeLayout): number {
  return cidrSize(l.range);
}

export function pageCount(l: RangeLayout): number {
  return Math.ceil(rangeSize(l) / pageBits);
}

/** How many addresses endpoints can hold. */
export function capacityOf(l: RangeLayout): number {
  return assignableCount(l.subnet, l.gateway, l.range);
}

/** Offsets (from the range base) that are reserved, sorted. */
export function reservedOffsets(l: RangeLayout): number[] {
  const out = new Set<number>();
  for (const ip of [l.subnet.base, broadcastAddress(l.subnet), l.gateway]) {
    if (ip !== null && containsIp(l.range, ip)) out.add(ip - l.range.base);
  }
  return [...out].sort((a, b) => a - b);
}

export function isReservedOffset(l: RangeLayout, off: number): boolean {
  return reservedOffsets(l).includes(off);
}

export function emptyPage(): Uint8Array {
  return new Uint8Array(pageBytes);
}

export function pageBit(page: Uint8Array, bit: number): boolean {
  checkBit(page, bit);
  return (page[bit >>> 3]! & (1 << (bit & 7))) !== 0;
}

/** Sets or clears one bit; setting a set bit or clearing a clear one is a broken invariant. */
export function setPageBit(page: Uint8Array, bit: number, value: boolean): void {
  if (pageBit(page, bit) === value) throw new Error(`bitmap bit ${bit} is already ${value ? 'set' : 'clear'}`);
  if (value) page[bit >>> 3]! |= 1 << (bit & 7);
  else page[bit >>> 3]! &= ~(1 << (bit & 7));
}

export function countPageBits(page: Uint8Array): number {
  let n = 0;
  for (const b of page) {
    let v = b;
    while (v !== 0) {
      v &= v - 1;
      n++;
    }
  }
  return n;
}

function checkBit(page: Uint8Array, bit: number): void {
  if (page.length !== pageBytes) throw new Error(`a bitmap page has ${pageBytes} bytes, got ${page.length}`);
  if (!Number.isInteger(bit) || bit < 0 || bit >= pageBits) throw new Error(`bit ${bit} outside a page`);
}

/**
 * First offset in [start, end) (range offsets, within page `p`) whose bit is clear and which is
 * not reserved; -1 if none. Skips full bytes eight addresses at a time.
 */
export function findFreeInPage(page: Uint8Array, p: number, start: number, end: number, reserved: readonly number[]): number {
  const base = p * pageBits;
  if (start < base || end > base + pageBits || start > end) throw new Error(`search [${start}, ${end}) is outside page ${p}`);
  let bit = start - base;
  const stop = end - base;
  while (bit < stop) {
    if ((bit & 7) === 0 && page[bit >>> 3] === 0xff) {
      bit += 8;
      continue;
    }
    if ((page[bit >>> 3]! & (1 << (bit & 7))) === 0 && !reserved.includes(base + bit)) return base + bit;
    bit++;
  }
  return -1;
}

/**
 * The rotation rule: the first free offset at or after `cursor`, wrapping to 0 once. `held` and
 * `capacity` detect exhaustion in O(1) (the caller returns its error). `loadPage(p)` returns
 * page p (undefined: nothing held there); `pagesReadMax` bounds the search, and a search that
 * finds nothing although the counts say something is free is a broken invariant.
 */
export function nextFreeOffset(l: RangeLayout, cursor: number, held: number, loadPage: (p: number) => Uint8Array | undefined): number | null {
  const size = rangeSize(l);
  const capacity = capacityOf(l);
  if (cursor < 0 || cursor >= size) throw new Error(`cursor ${cursor} outside a range of ${size}`);
  if (held < 0 || held > capacity) throw new Error(`held count ${held} outside 0-${capacity}`);
  if (held === capacity) return null;
  const reserved = reservedOffsets(l);
  const pagesReadMax = pageCount(l) + 1;
  let pagesRead = 0;
  for (const [from, to] of [[cursor, size], [0, cursor]] as const) {
    for (let p = Math.floor(from / pageBits); p * pageBits < to; p++) {
      if (++pagesRead > pagesReadMax) throw new Error(`bitmap search read more than ${pagesReadMax} pages`);
      const start = Math.max(from, p * pageBits);
      const end = Math.min(to, (p + 1) * pageBits);
      const off = findFreeInPage(loadPage(p) ?? emptyPage(), p, start, end, reserved);
      if (off >= 0) return off;
    }
  }
  throw new Error(`bitmap counts ${held} of ${capacity} held but no free bit was found`);
}

/** The cursor after allocating `off`: just past it, wrapping at the end of the range. */
export function cursorAfter(l: RangeLayout, off: number): number {
  return off + 1 >= rangeSize(l) ? 0 : off + 1;
}
