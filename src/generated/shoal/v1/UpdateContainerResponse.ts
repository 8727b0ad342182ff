// Original file: proto/shoal/v1/control.proto

import type { Container as _shoal_v1_Container, Container__Output as _shoal_v1_Container__Output } from '../../shoal/v1/Container.js';

/**
 * Response of UpdateContainer.
 */
export interface UpdateContainerResponse {
  /**
   * The container after the change.
   */
  'container'?: (_shoal_v1_Container | null);
}

/**
 * Response of UpdateContainer.
 */
export interface UpdateContainerResponse__Output {
  /**
   * The container after the change.
   */
  'container': (_shoal_v1_Container__Output | null);
}
