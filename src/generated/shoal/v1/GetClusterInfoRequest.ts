// Original file: proto/shoal/v1/control.proto


/**
 * Request for GetClusterInfo (empty).
 */
export interface GetClusterInfoRequest {
  /**
   * Node ID whose networks `node_networks` lists; empty = the answering manager.
   * (A worker's CLI asks a manager about its own node this way.)
   */
  'nodeId'?: (string);
}

/**
 * Request for GetClusterInfo (empty).
 */
export interface GetClusterInfoRequest__Output {
  /**
   * Node ID whose networks `node_networks` lists; empty = the answering manager.
   * (A worker's CLI asks a manager about its own node this way.)
   */
  'nodeId': (string);
}
