// Original file: proto/shoal/v1/control.proto


/**
 * Response of Logs.PublishLogs (empty).
 */
export interface PublishLogsResponse {
}

/**
 * Response of Logs.PublishLogs (empty).
 */
export interface PublishLogsResponse__Output {
}
