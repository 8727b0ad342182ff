// Original file: proto/shoal/v1/control.proto

import type { Network as _shoal_v1_Network, Network__Output as _shoal_v1_Network__Output } from '../../shoal/v1/Network.js';

/**
 * Response of GetNetwork.
 */
export interface GetNetworkResponse {
  /**
   * The network.
   */
  'network'?: (_shoal_v1_Network | null);
}

/**
 * Response of GetNetwork.
 */
export interface GetNetworkResponse__Output {
  /**
   * The network.
   */
  'network': (_shoal_v1_Network__Output | null);
}
