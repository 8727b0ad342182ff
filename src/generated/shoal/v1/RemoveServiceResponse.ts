// Original file: proto/shoal/v1/control.proto


/**
 * Response of RemoveService (empty).
 */
export interface RemoveServiceResponse {
}

/**
 * Response of RemoveService (empty).
 */
export interface RemoveServiceResponse__Output {
}
