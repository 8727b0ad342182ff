// Original file: proto/shoal/v1/raft.proto


/**
 * Empty answer: the node has been removed.
 */
export interface LeaveResponse {
}

/**
 * Empty answer: the node has been removed.
 */
export interface LeaveResponse__Output {
}
