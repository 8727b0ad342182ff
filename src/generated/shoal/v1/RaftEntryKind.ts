// Original file: proto/shoal/v1/raft.proto

/**
 * The kind of a log entry (src/raft/core/types.ts EntryKind).
 */
export const RaftEntryKind = {
  /**
   * Never sent; an entry with this kind is malformed.
   */
  RAFT_ENTRY_KIND_UNSPECIFIED: 'RAFT_ENTRY_KIND_UNSPECIFIED',
  /**
   * Application command (empty data = a new leader's no-op).
   */
  RAFT_ENTRY_KIND_NORMAL: 'RAFT_ENTRY_KIND_NORMAL',
  /**
   * Encoded membership change (single-server change).
   */
  RAFT_ENTRY_KIND_CONF_CHANGE: 'RAFT_ENTRY_KIND_CONF_CHANGE',
} as const;

/**
 * The kind of a log entry (src/raft/core/types.ts EntryKind).
 */
export type RaftEntryKind =
  /**
   * Never sent; an entry with this kind is malformed.
   */
  | 'RAFT_ENTRY_KIND_UNSPECIFIED'
  | 0
  /**
   * Application command (empty data = a new leader's no-op).
   */
  | 'RAFT_ENTRY_KIND_NORMAL'
  | 1
  /**
   * Encoded membership change (single-server change).
   */
  | 'RAFT_ENTRY_KIND_CONF_CHANGE'
  | 2

/**
 * The kind of a log entry (src/raft/core/types.ts EntryKind).
 */
export type RaftEntryKind__Output = typeof RaftEntryKind[keyof typeof RaftEntryKind]
