// Original file: proto/shoal/v1/raft.proto

import type { RaftEntryKind as _shoal_v1_RaftEntryKind, RaftEntryKind__Output as _shoal_v1_RaftEntryKind__Output } from '../../shoal/v1/RaftEntryKind.js';
import type { Long } from '@grpc/proto-loader';

/**
 * One entry of the replicated log.
 */
export interface RaftEntry {
  /**
   * Term in which the entry was created; >= 1.
   */
  'term'?: (number | string | Long);
  /**
   * Position in the log; >= 1.
   */
  'index'?: (number | string | Long);
  /**
   * Normal or membership change.
   */
  'kind'?: (_shoal_v1_RaftEntryKind);
  /**
   * Opaque payload (the application command or the encoded change).
   */
  'data'?: (Buffer | Uint8Array | string);
}

/**
 * One entry of the replicated log.
 */
export interface RaftEntry__Output {
  /**
   * Term in which the entry was created; >= 1.
   */
  'term': (number);
  /**
   * Position in the log; >= 1.
   */
  'index': (number);
  /**
   * Normal or membership change.
   */
  'kind': (_shoal_v1_RaftEntryKind__Output);
  /**
   * Opaque payload (the application command or the encoded change).
   */
  'data': (Buffer);
}
