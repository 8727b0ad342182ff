// Original file: proto/shoal/v1/control.proto


/**
 * Request for CheckNetworks.
 */
export interface CheckNetworksRequest {
  /**
   * A network ID, ID prefix or name; empty = every network.
   */
  'ref'?: (string);
}

/**
 * Request for CheckNetworks.
 */
export interface CheckNetworksRequest__Output {
  /**
   * A network ID, ID prefix or name; empty = every network.
   */
  'ref': (string);
}
