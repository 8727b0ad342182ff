// Original file: proto/shoal/v1/control.proto

import type { LogOptions as _shoal_v1_LogOptions, LogOptions__Output as _shoal_v1_LogOptions__Output } from '../../shoal/v1/LogOptions.js';

/**
 * Request for Logs.SubscribeLogs: exactly one of `service` and `container`.
 */
export interface SubscribeLogsRequest {
  /**
   * A service by ID, ID prefix or name: all its tasks that were placed on a node.
   */
  'service'?: (string);
  /**
   * A standalone container by ID, ID prefix or name.
   */
  'container'?: (string);
  /**
   * Which lines.
   */
  'options'?: (_shoal_v1_LogOptions | null);
}

/**
 * Request for Logs.SubscribeLogs: exactly one of `service` and `container`.
 */
export interface SubscribeLogsRequest__Output {
  /**
   * A service by ID, ID prefix or name: all its tasks that were placed on a node.
   */
  'service': (string);
  /**
   * A standalone container by ID, ID prefix or name.
   */
  'container': (string);
  /**
   * Which lines.
   */
  'options': (_shoal_v1_LogOptions__Output | null);
}
