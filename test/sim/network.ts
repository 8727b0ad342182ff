import type { Message, NodeId } from '../../src/raft/core/types.js';
import type { Prng } from './prng.js';

/**
 * The simulated network between Raft nodes. It owns every message in flight
 * and decides, from the seeded PRNG, when (and whether, and how often) each
 * one arrives. Reordering falls out of per-message delays plus a random
 * tie-break among messages due in the same tick.
 *
 * Partitions are a set of blocked directed links, checked at delivery time,
 * so a partition also swallows messages that were already on the wire.
 */
export interface NetworkFaults {
  /** Probability that a message is lost. */
  dropChance: number;
  /** Probability that a message is delivered twice (the copy gets its own delay). */
  dupChance: number;
  /** Usual one-way delay is uniform in [delayMinTicks, delayMaxTicks]. */
  delayMinTicks: number;
  delayMaxTicks: number;
  /** Probability of a straggler delayed up to longDelayMaxTicks (reorders across many ticks). */
  longDelayChance: number;
  longDelayMaxTicks: number;
}

export const CALM_NETWORK: NetworkFaults = {
  dropChance: 0,
  dupChance: 0,
  delayMinTicks: 0,
  delayMaxTicks: 1,
  longDelayChance: 0,
  longDelayMaxTicks: 1,
};

interface InFlight {
  readonly at: number; // tick at which it is delivered
  readonly order: number; // random tie-break among messages due at the same tick
  readonly m: Message;
}

export class SimNetwork {
  /** Bound on messages in flight: a run that exceeds it has a runaway sender (a bug, so it throws). */
  static readonly inFlightMax = 200_000;
  private readonly heap: InFlight[] = [];
  private readonly blocked = new Set<string>();
  /** Extra delay on some directed links (a slow path: congestion, a retransmitting connection). */
  private readonly slowLinks = new Map<string, number>();
  faults: NetworkFaults;
  sent = 0;
  dropped = 0;

  constructor(private readonly rng: Prng, faults: NetworkFaults) {
    this.faults = faults;
  }

  send(m: Message, now: number): void {
    this.sent++;
    if (this.rng.chance(this.faults.dropChance)) {
      this.dropped++;
      return;
    }
    this.push(m, now);
    if (this.rng.chance(this.faults.dupChance)) this.push(m, now);
  }

  /** Put back a message that waited at a paused receiver: it arrives within the usual delay. */
  redeliver(m: Message, now: number): void {
    this.push(m, now);
  }

  /**
   * Messages due by `now`, in delivery order, with links blocked at delivery
   * time filtered out; `unreachable` hears of each one lost to a partition.
   */
  takeDue(now: number, unreachable: (m: Message) => void): Message[] {
    const out: Message[] = [];
    while (this.heap.length > 0 && this.heap[0]!.at <= now) {
      const item = this.popMin();
      if (this.isBlocked(item.m.from, item.m.to)) {
        this.dropped++;
        unreachable(item.m);
        continue;
      }
      out.push(item.m);
    }
    return out;
  }

  get inFlight(): number {
    return this.heap.length;
  }

  block(from: NodeId, to: NodeId): void {
    this.blocked.add(linkKey(from, to));
  }

  /** Reopen one directed link (a reconnected stream). */
  unblock(from: NodeId, to: NodeId): void {
    this.blocked.delete(linkKey(from, to));
  }

  /** Cut both directions between every member of `a` and every member of `b`. */
  partition(a: readonly NodeId[], b: readonly NodeId[]): void {
    for (const x of a) {
      for (const y of b) {
        this.block(x, y);
        this.block(y, x);
      }
    }
  }

  /** Delay every message from `from` to `to` by `ticks` more (until healAll). */
  slow(from: NodeId, to: NodeId, ticks: number): void {
    this.slowLinks.set(linkKey(from, to), ticks);
  }

  isBlocked(from: NodeId, to: NodeId): boolean {
    return this.blocked.size > 0 && this.blocked.has(linkKey(from, to));
  }

  get partitioned(): boolean {
    return this.blocked.size > 0;
  }

  healAll(): void {
    this.blocked.clear();
    this.slowLinks.clear();
  }

  private push(m: Message, now: number): void {
    if (this.heap.length >= SimNetwork.inFlightMax) {
      throw new Error(`network: more than ${SimNetwork.inFlightMax} messages in flight`);
    }
    const f = this.faults;
    const delay = this.rng.chance(f.longDelayChance)
      ? this.rng.range(f.delayMinTicks, Math.max(f.delayMinTicks, f.longDelayMaxTicks))
      : this.rng.range(f.delayMinTicks, f.delayMaxTicks);
    // A message is never delivered in the tick it was sent: the earliest is the next one.
    const extra = this.slowLinks.size > 0 ? (this.slowLinks.get(linkKey(m.from, m.to)) ?? 0) : 0;
    const item: InFlight = { at: now + Math.max(1, delay) + extra, order: this.rng.next(), m };
    this.heap.push(item);
    this.siftUp(this.heap.length - 1);
  }

  private popMin(): InFlight {
    const top = this.heap[0]!;
    const last = this.heap.pop()!;
    if (this.heap.length > 0) {
      this.heap[0] = last;
      this.siftDown(0);
    }
    return top;
  }

  private siftUp(i: number): void {
    const h = this.heap;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!less(h[i]!, h[p]!)) return;
      [h[i], h[p]] = [h[p]!, h[i]!];
      i = p;
    }
  }

  private siftDown(i: number): void {
    const h = this.heap;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && less(h[l]!, h[m]!)) m = l;
      if (r < h.length && less(h[r]!, h[m]!)) m = r;
      if (m === i) return;
      [h[i], h[m]] = [h[m]!, h[i]!];
      i = m;
    }
  }
}

function less(a: InFlight, b: InFlight): boolean {
  return a.at < b.at || (a.at === b.at && a.order < b.order);
}

function linkKey(from: NodeId, to: NodeId): string {
  return `${from}>${to}`;
}
