// Original file: proto/shoal/v1/control.proto

import type { Long } from '@grpc/proto-loader';

/**
 * What a backup holds and how to check it.
 */
export interface BackupMeta {
  /**
   * The cluster the state belongs to.
   */
  'clusterId'?: (string);
  /**
   * The Raft index and term of the last entry the state reflects.
   */
  'index'?: (number | string | Long);
  'term'?: (number | string | Long);
  /**
   * Size and SHA-256 (hex) of the state image that follows.
   */
  'bytes'?: (number | string | Long);
  'sha256'?: (string);
  /**
   * The manager that took the backup.
   */
  'nodeId'?: (string);
  'hostname'?: (string);
  /**
   * The state schema version of the image (a newer Shoal can restore an older image).
   */
  'schemaVersion'?: (number);
  /**
   * The Raft membership recorded in the state (voter and learner Raft IDs).
   */
  'voters'?: (number | string | Long)[];
  'learners'?: (number | string | Long)[];
}

/**
 * What a backup holds and how to check it.
 */
export interface BackupMeta__Output {
  /**
   * The cluster the state belongs to.
   */
  'clusterId': (string);
  /**
   * The Raft index and term of the last entry the state reflects.
   */
  'index': (number);
  'term': (number);
  /**
   * Size and SHA-256 (hex) of the state image that follows.
   */
  'bytes': (number);
  'sha256': (string);
  /**
   * The manager that took the backup.
   */
  'nodeId': (string);
  'hostname': (string);
  /**
   * The state schema version of the image (a newer Shoal can restore an older image).
   */
  'schemaVersion': (number);
  /**
   * The Raft membership recorded in the state (voter and learner Raft IDs).
   */
  'voters': (number)[];
  'learners': (number)[];
}
