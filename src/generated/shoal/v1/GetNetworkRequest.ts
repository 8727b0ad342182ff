// Original file: proto/shoal/v1/control.proto


/**
 * Request for GetNetwork.
 */
export interface GetNetworkRequest {
  /**
   * Network ID, unique ID prefix, or name.
   */
  'ref'?: (string);
}

/**
 * Request for GetNetwork.
 */
export interface GetNetworkRequest__Output {
  /**
   * Network ID, unique ID prefix, or name.
   */
  'ref': (string);
}
