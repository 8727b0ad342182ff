// IPAM allocation throughput on a /16 (65,533 assignable addresses): cold (fresh allocator,
// sequential fill) and fragmented (full, a random half released, then refilled, so the search
// has to skip used addresses). Prints ops/s and ns/op; the target is >= 1,000,000 allocations/s.
import { AddressAllocator } from '../src/network/address-allocator.js';
import { parseCidr } from '../src/network/cidr.js';

const rounds = 20;
const targetOpsPerSecond = 1_000_000;

const subnetParsed = parseCidr('10.20.0.0/16');
if (!subnetParsed.ok) throw new Error(subnetParsed.error.message);
const subnet = subnetParsed.value;

function fresh(): AddressAllocator {
  const r = AddressAllocator.create({ subnet, gateway: subnet.base + 1 });
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

/** Deterministic xorshift32, so every run frees the same addresses. */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 0x100000000;
  };
}

const capacity = fresh().capacity;
const holders = Array.from({ length: capacity }, (_, i) => `endpoint-${i}`);

function fill(a: AddressAllocator, count: number): number[] {
  const ips: number[] = [];
  for (let i = 0; i < count; i++) {
    const r = a.allocate(holders[i]!);
    if (!r.ok) throw new Error(r.error.message);
    ips.push(r.value);
  }
  return ips;
}

function report(name: string, ops: number, ns: bigint): void {
  const nsPerOp = Number(ns) / ops;
  const opsPerSecond = 1e9 / nsPerOp;
  const verdict = opsPerSecond >= targetOpsPerSecond ? 'ok' : 'BELOW TARGET';
  console.log(`${name.padEnd(12)} ${ops} allocations  ${Math.round(opsPerSecond).toLocaleString('en-US').padStart(11)} ops/s  ${nsPerOp.toFixed(1).padStart(7)} ns/op  ${verdict}`);
}

function cold(): void {
  let ns = 0n;
  for (let r = 0; r < rounds; r++) {
    const a = fresh();
    const t = process.hrtime.bigint();
    fill(a, capacity);
    ns += process.hrtime.bigint() - t;
    if (a.heldCount !== capacity) throw new Error('cold fill did not fill the network');
  }
  report('cold', capacity * rounds, ns);
}

function fragmented(): void {
  const rand = rng(42);
  let ns = 0n;
  let ops = 0;
  for (let r = 0; r < rounds; r++) {
    const a = fresh();
    const ips = fill(a, capacity);
    let freed = 0;
    for (const ip of ips) {
      if (rand() < 0.5) {
        if (!a.release(ip).ok) throw new Error('release failed');
        freed++;
      }
    }
    const t = process.hrtime.bigint();
    fill(a, freed);
    ns += process.hrtime.bigint() - t;
    ops += freed;
    if (a.heldCount !== capacity) throw new Error('refill did not fill the network');
  }
  report('fragmented', ops, ns);
}

// One warm-up pass of each so the JIT has compiled the hot paths before timing.
cold();
fragmented();
console.log('--- measured ---');
cold();
fragmented();
