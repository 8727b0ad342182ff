// Original file: proto/shoal/v1/raft.proto

import type { Platform as _shoal_v1_Platform, Platform__Output as _shoal_v1_Platform__Output } from '../../shoal/v1/Platform.js';
import type { Resources as _shoal_v1_Resources, Resources__Output as _shoal_v1_Resources__Output } from '../../shoal/v1/Resources.js';

/**
 * A request to join the cluster.
 */
export interface JoinRequest {
  /**
   * The join token printed by `shoal join-token`; it decides the role.
   */
  'token'?: (string);
  /**
   * Address other nodes use to reach the joining node, "HOST:PORT".
   */
  'advertiseAddr'?: (string);
  /**
   * The joining node's hostname.
   */
  'hostname'?: (string);
  /**
   * OS and architecture of the joining node.
   */
  'platform'?: (_shoal_v1_Platform | null);
  /**
   * Capacity of the joining node.
   */
  'resources'?: (_shoal_v1_Resources | null);
  /**
   * PEM PKCS#10 request for the node's key; the CA signs it with the node's
   * new ID (CN), role (OU) and the cluster ID (O). Its subject is ignored.
   */
  'csr'?: (string);
}

/**
 * A request to join the cluster.
 */
export interface JoinRequest__Output {
  /**
   * The join token printed by `shoal join-token`; it decides the role.
   */
  'token': (string);
  /**
   * Address other nodes use to reach the joining node, "HOST:PORT".
   */
  'advertiseAddr': (string);
  /**
   * The joining node's hostname.
   */
  'hostname': (string);
  /**
   * OS and architecture of the joining node.
   */
  'platform': (_shoal_v1_Platform__Output | null);
  /**
   * Capacity of the joining node.
   */
  'resources': (_shoal_v1_Resources__Output | null);
  /**
   * PEM PKCS#10 request for the node's key; the CA signs it with the node's
   * new ID (CN), role (OU) and the cluster ID (O). Its subject is ignored.
   */
  'csr': (string);
}
