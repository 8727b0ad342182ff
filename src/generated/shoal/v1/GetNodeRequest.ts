// Original file: proto/shoal/v1/control.proto


/**
 * Request for GetNode.
 */
export interface GetNodeRequest {
  /**
   * Node ID, unique ID prefix, or hostname.
   */
  'ref'?: (string);
}

/**
 * Request for GetNode.
 */
export interface GetNodeRequest__Output {
  /**
   * Node ID, unique ID prefix, or hostname.
   */
  'ref': (string);
}
