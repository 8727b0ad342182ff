import type { Cluster } from '../generated/shoal/v1/Cluster.js';
import type { ClusterRecord } from './store/queries.js';

/** The stored cluster as the API's Cluster message (GetClusterInfo, UpdateCluster, Watch). */
export function clusterToProto(c: ClusterRecord): Cluster {
  return {
    id: c.id,
    name: 'default',
    createdUnixMs: c.createdAt,
    updatedUnixMs: c.updatedAt,
    version: c.version,
    defaultAddrPools: [...c.settings.defaultAddrPools],
    subnetSize: c.settings.defaultAddrPoolMaskLength,
    dispatcherHeartbeatMs: c.settings.dispatcherHeartbeatMs,
    taskHistoryRetentionLimit: c.taskHistoryLimit,
  };
}
