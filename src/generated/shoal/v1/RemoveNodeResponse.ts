// Original file: proto/shoal/v1/control.proto


/**
 * Response of RemoveNode (empty).
 */
export interface RemoveNodeResponse {
}

/**
 * Response of RemoveNode (empty).
 */
export interface RemoveNodeResponse__Output {
}
