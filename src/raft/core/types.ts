/**
 * The vocabulary of the Raft core: log entries, persistent state, messages and
 * the Ready batch through which every effect leaves the core.
 *
 * The core is a pure, deterministic state machine (in the manner of etcd's
 * raft). Nothing in src/raft/core may read a clock, draw randomness other than
 * from the seeded source handed in, start a timer or touch the disk or the
 * network; lint enforces this. Time arrives as RawNode.tick(); all effects
 * leave as a Ready batch that the caller persists, sends and applies, then
 * acknowledges with RawNode.advance().
 */

/** A node's ID. Positive integers; 0 means "nobody". IDs are never reused. */
export type NodeId = number;
export const NONE: NodeId = 0;

export type EntryKind = 'normal' | 'conf-change';

/**
 * One entry of the replicated log.
 * Invariant: index >= 1, term >= 1 for every entry that is ever stored.
 * An entry with kind 'normal' and empty data is the no-op a new leader appends.
 */
export interface Entry {
  readonly term: number;
  readonly index: number;
  readonly kind: EntryKind;
  readonly data: Uint8Array;
}

/** The state that must be durable before any message that depends on it is sent. */
export interface HardState {
  readonly term: number;
  /** Whom this node voted for in `term`; NONE if nobody. */
  readonly vote: NodeId;
  /** Highest index known committed. Invariant: commit <= last index in the log. */
  readonly commit: number;
}

export const EMPTY_HARD_STATE: HardState = { term: 0, vote: NONE, commit: 0 };

/** The membership: voters decide elections and commits; learners only receive the log. */
export interface ConfState {
  readonly voters: readonly NodeId[];
  readonly learners: readonly NodeId[];
}

export interface SnapshotMeta {
  /** The last log index the snapshot covers. */
  readonly index: number;
  /** The term of the entry at `index`. */
  readonly term: number;
  /** The membership as of `index`. */
  readonly conf: ConfState;
}

export interface Snapshot {
  readonly meta: SnapshotMeta;
  /** Opaque application state as of meta.index. */
  readonly data: Uint8Array;
}

/**
 * A membership change, carried in a log entry of kind 'conf-change'
 * (encoded with encodeConfChange). It takes effect when the application
 * applies the entry and calls RawNode.applyConfChange. Only one change may be
 * pending (appended but not yet applied) at a time, which makes single-server
 * changes safe without joint consensus.
 */
export interface ConfChange {
  readonly type: 'add-voter' | 'add-learner' | 'remove-node';
  readonly nodeId: NodeId;
  /** Opaque application data, e.g. the new member's address. */
  readonly context: Uint8Array;
}

export type MessageType =
  | 'pre-vote' // PreVote request: would you vote for me at term+1? Does not change anyone's term.
  | 'pre-vote-resp'
  | 'vote'
  | 'vote-resp'
  | 'append' // AppendEntries: entries after (logIndex, logTerm), and the leader's commit
  | 'append-resp'
  | 'heartbeat' // carries commit (capped at what the follower is known to have) and a read context
  | 'heartbeat-resp'
  | 'snapshot' // one chunk of InstallSnapshot
  | 'snapshot-resp'
  | 'timeout-now' // leadership transfer: campaign now, skipping pre-vote
  | 'read-index' // follower asks the leader for a read index on a client's behalf
  | 'read-index-resp';

/**
 * A message between two Raft nodes. Fields not used by a type are left at
 * their zero value so that messages are easy to encode on the wire.
 */
export interface Message {
  readonly type: MessageType;
  readonly from: NodeId;
  readonly to: NodeId;
  /** The sender's term (for pre-vote: the term it would campaign at). */
  readonly term: number;
  /** append: index of the entry preceding `entries`; vote: candidate's last index; resp: see below. */
  readonly logIndex: number;
  /** append: term of the entry at logIndex; vote: candidate's last term. */
  readonly logTerm: number;
  readonly entries: readonly Entry[];
  /** append / heartbeat: the leader's commit index. */
  readonly commit: number;
  /**
   * Responses: true when the request was refused (vote not granted, append did
   * not match). For append-resp with reject, `rejectHint` is the follower's
   * last index so the leader can back off quickly.
   */
  readonly reject: boolean;
  /**
   * append-resp: on success, the highest index now known to match;
   * on reject, the follower's hint for where to probe next.
   * snapshot-resp: the number of snapshot bytes received so far.
   */
  readonly index: number;
  readonly rejectHint: number;
  /** snapshot: the chunk of the snapshot being installed (see SnapshotChunk). */
  readonly snapshot: SnapshotChunk | null;
  /** heartbeat / read-index: opaque context that identifies a read request. */
  readonly context: Uint8Array;
}

/**
 * InstallSnapshot is sent in chunks of bounded size (Config.snapshotChunkBytes)
 * so that no message grows with the state. The follower acknowledges each chunk
 * and installs the snapshot once the chunk with `done` arrives.
 */
export interface SnapshotChunk {
  readonly meta: SnapshotMeta;
  /** Byte offset of `data` within the whole snapshot. */
  readonly offset: number;
  readonly data: Uint8Array;
  /** Total size of the snapshot in bytes. */
  readonly totalBytes: number;
  readonly done: boolean;
}

export type Role = 'follower' | 'pre-candidate' | 'candidate' | 'leader';

/** Volatile state that the application may want to observe (who leads). */
export interface SoftState {
  readonly leader: NodeId;
  readonly role: Role;
}

/**
 * A linearizable read became ready: once the application has applied up to
 * `index`, it may serve the read identified by `context`.
 */
export interface ReadState {
  readonly index: number;
  readonly context: Uint8Array;
}

/**
 * Everything the core wants done, in order:
 *  1. persist `hardState`, `entries` and `snapshot` (one durable transaction);
 *  2. send `messages` (only after step 1: a vote or an append ack must never
 *     leave before the state it promises is durable);
 *  3. apply `committedEntries` (and a received `snapshot`) to the state machine;
 *  4. call RawNode.advance(ready).
 */
export interface Ready {
  readonly softState: SoftState | null; // non-null only when it changed
  readonly hardState: HardState | null; // non-null only when it changed
  readonly entries: readonly Entry[]; // to append to stable storage; may replace a conflicting suffix
  /**
   * Received from the leader: persist and apply it. When both are set, persist
   * the snapshot before `entries` (the entries follow the snapshot's index).
   * After advance(), the node's applied index is the snapshot's index.
   */
  readonly snapshot: Snapshot | null;
  /**
   * Entries to apply, in order: committed AND already in stable storage (never
   * beyond what an earlier Ready had the caller persist). Bounded by
   * Config.maxCommittedSizePerReadyBytes; the rest comes in later Readies.
   */
  readonly committedEntries: readonly Entry[];
  readonly messages: readonly Message[];
  readonly readStates: readonly ReadState[];
  /** True when hardState or entries must be fsynced before messages are sent. */
  readonly mustSync: boolean;
}

/** Why a proposal, read or transfer request could not be taken. An expected operating error, not a bug. */
export type RaftRefusal =
  | { readonly code: 'no-leader' } // nobody is known to lead: retry later
  | { readonly code: 'not-leader'; readonly leader: NodeId } // propose on the leader instead
  | { readonly code: 'transfer-in-progress'; readonly target: NodeId } // leader is handing over: retry later
  | { readonly code: 'conf-change-pending'; readonly pendingIndex: number } // one membership change at a time
  | { readonly code: 'invalid-conf-change'; readonly message: string }
  | { readonly code: 'too-large'; readonly message: string }; // proposal exceeds limits

export type RaftResult = { readonly ok: true } | { readonly ok: false; readonly refusal: RaftRefusal };

export const OK: RaftResult = { ok: true };
