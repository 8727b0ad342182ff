// Original file: proto/shoal/v1/control.proto

import type { ListFilter as _shoal_v1_ListFilter, ListFilter__Output as _shoal_v1_ListFilter__Output } from '../../shoal/v1/ListFilter.js';

/**
 * Request for ListNetworks.
 */
export interface ListNetworksRequest {
  /**
   * Names, ID prefixes, labels.
   */
  'filter'?: (_shoal_v1_ListFilter | null);
}

/**
 * Request for ListNetworks.
 */
export interface ListNetworksRequest__Output {
  /**
   * Names, ID prefixes, labels.
   */
  'filter': (_shoal_v1_ListFilter__Output | null);
}
