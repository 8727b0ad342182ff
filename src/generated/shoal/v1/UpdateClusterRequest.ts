// Original file: proto/shoal/v1/control.proto

import type { Long } from '@grpc/proto-loader';

/**
 * Request for UpdateCluster. Only the settings whose `set_*` flag is true change; at least one
 * must be set (INVALID_ARGUMENT otherwise).
 */
export interface UpdateClusterRequest {
  /**
   * The cluster's `version` as last read (GetClusterInfo's cluster.version); ABORTED if it changed
   * since (read it again and retry). 0 = unconditional.
   */
  'version'?: (number | string | Long);
  /**
   * Whether to change task_history_retention_limit.
   */
  'setTaskHistoryRetentionLimit'?: (boolean);
  /**
   * New number of ended tasks kept per slot: a whole number from 0 (keep none) to 1000. (Swarm
   * reads a negative value as "keep all"; Shoal refuses it: history stays bounded.)
   */
  'taskHistoryRetentionLimit'?: (number | string | Long);
  /**
   * Client request ID (1-128 letters, digits, '_', '.', '-'): a repeat with the same ID returns
   * the first request's result instead of acting twice (see docs/api.md "Idempotent writes").
   * Empty = no deduplication.
   */
  'requestId'?: (string);
}

/**
 * Request for UpdateCluster. Only the settings whose `set_*` flag is true change; at least one
 * must be set (INVALID_ARGUMENT otherwise).
 */
export interface UpdateClusterRequest__Output {
  /**
   * The cluster's `version` as last read (GetClusterInfo's cluster.version); ABORTED if it changed
   * since (read it again and retry). 0 = unconditional.
   */
  'version': (number);
  /**
   * Whether to change task_history_retention_limit.
   */
  'setTaskHistoryRetentionLimit': (boolean);
  /**
   * New number of ended tasks kept per slot: a whole number from 0 (keep none) to 1000. (Swarm
   * reads a negative value as "keep all"; Shoal refuses it: history stays bounded.)
   */
  'taskHistoryRetentionLimit': (number);
  /**
   * Client request ID (1-128 letters, digits, '_', '.', '-'): a repeat with the same ID returns
   * the first request's result instead of acting twice (see docs/api.md "Idempotent writes").
   * Empty = no deduplication.
   */
  'requestId': (string);
}
