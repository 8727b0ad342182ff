import type { NodeId } from './types.js';

/**
 * A read request the leader has accepted: it may be served once the
 * application has applied up to `index` and a quorum has confirmed that this
 * node was still leader after the request arrived.
 */
export interface ReadRequest {
  readonly index: number;
  readonly context: Uint8Array;
  /** NONE for a request made on this node; otherwise the follower that forwarded it. */
  readonly from: NodeId;
  readonly acks: Set<NodeId>;
}

/** A stable map key for a read context (contexts are small, caller-chosen byte strings). */
export function contextKey(ctx: Uint8Array): string {
  let s = '';
  for (let k = 0; k < ctx.length; k++) s += String.fromCharCode(ctx[k]!);
  return s;
}

/**
 * The leader's queue of ReadIndex requests awaiting a heartbeat round
 * (Raft thesis §6.4). Requests are confirmed in order: a quorum ack for a
 * later request confirms all earlier ones too, because the acks came after
 * all of them were queued.
 */
export class ReadOnlyQueue {
  private readonly pending = new Map<string, ReadRequest>();
  private queue: string[] = [];

  constructor(readonly requestsMax: number) {}

  get size(): number {
    return this.queue.length;
  }

  has(ctx: Uint8Array): boolean {
    return this.pending.has(contextKey(ctx));
  }

  /** Queue a request. Returns false if the context is already pending (the duplicate is dropped). */
  add(index: number, context: Uint8Array, from: NodeId): boolean {
    const key = contextKey(context);
    if (this.pending.has(key)) return false;
    if (this.queue.length >= this.requestsMax) throw new Error(`read-only queue over its bound of ${this.requestsMax}`);
    this.pending.set(key, { index, context, from, acks: new Set() });
    this.queue.push(key);
    return true;
  }

  /** Record that `id` acknowledged the heartbeat carrying `context`. Returns the ack set, or null if unknown. */
  recvAck(id: NodeId, context: Uint8Array): ReadonlySet<NodeId> | null {
    const req = this.pending.get(contextKey(context));
    if (req === undefined) return null;
    req.acks.add(id);
    return req.acks;
  }

  /** Remove and return every request up to and including the one with `context`. */
  advance(context: Uint8Array): ReadRequest[] {
    const key = contextKey(context);
    const at = this.queue.indexOf(key);
    if (at < 0) return [];
    const done: ReadRequest[] = [];
    for (let k = 0; k <= at; k++) {
      const kk = this.queue[k]!;
      const req = this.pending.get(kk);
      if (req === undefined) throw new Error('read-only queue and map disagree');
      done.push(req);
      this.pending.delete(kk);
    }
    this.queue = this.queue.slice(at + 1);
    return done;
  }

  /** The context of the newest pending request (carried on heartbeats), or null. */
  lastPendingContext(): Uint8Array | null {
    const key = this.queue[this.queue.length - 1];
    return key === undefined ? null : this.pending.get(key)!.context;
  }

  reset(): void {
    this.pending.clear();
    this.queue = [];
  }
}
