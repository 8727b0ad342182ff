// Original file: proto/shoal/v1/control.proto

import type { ServiceMode as _shoal_v1_ServiceMode, ServiceMode__Output as _shoal_v1_ServiceMode__Output } from '../../shoal/v1/ServiceMode.js';
import type { TaskTemplate as _shoal_v1_TaskTemplate, TaskTemplate__Output as _shoal_v1_TaskTemplate__Output } from '../../shoal/v1/TaskTemplate.js';
import type { Placement as _shoal_v1_Placement, Placement__Output as _shoal_v1_Placement__Output } from '../../shoal/v1/Placement.js';
import type { UpdateConfig as _shoal_v1_UpdateConfig, UpdateConfig__Output as _shoal_v1_UpdateConfig__Output } from '../../shoal/v1/UpdateConfig.js';
import type { EndpointMode as _shoal_v1_EndpointMode, EndpointMode__Output as _shoal_v1_EndpointMode__Output } from '../../shoal/v1/EndpointMode.js';
import type { Long } from '@grpc/proto-loader';

/**
 * The part of a service that a user writes (everything but identity and computed fields).
 */
export interface ServiceSpec {
  /**
   * Unique name.
   */
  'name'?: (string);
  /**
   * Labels.
   */
  'labels'?: ({[key: string]: string});
  /**
   * Replicated or global; UNSPECIFIED = replicated.
   */
  'mode'?: (_shoal_v1_ServiceMode);
  /**
   * Desired tasks (replicated mode).
   */
  'replicas'?: (number | string | Long);
  /**
   * What each task runs.
   */
  'taskTemplate'?: (_shoal_v1_TaskTemplate | null);
  /**
   * Network references (ID, prefix or name); the server stores IDs.
   */
  'networks'?: (string)[];
  /**
   * Placement constraints and preferences.
   */
  'placement'?: (_shoal_v1_Placement | null);
  /**
   * Rollout settings.
   */
  'updateConfig'?: (_shoal_v1_UpdateConfig | null);
  /**
   * Stack name when deployed by `shoal stack deploy`.
   */
  'stack'?: (string);
  /**
   * How the service's name resolves; UNSPECIFIED = VIP.
   */
  'endpointMode'?: (_shoal_v1_EndpointMode);
  /**
   * Extra DNS names of the service on each of its networks.
   */
  'networkAliases'?: (string)[];
  /**
   * Rollback settings (a requested rollback, or the failure action rollback), read from the spec
   * rolled back to, as docker does. failure_action: pause or continue. Unset = the update settings,
   * with a rollback's first failure pausing it.
   */
  'rollbackConfig'?: (_shoal_v1_UpdateConfig | null);
}

/**
 * The part of a service that a user writes (everything but identity and computed fields).
 */
export interface ServiceSpec__Output {
  /**
   * Unique name.
   */
  'name': (string);
  /**
   * Labels.
   */
  'labels': ({[key: string]: string});
  /**
   * Replicated or global; UNSPECIFIED = replicated.
   */
  'mode': (_shoal_v1_ServiceMode__Output);
  /**
   * Desired tasks (replicated mode).
   */
  'replicas': (number);
  /**
   * What each task runs.
   */
  'taskTemplate': (_shoal_v1_TaskTemplate__Output | null);
  /**
   * Network references (ID, prefix or name); the server stores IDs.
   */
  'networks': (string)[];
  /**
   * Placement constraints and preferences.
   */
  'placement': (_shoal_v1_Placement__Output | null);
  /**
   * Rollout settings.
   */
  'updateConfig': (_shoal_v1_UpdateConfig__Output | null);
  /**
   * Stack name when deployed by `shoal stack deploy`.
   */
  'stack': (string);
  /**
   * How the service's name resolves; UNSPECIFIED = VIP.
   */
  'endpointMode': (_shoal_v1_EndpointMode__Output);
  /**
   * Extra DNS names of the service on each of its networks.
   */
  'networkAliases': (string)[];
  /**
   * Rollback settings (a requested rollback, or the failure action rollback), read from the spec
   * rolled back to, as docker does. failure_action: pause or continue. Unset = the update settings,
   * with a rollback's first failure pausing it.
   */
  'rollbackConfig': (_shoal_v1_UpdateConfig__Output | null);
}
