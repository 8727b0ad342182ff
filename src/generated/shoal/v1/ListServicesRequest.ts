// Original file: proto/shoal/v1/control.proto

import type { ListFilter as _shoal_v1_ListFilter, ListFilter__Output as _shoal_v1_ListFilter__Output } from '../../shoal/v1/ListFilter.js';

/**
 * Request for ListServices.
 */
export interface ListServicesRequest {
  /**
   * Names, ID prefixes, labels.
   */
  'filter'?: (_shoal_v1_ListFilter | null);
  /**
   * Only services of this stack; empty = all.
   */
  'stack'?: (string);
}

/**
 * Request for ListServices.
 */
export interface ListServicesRequest__Output {
  /**
   * Names, ID prefixes, labels.
   */
  'filter': (_shoal_v1_ListFilter__Output | null);
  /**
   * Only services of this stack; empty = all.
   */
  'stack': (string);
}
