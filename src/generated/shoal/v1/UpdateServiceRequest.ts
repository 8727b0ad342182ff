// Original file: proto/shoal/v1/control.proto

import type { ServiceSpec as _shoal_v1_ServiceSpec, ServiceSpec__Output as _shoal_v1_ServiceSpec__Output } from '../../shoal/v1/ServiceSpec.js';
import type { Long } from '@grpc/proto-loader';

/**
 * Request for UpdateService.
 */
export interface UpdateServiceRequest {
  /**
   * Service ID, unique ID prefix, or name.
   */
  'ref'?: (string);
  /**
   * The service's version as last read; ABORTED if it changed since (read it again and retry).
   */
  'version'?: (number | string | Long);
  /**
   * The complete new spec (replaces the old one). Ignored when `rollback` is true.
   */
  'spec'?: (_shoal_v1_ServiceSpec | null);
  /**
   * Go back to the previous spec.
   */
  'rollback'?: (boolean);
  /**
   * Client request ID (1-128 letters, digits, '_', '.', '-'): a repeat with the same ID returns
   * the first request's result instead of acting twice (see docs/api.md "Idempotent writes").
   * Empty = no deduplication.
   */
  'requestId'?: (string);
}

/**
 * Request for UpdateService.
 */
export interface UpdateServiceRequest__Output {
  /**
   * Service ID, unique ID prefix, or name.
   */
  'ref': (string);
  /**
   * The service's version as last read; ABORTED if it changed since (read it again and retry).
   */
  'version': (number);
  /**
   * The complete new spec (replaces the old one). Ignored when `rollback` is true.
   */
  'spec': (_shoal_v1_ServiceSpec__Output | null);
  /**
   * Go back to the previous spec.
   */
  'rollback': (boolean);
  /**
   * Client request ID (1-128 letters, digits, '_', '.', '-'): a repeat with the same ID returns
   * the first request's result instead of acting twice (see docs/api.md "Idempotent writes").
   * Empty = no deduplication.
   */
  'requestId': (string);
}
