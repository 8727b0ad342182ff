// Original file: proto/shoal/v1/control.proto

import type { Service as _shoal_v1_Service, Service__Output as _shoal_v1_Service__Output } from '../../shoal/v1/Service.js';

/**
 * Response of GetService.
 */
export interface GetServiceResponse {
  /**
   * The service.
   */
  'service'?: (_shoal_v1_Service | null);
}

/**
 * Response of GetService.
 */
export interface GetServiceResponse__Output {
  /**
   * The service.
   */
  'service': (_shoal_v1_Service__Output | null);
}
