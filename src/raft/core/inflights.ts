/**
 * The bounded window of append messages in flight to one follower in
 * replicate state. Each slot remembers the last index the message carried;
 * an ack for index i frees every slot <= i. A ring buffer: no allocation per
 * message once warmed up.
 */
export class Inflights {
  private readonly buffer: number[];
  private start = 0;
  private count = 0;

  constructor(readonly capacityMsgs: number) {
    if (!Number.isInteger(capacityMsgs) || capacityMsgs < 1) {
      throw new Error(`inflights capacity must be a positive integer, got ${capacityMsgs}`);
    }
    this.buffer = new Array<number>(capacityMsgs).fill(0);
  }

  get size(): number {
    return this.count;
  }

  full(): boolean {
    return this.count === this.capacityMsgs;
  }

  /** Record a message whose last entry is `lastIndex`. Indexes must increase. */
  add(lastIndex: number): void {
    if (this.full()) throw new Error(`inflights: add(${lastIndex}) on a full window of ${this.capacityMsgs}`);
    if (this.count > 0) {
      const prev = this.buffer[(this.start + this.count - 1) % this.capacityMsgs]!;
      if (lastIndex < prev) throw new Error(`inflights: index ${lastIndex} added after ${prev}`);
    }
    this.buffer[(this.start + this.count) % this.capacityMsgs] = lastIndex;
    this.count++;
  }

  /** Free every in-flight message whose last index is <= `index`. */
  freeLE(index: number): void {
    while (this.count > 0 && this.buffer[this.start]! <= index) {
      this.start = (this.start + 1) % this.capacityMsgs;
      this.count--;
    }
    if (this.count === 0) this.start = 0;
  }

  /** Free the oldest slot: a heartbeat response proves the follower is alive, so let one more message go. */
  freeFirstOne(): void {
    if (this.count === 0) return;
    this.start = (this.start + 1) % this.capacityMsgs;
    this.count--;
  }

  reset(): void {
    this.start = 0;
    this.count = 0;
  }
}
