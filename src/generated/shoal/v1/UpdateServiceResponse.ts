// Original file: proto/shoal/v1/control.proto

import type { Service as _shoal_v1_Service, Service__Output as _shoal_v1_Service__Output } from '../../shoal/v1/Service.js';

/**
 * Response of UpdateService.
 */
export interface UpdateServiceResponse {
  /**
   * The service after the change.
   */
  'service'?: (_shoal_v1_Service | null);
}

/**
 * Response of UpdateService.
 */
export interface UpdateServiceResponse__Output {
  /**
   * The service after the change.
   */
  'service': (_shoal_v1_Service__Output | null);
}
