// Original file: proto/shoal/v1/control.proto


/**
 * Request for RemoveNetwork.
 */
export interface RemoveNetworkRequest {
  /**
   * Network ID, unique ID prefix, or name.
   */
  'ref'?: (string);
}

/**
 * Request for RemoveNetwork.
 */
export interface RemoveNetworkRequest__Output {
  /**
   * Network ID, unique ID prefix, or name.
   */
  'ref': (string);
}
