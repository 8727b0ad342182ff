// Original file: proto/shoal/v1/control.proto

import type { Container as _shoal_v1_Container, Container__Output as _shoal_v1_Container__Output } from '../../shoal/v1/Container.js';

/**
 * Response of CreateContainer.
 */
export interface CreateContainerResponse {
  /**
   * The created container.
   */
  'container'?: (_shoal_v1_Container | null);
}

/**
 * Response of CreateContainer.
 */
export interface CreateContainerResponse__Output {
  /**
   * The created container.
   */
  'container': (_shoal_v1_Container__Output | null);
}
