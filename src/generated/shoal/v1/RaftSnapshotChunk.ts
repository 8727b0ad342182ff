// Original file: proto/shoal/v1/raft.proto

import type { RaftSnapshotMeta as _shoal_v1_RaftSnapshotMeta, RaftSnapshotMeta__Output as _shoal_v1_RaftSnapshotMeta__Output } from '../../shoal/v1/RaftSnapshotMeta.js';
import type { Long } from '@grpc/proto-loader';

/**
 * One bounded chunk of a snapshot being installed.
 */
export interface RaftSnapshotChunk {
  /**
   * The snapshot this chunk belongs to.
   */
  'meta'?: (_shoal_v1_RaftSnapshotMeta | null);
  /**
   * Byte offset of `data` within the whole snapshot.
   */
  'offset'?: (number | string | Long);
  /**
   * The chunk's bytes (at most a few MiB).
   */
  'data'?: (Buffer | Uint8Array | string);
  /**
   * Total size of the snapshot in bytes.
   */
  'totalBytes'?: (number | string | Long);
  /**
   * True on the last chunk.
   */
  'done'?: (boolean);
}

/**
 * One bounded chunk of a snapshot being installed.
 */
export interface RaftSnapshotChunk__Output {
  /**
   * The snapshot this chunk belongs to.
   */
  'meta': (_shoal_v1_RaftSnapshotMeta__Output | null);
  /**
   * Byte offset of `data` within the whole snapshot.
   */
  'offset': (number);
  /**
   * The chunk's bytes (at most a few MiB).
   */
  'data': (Buffer);
  /**
   * Total size of the snapshot in bytes.
   */
  'totalBytes': (number);
  /**
   * True on the last chunk.
   */
  'done': (boolean);
}
