// Original file: proto/shoal/v1/raft.proto

import type { Long } from '@grpc/proto-loader';

/**
 * Sent by the receiver when a Stream ends normally.
 */
export interface RaftStreamSummary {
  /**
   * Number of messages the receiver accepted on this stream.
   */
  'messagesReceived'?: (number | string | Long);
}

/**
 * Sent by the receiver when a Stream ends normally.
 */
export interface RaftStreamSummary__Output {
  /**
   * Number of messages the receiver accepted on this stream.
   */
  'messagesReceived': (number);
}
