// Original file: proto/shoal/v1/dispatcher.proto

import type { NodeDescription as _shoal_v1_NodeDescription, NodeDescription__Output as _shoal_v1_NodeDescription__Output } from '../../shoal/v1/NodeDescription.js';

/**
 * Request for Session.
 */
export interface SessionRequest {
  /**
   * The worker's Node.id (from JoinResponse).
   */
  'nodeId'?: (string);
  /**
   * What the worker reports about itself.
   */
  'description'?: (_shoal_v1_NodeDescription | null);
}

/**
 * Request for Session.
 */
export interface SessionRequest__Output {
  /**
   * The worker's Node.id (from JoinResponse).
   */
  'nodeId': (string);
  /**
   * What the worker reports about itself.
   */
  'description': (_shoal_v1_NodeDescription__Output | null);
}
