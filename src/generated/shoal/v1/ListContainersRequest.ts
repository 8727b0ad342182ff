// Original file: proto/shoal/v1/control.proto

import type { ListFilter as _shoal_v1_ListFilter, ListFilter__Output as _shoal_v1_ListFilter__Output } from '../../shoal/v1/ListFilter.js';

/**
 * Request for ListContainers.
 */
export interface ListContainersRequest {
  /**
   * Names, ID prefixes, labels.
   */
  'filter'?: (_shoal_v1_ListFilter | null);
  /**
   * Only containers on these nodes (IDs); empty = all.
   */
  'nodeIds'?: (string)[];
}

/**
 * Request for ListContainers.
 */
export interface ListContainersRequest__Output {
  /**
   * Names, ID prefixes, labels.
   */
  'filter': (_shoal_v1_ListFilter__Output | null);
  /**
   * Only containers on these nodes (IDs); empty = all.
   */
  'nodeIds': (string)[];
}
