// Original file: proto/shoal/v1/control.proto

import type { Node as _shoal_v1_Node, Node__Output as _shoal_v1_Node__Output } from '../../shoal/v1/Node.js';

/**
 * Response of GetNode.
 */
export interface GetNodeResponse {
  /**
   * The node.
   */
  'node'?: (_shoal_v1_Node | null);
}

/**
 * Response of GetNode.
 */
export interface GetNodeResponse__Output {
  /**
   * The node.
   */
  'node': (_shoal_v1_Node__Output | null);
}
