// Original file: proto/shoal/v1/objects.proto


/**
 * A task's (or container's) address on one network.
 */
export interface NetworkAttachment {
  /**
   * Attachment ID (used by ResourceAllocator.DetachNetwork).
   */
  'id'?: (string);
  /**
   * ID of the network.
   */
  'networkId'?: (string);
  /**
   * Allocated address with the network's prefix length, e.g. "10.0.1.5/24".
   */
  'address'?: (string);
  /**
   * The network's gateway IP.
   */
  'gateway'?: (string);
  /**
   * The network's subnet in CIDR form.
   */
  'subnet'?: (string);
  /**
   * The network's VXLAN identifier.
   */
  'vxlanId'?: (number);
  /**
   * Name of the network (for display; the ID is authoritative).
   */
  'networkName'?: (string);
  /**
   * The network is internal: no egress through this endpoint.
   */
  'internal'?: (boolean);
  /**
   * The network's MTU option; 0 = the node's default (data-path interface MTU - 50).
   */
  'mtu'?: (number);
}

/**
 * A task's (or container's) address on one network.
 */
export interface NetworkAttachment__Output {
  /**
   * Attachment ID (used by ResourceAllocator.DetachNetwork).
   */
  'id': (string);
  /**
   * ID of the network.
   */
  'networkId': (string);
  /**
   * Allocated address with the network's prefix length, e.g. "10.0.1.5/24".
   */
  'address': (string);
  /**
   * The network's gateway IP.
   */
  'gateway': (string);
  /**
   * The network's subnet in CIDR form.
   */
  'subnet': (string);
  /**
   * The network's VXLAN identifier.
   */
  'vxlanId': (number);
  /**
   * Name of the network (for display; the ID is authoritative).
   */
  'networkName': (string);
  /**
   * The network is internal: no egress through this endpoint.
   */
  'internal': (boolean);
  /**
   * The network's MTU option; 0 = the node's default (data-path interface MTU - 50).
   */
  'mtu': (number);
}
