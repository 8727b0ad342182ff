// Original file: proto/shoal/v1/allocator.proto


/**
 * Request for AttachNetwork.
 */
export interface AttachNetworkRequest {
  /**
   * Network ID, unique ID prefix, or name.
   */
  'network'?: (string);
  /**
   * ID of the container the address is for (may be chosen by the client before CreateContainer).
   */
  'containerId'?: (string);
  /**
   * Node.id of the node the container runs on.
   */
  'nodeId'?: (string);
  /**
   * A specific IP to allocate; empty = any free address.
   */
  'requestedAddress'?: (string);
  /**
   * Client request ID (1-128 letters, digits, '_', '.', '-'): a repeat with the same ID returns
   * the first request's result instead of acting twice (see docs/api.md "Idempotent writes").
   * Empty = no deduplication.
   */
  'requestId'?: (string);
  /**
   * When the container does not exist yet, the address is a reservation: the leader frees it
   * after this many ms unless CreateContainer claims it first. 0 = 30 000; at most 600 000.
   */
  'reservationTtlMs'?: (number);
}

/**
 * Request for AttachNetwork.
 */
export interface AttachNetworkRequest__Output {
  /**
   * Network ID, unique ID prefix, or name.
   */
  'network': (string);
  /**
   * ID of the container the address is for (may be chosen by the client before CreateContainer).
   */
  'containerId': (string);
  /**
   * Node.id of the node the container runs on.
   */
  'nodeId': (string);
  /**
   * A specific IP to allocate; empty = any free address.
   */
  'requestedAddress': (string);
  /**
   * Client request ID (1-128 letters, digits, '_', '.', '-'): a repeat with the same ID returns
   * the first request's result instead of acting twice (see docs/api.md "Idempotent writes").
   * Empty = no deduplication.
   */
  'requestId': (string);
  /**
   * When the container does not exist yet, the address is a reservation: the leader frees it
   * after this many ms unless CreateContainer claims it first. 0 = 30 000; at most 600 000.
   */
  'reservationTtlMs': (number);
}
