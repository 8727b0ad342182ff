// Original file: proto/shoal/v1/objects.proto

import type { Long } from '@grpc/proto-loader';

/**
 * The cluster-wide settings and identity (one per cluster).
 */
export interface Cluster {
  /**
   * Cluster ID, chosen at `shoal init`.
   */
  'id'?: (string);
  /**
   * Name; "default".
   */
  'name'?: (string);
  /**
   * Operator-set labels.
   */
  'labels'?: ({[key: string]: string});
  /**
   * Creation time, Unix ms.
   */
  'createdUnixMs'?: (number | string | Long);
  /**
   * Last change time, Unix ms.
   */
  'updatedUnixMs'?: (number | string | Long);
  /**
   * Raft index of the last change.
   */
  'version'?: (number | string | Long);
  /**
   * Pools from which network subnets are drawn, CIDR text (default "10.0.0.0/8").
   */
  'defaultAddrPools'?: (string)[];
  /**
   * Prefix length of subnets drawn from the pools (default 24).
   */
  'subnetSize'?: (number);
  /**
   * Interval at which workers heartbeat their dispatcher session, in ms.
   */
  'dispatcherHeartbeatMs'?: (number | string | Long);
  /**
   * Ended tasks kept per slot (per node for a global service) beside the live one, as history
   * for `service ps`; older ones are deleted. 0 keeps none. Default 5, at most 1000.
   */
  'taskHistoryRetentionLimit'?: (number | string | Long);
}

/**
 * The cluster-wide settings and identity (one per cluster).
 */
export interface Cluster__Output {
  /**
   * Cluster ID, chosen at `shoal init`.
   */
  'id': (string);
  /**
   * Name; "default".
   */
  'name': (string);
  /**
   * Operator-set labels.
   */
  'labels': ({[key: string]: string});
  /**
   * Creation time, Unix ms.
   */
  'createdUnixMs': (number);
  /**
   * Last change time, Unix ms.
   */
  'updatedUnixMs': (number);
  /**
   * Raft index of the last change.
   */
  'version': (number);
  /**
   * Pools from which network subnets are drawn, CIDR text (default "10.0.0.0/8").
   */
  'defaultAddrPools': (string)[];
  /**
   * Prefix length of subnets drawn from the pools (default 24).
   */
  'subnetSize': (number);
  /**
   * Interval at which workers heartbeat their dispatcher session, in ms.
   */
  'dispatcherHeartbeatMs': (number);
  /**
   * Ended tasks kept per slot (per node for a global service) beside the live one, as history
   * for `service ps`; older ones are deleted. 0 keeps none. Default 5, at most 1000.
   */
  'taskHistoryRetentionLimit': (number);
}
