// Original file: proto/shoal/v1/control.proto

import type { NodeAvailability as _shoal_v1_NodeAvailability, NodeAvailability__Output as _shoal_v1_NodeAvailability__Output } from '../../shoal/v1/NodeAvailability.js';
import type { NodeRole as _shoal_v1_NodeRole, NodeRole__Output as _shoal_v1_NodeRole__Output } from '../../shoal/v1/NodeRole.js';
import type { Long } from '@grpc/proto-loader';

/**
 * Request for UpdateNode. Only the fields marked `set_*` (or non-empty maps/lists) change.
 */
export interface UpdateNodeRequest {
  /**
   * Node ID, unique ID prefix, or hostname.
   */
  'ref'?: (string);
  /**
   * The node's `version` as last read; ABORTED if it changed since (read it again and retry).
   */
  'version'?: (number | string | Long);
  /**
   * New availability; UNSPECIFIED = leave as is.
   */
  'availability'?: (_shoal_v1_NodeAvailability);
  /**
   * New role (promote to MANAGER / demote to WORKER); UNSPECIFIED = leave as is.
   */
  'role'?: (_shoal_v1_NodeRole);
  /**
   * Labels to add or overwrite.
   */
  'labelAdd'?: ({[key: string]: string});
  /**
   * Label keys to remove.
   */
  'labelRm'?: (string)[];
  /**
   * Client request ID (1-128 letters, digits, '_', '.', '-'): a repeat with the same ID returns
   * the first request's result instead of acting twice (see docs/api.md "Idempotent writes").
   * Empty = no deduplication.
   */
  'requestId'?: (string);
}

/**
 * Request for UpdateNode. Only the fields marked `set_*` (or non-empty maps/lists) change.
 */
export interface UpdateNodeRequest__Output {
  /**
   * Node ID, unique ID prefix, or hostname.
   */
  'ref': (string);
  /**
   * The node's `version` as last read; ABORTED if it changed since (read it again and retry).
   */
  'version': (number);
  /**
   * New availability; UNSPECIFIED = leave as is.
   */
  'availability': (_shoal_v1_NodeAvailability__Output);
  /**
   * New role (promote to MANAGER / demote to WORKER); UNSPECIFIED = leave as is.
   */
  'role': (_shoal_v1_NodeRole__Output);
  /**
   * Labels to add or overwrite.
   */
  'labelAdd': ({[key: string]: string});
  /**
   * Label keys to remove.
   */
  'labelRm': (string)[];
  /**
   * Client request ID (1-128 letters, digits, '_', '.', '-'): a repeat with the same ID returns
   * the first request's result instead of acting twice (see docs/api.md "Idempotent writes").
   * Empty = no deduplication.
   */
  'requestId': (string);
}
