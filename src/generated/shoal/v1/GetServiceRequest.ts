// Original file: proto/shoal/v1/control.proto


/**
 * Request for GetService.
 */
export interface GetServiceRequest {
  /**
   * Service ID, unique ID prefix, or name.
   */
  'ref'?: (string);
}

/**
 * Request for GetService.
 */
export interface GetServiceRequest__Output {
  /**
   * Service ID, unique ID prefix, or name.
   */
  'ref': (string);
}
