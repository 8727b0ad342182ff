// Original file: proto/shoal/v1/control.proto

import type { Cluster as _shoal_v1_Cluster, Cluster__Output as _shoal_v1_Cluster__Output } from '../../shoal/v1/Cluster.js';

/**
 * Response of UpdateCluster.
 */
export interface UpdateClusterResponse {
  /**
   * The cluster after the change (with its new version).
   */
  'cluster'?: (_shoal_v1_Cluster | null);
}

/**
 * Response of UpdateCluster.
 */
export interface UpdateClusterResponse__Output {
  /**
   * The cluster after the change (with its new version).
   */
  'cluster': (_shoal_v1_Cluster__Output | null);
}
