// Original file: proto/shoal/v1/control.proto

import type { EndpointKind as _shoal_v1_EndpointKind, EndpointKind__Output as _shoal_v1_EndpointKind__Output } from '../../shoal/v1/EndpointKind.js';
import type { Long } from '@grpc/proto-loader';

/**
 * One address held on a network, as `shoal network inspect` shows it.
 */
export interface NetworkEndpoint {
  /**
   * The attachment's ID (what DetachNetwork takes).
   */
  'id'?: (string);
  /**
   * Task or container.
   */
  'kind'?: (_shoal_v1_EndpointKind);
  /**
   * The task's or container's ID.
   */
  'ownerId'?: (string);
  /**
   * The container's name; empty for tasks.
   */
  'ownerName'?: (string);
  /**
   * The node the endpoint lives on.
   */
  'nodeId'?: (string);
  /**
   * That node's hostname; empty if the node is gone.
   */
  'nodeHostname'?: (string);
  /**
   * The node's state: "ready", "down", "unknown" (no heartbeat seen yet) or "removed".
   */
  'nodeStatus'?: (string);
  /**
   * True when the node is down or removed: the address is kept (the node may come back).
   */
  'nodeDown'?: (boolean);
  /**
   * The address with the subnet's prefix length, e.g. "10.0.1.5/24".
   */
  'address'?: (string);
  /**
   * For an address reserved for a container that does not exist yet (AttachNetwork before
   * CreateContainer): when the reservation lapses and the leader frees it (Unix ms); 0 = held
   * by an existing owner.
   */
  'reservedUntilUnixMs'?: (number | string | Long);
  /**
   * The data-path address of its node (where VXLAN traffic for it goes), as the node reported it
   * to the leader; elsewhere (or before the node's first session) the host of its advertise address.
   */
  'dataPathAddr'?: (string);
}

/**
 * One address held on a network, as `shoal network inspect` shows it.
 */
export interface NetworkEndpoint__Output {
  /**
   * The attachment's ID (what DetachNetwork takes).
   */
  'id': (string);
  /**
   * Task or container.
   */
  'kind': (_shoal_v1_EndpointKind__Output);
  /**
   * The task's or container's ID.
   */
  'ownerId': (string);
  /**
   * The container's name; empty for tasks.
   */
  'ownerName': (string);
  /**
   * The node the endpoint lives on.
   */
  'nodeId': (string);
  /**
   * That node's hostname; empty if the node is gone.
   */
  'nodeHostname': (string);
  /**
   * The node's state: "ready", "down", "unknown" (no heartbeat seen yet) or "removed".
   */
  'nodeStatus': (string);
  /**
   * True when the node is down or removed: the address is kept (the node may come back).
   */
  'nodeDown': (boolean);
  /**
   * The address with the subnet's prefix length, e.g. "10.0.1.5/24".
   */
  'address': (string);
  /**
   * For an address reserved for a container that does not exist yet (AttachNetwork before
   * CreateContainer): when the reservation lapses and the leader frees it (Unix ms); 0 = held
   * by an existing owner.
   */
  'reservedUntilUnixMs': (number);
  /**
   * The data-path address of its node (where VXLAN traffic for it goes), as the node reported it
   * to the leader; elsewhere (or before the node's first session) the host of its advertise address.
   */
  'dataPathAddr': (string);
}
