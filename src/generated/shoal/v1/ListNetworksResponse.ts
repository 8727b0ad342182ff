// Original file: proto/shoal/v1/control.proto

import type { Network as _shoal_v1_Network, Network__Output as _shoal_v1_Network__Output } from '../../shoal/v1/Network.js';

/**
 * Response of ListNetworks.
 */
export interface ListNetworksResponse {
  /**
   * Matching networks, ordered by name.
   */
  'networks'?: (_shoal_v1_Network)[];
}

/**
 * Response of ListNetworks.
 */
export interface ListNetworksResponse__Output {
  /**
   * Matching networks, ordered by name.
   */
  'networks': (_shoal_v1_Network__Output)[];
}
