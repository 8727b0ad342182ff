// Original file: proto/shoal/v1/control.proto


/**
 * Request for GetClusterInfo (empty).
 */
export interface GetClusterInfoRequest {
}

/**
 * Request for GetClusterInfo (empty).
 */
export interface GetClusterInfoRequest__Output {
}
