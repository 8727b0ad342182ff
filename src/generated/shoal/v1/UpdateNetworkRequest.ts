// Original file: proto/shoal/v1/control.proto

import type { Long } from '@grpc/proto-loader';

/**
 * Request for UpdateNetwork.
 */
export interface UpdateNetworkRequest {
  /**
   * Network ID, unique ID prefix, or name.
   */
  'ref'?: (string);
  /**
   * The network's version as last read.
   */
  'version'?: (number | string | Long);
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
 * Request for UpdateNetwork.
 */
export interface UpdateNetworkRequest__Output {
  /**
   * Network ID, unique ID prefix, or name.
   */
  'ref': (string);
  /**
   * The network's version as last read.
   */
  'version': (number);
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
