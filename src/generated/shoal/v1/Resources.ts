// Original file: proto/shoal/v1/objects.proto

import type { Long } from '@grpc/proto-loader';

/**
 * Compute resources, either a node's capacity or a task's reservation.
 */
export interface Resources {
  /**
   * CPU in units of 1e-9 CPUs (1 CPU = 1000000000).
   */
  'nanoCpus'?: (number | string | Long);
  /**
   * Memory in bytes.
   */
  'memoryBytes'?: (number | string | Long);
}

/**
 * Compute resources, either a node's capacity or a task's reservation.
 */
export interface Resources__Output {
  /**
   * CPU in units of 1e-9 CPUs (1 CPU = 1000000000).
   */
  'nanoCpus': (number);
  /**
   * Memory in bytes.
   */
  'memoryBytes': (number);
}
