// Original file: proto/shoal/v1/dispatcher.proto

import type { AssignmentsType as _shoal_v1_AssignmentsType, AssignmentsType__Output as _shoal_v1_AssignmentsType__Output } from '../../shoal/v1/AssignmentsType.js';
import type { NetworkNames as _shoal_v1_NetworkNames, NetworkNames__Output as _shoal_v1_NetworkNames__Output } from '../../shoal/v1/NetworkNames.js';

/**
 * The names of the networks a node has an endpoint on. COMPLETE replaces all the node had;
 * INCREMENTAL replaces each network listed and drops those in removed_networks.
 */
export interface NamesMessage {
  /**
   * COMPLETE or INCREMENTAL.
   */
  'type'?: (_shoal_v1_AssignmentsType);
  /**
   * Networks whose names are new or changed (each complete).
   */
  'networks'?: (_shoal_v1_NetworkNames)[];
  /**
   * Networks the node no longer has an endpoint on.
   */
  'removedNetworks'?: (string)[];
}

/**
 * The names of the networks a node has an endpoint on. COMPLETE replaces all the node had;
 * INCREMENTAL replaces each network listed and drops those in removed_networks.
 */
export interface NamesMessage__Output {
  /**
   * COMPLETE or INCREMENTAL.
   */
  'type': (_shoal_v1_AssignmentsType__Output);
  /**
   * Networks whose names are new or changed (each complete).
   */
  'networks': (_shoal_v1_NetworkNames__Output)[];
  /**
   * Networks the node no longer has an endpoint on.
   */
  'removedNetworks': (string)[];
}
