/**
 * Address attachments: the one place that hands out and takes back endpoint addresses.
 *
 * Every function here runs INSIDE an apply transaction (it changes replicated rows) and is
 * deterministic: the same rows and arguments give the same addresses and IDs on every
 * manager. Other apply code (services/tasks) calls allocateTaskAttachments and
 * releaseOwnerAttachments from its own apply; the network commands call the rest.
 *
 * Allocation reads the network's rotation cursor and held count from its row, then the bitmap
 * page(s) from the cursor on (src/network/paged-bitmap.ts), sets one bit, and writes back the
 * page, the counters and the attachment row — amortized O(1), never a scan of all endpoints.
 * The row insert is guarded by UNIQUE (network_id, address): if the bitmap and the rows ever
 * disagreed, the apply would fail rather than commit a duplicate.
 */
import type Database from 'better-sqlite3';
import { stmt } from './statements.js';
import { createHash } from 'node:crypto';
import { ShoalError } from '../../errors.js';
import { broadcastAddress, containsIp, formatCidr, formatIpv4, parseIpv4 } from '../../network/cidr.js';
import { cursorAfter, emptyPage, nextFreeOffset, pageBits, pageBytes, setPageBit, pageBit } from '../../network/paged-bitmap.js';
import { recordEvent } from './events.js';
import { endpointOwnerName } from './alias-queries.js';
import type { OwnerKind } from './network-commands.js';
import {
  attachmentAt,
  attachmentById,
  attachmentsOfNetwork,
  attachmentsOfNode,
  attachmentsOfOwner,
  containerById,
  describeAttachment,
  layoutOf,
  networkById,
  stmts,
  type Attachment,
  type AttachmentRecord,
  type NetworkRecord,
} from './network-queries.js';

export type { Attachment } from './network-queries.js';

/** At most this many networks per task (a bound on one apply's work). */
export const taskNetworksMax = 32;

/** Who uses a network, for `network rm` refusals and `network inspect`. */
export interface NetworkUser {
  readonly kind: 'task' | 'container' | 'service';
  readonly id: string;
  /** A display name when one is known (container or service name). */
  readonly name?: string;
}

/**
 * Other modules whose objects reference networks (services by their spec) register a check
 * here at module load, so `network.remove` refuses while they do. Registration is code, the
 * same on every manager, so apply stays deterministic.
 */
export type NetworkReferenceCheck = (db: Database.Database, networkId: string) => NetworkUser[];
const referenceChecks: NetworkReferenceCheck[] = [];

export function registerNetworkReferenceCheck(check: NetworkReferenceCheck): void {
  referenceChecks.push(check);
}

/**
 * Everything that uses network `networkId`: each endpoint's owner (task or container, once
 * per owner) and whatever registered reference checks report (e.g. services). Empty = the
 * network may be removed. Read-only; callable inside or outside an apply.
 */
export function networkInUseBy(db: Database.Database, networkId: string): NetworkUser[] {
  const users: NetworkUser[] = [];
  for (const a of attachmentsOfNetwork(db, networkId)) {
    // A VIP exists only while its service's spec names the network: the service is reported below.
    if (a.ownerKind === 'vip') continue;
    const name = a.ownerKind === 'container' ? containerById(db, a.ownerId)?.name : undefined;
    users.push(name === undefined ? { kind: a.ownerKind, id: a.ownerId } : { kind: a.ownerKind, id: a.ownerId, name });
  }
  for (const check of referenceChecks) users.push(...check(db, networkId));
  return users;
}

/** "container web (abc…)" / "task abc…" / "the VIP of service web (abc…)": how errors name an endpoint's owner. */
export function describeOwner(db: Database.Database, kind: OwnerKind, ownerId: string): string {
  if (kind === 'vip') return `the VIP of service ${endpointOwnerName(db, kind, ownerId)} (${ownerId})`;
  const name = kind === 'container' ? containerById(db, ownerId)?.name : undefined;
  return name === undefined ? `${kind} ${ownerId}` : `${kind} ${name} (${ownerId})`;
}

/** Attachment IDs derive from the log index and the endpoint, so every manager makes the same one. */
export function attachmentId(index: number, kind: OwnerKind, ownerId: string, networkId: string): string {
  const digest = createHash('sha256').update(`${index}\0${kind}\0${ownerId}\0${networkId}`).digest();
  return BigInt('0x' + digest.subarray(0, 20).toString('hex')).toString(36).padStart(25, '0').slice(-25);
}

export interface AllocateRequest {
  readonly network: NetworkRecord;
  readonly ownerKind: OwnerKind;
  readonly ownerId: string;
  readonly nodeId: string;
  /** A specific address; absent = next free in rotation order. */
  readonly address?: number;
  readonly at: number;
  /** A reservation's deadline (its owner does not exist yet); absent = held by an existing owner. */
  readonly expiresAt?: number;
}

/**
 * Allocates one address on `req.network` and records the attachment. Throws ShoalError:
 * RESOURCE_EXHAUSTED when the network is full, ALREADY_EXISTS naming the holder when the
 * requested address (or this owner on this network) is taken, INVALID_ARGUMENT for an
 * address outside the ip-range or reserved.
 */
export function allocateAddress(db: Database.Database, index: number, req: AllocateRequest): Attachment {
  const n = req.network;
  const existing = attachmentsOfOwner(db, req.ownerKind, req.ownerId).find((a) => a.networkId === n.id);
  if (existing) {
    throw new ShoalError('ALREADY_EXISTS', `${describeOwner(db, req.ownerKind, req.ownerId)} is already attached to network "${n.name}" with address ${formatIpv4(existing.address)}`);
  }
  const pages = new Map<number, Uint8Array | undefined>(); // pages read by this allocation, read once
  const pageAt = (p: number): Uint8Array | undefined => {
    if (!pages.has(p)) pages.set(p, loadPage(db, n.id, p));
    return pages.get(p);
  };
  const off = req.address === undefined ? pickNext(n, pageAt) : pickSpecific(db, n, req.address);
  const page = pageAt(Math.floor(off / pageBits)) ?? emptyPage();
  setPageBit(page, off % pageBits, true);
  savePage(db, n.id, Math.floor(off / pageBits), page);
  // A specific address does not move the rotation cursor (as in the pure allocator).
  const cursor = req.address === undefined ? cursorAfter(layoutOf(n), off) : n.allocCursor;
  const held = n.allocHeld + 1;
  if (held > n.allocCapacity) throw new Error(`network ${n.id} would hold ${held} of ${n.allocCapacity}`);
  stmts(db).setAllocState.run(cursor, held, n.id);
  const record: AttachmentRecord = {
    id: attachmentId(index, req.ownerKind, req.ownerId, n.id),
    networkId: n.id,
    address: n.ipRange.base + off,
    ownerKind: req.ownerKind,
    ownerId: req.ownerId,
    nodeId: req.nodeId,
    createdAt: req.at,
    version: index,
    expiresAt: req.expiresAt ?? 0,
  };
  stmts(db).insertAttachment.run(
    record.id,
    record.networkId,
    record.address,
    record.ownerKind,
    record.ownerId,
    record.nodeId,
    record.createdAt,
    record.version,
    record.expiresAt,
  );
  return describeAttachment(record, { ...n, allocCursor: cursor, allocHeld: held });
}

function pickNext(n: NetworkRecord, pageAt: (p: number) => Uint8Array | undefined): number {
  const off = nextFreeOffset(layoutOf(n), n.allocCursor, n.allocHeld, pageAt);
  if (off === null) {
    const range = n.ipRange.prefix === n.subnet.prefix ? '' : `, ip-range ${formatCidr(n.ipRange)}`;
    throw new ShoalError(
      'RESOURCE_EXHAUSTED',
      `no free address on network "${n.name}" (subnet ${formatCidr(n.subnet)}${range}): it holds ${n.allocHeld} of ${n.allocCapacity} assignable addresses; detach endpoints or use a larger subnet`,
    );
  }
  return off;
}

function pickSpecific(db: Database.Database, n: NetworkRecord, ip: number): number {
  const where = `subnet ${formatCidr(n.subnet)} of network "${n.name}"`;
  if (!containsIp(n.ipRange, ip)) {
    const inside = n.ipRange.prefix === n.subnet.prefix ? where : `the ip-range ${formatCidr(n.ipRange)} of ${where}`;
    throw new ShoalError('INVALID_ARGUMENT', `address: ${formatIpv4(ip)} is outside ${inside}`);
  }
  if (ip === n.subnet.base) throw new ShoalError('INVALID_ARGUMENT', `address: ${formatIpv4(ip)} is the network address of ${where}`);
  if (ip === broadcastAddress(n.subnet)) throw new ShoalError('INVALID_ARGUMENT', `address: ${formatIpv4(ip)} is the broadcast address of ${where}`);
  if (ip === n.gateway) throw new ShoalError('ALREADY_EXISTS', `address ${formatIpv4(ip)} is already taken by the gateway of ${where}`);
  const holder = attachmentAt(db, n.id, ip);
  if (holder) {
    throw new ShoalError('ALREADY_EXISTS', `address ${formatIpv4(ip)} on network "${n.name}" is already taken by ${describeOwner(db, holder.ownerKind, holder.ownerId)}`);
  }
  return ip - n.ipRange.base;
}

/** Parses a requested address (user text) for error messages that name the field. */
export function parseRequestedAddress(text: string, field = 'address'): number {
  const ip = parseIpv4(text);
  if (!ip.ok) throw new ShoalError('INVALID_ARGUMENT', `${field}: ${ip.error.message}`);
  return ip.value;
}

/** Frees one attachment's address. The cursor does not move back: rotation delays its reuse. */
export function releaseAttachment(db: Database.Database, a: AttachmentRecord): void {
  const n = networkById(db, a.networkId);
  if (!n) throw new Error(`attachment ${a.id} refers to missing network ${a.networkId}`);
  const off = a.address - n.ipRange.base;
  const p = Math.floor(off / pageBits);
  const page = loadPage(db, n.id, p);
  if (!page || !pageBit(page, off % pageBits)) throw new Error(`attachment ${a.id} holds ${formatIpv4(a.address)} but its bitmap bit is clear`);
  setPageBit(page, off % pageBits, false);
  savePage(db, n.id, p, page);
  if (n.allocHeld < 1) throw new Error(`network ${n.id} releases with a held count of ${n.allocHeld}`);
  stmts(db).setAllocState.run(n.allocCursor, n.allocHeld - 1, n.id);
  const r = stmts(db).deleteAttachment.run(a.id);
  if (r.changes !== 1) throw new Error(`attachment ${a.id} vanished while being released`);
}

/**
 * For task apply code: gives task `taskId` on node `nodeId` one address on each network in
 * `networkIds` (IDs, not names; duplicates are an error), in that order, and returns the
 * attachments. All or nothing: a failure throws a ShoalError (NOT_FOUND for a missing
 * network, RESOURCE_EXHAUSTED when one is full, ALREADY_EXISTS if the task already has an
 * address there), and the caller's apply is rolled back by its savepoint. Task attachments
 * need no `--attachable`. Records no event: the caller records the task's own event.
 */
export function allocateTaskAttachments(db: Database.Database, index: number, taskId: string, nodeId: string, networkIds: readonly string[], at = 0): Attachment[] {
  if (networkIds.length > taskNetworksMax) throw new ShoalError('INVALID_ARGUMENT', `networks: a task can join at most ${taskNetworksMax} networks, got ${networkIds.length}`);
  if (new Set(networkIds).size !== networkIds.length) throw new ShoalError('INVALID_ARGUMENT', `networks: a network is listed twice (${networkIds.join(', ')})`);
  const out: Attachment[] = [];
  for (const id of networkIds) {
    const n = networkById(db, id);
    if (!n) throw new ShoalError('NOT_FOUND', `network ${id} not found; it may have been removed`);
    out.push(allocateAddress(db, index, { network: n, ownerKind: 'task', ownerId: taskId, nodeId, at }));
  }
  return out;
}

/**
 * For task/container apply code: frees every address held by the owner (a removed task or
 * container). Idempotent: an owner without attachments is fine. Records no event.
 */
export function releaseOwnerAttachments(db: Database.Database, _index: number, ownerKind: OwnerKind, ownerId: string): void {
  for (const a of attachmentsOfOwner(db, ownerKind, ownerId)) releaseAttachment(db, a);
}

/**
 * For node.remove apply: removes the standalone containers of node `nodeId` and frees their
 * addresses, and frees container attachments made for that node whose container was never
 * created. Task attachments are left to the orchestrator (it reschedules tasks and releases
 * them through releaseOwnerAttachments). Records a container delete event for each container.
 */
export function releaseNodeContainers(db: Database.Database, index: number, nodeId: string): void {
  const ids = (stmt(db, 'SELECT id FROM containers WHERE node_id = ? ORDER BY id').all(nodeId) as { id: string }[]).map((r) => r.id);
  for (const id of ids) {
    releaseOwnerAttachments(db, index, 'container', id);
    stmt(db, 'DELETE FROM containers WHERE id = ?').run(id);
    recordEvent(db, index, 'container', 'delete', id);
  }
  for (const a of attachmentsOfNode(db, nodeId)) {
    if (a.ownerKind === 'container') releaseAttachment(db, a);
  }
}

function loadPage(db: Database.Database, networkId: string, p: number): Uint8Array | undefined {
  const r = stmts(db).loadPage.get(networkId, p) as { bits: Buffer } | undefined;
  if (!r) return undefined;
  if (r.bits.length !== pageBytes) throw new Error(`bitmap page ${p} of network ${networkId} has ${r.bits.length} bytes`);
  return new Uint8Array(r.bits);
}

function savePage(db: Database.Database, networkId: string, p: number, page: Uint8Array): void {
  stmts(db).savePage.run(networkId, p, Buffer.from(page));
}

/** Looks up an attachment for detach; NOT_FOUND names the ID. */
export function requireAttachment(db: Database.Database, id: string): AttachmentRecord {
  const a = attachmentById(db, id);
  if (!a) throw new ShoalError('NOT_FOUND', `attachment ${id} not found; it may have been detached already`);
  return a;
}
