import type { ConfChange, ConfState, Message, NodeId, RaftResult, Ready, Role, Snapshot } from './types.js';

/**
 * The public face of the Raft core, implemented by RawNode (raw-node.ts).
 * Every method is synchronous and deterministic; none does I/O.
 *
 * The driving loop (simulator or the manager's node shell):
 *   on timer          -> tick()
 *   on message        -> step(m)
 *   on client write   -> propose(data)
 *   whenever hasReady() -> rd = ready(); persist(rd); send(rd.messages);
 *                          apply(rd.committedEntries); advance(rd)
 */
export interface RaftNode {
  readonly id: NodeId;
  /** Advance logical time by one tick (elections, heartbeats, check-quorum). */
  tick(): void;
  /** Feed a message received from a peer. Messages for another node or from a stale term are handled as Raft says. */
  step(m: Message): void;
  /** Append `data` as a normal entry. Only the leader accepts; otherwise a refusal value says why. */
  propose(data: Uint8Array): RaftResult;
  /** Propose a membership change. One may be pending at a time. */
  proposeConfChange(cc: ConfChange): RaftResult;
  /**
   * Called by the application when it applies a committed conf-change entry.
   * Returns the new membership. A leader removed by it steps down.
   */
  applyConfChange(cc: ConfChange): ConfState;
  /**
   * Request a linearizable read. `context` must be unique per request; the
   * matching ReadState arrives in a later Ready. On a follower the request is
   * forwarded to the leader.
   */
  readIndex(context: Uint8Array): RaftResult;
  /**
   * Leader only: hand leadership to `target` once it is up to date. Proposals
   * are refused ('transfer-in-progress') until it completes or is aborted after
   * an election timeout. A target that is not a voter is refused with code
   * 'invalid-conf-change' and a message saying so.
   */
  transferLeadership(target: NodeId): RaftResult;
  /** Start an election now (used by tests and by a single-node cluster at boot). */
  campaign(): void;
  /** False while a Ready is outstanding (between ready() and advance()). */
  hasReady(): boolean;
  /** Exactly one Ready may be outstanding; calling ready() again before advance() throws. */
  ready(): Ready;
  /** Acknowledge that everything in `rd` has been persisted, sent and applied. */
  advance(rd: Ready): void;
  /**
   * The transport finished or failed delivering a snapshot to `to` (for
   * transports that ship snapshots out of band); on failure the leader probes
   * the follower again.
   */
  reportSnapshot(to: NodeId, status: 'finished' | 'failure'): void;
  /** The transport could not reach `to`: the leader drops back to probing it. */
  reportUnreachable(to: NodeId): void;
  /**
   * The connection from `leader` broke with a reset or an end of stream (its
   * process most likely died; not a timeout). A follower of that leader gives
   * up its lease and campaigns (with pre-vote) at once or after a few ticks
   * ranked by ID, instead of waiting out its election timeout. Ignored
   * unless pre-vote and check-quorum are on and reads are 'safe' (a lease
   * read on the leader relies on this follower's lease), on a node that does
   * not follow `leader`, and within an election timeout after a restart.
   */
  reportLeaderLost(leader: NodeId): void;
  /** A read-only view for tests, invariants and `shoal info`. */
  status(): RaftStatus;
}

export interface ProgressStatus {
  readonly match: number;
  readonly next: number;
  readonly state: 'probe' | 'replicate' | 'snapshot';
  readonly recentActive: boolean;
  readonly isLearner: boolean;
}

export interface RaftStatus {
  readonly id: NodeId;
  readonly role: Role;
  readonly term: number;
  readonly vote: NodeId;
  readonly leader: NodeId;
  readonly commit: number;
  readonly applied: number;
  readonly lastIndex: number;
  readonly conf: ConfState;
  /** Only on the leader: per-peer replication progress. */
  readonly progress: ReadonlyMap<NodeId, ProgressStatus> | null;
  readonly leadTransferee: NodeId;
}

/** Restore a snapshot into the state machine: helper type for shells and the simulator. */
export type SnapshotApplier = (snapshot: Snapshot) => void;
