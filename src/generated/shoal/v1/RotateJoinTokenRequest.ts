// Original file: proto/shoal/v1/control.proto

import type { NodeRole as _shoal_v1_NodeRole, NodeRole__Output as _shoal_v1_NodeRole__Output } from '../../shoal/v1/NodeRole.js';

/**
 * Request for RotateJoinToken.
 */
export interface RotateJoinTokenRequest {
  /**
   * Which token to replace: NODE_ROLE_WORKER or NODE_ROLE_MANAGER.
   */
  'role'?: (_shoal_v1_NodeRole);
  /**
   * Client request ID (1-128 letters, digits, '_', '.', '-'): a repeat with the same ID returns
   * the first request's result instead of acting twice (see docs/api.md "Idempotent writes").
   * Empty = no deduplication.
   */
  'requestId'?: (string);
}

/**
 * Request for RotateJoinToken.
 */
export interface RotateJoinTokenRequest__Output {
  /**
   * Which token to replace: NODE_ROLE_WORKER or NODE_ROLE_MANAGER.
   */
  'role': (_shoal_v1_NodeRole__Output);
  /**
   * Client request ID (1-128 letters, digits, '_', '.', '-'): a repeat with the same ID returns
   * the first request's result instead of acting twice (see docs/api.md "Idempotent writes").
   * Empty = no deduplication.
   */
  'requestId': (string);
}
