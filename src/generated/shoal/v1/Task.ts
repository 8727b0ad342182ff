// Original file: proto/shoal/v1/objects.proto

import type { TaskState as _shoal_v1_TaskState, TaskState__Output as _shoal_v1_TaskState__Output } from '../../shoal/v1/TaskState.js';
import type { TaskStatus as _shoal_v1_TaskStatus, TaskStatus__Output as _shoal_v1_TaskStatus__Output } from '../../shoal/v1/TaskStatus.js';
import type { NetworkAttachment as _shoal_v1_NetworkAttachment, NetworkAttachment__Output as _shoal_v1_NetworkAttachment__Output } from '../../shoal/v1/NetworkAttachment.js';
import type { TaskTemplate as _shoal_v1_TaskTemplate, TaskTemplate__Output as _shoal_v1_TaskTemplate__Output } from '../../shoal/v1/TaskTemplate.js';
import type { Long } from '@grpc/proto-loader';

/**
 * One instance of a service, placed on one node.
 */
export interface Task {
  /**
   * Task ID.
   */
  'id'?: (string);
  /**
   * Generated name "SERVICE.SLOT" (or "SERVICE.NODEID" for global services).
   */
  'name'?: (string);
  /**
   * Labels copied from the service.
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
   * ID of the service the task belongs to.
   */
  'serviceId'?: (string);
  /**
   * Replica slot (1-based) for replicated services; 0 for global services.
   */
  'slot'?: (number | string | Long);
  /**
   * ID of the node it is assigned to; empty until assigned.
   */
  'nodeId'?: (string);
  /**
   * The state the orchestrator wants (RUNNING, SHUTDOWN, REMOVE ...).
   */
  'desiredState'?: (_shoal_v1_TaskState);
  /**
   * The latest observed status.
   */
  'status'?: (_shoal_v1_TaskStatus | null);
  /**
   * Earlier statuses, oldest first, bounded by the manager.
   */
  'history'?: (_shoal_v1_TaskStatus)[];
  /**
   * Addresses on the service's networks.
   */
  'attachments'?: (_shoal_v1_NetworkAttachment)[];
  /**
   * The task template in effect when the task was created.
   */
  'spec'?: (_shoal_v1_TaskTemplate | null);
}

/**
 * One instance of a service, placed on one node.
 */
export interface Task__Output {
  /**
   * Task ID.
   */
  'id': (string);
  /**
   * Generated name "SERVICE.SLOT" (or "SERVICE.NODEID" for global services).
   */
  'name': (string);
  /**
   * Labels copied from the service.
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
   * ID of the service the task belongs to.
   */
  'serviceId': (string);
  /**
   * Replica slot (1-based) for replicated services; 0 for global services.
   */
  'slot': (number);
  /**
   * ID of the node it is assigned to; empty until assigned.
   */
  'nodeId': (string);
  /**
   * The state the orchestrator wants (RUNNING, SHUTDOWN, REMOVE ...).
   */
  'desiredState': (_shoal_v1_TaskState__Output);
  /**
   * The latest observed status.
   */
  'status': (_shoal_v1_TaskStatus__Output | null);
  /**
   * Earlier statuses, oldest first, bounded by the manager.
   */
  'history': (_shoal_v1_TaskStatus__Output)[];
  /**
   * Addresses on the service's networks.
   */
  'attachments': (_shoal_v1_NetworkAttachment__Output)[];
  /**
   * The task template in effect when the task was created.
   */
  'spec': (_shoal_v1_TaskTemplate__Output | null);
}
