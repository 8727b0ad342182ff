// Original file: proto/shoal/v1/raft.proto

/**
 * The kind of a Raft message (src/raft/core/types.ts MessageType).
 */
export const RaftMessageType = {
  /**
   * Never sent; a message with this type is malformed.
   */
  RAFT_MESSAGE_TYPE_UNSPECIFIED: 'RAFT_MESSAGE_TYPE_UNSPECIFIED',
  /**
   * Pre-vote request: would you vote for me at term+1? Changes nobody's term.
   */
  RAFT_MESSAGE_TYPE_PRE_VOTE: 'RAFT_MESSAGE_TYPE_PRE_VOTE',
  /**
   * Answer to a pre-vote request (reject = not granted).
   */
  RAFT_MESSAGE_TYPE_PRE_VOTE_RESP: 'RAFT_MESSAGE_TYPE_PRE_VOTE_RESP',
  /**
   * Vote request (RequestVote).
   */
  RAFT_MESSAGE_TYPE_VOTE: 'RAFT_MESSAGE_TYPE_VOTE',
  /**
   * Answer to a vote request (reject = not granted).
   */
  RAFT_MESSAGE_TYPE_VOTE_RESP: 'RAFT_MESSAGE_TYPE_VOTE_RESP',
  /**
   * AppendEntries: entries after (log_index, log_term) and the leader's commit.
   */
  RAFT_MESSAGE_TYPE_APPEND: 'RAFT_MESSAGE_TYPE_APPEND',
  /**
   * Answer to AppendEntries: index matched, or reject with reject_hint.
   */
  RAFT_MESSAGE_TYPE_APPEND_RESP: 'RAFT_MESSAGE_TYPE_APPEND_RESP',
  /**
   * Leader heartbeat: commit and an optional read context.
   */
  RAFT_MESSAGE_TYPE_HEARTBEAT: 'RAFT_MESSAGE_TYPE_HEARTBEAT',
  /**
   * Answer to a heartbeat (echoes context).
   */
  RAFT_MESSAGE_TYPE_HEARTBEAT_RESP: 'RAFT_MESSAGE_TYPE_HEARTBEAT_RESP',
  /**
   * One chunk of InstallSnapshot (field `snapshot`).
   */
  RAFT_MESSAGE_TYPE_SNAPSHOT: 'RAFT_MESSAGE_TYPE_SNAPSHOT',
  /**
   * Acknowledgement of a snapshot chunk (index = bytes received so far).
   */
  RAFT_MESSAGE_TYPE_SNAPSHOT_RESP: 'RAFT_MESSAGE_TYPE_SNAPSHOT_RESP',
  /**
   * Leadership transfer: campaign now, skipping pre-vote.
   */
  RAFT_MESSAGE_TYPE_TIMEOUT_NOW: 'RAFT_MESSAGE_TYPE_TIMEOUT_NOW',
  /**
   * A follower asks the leader for a read index (context identifies the read).
   */
  RAFT_MESSAGE_TYPE_READ_INDEX: 'RAFT_MESSAGE_TYPE_READ_INDEX',
  /**
   * The leader's answer to a read-index request (index = read index).
   */
  RAFT_MESSAGE_TYPE_READ_INDEX_RESP: 'RAFT_MESSAGE_TYPE_READ_INDEX_RESP',
} as const;

/**
 * The kind of a Raft message (src/raft/core/types.ts MessageType).
 */
export type RaftMessageType =
  /**
   * Never sent; a message with this type is malformed.
   */
  | 'RAFT_MESSAGE_TYPE_UNSPECIFIED'
  | 0
  /**
   * Pre-vote request: would you vote for me at term+1? Changes nobody's term.
   */
  | 'RAFT_MESSAGE_TYPE_PRE_VOTE'
  | 1
  /**
   * Answer to a pre-vote request (reject = not granted).
   */
  | 'RAFT_MESSAGE_TYPE_PRE_VOTE_RESP'
  | 2
  /**
   * Vote request (RequestVote).
   */
  | 'RAFT_MESSAGE_TYPE_VOTE'
  | 3
  /**
   * Answer to a vote request (reject = not granted).
   */
  | 'RAFT_MESSAGE_TYPE_VOTE_RESP'
  | 4
  /**
   * AppendEntries: entries after (log_index, log_term) and the leader's commit.
   */
  | 'RAFT_MESSAGE_TYPE_APPEND'
  | 5
  /**
   * Answer to AppendEntries: index matched, or reject with reject_hint.
   */
  | 'RAFT_MESSAGE_TYPE_APPEND_RESP'
  | 6
  /**
   * Leader heartbeat: commit and an optional read context.
   */
  | 'RAFT_MESSAGE_TYPE_HEARTBEAT'
  | 7
  /**
   * Answer to a heartbeat (echoes context).
   */
  | 'RAFT_MESSAGE_TYPE_HEARTBEAT_RESP'
  | 8
  /**
   * One chunk of InstallSnapshot (field `snapshot`).
   */
  | 'RAFT_MESSAGE_TYPE_SNAPSHOT'
  | 9
  /**
   * Acknowledgement of a snapshot chunk (index = bytes received so far).
   */
  | 'RAFT_MESSAGE_TYPE_SNAPSHOT_RESP'
  | 10
  /**
   * Leadership transfer: campaign now, skipping pre-vote.
   */
  | 'RAFT_MESSAGE_TYPE_TIMEOUT_NOW'
  | 11
  /**
   * A follower asks the leader for a read index (context identifies the read).
   */
  | 'RAFT_MESSAGE_TYPE_READ_INDEX'
  | 12
  /**
   * The leader's answer to a read-index request (index = read index).
   */
  | 'RAFT_MESSAGE_TYPE_READ_INDEX_RESP'
  | 13

/**
 * The kind of a Raft message (src/raft/core/types.ts MessageType).
 */
export type RaftMessageType__Output = typeof RaftMessageType[keyof typeof RaftMessageType]
