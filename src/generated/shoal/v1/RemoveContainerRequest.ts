// Original file: proto/shoal/v1/control.proto


/**
 * Request for RemoveContainer.
 */
export interface RemoveContainerRequest {
  /**
   * Container ID, unique ID prefix, or name.
   */
  'ref'?: (string);
}

/**
 * Request for RemoveContainer.
 */
export interface RemoveContainerRequest__Output {
  /**
   * Container ID, unique ID prefix, or name.
   */
  'ref': (string);
}
