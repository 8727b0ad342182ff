// Original file: proto/shoal/v1/raft.proto

import type { RaftMessageType as _shoal_v1_RaftMessageType, RaftMessageType__Output as _shoal_v1_RaftMessageType__Output } from '../../shoal/v1/RaftMessageType.js';
import type { RaftEntry as _shoal_v1_RaftEntry, RaftEntry__Output as _shoal_v1_RaftEntry__Output } from '../../shoal/v1/RaftEntry.js';
import type { RaftSnapshotChunk as _shoal_v1_RaftSnapshotChunk, RaftSnapshotChunk__Output as _shoal_v1_RaftSnapshotChunk__Output } from '../../shoal/v1/RaftSnapshotChunk.js';
import type { Long } from '@grpc/proto-loader';

/**
 * A message between two Raft nodes (src/raft/core/types.ts Message).
 * Node IDs are positive integers; 0 means "nobody".
 */
export interface RaftMessage {
  /**
   * The kind of message; required.
   */
  'type'?: (_shoal_v1_RaftMessageType);
  /**
   * Sender's node ID.
   */
  'from'?: (number | string | Long);
  /**
   * Receiver's node ID; must be the receiving manager.
   */
  'to'?: (number | string | Long);
  /**
   * Sender's term (pre-vote: the term it would campaign at).
   */
  'term'?: (number | string | Long);
  /**
   * append: index preceding `entries`; vote: candidate's last index.
   */
  'logIndex'?: (number | string | Long);
  /**
   * append: term at log_index; vote: candidate's last term.
   */
  'logTerm'?: (number | string | Long);
  /**
   * append: the entries to append, in index order.
   */
  'entries'?: (_shoal_v1_RaftEntry)[];
  /**
   * append / heartbeat: the leader's commit index.
   */
  'commit'?: (number | string | Long);
  /**
   * Responses: true when the request was refused.
   */
  'reject'?: (boolean);
  /**
   * append-resp: highest matching index (or probe hint); snapshot-resp: bytes received; read-index-resp: the read index.
   */
  'index'?: (number | string | Long);
  /**
   * append-resp with reject: the follower's last index.
   */
  'rejectHint'?: (number | string | Long);
  /**
   * snapshot: the chunk being sent; absent for all other types.
   */
  'snapshot'?: (_shoal_v1_RaftSnapshotChunk | null);
  /**
   * heartbeat / read-index: opaque context identifying a read request.
   */
  'context'?: (Buffer | Uint8Array | string);
}

/**
 * A message between two Raft nodes (src/raft/core/types.ts Message).
 * Node IDs are positive integers; 0 means "nobody".
 */
export interface RaftMessage__Output {
  /**
   * The kind of message; required.
   */
  'type': (_shoal_v1_RaftMessageType__Output);
  /**
   * Sender's node ID.
   */
  'from': (number);
  /**
   * Receiver's node ID; must be the receiving manager.
   */
  'to': (number);
  /**
   * Sender's term (pre-vote: the term it would campaign at).
   */
  'term': (number);
  /**
   * append: index preceding `entries`; vote: candidate's last index.
   */
  'logIndex': (number);
  /**
   * append: term at log_index; vote: candidate's last term.
   */
  'logTerm': (number);
  /**
   * append: the entries to append, in index order.
   */
  'entries': (_shoal_v1_RaftEntry__Output)[];
  /**
   * append / heartbeat: the leader's commit index.
   */
  'commit': (number);
  /**
   * Responses: true when the request was refused.
   */
  'reject': (boolean);
  /**
   * append-resp: highest matching index (or probe hint); snapshot-resp: bytes received; read-index-resp: the read index.
   */
  'index': (number);
  /**
   * append-resp with reject: the follower's last index.
   */
  'rejectHint': (number);
  /**
   * snapshot: the chunk being sent; absent for all other types.
   */
  'snapshot': (_shoal_v1_RaftSnapshotChunk__Output | null);
  /**
   * heartbeat / read-index: opaque context identifying a read request.
   */
  'context': (Buffer);
}
