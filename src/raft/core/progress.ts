import { Inflights } from './inflights.js';
import type { Snapshot } from './types.js';

export type ProgressState = 'probe' | 'replicate' | 'snapshot';

/**
 * What the leader knows of one peer's log.
 *
 * - probe: the leader does not know where the follower's log ends; it sends
 *   one append at a time and waits for the answer (or a heartbeat response).
 * - replicate: the follower is known to match up to `match`; the leader streams
 *   appends optimistically, bounded by the in-flight window.
 * - snapshot: the entries the follower needs are compacted; the leader ships a
 *   snapshot in chunks and sends nothing else until the follower reports back.
 *
 * Invariant: 0 <= match < next.
 */
export class Progress {
  match = 0;
  next: number;
  state: ProgressState = 'probe';
  /** In probe state: an append was sent and no answer has come yet. */
  probeSent = false;
  /** Heard from since the last check-quorum period (or new: counted as active). */
  recentActive = true;
  /** In snapshot state: the snapshot being shipped. */
  pendingSnapshot: Snapshot | null = null;
  /** In snapshot state: bytes the follower acknowledged so far. */
  snapshotAckedBytes = 0;
  /**
   * The highest commit index this follower was told (by an append, capped at the entries it
   * covered, or a heartbeat). The leader sends no message for the commit index alone: it rides on
   * the next append or heartbeat, and a follower that waits on a read is told at once.
   */
  sentCommit = 0;
  readonly inflights: Inflights;

  constructor(next: number, inflightMsgsMax: number, public isLearner: boolean) {
    if (next < 1) throw new Error(`progress: next ${next} must be >= 1`);
    this.next = next;
    this.inflights = new Inflights(inflightMsgsMax);
  }

  private checkInvariant(): void {
    if (!(this.match >= 0 && this.match < this.next)) {
      throw new Error(`progress invariant broken: match ${this.match} must be < next ${this.next}`);
    }
  }

  private resetState(state: ProgressState): void {
    this.probeSent = false;
    this.pendingSnapshot = null;
    this.snapshotAckedBytes = 0;
    this.state = state;
    this.inflights.reset();
  }

  becomeProbe(): void {
    // After a snapshot the follower has at least the snapshot's index.
    const snapIndex = this.state === 'snapshot' && this.pendingSnapshot !== null ? this.pendingSnapshot.meta.index : 0;
    this.resetState('probe');
    this.next = Math.max(this.match + 1, snapIndex + 1);
    this.checkInvariant();
  }

  becomeReplicate(): void {
    this.resetState('replicate');
    this.next = this.match + 1;
    this.checkInvariant();
  }

  becomeSnapshot(snapshot: Snapshot): void {
    this.resetState('snapshot');
    this.pendingSnapshot = snapshot;
  }

  /** An ack for `index` arrived. Returns true when it told us something new. */
  maybeUpdate(index: number): boolean {
    let updated = false;
    if (this.match < index) {
      this.match = index;
      updated = true;
      this.probeSent = false;
    }
    this.next = Math.max(this.next, index + 1);
    this.checkInvariant();
    return updated;
  }

  /** Optimistically advance next after sending entries up to `lastIndex` in replicate state. */
  optimisticUpdate(lastIndex: number): void {
    this.next = lastIndex + 1;
    this.checkInvariant();
  }

  /**
   * The follower rejected an append at `rejected`; `matchHint` is where it
   * suggests probing. Returns false when the rejection is stale.
   */
  maybeDecrTo(rejected: number, matchHint: number): boolean {
    if (this.state === 'replicate') {
      // Stale unless it rejects the entry right after what we know matches.
      if (rejected <= this.match) return false;
      this.next = this.match + 1;
      this.checkInvariant();
      return true;
    }
    // Probe: only the rejection of our last probe (next - 1) counts.
    if (this.next - 1 !== rejected) return false;
    this.next = Math.max(Math.min(rejected, matchHint + 1), this.match + 1, 1);
    this.probeSent = false;
    this.checkInvariant();
    return true;
  }

  /** True when the leader should not send more appends to this peer now. */
  isPaused(): boolean {
    switch (this.state) {
      case 'probe':
        return this.probeSent;
      case 'replicate':
        return this.inflights.full();
      case 'snapshot':
        return true;
    }
  }
}
