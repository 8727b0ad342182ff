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
  /**
   * Client request ID (1-128 letters, digits, '_', '.', '-'): a repeat with the same ID returns
   * the first request's result instead of acting twice (see docs/api.md "Idempotent writes").
   * Empty = no deduplication.
   */
  'requestId'?: (string);
  /**
   * A standalone container (name or ID) whose addresses the service's slot-1 task takes over on
   * every network both are on, in the same replicated command that creates the service; the
   * container is removed (its node stops it). Empty = none. Replicated services only.
   */
  'adoptContainer'?: (string);
}

/**
 * Request for CreateService.
 */
export interface CreateServiceRequest__Output {
  /**
   * The new service.
   */
  'spec': (_shoal_v1_ServiceSpec__Output | null);
  /**
   * Client request ID (1-128 letters, digits, '_', '.', '-'): a repeat with the same ID returns
   * the first request's result instead of acting twice (see docs/api.md "Idempotent writes").
   * Empty = no deduplication.
   */
  'requestId': (string);
  /**
   * A standalone container (name or ID) whose addresses the service's slot-1 task takes over on
   * every network both are on, in the same replicated command that creates the service; the
   * container is removed (its node stops it). Empty = none. Replicated services only.
   */
  'adoptContainer': (string);
}
