// Original file: proto/shoal/v1/control.proto

import type { Network as _shoal_v1_Network, Network__Output as _shoal_v1_Network__Output } from '../../shoal/v1/Network.js';
import type { NetworkEndpoint as _shoal_v1_NetworkEndpoint, NetworkEndpoint__Output as _shoal_v1_NetworkEndpoint__Output } from '../../shoal/v1/NetworkEndpoint.js';

/**
 * Response of GetNetwork.
 */
export interface GetNetworkResponse {
  /**
   * The network.
   */
  'network'?: (_shoal_v1_Network | null);
  /**
   * Every address held on it: tasks' and standalone containers' endpoints.
   */
  'endpoints'?: (_shoal_v1_NetworkEndpoint)[];
  /**
   * How many addresses are held (endpoints plus reserved ones such as the gateway).
   */
  'addressesHeld'?: (number);
  /**
   * How many addresses the network's range has in all.
   */
  'addressesCapacity'?: (number);
}

/**
 * Response of GetNetwork.
 */
export interface GetNetworkResponse__Output {
  /**
   * The network.
   */
  'network': (_shoal_v1_Network__Output | null);
  /**
   * Every address held on it: tasks' and standalone containers' endpoints.
   */
  'endpoints': (_shoal_v1_NetworkEndpoint__Output)[];
  /**
   * How many addresses are held (endpoints plus reserved ones such as the gateway).
   */
  'addressesHeld': (number);
  /**
   * How many addresses the network's range has in all.
   */
  'addressesCapacity': (number);
}
