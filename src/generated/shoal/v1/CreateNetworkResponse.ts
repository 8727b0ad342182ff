// Original file: proto/shoal/v1/control.proto

import type { Network as _shoal_v1_Network, Network__Output as _shoal_v1_Network__Output } from '../../shoal/v1/Network.js';

/**
 * Response of CreateNetwork.
 */
export interface CreateNetworkResponse {
  /**
   * The created network, with its subnet, gateway and VXLAN ID filled in.
   */
  'network'?: (_shoal_v1_Network | null);
}

/**
 * Response of CreateNetwork.
 */
export interface CreateNetworkResponse__Output {
  /**
   * The created network, with its subnet, gateway and VXLAN ID filled in.
   */
  'network': (_shoal_v1_Network__Output | null);
}
