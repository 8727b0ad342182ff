// Original file: proto/shoal/v1/dispatcher.proto

import type { Long } from '@grpc/proto-loader';

/**
 * A heartbeat on the Connect stream.
 */
export interface SessionHeartbeat {
  /**
   * The worker's clock when it sent the heartbeat (for logs; liveness uses the manager's clock).
   */
  'sentUnixMs'?: (number | string | Long);
  /**
   * As in HeartbeatRequest: the digest of the root the node's certificate leads to (CA rotation).
   */
  'certRootDigest'?: (string);
}

/**
 * A heartbeat on the Connect stream.
 */
export interface SessionHeartbeat__Output {
  /**
   * The worker's clock when it sent the heartbeat (for logs; liveness uses the manager's clock).
   */
  'sentUnixMs': (number);
  /**
   * As in HeartbeatRequest: the digest of the root the node's certificate leads to (CA rotation).
   */
  'certRootDigest': (string);
}
