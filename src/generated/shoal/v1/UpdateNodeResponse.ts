// Original file: proto/shoal/v1/control.proto

import type { Node as _shoal_v1_Node, Node__Output as _shoal_v1_Node__Output } from '../../shoal/v1/Node.js';

/**
 * Response of UpdateNode.
 */
export interface UpdateNodeResponse {
  /**
   * The node after the change (with its new version).
   */
  'node'?: (_shoal_v1_Node | null);
}

/**
 * Response of UpdateNode.
 */
export interface UpdateNodeResponse__Output {
  /**
   * The node after the change (with its new version).
   */
  'node': (_shoal_v1_Node__Output | null);
}
