// Original file: proto/grpc/health/v1/health.proto


/**
 * Asks whether the server or one of its services can serve.
 */
export interface HealthCheckRequest {
  /**
   * Fully qualified service name, e.g. "shoal.v1.Control"; "" = the whole server.
   */
  'service'?: (string);
}

/**
 * Asks whether the server or one of its services can serve.
 */
export interface HealthCheckRequest__Output {
  /**
   * Fully qualified service name, e.g. "shoal.v1.Control"; "" = the whole server.
   */
  'service': (string);
}
