// Original file: proto/shoal/v1/allocator.proto


/**
 * Request for DetachNetwork.
 */
export interface DetachNetworkRequest {
  /**
   * NetworkAttachment.id returned by AttachNetwork.
   */
  'attachmentId'?: (string);
  /**
   * Client request ID (1-128 letters, digits, '_', '.', '-'): a repeat with the same ID returns
   * the first request's result instead of acting twice (see docs/api.md "Idempotent writes").
   * Empty = no deduplication.
   */
  'requestId'?: (string);
}

/**
 * Request for DetachNetwork.
 */
export interface DetachNetworkRequest__Output {
  /**
   * NetworkAttachment.id returned by AttachNetwork.
   */
  'attachmentId': (string);
  /**
   * Client request ID (1-128 letters, digits, '_', '.', '-'): a repeat with the same ID returns
   * the first request's result instead of acting twice (see docs/api.md "Idempotent writes").
   * Empty = no deduplication.
   */
  'requestId': (string);
}
