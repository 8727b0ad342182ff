/**
 * Group commit for small writes that arrive from many callers (task status
 * from every worker, node liveness): items queue up and a flush every
 * `flushMs` turns up to `batchItemsMax` of them into ONE command (one Raft
 * entry). Each caller's promise settles with the outcome of the entry that
 * carried its item.
 */
import { ShoalError } from '../errors.js';

interface Queued<T> {
  readonly item: T;
  readonly resolve: () => void;
  readonly reject: (e: unknown) => void;
}

export class WriteBatcher<T> {
  private queue: Queued<T>[] = [];
  private timer: NodeJS.Timeout | null = null;
  private flushing = false;

  constructor(
    private readonly write: (items: T[]) => Promise<unknown>,
    private readonly opts: { readonly flushMs: number; readonly batchItemsMax: number; readonly queuedItemsMax: number },
  ) {}

  /** Queues items; resolves when the entry that carries the last of them has applied. */
  add(items: readonly T[]): Promise<void> {
    if (this.queue.length + items.length > this.opts.queuedItemsMax) {
      return Promise.reject(new ShoalError('RESOURCE_EXHAUSTED', `the manager has ${this.queue.length} updates queued; retry shortly`));
    }
    if (items.length === 0) return Promise.resolve();
    const all = items.map(
      (item) =>
        new Promise<void>((resolve, reject) => {
          this.queue.push({ item, resolve, reject });
        }),
    );
    this.arm();
    return Promise.all(all).then(() => undefined);
  }

  get queued(): number {
    return this.queue.length;
  }

  /** Fails everything queued (leadership lost, shutdown). */
  failAll(e: unknown): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const q = this.queue;
    this.queue = [];
    for (const x of q) x.reject(e);
  }

  private arm(): void {
    if (this.timer || this.flushing) return;
    this.timer = setTimeout(() => void this.flush(), this.opts.flushMs);
  }

  private async flush(): Promise<void> {
    this.timer = null;
    this.flushing = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, this.opts.batchItemsMax);
        try {
          await this.write(batch.map((b) => b.item));
          for (const b of batch) b.resolve();
        } catch (e) {
          for (const b of batch) b.reject(e);
        }
      }
    } finally {
      this.flushing = false;
    }
  }
}
