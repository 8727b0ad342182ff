// Original file: proto/shoal/v1/control.proto


/**
 * Request for GetTask.
 */
export interface GetTaskRequest {
  /**
   * Task ID or unique ID prefix.
   */
  'ref'?: (string);
}

/**
 * Request for GetTask.
 */
export interface GetTaskRequest__Output {
  /**
   * Task ID or unique ID prefix.
   */
  'ref': (string);
}
