// Original file: proto/shoal/v1/control.proto


/**
 * Response of RemoveNetwork (empty).
 */
export interface RemoveNetworkResponse {
}

/**
 * Response of RemoveNetwork (empty).
 */
export interface RemoveNetworkResponse__Output {
}
