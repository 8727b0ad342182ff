// Original file: proto/shoal/v1/objects.proto

import type { ServiceMode as _shoal_v1_ServiceMode, ServiceMode__Output as _shoal_v1_ServiceMode__Output } from '../../shoal/v1/ServiceMode.js';
import type { TaskTemplate as _shoal_v1_TaskTemplate, TaskTemplate__Output as _shoal_v1_TaskTemplate__Output } from '../../shoal/v1/TaskTemplate.js';
import type { Placement as _shoal_v1_Placement, Placement__Output as _shoal_v1_Placement__Output } from '../../shoal/v1/Placement.js';
import type { UpdateConfig as _shoal_v1_UpdateConfig, UpdateConfig__Output as _shoal_v1_UpdateConfig__Output } from '../../shoal/v1/UpdateConfig.js';
import type { UpdateStatus as _shoal_v1_UpdateStatus, UpdateStatus__Output as _shoal_v1_UpdateStatus__Output } from '../../shoal/v1/UpdateStatus.js';
import type { EndpointMode as _shoal_v1_EndpointMode, EndpointMode__Output as _shoal_v1_EndpointMode__Output } from '../../shoal/v1/EndpointMode.js';
import type { VirtualIp as _shoal_v1_VirtualIp, VirtualIp__Output as _shoal_v1_VirtualIp__Output } from '../../shoal/v1/VirtualIp.js';
import type { Long } from '@grpc/proto-loader';

/**
 * A long-running, scheduled workload.
 */
export interface Service {
  /**
   * Service ID.
   */
  'id'?: (string);
  /**
   * Unique name.
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
   * Replicated or global.
   */
  'mode'?: (_shoal_v1_ServiceMode);
  /**
   * Desired number of tasks (replicated mode only).
   */
  'replicas'?: (number | string | Long);
  /**
   * What each task runs.
   */
  'taskTemplate'?: (_shoal_v1_TaskTemplate | null);
  /**
   * IDs of the networks each task is attached to.
   */
  'networks'?: (string)[];
  /**
   * Where tasks may run.
   */
  'placement'?: (_shoal_v1_Placement | null);
  /**
   * How changes roll out.
   */
  'updateConfig'?: (_shoal_v1_UpdateConfig | null);
  /**
   * Number of tasks currently in TASK_STATE_RUNNING (computed by the manager, read-only).
   */
  'running'?: (number | string | Long);
  /**
   * The stack this service belongs to, if deployed by `shoal stack deploy`; empty otherwise.
   */
  'stack'?: (string);
  /**
   * The last rollout of a spec change over the tasks; absent if there never was one.
   */
  'updateStatus'?: (_shoal_v1_UpdateStatus | null);
  /**
   * How the service's name resolves on its networks; UNSPECIFIED = VIP.
   */
  'endpointMode'?: (_shoal_v1_EndpointMode);
  /**
   * Extra DNS names of the service on each of its networks.
   */
  'networkAliases'?: (string)[];
  /**
   * The service's virtual IPs, one per network (VIP mode; computed by the manager, read-only).
   */
  'virtualIps'?: (_shoal_v1_VirtualIp)[];
  /**
   * How a rollback to this spec proceeds; absent = as update_config, the first failure pausing it.
   */
  'rollbackConfig'?: (_shoal_v1_UpdateConfig | null);
}

/**
 * A long-running, scheduled workload.
 */
export interface Service__Output {
  /**
   * Service ID.
   */
  'id': (string);
  /**
   * Unique name.
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
   * Replicated or global.
   */
  'mode': (_shoal_v1_ServiceMode__Output);
  /**
   * Desired number of tasks (replicated mode only).
   */
  'replicas': (number);
  /**
   * What each task runs.
   */
  'taskTemplate': (_shoal_v1_TaskTemplate__Output | null);
  /**
   * IDs of the networks each task is attached to.
   */
  'networks': (string)[];
  /**
   * Where tasks may run.
   */
  'placement': (_shoal_v1_Placement__Output | null);
  /**
   * How changes roll out.
   */
  'updateConfig': (_shoal_v1_UpdateConfig__Output | null);
  /**
   * Number of tasks currently in TASK_STATE_RUNNING (computed by the manager, read-only).
   */
  'running': (number);
  /**
   * The stack this service belongs to, if deployed by `shoal stack deploy`; empty otherwise.
   */
  'stack': (string);
  /**
   * The last rollout of a spec change over the tasks; absent if there never was one.
   */
  'updateStatus': (_shoal_v1_UpdateStatus__Output | null);
  /**
   * How the service's name resolves on its networks; UNSPECIFIED = VIP.
   */
  'endpointMode': (_shoal_v1_EndpointMode__Output);
  /**
   * Extra DNS names of the service on each of its networks.
   */
  'networkAliases': (string)[];
  /**
   * The service's virtual IPs, one per network (VIP mode; computed by the manager, read-only).
   */
  'virtualIps': (_shoal_v1_VirtualIp__Output)[];
  /**
   * How a rollback to this spec proceeds; absent = as update_config, the first failure pausing it.
   */
  'rollbackConfig': (_shoal_v1_UpdateConfig__Output | null);
}
