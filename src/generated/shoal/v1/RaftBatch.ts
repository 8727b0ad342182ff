// Original file: proto/shoal/v1/raft.proto

import type { RaftMessage as _shoal_v1_RaftMessage, RaftMessage__Output as _shoal_v1_RaftMessage__Output } from '../../shoal/v1/RaftMessage.js';

/**
 * A batch of Raft messages written on a Stream, in send order.
 */
export interface RaftBatch {
  /**
   * The messages; all have the same `from` and `to`. Bounded by the sender (batchMessagesMax).
   */
  'messages'?: (_shoal_v1_RaftMessage)[];
}

/**
 * A batch of Raft messages written on a Stream, in send order.
 */
export interface RaftBatch__Output {
  /**
   * The messages; all have the same `from` and `to`. Bounded by the sender (batchMessagesMax).
   */
  'messages': (_shoal_v1_RaftMessage__Output)[];
}
