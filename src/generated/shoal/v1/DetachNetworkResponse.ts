// Original file: proto/shoal/v1/allocator.proto


/**
 * Response of DetachNetwork (empty).
 */
export interface DetachNetworkResponse {
}

/**
 * Response of DetachNetwork (empty).
 */
export interface DetachNetworkResponse__Output {
}
