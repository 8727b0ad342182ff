// Original file: proto/shoal/v1/control.proto


/**
 * Response of RemoveContainer (empty).
 */
export interface RemoveContainerResponse {
}

/**
 * Response of RemoveContainer (empty).
 */
export interface RemoveContainerResponse__Output {
}
