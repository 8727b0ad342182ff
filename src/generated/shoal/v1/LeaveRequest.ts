// Original file: proto/shoal/v1/raft.proto


/**
 * A request to leave the cluster.
 */
export interface LeaveRequest {
  /**
   * Node.id of the node that leaves.
   */
  'nodeId'?: (string);
  /**
   * Leave even if the cluster loses quorum or its last manager.
   */
  'force'?: (boolean);
}

/**
 * A request to leave the cluster.
 */
export interface LeaveRequest__Output {
  /**
   * Node.id of the node that leaves.
   */
  'nodeId': (string);
  /**
   * Leave even if the cluster loses quorum or its last manager.
   */
  'force': (boolean);
}
