// Original file: proto/shoal/v1/dispatcher.proto

import type { Platform as _shoal_v1_Platform, Platform__Output as _shoal_v1_Platform__Output } from '../../shoal/v1/Platform.js';
import type { Resources as _shoal_v1_Resources, Resources__Output as _shoal_v1_Resources__Output } from '../../shoal/v1/Resources.js';

/**
 * What a worker tells about itself when opening a session.
 */
export interface NodeDescription {
  /**
   * Hostname.
   */
  'hostname'?: (string);
  /**
   * OS and architecture.
   */
  'platform'?: (_shoal_v1_Platform | null);
  /**
   * Capacity.
   */
  'resources'?: (_shoal_v1_Resources | null);
  /**
   * The node's data-path address: where other nodes send its VXLAN traffic (default: the
   * host of its advertise address).
   */
  'dataPathAddr'?: (string);
  /**
   * "on", or why the node's data plane is off (not root, no iproute2, …).
   */
  'dataPlane'?: (string);
  /**
   * The container engine reachable on the node, e.g. "docker 20.10.24"; empty = none.
   */
  'engine'?: (string);
}

/**
 * What a worker tells about itself when opening a session.
 */
export interface NodeDescription__Output {
  /**
   * Hostname.
   */
  'hostname': (string);
  /**
   * OS and architecture.
   */
  'platform': (_shoal_v1_Platform__Output | null);
  /**
   * Capacity.
   */
  'resources': (_shoal_v1_Resources__Output | null);
  /**
   * The node's data-path address: where other nodes send its VXLAN traffic (default: the
   * host of its advertise address).
   */
  'dataPathAddr': (string);
  /**
   * "on", or why the node's data plane is off (not root, no iproute2, …).
   */
  'dataPlane': (string);
  /**
   * The container engine reachable on the node, e.g. "docker 20.10.24"; empty = none.
   */
  'engine': (string);
}
