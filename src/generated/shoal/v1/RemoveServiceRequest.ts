// Original file: proto/shoal/v1/control.proto


/**
 * Request for RemoveService.
 */
export interface RemoveServiceRequest {
  /**
   * Service ID, unique ID prefix, or name.
   */
  'ref'?: (string);
}

/**
 * Request for RemoveService.
 */
export interface RemoveServiceRequest__Output {
  /**
   * Service ID, unique ID prefix, or name.
   */
  'ref': (string);
}
