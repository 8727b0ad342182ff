/**
 * Service VIPs: one address per network of a vip-mode service, allocated by the network's IPAM
 * like any endpoint (attachments.ts), so the store's UNIQUE (network_id, address) constraint
 * and the allocator bitmap keep it apart from every task and container address.
 *
 * Runs inside the service apply (service-apply.ts calls it after a create, update or rollback
 * and before a remove): deterministic, from the spec and the rows alone. A change of networks
 * keeps the VIP on the networks that stay; dnsrr mode holds none.
 */
import type Database from 'better-sqlite3';
import { ShoalError } from '../../errors.js';
import { allocateAddress, releaseAttachment, releaseOwnerAttachments } from './attachments.js';
import { attachmentsOfOwner, describedAttachmentsOfOwner, networkById, type Attachment } from './network-queries.js';
import type { ServiceSpecRecord } from './service-commands.js';

/** The networks on which a service with this spec should hold a VIP. */
export function vipNetworks(spec: ServiceSpecRecord): readonly string[] {
  return (spec.endpointMode ?? 'vip') === 'vip' ? spec.networks : [];
}

/** Brings service `serviceId`'s VIPs in line with `spec`: frees those on networks it left, allocates the missing ones. */
export function reconcileServiceVips(db: Database.Database, index: number, at: number, serviceId: string, spec: ServiceSpecRecord): void {
  const wanted = vipNetworks(spec);
  const held = attachmentsOfOwner(db, 'vip', serviceId);
  for (const a of held) if (!wanted.includes(a.networkId)) releaseAttachment(db, a);
  for (const networkId of wanted) {
    if (held.some((a) => a.networkId === networkId)) continue;
    const network = networkById(db, networkId);
    if (!network) throw new ShoalError('NOT_FOUND', `network ${networkId} not found (it was removed); list networks with \`shoal network ls\``);
    allocateAddress(db, index, { network, ownerKind: 'vip', ownerId: serviceId, nodeId: '', at });
  }
}

/** Frees every VIP of a removed service. */
export function releaseServiceVips(db: Database.Database, index: number, serviceId: string): void {
  releaseOwnerAttachments(db, index, 'vip', serviceId);
}

/** A service's VIPs with their networks' addressing, in network-ID order. Read-only. */
export function vipsOfService(db: Database.Database, serviceId: string): Attachment[] {
  return describedAttachmentsOfOwner(db, 'vip', serviceId);
}
