// Original file: proto/shoal/v1/control.proto

import type { Container as _shoal_v1_Container, Container__Output as _shoal_v1_Container__Output } from '../../shoal/v1/Container.js';

/**
 * Response of ListContainers.
 */
export interface ListContainersResponse {
  /**
   * Matching containers, ordered by name.
   */
  'containers'?: (_shoal_v1_Container)[];
}

/**
 * Response of ListContainers.
 */
export interface ListContainersResponse__Output {
  /**
   * Matching containers, ordered by name.
   */
  'containers': (_shoal_v1_Container__Output)[];
}
