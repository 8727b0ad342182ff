// Original file: proto/shoal/v1/control.proto


/**
 * Request for CreateNetwork.
 */
export interface CreateNetworkRequest {
  /**
   * Unique name; ALREADY_EXISTS if taken.
   */
  'name'?: (string);
  /**
   * Driver; empty = "overlay".
   */
  'driver'?: (string);
  /**
   * Subnet in CIDR form; empty = drawn from the default address pools.
   */
  'subnet'?: (string);
  /**
   * Gateway IP; empty = the first usable address of the subnet.
   */
  'gateway'?: (string);
  /**
   * Sub-range for allocation (CIDR within subnet); empty = whole subnet.
   */
  'ipRange'?: (string);
  /**
   * Whether standalone containers may attach.
   */
  'attachable'?: (boolean);
  /**
   * Labels.
   */
  'labels'?: ({[key: string]: string});
  /**
   * Client request ID (1-128 letters, digits, '_', '.', '-'): a repeat with the same ID returns
   * the first request's result instead of acting twice (see docs/api.md "Idempotent writes").
   * Empty = no deduplication.
   */
  'requestId'?: (string);
  /**
   * No egress: endpoints reach only their network (no route to the node or beyond).
   */
  'internal'?: (boolean);
  /**
   * Driver options. Known: "mtu" (576-9000; default: the data-path interface's MTU - 50).
   * Any other key is INVALID_ARGUMENT.
   */
  'options'?: ({[key: string]: string});
}

/**
 * Request for CreateNetwork.
 */
export interface CreateNetworkRequest__Output {
  /**
   * Unique name; ALREADY_EXISTS if taken.
   */
  'name': (string);
  /**
   * Driver; empty = "overlay".
   */
  'driver': (string);
  /**
   * Subnet in CIDR form; empty = drawn from the default address pools.
   */
  'subnet': (string);
  /**
   * Gateway IP; empty = the first usable address of the subnet.
   */
  'gateway': (string);
  /**
   * Sub-range for allocation (CIDR within subnet); empty = whole subnet.
   */
  'ipRange': (string);
  /**
   * Whether standalone containers may attach.
   */
  'attachable': (boolean);
  /**
   * Labels.
   */
  'labels': ({[key: string]: string});
  /**
   * Client request ID (1-128 letters, digits, '_', '.', '-'): a repeat with the same ID returns
   * the first request's result instead of acting twice (see docs/api.md "Idempotent writes").
   * Empty = no deduplication.
   */
  'requestId': (string);
  /**
   * No egress: endpoints reach only their network (no route to the node or beyond).
   */
  'internal': (boolean);
  /**
   * Driver options. Known: "mtu" (576-9000; default: the data-path interface's MTU - 50).
   * Any other key is INVALID_ARGUMENT.
   */
  'options': ({[key: string]: string});
}
