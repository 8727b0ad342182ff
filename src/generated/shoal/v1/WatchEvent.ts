// Original file: proto/shoal/v1/watch.proto

import type { WatchAction as _shoal_v1_WatchAction, WatchAction__Output as _shoal_v1_WatchAction__Output } from '../../shoal/v1/WatchAction.js';
import type { ObjectKind as _shoal_v1_ObjectKind, ObjectKind__Output as _shoal_v1_ObjectKind__Output } from '../../shoal/v1/ObjectKind.js';
import type { Node as _shoal_v1_Node, Node__Output as _shoal_v1_Node__Output } from '../../shoal/v1/Node.js';
import type { Network as _shoal_v1_Network, Network__Output as _shoal_v1_Network__Output } from '../../shoal/v1/Network.js';
import type { Service as _shoal_v1_Service, Service__Output as _shoal_v1_Service__Output } from '../../shoal/v1/Service.js';
import type { Task as _shoal_v1_Task, Task__Output as _shoal_v1_Task__Output } from '../../shoal/v1/Task.js';
import type { Container as _shoal_v1_Container, Container__Output as _shoal_v1_Container__Output } from '../../shoal/v1/Container.js';
import type { Cluster as _shoal_v1_Cluster, Cluster__Output as _shoal_v1_Cluster__Output } from '../../shoal/v1/Cluster.js';
import type { Long } from '@grpc/proto-loader';

/**
 * One change.
 */
export interface WatchEvent {
  /**
   * Create, update or delete.
   */
  'action'?: (_shoal_v1_WatchAction);
  /**
   * Kind of the object (matches the set member of `object`).
   */
  'kind'?: (_shoal_v1_ObjectKind);
  /**
   * A node.
   */
  'node'?: (_shoal_v1_Node | null);
  /**
   * A network.
   */
  'network'?: (_shoal_v1_Network | null);
  /**
   * A service.
   */
  'service'?: (_shoal_v1_Service | null);
  /**
   * A task.
   */
  'task'?: (_shoal_v1_Task | null);
  /**
   * A container.
   */
  'container'?: (_shoal_v1_Container | null);
  /**
   * The cluster.
   */
  'cluster'?: (_shoal_v1_Cluster | null);
  /**
   * Raft index of this change; pass it as resume_from_version to continue after it.
   */
  'version'?: (number | string | Long);
  /**
   * Cluster-wide sequence number of this change, dense and increasing (one
   * command can make several changes, each with its own sequence); pass the
   * last one received as resume_after_sequence to continue exactly after it.
   */
  'sequence'?: (number | string | Long);
  /**
   * The object after the change (before it, for delete).
   */
  'object'?: "node"|"network"|"service"|"task"|"container"|"cluster";
}

/**
 * One change.
 */
export interface WatchEvent__Output {
  /**
   * Create, update or delete.
   */
  'action': (_shoal_v1_WatchAction__Output);
  /**
   * Kind of the object (matches the set member of `object`).
   */
  'kind': (_shoal_v1_ObjectKind__Output);
  /**
   * A node.
   */
  'node'?: (_shoal_v1_Node__Output | null);
  /**
   * A network.
   */
  'network'?: (_shoal_v1_Network__Output | null);
  /**
   * A service.
   */
  'service'?: (_shoal_v1_Service__Output | null);
  /**
   * A task.
   */
  'task'?: (_shoal_v1_Task__Output | null);
  /**
   * A container.
   */
  'container'?: (_shoal_v1_Container__Output | null);
  /**
   * The cluster.
   */
  'cluster'?: (_shoal_v1_Cluster__Output | null);
  /**
   * Raft index of this change; pass it as resume_from_version to continue after it.
   */
  'version': (number);
  /**
   * Cluster-wide sequence number of this change, dense and increasing (one
   * command can make several changes, each with its own sequence); pass the
   * last one received as resume_after_sequence to continue exactly after it.
   */
  'sequence': (number);
  /**
   * The object after the change (before it, for delete).
   */
  'object'?: "node"|"network"|"service"|"task"|"container"|"cluster";
}
