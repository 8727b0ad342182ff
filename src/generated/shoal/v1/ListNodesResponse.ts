// Original file: proto/shoal/v1/control.proto

import type { Node as _shoal_v1_Node, Node__Output as _shoal_v1_Node__Output } from '../../shoal/v1/Node.js';

/**
 * Response of ListNodes.
 */
export interface ListNodesResponse {
  /**
   * Matching nodes, ordered by hostname.
   */
  'nodes'?: (_shoal_v1_Node)[];
}

/**
 * Response of ListNodes.
 */
export interface ListNodesResponse__Output {
  /**
   * Matching nodes, ordered by hostname.
   */
  'nodes': (_shoal_v1_Node__Output)[];
}
