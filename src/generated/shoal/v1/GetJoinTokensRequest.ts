// Original file: proto/shoal/v1/control.proto


/**
 * Request for GetJoinTokens (empty).
 */
export interface GetJoinTokensRequest {
}

/**
 * Request for GetJoinTokens (empty).
 */
export interface GetJoinTokensRequest__Output {
}
