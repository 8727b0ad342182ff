// Original file: proto/shoal/v1/control.proto

import type { NetworkCheckResult as _shoal_v1_NetworkCheckResult, NetworkCheckResult__Output as _shoal_v1_NetworkCheckResult__Output } from '../../shoal/v1/NetworkCheckResult.js';

/**
 * Response of CheckNetworks.
 */
export interface CheckNetworksResponse {
  /**
   * One result per network checked.
   */
  'networks'?: (_shoal_v1_NetworkCheckResult)[];
}

/**
 * Response of CheckNetworks.
 */
export interface CheckNetworksResponse__Output {
  /**
   * One result per network checked.
   */
  'networks': (_shoal_v1_NetworkCheckResult__Output)[];
}
