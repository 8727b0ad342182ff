// Original file: proto/shoal/v1/control.proto

import type { Network as _shoal_v1_Network, Network__Output as _shoal_v1_Network__Output } from '../../shoal/v1/Network.js';

/**
 * Response of UpdateNetwork.
 */
export interface UpdateNetworkResponse {
  /**
   * The network after the change.
   */
  'network'?: (_shoal_v1_Network | null);
}

/**
 * Response of UpdateNetwork.
 */
export interface UpdateNetworkResponse__Output {
  /**
   * The network after the change.
   */
  'network': (_shoal_v1_Network__Output | null);
}
