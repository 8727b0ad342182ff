import type Database from 'better-sqlite3';
import { stmt } from './statements.js';
import { ShoalError } from '../../errors.js';
import type { IpamError } from '../../network/errors.js';
import { planNetworkAddressing, makeSubnetPools } from '../../network/subnet-pool.js';
import { allocateVxlanId } from '../../network/vxlan.js';
import { capacityOf } from '../../network/paged-bitmap.js';
import { formatCidr } from '../../network/cidr.js';
import { getCluster } from './queries.js';
import { recordEvent } from './events.js';
import type { NetworkCommand } from './network-commands.js';
import {
  allocateAddress,
  describeOwner,
  networkInUseBy,
  parseRequestedAddress,
  releaseAttachment,
  releaseOwnerAttachments,
  requireAttachment,
  taskNetworksMax,
  type Attachment,
} from './attachments.js';
import { applyExpireReservations, claimReservations, reservationDeadline } from './reservations.js';
import type { ContainerNetworkRequest } from './network-commands.js';
import { attachmentById, containerById, describeAttachment, listNetworks, networkById, resolveNetwork, stmts, type NetworkRecord } from './network-queries.js';
import { setContainerAliases } from './alias-queries.js';
import { checkAliases } from './discovery-spec.js';
import { NETWORK_MTU_MAX, NETWORK_MTU_MIN } from './dataplane-schema.js';

/**
 * Applies a network/container/attachment command (see network-commands.ts) inside the
 * apply transaction. Deterministic: subnets, VXLAN IDs and addresses are computed from the
 * replicated rows. Failures throw ShoalErrors, which become the command's result everywhere.
 */
export function applyNetworkCommand(db: Database.Database, cmd: NetworkCommand, index: number): unknown {
  switch (cmd.op) {
    case 'network.create':
      return applyNetworkCreate(db, cmd, index);
    case 'network.update':
      return applyNetworkUpdate(db, cmd, index);
    case 'network.remove':
      return applyNetworkRemove(db, cmd, index);
    case 'container.create':
      return applyContainerCreate(db, cmd, index);
    case 'container.update':
      return applyContainerUpdate(db, cmd, index);
    case 'container.remove': {
      if (!containerById(db, cmd.id)) throw new ShoalError('NOT_FOUND', `container ${cmd.id} not found`);
      releaseOwnerAttachments(db, index, 'container', cmd.id);
      stmt(db, 'DELETE FROM containers WHERE id = ?').run(cmd.id);
      recordEvent(db, index, 'container', 'delete', cmd.id);
      return null;
    }
    case 'attachment.attach':
      return applyAttach(db, cmd, index);
    case 'attachment.expire':
      return applyExpireReservations(db, cmd.at, cmd.ids);
    case 'attachment.detach': {
      const a = requireAttachment(db, cmd.id);
      releaseAttachment(db, a);
      if (a.ownerKind === 'container' && containerById(db, a.ownerId)) {
        stmt(db, 'UPDATE containers SET updated_at = ?, version = ? WHERE id = ?').run(cmd.at, index, a.ownerId);
        recordEvent(db, index, 'container', 'update', a.ownerId);
      }
      return null;
    }
  }
}

/** An IPAM module error as the ShoalError the API returns, with the same text. */
function ipamError(e: IpamError): ShoalError {
  const code = e.code === 'invalid-argument' ? 'INVALID_ARGUMENT' : e.code === 'already-exists' ? 'ALREADY_EXISTS' : 'RESOURCE_EXHAUSTED';
  return new ShoalError(code, e.message);
}

function applyNetworkCreate(db: Database.Database, cmd: Extract<NetworkCommand, { op: 'network.create' }>, index: number): { id: string } {
  if (stmt(db, 'SELECT 1 FROM networks WHERE name = ?').get(cmd.name)) {
    throw new ShoalError('ALREADY_EXISTS', `a network named "${cmd.name}" already exists; choose another name or remove it first`);
  }
  if (cmd.mtu !== undefined && !(Number.isInteger(cmd.mtu) && cmd.mtu >= NETWORK_MTU_MIN && cmd.mtu <= NETWORK_MTU_MAX)) {
    throw new ShoalError('INVALID_ARGUMENT', `options: mtu ${cmd.mtu} is out of range (${NETWORK_MTU_MIN}-${NETWORK_MTU_MAX})`);
  }
  const settings = getCluster(db).settings;
  const pools = makeSubnetPools(settings.defaultAddrPools, settings.defaultAddrPoolMaskLength);
  if (!pools.ok) throw ipamError(pools.error);
  const existing = listNetworks(db).map((n) => ({ name: n.name, subnet: n.subnet }));
  const req = { ...(cmd.subnet !== undefined ? { subnet: cmd.subnet } : {}), ...(cmd.gateway !== undefined ? { gateway: cmd.gateway } : {}), ...(cmd.ipRange !== undefined ? { ipRange: cmd.ipRange } : {}) };
  const plan = planNetworkAddressing(req, pools.value, existing);
  if (!plan.ok) throw ipamError(plan.error);
  const used = new Set((stmt(db, 'SELECT vxlan_id FROM networks').all() as { vxlan_id: number }[]).map((r) => r.vxlan_id));
  const vxlan = allocateVxlanId(used);
  if (!vxlan.ok) throw ipamError(vxlan.error);
  const { subnet, gateway, ipRange } = plan.value;
  const capacity = capacityOf({ subnet, gateway, range: ipRange });
  stmt(db, 
    `INSERT INTO networks (id, name, driver, subnet, subnet_base, subnet_prefix, gateway, range_base, range_prefix, attachable, vxlan_id,
       labels, created_at, updated_at, version, alloc_cursor, alloc_held, alloc_capacity, internal, mtu)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0, ?, ?, ?)`,
  ).run(
    cmd.id,
    cmd.name,
    cmd.driver,
    formatCidr(subnet),
    subnet.base,
    subnet.prefix,
    gateway,
    ipRange.base,
    ipRange.prefix,
    cmd.attachable ? 1 : 0,
    vxlan.value,
    JSON.stringify(sortedRecord(cmd.labels)),
    cmd.at,
    cmd.at,
    index,
    capacity,
    cmd.internal === true ? 1 : 0,
    cmd.mtu ?? 0,
  );
  recordEvent(db, index, 'network', 'create', cmd.id);
  return { id: cmd.id };
}

function requireNetwork(db: Database.Database, id: string): NetworkRecord {
  const n = networkById(db, id);
  if (!n) throw new ShoalError('NOT_FOUND', `network ${id} not found; it may have been removed`);
  return n;
}

function checkVersion(kind: string, name: string, asked: number, current: number): void {
  if (asked !== 0 && asked !== current) {
    throw new ShoalError('ABORTED', `${kind} ${name} changed since it was read (version ${asked}, now ${current}); read it again and retry`);
  }
}

function applyNetworkUpdate(db: Database.Database, cmd: Extract<NetworkCommand, { op: 'network.update' }>, index: number): { version: number } {
  const n = requireNetwork(db, cmd.id);
  checkVersion('network', `"${n.name}"`, cmd.version, n.version);
  const labels = applyLabels(n.labels, cmd.labelsAdd, cmd.labelsRemove);
  stmt(db, 'UPDATE networks SET labels = ?, updated_at = ?, version = ? WHERE id = ?').run(JSON.stringify(labels), cmd.at, index, n.id);
  recordEvent(db, index, 'network', 'update', n.id);
  return { version: index };
}

function applyNetworkRemove(db: Database.Database, cmd: Extract<NetworkCommand, { op: 'network.remove' }>, index: number): null {
  const n = requireNetwork(db, cmd.id);
  const users = networkInUseBy(db, n.id);
  if (users.length > 0) {
    const shown = users.slice(0, 10).map((u) => (u.name === undefined ? `${u.kind} ${u.id}` : `${u.kind} ${u.name} (${u.id})`));
    throw new ShoalError(
      'FAILED_PRECONDITION',
      `network "${n.name}" is in use by ${users.length} endpoint${users.length === 1 ? '' : 's'}: ${shown.join(', ')}${users.length > 10 ? ', …' : ''}; remove them (or detach them) first`,
    );
  }
  // Bitmap pages go with the network (ON DELETE CASCADE); attachments would block it (foreign key).
  stmt(db, 'DELETE FROM networks WHERE id = ?').run(n.id);
  recordEvent(db, index, 'network', 'delete', n.id);
  return null;
}

function applyAttach(db: Database.Database, cmd: Extract<NetworkCommand, { op: 'attachment.attach' }>, index: number): Attachment {
  const n = resolveNetwork(db, cmd.network);
  if (cmd.ownerKind === 'container' && !n.attachable) {
    throw new ShoalError('FAILED_PRECONDITION', `network "${n.name}" is not attachable; create it with --attachable`);
  }
  if (!stmts(db).nodeExists.get(cmd.nodeId)) throw new ShoalError('NOT_FOUND', `node_id: node ${cmd.nodeId} not found`);
  const container = cmd.ownerKind === 'container' ? containerById(db, cmd.ownerId) : null;
  if (container && container.nodeId !== cmd.nodeId) {
    throw new ShoalError('INVALID_ARGUMENT', `node_id: container ${container.name} (${container.id}) runs on node ${container.nodeId}, not ${cmd.nodeId}`);
  }
  const address = cmd.address === undefined ? undefined : parseRequestedAddress(cmd.address, 'requested_address');
  // An address for a container that does not exist yet is a reservation: it has a deadline.
  const reservation = cmd.ownerKind === 'container' && !container;
  const a = allocateAddress(db, index, {
    network: n,
    ownerKind: cmd.ownerKind,
    ownerId: cmd.ownerId,
    nodeId: cmd.nodeId,
    at: cmd.at,
    ...(address === undefined ? {} : { address }),
    ...(reservation ? { expiresAt: reservationDeadline(cmd.at, cmd.reserveMs) } : {}),
  });
  if (container) {
    stmt(db, 'UPDATE containers SET updated_at = ?, version = ? WHERE id = ?').run(cmd.at, index, container.id);
    recordEvent(db, index, 'container', 'update', container.id);
  }
  return a;
}

/** The networks of a container created with its attachments, allocated in the create's apply. */
function attachNewContainer(db: Database.Database, index: number, cmd: Extract<NetworkCommand, { op: 'container.create' }>, networks: readonly ContainerNetworkRequest[]): void {
  if (networks.length > taskNetworksMax) throw new ShoalError('INVALID_ARGUMENT', `networks: a container can join at most ${taskNetworksMax} networks, got ${networks.length}`);
  for (const req of networks) {
    const n = resolveNetwork(db, req.network);
    if (!n.attachable) throw new ShoalError('FAILED_PRECONDITION', `network "${n.name}" is not attachable; create it with --attachable`);
    const address = req.address === undefined ? undefined : parseRequestedAddress(req.address, 'requested_address');
    allocateAddress(db, index, { network: n, ownerKind: 'container', ownerId: cmd.id, nodeId: cmd.nodeId, at: cmd.at, ...(address === undefined ? {} : { address }) });
  }
}

function applyContainerCreate(db: Database.Database, cmd: Extract<NetworkCommand, { op: 'container.create' }>, index: number): { id: string } {
  if (stmt(db, 'SELECT 1 FROM containers WHERE name = ?').get(cmd.name)) {
    throw new ShoalError('ALREADY_EXISTS', `a container named "${cmd.name}" already exists; choose another name or remove it first`);
  }
  if (containerById(db, cmd.id)) throw new ShoalError('ALREADY_EXISTS', `a container with ID ${cmd.id} already exists`);
  if (!stmt(db, 'SELECT 1 FROM nodes WHERE id = ?').get(cmd.nodeId)) throw new ShoalError('NOT_FOUND', `node_id: node ${cmd.nodeId} not found`);
  for (const aid of cmd.attachmentIds) {
    const a = attachmentById(db, aid);
    if (!a) throw new ShoalError('NOT_FOUND', `attachment_ids: attachment ${aid} not found`);
    if (a.ownerKind !== 'container' || a.ownerId !== cmd.id) {
      throw new ShoalError('INVALID_ARGUMENT', `attachment_ids: attachment ${aid} belongs to ${describeOwner(db, a.ownerKind, a.ownerId)}, not to container ${cmd.id}`);
    }
    if (a.nodeId !== cmd.nodeId) throw new ShoalError('INVALID_ARGUMENT', `attachment_ids: attachment ${aid} was made for node ${a.nodeId}, not ${cmd.nodeId}`);
  }
  stmt(db, 
    `INSERT INTO containers (id, name, node_id, command, args, env, labels, image, pull, state, exit_code, created_at, updated_at, version)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'created', 0, ?, ?, ?)`,
  ).run(cmd.id, cmd.name, cmd.nodeId, cmd.command, JSON.stringify(cmd.args), JSON.stringify(cmd.env), JSON.stringify(sortedRecord(cmd.labels)), cmd.image ?? '', cmd.pull ?? '', cmd.at, cmd.at, index);
  setContainerAliases(db, cmd.id, checkAliases('network_aliases', cmd.aliases ?? []));
  // Every reservation made for this container ID is its now; new attachments join in this same apply.
  claimReservations(db, 'container', cmd.id);
  attachNewContainer(db, index, cmd, cmd.networks ?? []);
  recordEvent(db, index, 'container', 'create', cmd.id);
  return { id: cmd.id };
}

function applyContainerUpdate(db: Database.Database, cmd: Extract<NetworkCommand, { op: 'container.update' }>, index: number): { version: number } {
  const c = containerById(db, cmd.id);
  if (!c) throw new ShoalError('NOT_FOUND', `container ${cmd.id} not found`);
  checkVersion('container', c.name, cmd.version, c.version);
  const labels = applyLabels(c.labels, cmd.labelsAdd, cmd.labelsRemove);
  const state = cmd.state ?? c.state;
  const exitCode = state === 'exited' ? (cmd.exitCode ?? c.exitCode) : 0;
  stmt(db, 'UPDATE containers SET state = ?, exit_code = ?, labels = ?, updated_at = ?, version = ? WHERE id = ?').run(state, exitCode, JSON.stringify(labels), cmd.at, index, c.id);
  recordEvent(db, index, 'container', 'update', c.id);
  return { version: index };
}

function applyLabels(current: Readonly<Record<string, string>>, add: Readonly<Record<string, string>>, remove: readonly string[]): Record<string, string> {
  const labels: Record<string, string> = { ...current };
  for (const [k, v] of Object.entries(add)) labels[k] = v;
  for (const k of remove) delete labels[k];
  return sortedRecord(labels);
}

/** Labels are stored with sorted keys so every manager's bytes (and snapshots) are identical. */
function sortedRecord(r: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(r).sort()) out[k] = r[k] ?? '';
  return out;
}

/** Re-export for the API layer: an attachment in API shape from its ID. */
export function describeAttachmentById(db: Database.Database, id: string): Attachment | null {
  const a = attachmentById(db, id);
  if (!a) return null;
  const n = networkById(db, a.networkId);
  return n ? describeAttachment(a, n) : null;
}
