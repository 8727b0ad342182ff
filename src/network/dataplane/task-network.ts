/**
 * The seam between the executor and the data plane: a task's attachments
 * become endpoints (eth0, eth1, … in attachment order) in the task's own
 * namespace, and the executor runs the task there with `ip netns exec`.
 */
import type { AttachmentSpec } from '../../worker/executor.js';
import type { DataPlane } from './dataplane.js';
import type { EndpointInput } from './model.js';

export interface TaskNetwork {
  /**
   * Builds the task's namespace and interfaces; resolves with the namespace name. With
   * `externalNs`, the namespace must already exist under `namespaceOf(taskId)` (an image task's
   * container, named with `ip netns attach`): only the interfaces are made.
   */
  attach(taskId: string, attachments: readonly AttachmentSpec[], externalNs?: boolean): Promise<string>;
  /** A task that outlived an agent restart: its namespace is kept. */
  adopt(taskId: string, attachments: readonly AttachmentSpec[], externalNs?: boolean): void;
  /** The name the task's namespace has (or will have) under /run/netns. */
  namespaceOf(taskId: string): string;
  /** The task ended: its namespace goes (and a sandbox it was the last user of). */
  detach(taskId: string): void;
}

export function endpointsOf(taskId: string, attachments: readonly AttachmentSpec[], externalNs = false): EndpointInput[] {
  return attachments.map((a, index) => ({
    ownerId: taskId,
    networkId: a.networkId,
    vni: a.vxlanId,
    address: a.address,
    gateway: a.gateway,
    index,
    ...(a.internal === true ? { internal: true } : {}),
    ...(a.mtu !== undefined && a.mtu > 0 ? { mtu: a.mtu } : {}),
    ...(externalNs ? { externalNs: true } : {}),
  }));
}

export function taskNetworkOf(plane: DataPlane): TaskNetwork {
  return {
    async attach(taskId, attachments, externalNs = false) {
      await plane.attach(taskId, endpointsOf(taskId, attachments, externalNs));
      return plane.taskNamespace(taskId);
    },
    adopt(taskId, attachments, externalNs = false) {
      plane.adopt(taskId, endpointsOf(taskId, attachments, externalNs));
    },
    namespaceOf(taskId) {
      return plane.taskNamespace(taskId);
    },
    detach(taskId) {
      plane.detach(taskId);
    },
  };
}
