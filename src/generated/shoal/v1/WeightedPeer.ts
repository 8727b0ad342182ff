// Original file: proto/shoal/v1/dispatcher.proto

import type { Long } from '@grpc/proto-loader';

/**
 * A manager a worker can open a session with.
 */
export interface WeightedPeer {
  /**
   * Node.id of the manager.
   */
  'nodeId'?: (string);
  /**
   * Advertise address "HOST:PORT".
   */
  'addr'?: (string);
  /**
   * Relative preference; higher = preferred.
   */
  'weight'?: (number | string | Long);
}

/**
 * A manager a worker can open a session with.
 */
export interface WeightedPeer__Output {
  /**
   * Node.id of the manager.
   */
  'nodeId': (string);
  /**
   * Advertise address "HOST:PORT".
   */
  'addr': (string);
  /**
   * Relative preference; higher = preferred.
   */
  'weight': (number);
}
