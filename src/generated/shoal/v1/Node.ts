// Original file: proto/shoal/v1/objects.proto

import type { NodeRole as _shoal_v1_NodeRole, NodeRole__Output as _shoal_v1_NodeRole__Output } from '../../shoal/v1/NodeRole.js';
import type { NodeStatus as _shoal_v1_NodeStatus, NodeStatus__Output as _shoal_v1_NodeStatus__Output } from '../../shoal/v1/NodeStatus.js';
import type { NodeAvailability as _shoal_v1_NodeAvailability, NodeAvailability__Output as _shoal_v1_NodeAvailability__Output } from '../../shoal/v1/NodeAvailability.js';
import type { Reachability as _shoal_v1_Reachability, Reachability__Output as _shoal_v1_Reachability__Output } from '../../shoal/v1/Reachability.js';
import type { Platform as _shoal_v1_Platform, Platform__Output as _shoal_v1_Platform__Output } from '../../shoal/v1/Platform.js';
import type { Resources as _shoal_v1_Resources, Resources__Output as _shoal_v1_Resources__Output } from '../../shoal/v1/Resources.js';
import type { Long } from '@grpc/proto-loader';

/**
 * A machine in the cluster, manager or worker.
 */
export interface Node {
  /**
   * Node ID, assigned by the cluster when the node joins.
   */
  'id'?: (string);
  /**
   * The node's hostname (also its name for lookups by name).
   */
  'hostname'?: (string);
  /**
   * Operator-set labels, usable in placement constraints (node.labels.KEY==VALUE).
   */
  'labels'?: ({[key: string]: string});
  /**
   * When the node joined, Unix ms.
   */
  'createdUnixMs'?: (number | string | Long);
  /**
   * When the object last changed, Unix ms.
   */
  'updatedUnixMs'?: (number | string | Long);
  /**
   * Raft index of the last change (optimistic concurrency token).
   */
  'version'?: (number | string | Long);
  /**
   * Manager or worker.
   */
  'role'?: (_shoal_v1_NodeRole);
  /**
   * Alive or not, as seen by the managers.
   */
  'status'?: (_shoal_v1_NodeStatus);
  /**
   * Whether tasks may be placed on it.
   */
  'availability'?: (_shoal_v1_NodeAvailability);
  /**
   * The node's advertise address "HOST:PORT", where peers reach it.
   */
  'addr'?: (string);
  /**
   * True if this manager is the current Raft leader. Always false for workers.
   */
  'leader'?: (boolean);
  /**
   * Managers only: whether the leader can reach it.
   */
  'reachability'?: (_shoal_v1_Reachability);
  /**
   * OS and architecture the node reported.
   */
  'platform'?: (_shoal_v1_Platform | null);
  /**
   * Capacity the node reported.
   */
  'resources'?: (_shoal_v1_Resources | null);
  /**
   * A human-readable note on the status (e.g. why it is down); may be empty.
   */
  'statusMessage'?: (string);
  /**
   * A manager that is still catching up with the Raft log (a learner, not yet voting).
   */
  'catchingUp'?: (boolean);
  /**
   * The container engine the node reported, e.g. "docker 20.10.24"; empty = none (only
   * process tasks are placed there).
   */
  'engine'?: (string);
}

/**
 * A machine in the cluster, manager or worker.
 */
export interface Node__Output {
  /**
   * Node ID, assigned by the cluster when the node joins.
   */
  'id': (string);
  /**
   * The node's hostname (also its name for lookups by name).
   */
  'hostname': (string);
  /**
   * Operator-set labels, usable in placement constraints (node.labels.KEY==VALUE).
   */
  'labels': ({[key: string]: string});
  /**
   * When the node joined, Unix ms.
   */
  'createdUnixMs': (number);
  /**
   * When the object last changed, Unix ms.
   */
  'updatedUnixMs': (number);
  /**
   * Raft index of the last change (optimistic concurrency token).
   */
  'version': (number);
  /**
   * Manager or worker.
   */
  'role': (_shoal_v1_NodeRole__Output);
  /**
   * Alive or not, as seen by the managers.
   */
  'status': (_shoal_v1_NodeStatus__Output);
  /**
   * Whether tasks may be placed on it.
   */
  'availability': (_shoal_v1_NodeAvailability__Output);
  /**
   * The node's advertise address "HOST:PORT", where peers reach it.
   */
  'addr': (string);
  /**
   * True if this manager is the current Raft leader. Always false for workers.
   */
  'leader': (boolean);
  /**
   * Managers only: whether the leader can reach it.
   */
  'reachability': (_shoal_v1_Reachability__Output);
  /**
   * OS and architecture the node reported.
   */
  'platform': (_shoal_v1_Platform__Output | null);
  /**
   * Capacity the node reported.
   */
  'resources': (_shoal_v1_Resources__Output | null);
  /**
   * A human-readable note on the status (e.g. why it is down); may be empty.
   */
  'statusMessage': (string);
  /**
   * A manager that is still catching up with the Raft log (a learner, not yet voting).
   */
  'catchingUp': (boolean);
  /**
   * The container engine the node reported, e.g. "docker 20.10.24"; empty = none (only
   * process tasks are placed there).
   */
  'engine': (string);
}
