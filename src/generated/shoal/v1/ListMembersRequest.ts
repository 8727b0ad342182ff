// Original file: proto/shoal/v1/raft.proto


/**
 * Empty: list all members.
 */
export interface ListMembersRequest {
}

/**
 * Empty: list all members.
 */
export interface ListMembersRequest__Output {
}
