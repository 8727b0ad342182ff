// Original file: proto/shoal/v1/allocator.proto


/**
 * Request for DetachNetwork.
 */
export interface DetachNetworkRequest {
  /**
   * NetworkAttachment.id returned by AttachNetwork.
   */
  'attachmentId'?: (string);
}

/**
 * Request for DetachNetwork.
 */
export interface DetachNetworkRequest__Output {
  /**
   * NetworkAttachment.id returned by AttachNetwork.
   */
  'attachmentId': (string);
}
