// Original file: proto/shoal/v1/dispatcher.proto


/**
 * Request for Assignments.
 */
export interface AssignmentsRequest {
  /**
   * The session the assignments are for.
   */
  'sessionId'?: (string);
}

/**
 * Request for Assignments.
 */
export interface AssignmentsRequest__Output {
  /**
   * The session the assignments are for.
   */
  'sessionId': (string);
}
