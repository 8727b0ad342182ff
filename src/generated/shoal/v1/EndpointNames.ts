// Original file: proto/shoal/v1/dispatcher.proto

import type { NameOwnerKind as _shoal_v1_NameOwnerKind, NameOwnerKind__Output as _shoal_v1_NameOwnerKind__Output } from '../../shoal/v1/NameOwnerKind.js';

/**
 * A running task or container on one network.
 */
export interface EndpointNames {
  /**
   * Task or container.
   */
  'kind'?: (_shoal_v1_NameOwnerKind);
  /**
   * Task: "<service>.<slot>.<task-id>" (global: "<service>.<node-id>.<task-id>"); container: its name.
   */
  'name'?: (string);
  /**
   * Tasks: the ID of their service.
   */
  'serviceId'?: (string);
  /**
   * Containers: their network aliases.
   */
  'aliases'?: (string)[];
  /**
   * Its address on this network (dotted IPv4, no prefix).
   */
  'address'?: (string);
}

/**
 * A running task or container on one network.
 */
export interface EndpointNames__Output {
  /**
   * Task or container.
   */
  'kind': (_shoal_v1_NameOwnerKind__Output);
  /**
   * Task: "<service>.<slot>.<task-id>" (global: "<service>.<node-id>.<task-id>"); container: its name.
   */
  'name': (string);
  /**
   * Tasks: the ID of their service.
   */
  'serviceId': (string);
  /**
   * Containers: their network aliases.
   */
  'aliases': (string)[];
  /**
   * Its address on this network (dotted IPv4, no prefix).
   */
  'address': (string);
}
