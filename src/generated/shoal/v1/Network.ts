// Original file: proto/shoal/v1/objects.proto

import type { Long } from '@grpc/proto-loader';

/**
 * An overlay network; its address space is managed by the cluster's IPAM.
 */
export interface Network {
  /**
   * Network ID.
   */
  'id'?: (string);
  /**
   * Unique name.
   */
  'name'?: (string);
  /**
   * Operator-set labels.
   */
  'labels'?: ({[key: string]: string});
  /**
   * Creation time, Unix ms.
   */
  'createdUnixMs'?: (number | string | Long);
  /**
   * Last change time, Unix ms.
   */
  'updatedUnixMs'?: (number | string | Long);
  /**
   * Raft index of the last change.
   */
  'version'?: (number | string | Long);
  /**
   * Network driver; "overlay" is the only one today.
   */
  'driver'?: (string);
  /**
   * The network's subnet in CIDR form, e.g. "10.0.1.0/24".
   */
  'subnet'?: (string);
  /**
   * Gateway IP inside the subnet (never handed to a task or container).
   */
  'gateway'?: (string);
  /**
   * Optional sub-range (CIDR within subnet) from which addresses are allocated; empty = whole subnet.
   */
  'ipRange'?: (string);
  /**
   * True if standalone containers may attach (ResourceAllocator.AttachNetwork).
   */
  'attachable'?: (boolean);
  /**
   * VXLAN network identifier assigned by the cluster, unique per network.
   */
  'vxlanId'?: (number);
  /**
   * Created --internal: endpoints get no egress (no route to the node or beyond).
   */
  'internal'?: (boolean);
  /**
   * Driver options as set at creation (e.g. "mtu"); empty = defaults.
   */
  'options'?: ({[key: string]: string});
}

/**
 * An overlay network; its address space is managed by the cluster's IPAM.
 */
export interface Network__Output {
  /**
   * Network ID.
   */
  'id': (string);
  /**
   * Unique name.
   */
  'name': (string);
  /**
   * Operator-set labels.
   */
  'labels': ({[key: string]: string});
  /**
   * Creation time, Unix ms.
   */
  'createdUnixMs': (number);
  /**
   * Last change time, Unix ms.
   */
  'updatedUnixMs': (number);
  /**
   * Raft index of the last change.
   */
  'version': (number);
  /**
   * Network driver; "overlay" is the only one today.
   */
  'driver': (string);
  /**
   * The network's subnet in CIDR form, e.g. "10.0.1.0/24".
   */
  'subnet': (string);
  /**
   * Gateway IP inside the subnet (never handed to a task or container).
   */
  'gateway': (string);
  /**
   * Optional sub-range (CIDR within subnet) from which addresses are allocated; empty = whole subnet.
   */
  'ipRange': (string);
  /**
   * True if standalone containers may attach (ResourceAllocator.AttachNetwork).
   */
  'attachable': (boolean);
  /**
   * VXLAN network identifier assigned by the cluster, unique per network.
   */
  'vxlanId': (number);
  /**
   * Created --internal: endpoints get no egress (no route to the node or beyond).
   */
  'internal': (boolean);
  /**
   * Driver options as set at creation (e.g. "mtu"); empty = defaults.
   */
  'options': ({[key: string]: string});
}
