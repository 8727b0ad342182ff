// Original file: proto/shoal/v1/control.proto

import type { Service as _shoal_v1_Service, Service__Output as _shoal_v1_Service__Output } from '../../shoal/v1/Service.js';

/**
 * Response of ListServices.
 */
export interface ListServicesResponse {
  /**
   * Matching services, ordered by name.
   */
  'services'?: (_shoal_v1_Service)[];
}

/**
 * Response of ListServices.
 */
export interface ListServicesResponse__Output {
  /**
   * Matching services, ordered by name.
   */
  'services': (_shoal_v1_Service__Output)[];
}
