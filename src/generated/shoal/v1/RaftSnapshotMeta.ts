// Original file: proto/shoal/v1/raft.proto

import type { RaftConfState as _shoal_v1_RaftConfState, RaftConfState__Output as _shoal_v1_RaftConfState__Output } from '../../shoal/v1/RaftConfState.js';
import type { Long } from '@grpc/proto-loader';

/**
 * What a snapshot covers.
 */
export interface RaftSnapshotMeta {
  /**
   * Last log index covered by the snapshot.
   */
  'index'?: (number | string | Long);
  /**
   * Term of the entry at `index`.
   */
  'term'?: (number | string | Long);
  /**
   * Membership as of `index`.
   */
  'conf'?: (_shoal_v1_RaftConfState | null);
}

/**
 * What a snapshot covers.
 */
export interface RaftSnapshotMeta__Output {
  /**
   * Last log index covered by the snapshot.
   */
  'index': (number);
  /**
   * Term of the entry at `index`.
   */
  'term': (number);
  /**
   * Membership as of `index`.
   */
  'conf': (_shoal_v1_RaftConfState__Output | null);
}
