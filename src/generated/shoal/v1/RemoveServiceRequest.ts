// Original file: proto/shoal/v1/control.proto


/**
 * Request for RemoveService.
 */
export interface RemoveServiceRequest {
  /**
   * Service ID, unique ID prefix, or name.
   */
  'ref'?: (string);
  /**
   * Client request ID (1-128 letters, digits, '_', '.', '-'): a repeat with the same ID returns
   * the first request's result instead of acting twice (see docs/api.md "Idempotent writes").
   * Empty = no deduplication.
   */
  'requestId'?: (string);
}

/**
 * Request for RemoveService.
 */
export interface RemoveServiceRequest__Output {
  /**
   * Service ID, unique ID prefix, or name.
   */
  'ref': (string);
  /**
   * Client request ID (1-128 letters, digits, '_', '.', '-'): a repeat with the same ID returns
   * the first request's result instead of acting twice (see docs/api.md "Idempotent writes").
   * Empty = no deduplication.
   */
  'requestId': (string);
}
