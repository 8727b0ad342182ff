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
}
