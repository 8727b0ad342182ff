// Original file: proto/grpc/health/v1/health.proto


// Original file: proto/grpc/health/v1/health.proto

/**
 * Serving status values.
 */
export const _grpc_health_v1_HealthCheckResponse_ServingStatus = {
  /**
   * Status not known.
   */
  UNKNOWN: 'UNKNOWN',
  /**
   * Serving.
   */
  SERVING: 'SERVING',
  /**
   * Not serving.
   */
  NOT_SERVING: 'NOT_SERVING',
  /**
   * Used only by Watch: the service is not known.
   */
  SERVICE_UNKNOWN: 'SERVICE_UNKNOWN',
} as const;

/**
 * Serving status values.
 */
export type _grpc_health_v1_HealthCheckResponse_ServingStatus =
  /**
   * Status not known.
   */
  | 'UNKNOWN'
  | 0
  /**
   * Serving.
   */
  | 'SERVING'
  | 1
  /**
   * Not serving.
   */
  | 'NOT_SERVING'
  | 2
  /**
   * Used only by Watch: the service is not known.
   */
  | 'SERVICE_UNKNOWN'
  | 3

/**
 * Serving status values.
 */
export type _grpc_health_v1_HealthCheckResponse_ServingStatus__Output = typeof _grpc_health_v1_HealthCheckResponse_ServingStatus[keyof typeof _grpc_health_v1_HealthCheckResponse_ServingStatus]

/**
 * The serving status of a service.
 */
export interface HealthCheckResponse {
  /**
   * The status.
   */
  'status'?: (_grpc_health_v1_HealthCheckResponse_ServingStatus);
}

/**
 * The serving status of a service.
 */
export interface HealthCheckResponse__Output {
  /**
   * The status.
   */
  'status': (_grpc_health_v1_HealthCheckResponse_ServingStatus__Output);
}
