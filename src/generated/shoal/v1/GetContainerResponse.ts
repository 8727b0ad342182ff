// Original file: proto/shoal/v1/control.proto

import type { Container as _shoal_v1_Container, Container__Output as _shoal_v1_Container__Output } from '../../shoal/v1/Container.js';

/**
 * Response of GetContainer.
 */
export interface GetContainerResponse {
  /**
   * The container.
   */
  'container'?: (_shoal_v1_Container | null);
}

/**
 * Response of GetContainer.
 */
export interface GetContainerResponse__Output {
  /**
   * The container.
   */
  'container': (_shoal_v1_Container__Output | null);
}
