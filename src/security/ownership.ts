/**
 * Ownership checks for the few by-ID writes a worker certificate may make
 * (authz.ts lets them through because the CLI on a worker needs them): a
 * worker may act only on objects recorded on its own node. The request names
 * only an ID, so the check needs the store and runs in the handler on the
 * leader, where the caller (the certificate's CN, or the one a forwarding
 * manager passed on) is in the call's metadata.
 *
 * Managers, admin clients and the local socket (no caller) are not limited:
 * they may act on any node's objects.
 */
import { ShoalError } from '../errors.js';
import type { Caller } from './authz.js';

/** The part of a container or attachment record the check needs. */
export interface NodeOwned {
  readonly nodeId: string;
}

/** Refuses a worker acting on `container` if it runs on another node. */
export function checkContainerOwner(caller: Caller | null, container: NodeOwned & { readonly id: string; readonly name: string }): void {
  if (caller?.role !== 'worker' || container.nodeId === caller.id) return;
  throw new ShoalError(
    'PERMISSION_DENIED',
    `container ${container.name} (${container.id}) runs on node ${container.nodeId}: the certificate of node ${caller.id} may act only on containers of its own node`,
  );
}

/**
 * Refuses a worker detaching an attachment that is not a container's on its
 * own node (a task's or a VIP's attachment is the orchestrator's to release).
 */
export function checkAttachmentOwner(caller: Caller | null, a: NodeOwned & { readonly id: string; readonly ownerKind: string; readonly ownerId: string }): void {
  if (caller?.role !== 'worker') return;
  if (a.ownerKind !== 'container') {
    throw new ShoalError('PERMISSION_DENIED', `attachment ${a.id} belongs to ${a.ownerKind} ${a.ownerId}: a worker certificate may detach only its own containers' attachments`);
  }
  if (a.nodeId !== caller.id) {
    throw new ShoalError(
      'PERMISSION_DENIED',
      `attachment ${a.id} (container ${a.ownerId}) is on node ${a.nodeId}: the certificate of node ${caller.id} may act only on attachments of its own node`,
    );
  }
}
