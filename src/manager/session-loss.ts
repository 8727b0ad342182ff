/**
 * Nodes whose session stream broke, waiting out the reconnect grace.
 *
 * A worker whose process dies has its TCP connection closed by its kernel at
 * once, so the leader sees its Connect stream cancelled within milliseconds.
 * A live worker that leaves a session on purpose sends a goodbye on the stream
 * and is not tracked here. So a broken stream is strong evidence of a dead
 * worker, and the dispatcher marks the node down as soon as a short grace
 * passes without a new session, instead of waiting for three missed heartbeats.
 * The grace covers a connection that broke under a live worker, which
 * reconnects within a few hundred milliseconds.
 *
 * Pure bookkeeping: the caller passes the clock.
 */
export const SESSION_LOSS_GRACE_MS_DEFAULT = 1_000;

export interface BrokenSession {
  readonly nodeId: string;
  readonly brokeAtMs: number;
}

export class BrokenSessions {
  private readonly brokeAt = new Map<string, number>();

  get size(): number {
    return this.brokeAt.size;
  }

  /** The node's session stream broke without a goodbye. */
  noteBroken(nodeId: string, nowMs: number): void {
    this.brokeAt.set(nodeId, nowMs);
  }

  /** The node opened a session again (or is otherwise accounted for): no longer waiting. */
  forget(nodeId: string): void {
    this.brokeAt.delete(nodeId);
  }

  /** Shifts every deadline by a stall of the caller's own event loop, which is not the workers' fault. */
  credit(lagMs: number): void {
    for (const [id, t] of this.brokeAt) this.brokeAt.set(id, t + lagMs);
  }

  clear(): void {
    this.brokeAt.clear();
  }

  /** Removes and returns the nodes whose grace has run out. */
  takeExpired(nowMs: number, graceMs: number): BrokenSession[] {
    const out: BrokenSession[] = [];
    for (const [nodeId, brokeAtMs] of this.brokeAt) {
      if (nowMs - brokeAtMs < graceMs) continue;
      this.brokeAt.delete(nodeId);
      out.push({ nodeId, brokeAtMs });
    }
    return out;
  }
}
