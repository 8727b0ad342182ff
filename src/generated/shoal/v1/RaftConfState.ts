// Original file: proto/shoal/v1/raft.proto

import type { Long } from '@grpc/proto-loader';

/**
 * Raft membership: voters decide elections and commits; learners only receive the log.
 */
export interface RaftConfState {
  /**
   * Node IDs of voters.
   */
  'voters'?: (number | string | Long)[];
  /**
   * Node IDs of learners.
   */
  'learners'?: (number | string | Long)[];
}

/**
 * Raft membership: voters decide elections and commits; learners only receive the log.
 */
export interface RaftConfState__Output {
  /**
   * Node IDs of voters.
   */
  'voters': (number)[];
  /**
   * Node IDs of learners.
   */
  'learners': (number)[];
}
