// Original file: proto/shoal/v1/objects.proto

import type { PlacementPreference as _shoal_v1_PlacementPreference, PlacementPreference__Output as _shoal_v1_PlacementPreference__Output } from '../../shoal/v1/PlacementPreference.js';
import type { Long } from '@grpc/proto-loader';

/**
 * Where a service's tasks may run.
 */
export interface Placement {
  /**
   * Hard constraints, each "ATTR==VALUE" or "ATTR!=VALUE"
   * (node.id, node.hostname, node.role, node.labels.KEY).
   */
  'constraints'?: (string)[];
  /**
   * Soft preferences applied in order.
   */
  'preferences'?: (_shoal_v1_PlacementPreference)[];
  /**
   * At most this many tasks of the service per node; 0 = unlimited.
   */
  'maxReplicasPerNode'?: (number | string | Long);
}

/**
 * Where a service's tasks may run.
 */
export interface Placement__Output {
  /**
   * Hard constraints, each "ATTR==VALUE" or "ATTR!=VALUE"
   * (node.id, node.hostname, node.role, node.labels.KEY).
   */
  'constraints': (string)[];
  /**
   * Soft preferences applied in order.
   */
  'preferences': (_shoal_v1_PlacementPreference__Output)[];
  /**
   * At most this many tasks of the service per node; 0 = unlimited.
   */
  'maxReplicasPerNode': (number);
}
