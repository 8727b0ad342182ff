// Original file: proto/shoal/v1/control.proto

import type { Service as _shoal_v1_Service, Service__Output as _shoal_v1_Service__Output } from '../../shoal/v1/Service.js';

/**
 * Response of CreateService.
 */
export interface CreateServiceResponse {
  /**
   * The created service.
   */
  'service'?: (_shoal_v1_Service | null);
}

/**
 * Response of CreateService.
 */
export interface CreateServiceResponse__Output {
  /**
   * The created service.
   */
  'service': (_shoal_v1_Service__Output | null);
}
