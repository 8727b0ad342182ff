// Original file: proto/shoal/v1/dispatcher.proto


/**
 * Response of UpdateTaskStatus (empty).
 */
export interface UpdateTaskStatusResponse {
}

/**
 * Response of UpdateTaskStatus (empty).
 */
export interface UpdateTaskStatusResponse__Output {
}
