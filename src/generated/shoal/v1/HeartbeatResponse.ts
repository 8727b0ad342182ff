// Original file: proto/shoal/v1/dispatcher.proto

import type { Long } from '@grpc/proto-loader';

/**
 * Response of Heartbeat.
 */
export interface HeartbeatResponse {
  /**
   * Interval until the next heartbeat is due, in ms.
   */
  'periodMs'?: (number | string | Long);
}

/**
 * Response of Heartbeat.
 */
export interface HeartbeatResponse__Output {
  /**
   * Interval until the next heartbeat is due, in ms.
   */
  'periodMs': (number);
}
