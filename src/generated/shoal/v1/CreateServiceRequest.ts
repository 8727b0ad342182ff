// Original file: proto/shoal/v1/control.proto

import type { ServiceSpec as _shoal_v1_ServiceSpec, ServiceSpec__Output as _shoal_v1_ServiceSpec__Output } from '../../shoal/v1/ServiceSpec.js';

/**
 * Request for CreateService.
 */
export interface CreateServiceRequest {
  /**
   * The new service.
   */
  'spec'?: (_shoal_v1_ServiceSpec | null);
}

/**
 * Request for CreateService.
 */
export interface CreateServiceRequest__Output {
  /**
   * The new service.
   */
  'spec': (_shoal_v1_ServiceSpec__Output | null);
}
