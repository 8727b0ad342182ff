// Original file: proto/shoal/v1/control.proto


/**
 * Request for GetContainer.
 */
export interface GetContainerRequest {
  /**
   * Container ID, unique ID prefix, or name.
   */
  'ref'?: (string);
}

/**
 * Request for GetContainer.
 */
export interface GetContainerRequest__Output {
  /**
   * Container ID, unique ID prefix, or name.
   */
  'ref': (string);
}
