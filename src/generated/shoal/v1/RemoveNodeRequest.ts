// Original file: proto/shoal/v1/control.proto


/**
 * Request for RemoveNode.
 */
export interface RemoveNodeRequest {
  /**
   * Node ID, unique ID prefix, or hostname.
   */
  'ref'?: (string);
  /**
   * Remove even if the node is not down (a manager is also removed from Raft).
   */
  'force'?: (boolean);
}

/**
 * Request for RemoveNode.
 */
export interface RemoveNodeRequest__Output {
  /**
   * Node ID, unique ID prefix, or hostname.
   */
  'ref': (string);
  /**
   * Remove even if the node is not down (a manager is also removed from Raft).
   */
  'force': (boolean);
}
