// Original file: proto/shoal/v1/control.proto

import type { ListFilter as _shoal_v1_ListFilter, ListFilter__Output as _shoal_v1_ListFilter__Output } from '../../shoal/v1/ListFilter.js';
import type { NodeRole as _shoal_v1_NodeRole, NodeRole__Output as _shoal_v1_NodeRole__Output } from '../../shoal/v1/NodeRole.js';

/**
 * Request for ListNodes.
 */
export interface ListNodesRequest {
  /**
   * Names (hostnames), ID prefixes, labels.
   */
  'filter'?: (_shoal_v1_ListFilter | null);
  /**
   * Only these roles; empty = all.
   */
  'roles'?: (_shoal_v1_NodeRole)[];
}

/**
 * Request for ListNodes.
 */
export interface ListNodesRequest__Output {
  /**
   * Names (hostnames), ID prefixes, labels.
   */
  'filter': (_shoal_v1_ListFilter__Output | null);
  /**
   * Only these roles; empty = all.
   */
  'roles': (_shoal_v1_NodeRole__Output)[];
}
