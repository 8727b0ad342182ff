// Original file: proto/shoal/v1/control.proto

import type { ContainerState as _shoal_v1_ContainerState, ContainerState__Output as _shoal_v1_ContainerState__Output } from '../../shoal/v1/ContainerState.js';
import type { Long } from '@grpc/proto-loader';

/**
 * Request for UpdateContainer.
 */
export interface UpdateContainerRequest {
  /**
   * Container ID, unique ID prefix, or name.
   */
  'ref'?: (string);
  /**
   * The container's version as last read.
   */
  'version'?: (number | string | Long);
  /**
   * New state; UNSPECIFIED = leave as is.
   */
  'state'?: (_shoal_v1_ContainerState);
  /**
   * Exit code when the new state is EXITED.
   */
  'exitCode'?: (number);
  /**
   * Labels to add or overwrite.
   */
  'labelAdd'?: ({[key: string]: string});
  /**
   * Label keys to remove.
   */
  'labelRm'?: (string)[];
  /**
   * Client request ID (1-128 letters, digits, '_', '.', '-'): a repeat with the same ID returns
   * the first request's result instead of acting twice (see docs/api.md "Idempotent writes").
   * Empty = no deduplication.
   */
  'requestId'?: (string);
}

/**
 * Request for UpdateContainer.
 */
export interface UpdateContainerRequest__Output {
  /**
   * Container ID, unique ID prefix, or name.
   */
  'ref': (string);
  /**
   * The container's version as last read.
   */
  'version': (number);
  /**
   * New state; UNSPECIFIED = leave as is.
   */
  'state': (_shoal_v1_ContainerState__Output);
  /**
   * Exit code when the new state is EXITED.
   */
  'exitCode': (number);
  /**
   * Labels to add or overwrite.
   */
  'labelAdd': ({[key: string]: string});
  /**
   * Label keys to remove.
   */
  'labelRm': (string)[];
  /**
   * Client request ID (1-128 letters, digits, '_', '.', '-'): a repeat with the same ID returns
   * the first request's result instead of acting twice (see docs/api.md "Idempotent writes").
   * Empty = no deduplication.
   */
  'requestId': (string);
}
