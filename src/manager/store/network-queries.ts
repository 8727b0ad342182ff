/**
 * Reads of networks, containers and attachments, shared by apply code (which runs them
 * inside its transaction) and the API (which runs them after a linearizable barrier).
 * Prepared statements are cached per database handle (a snapshot restore opens a new one).
 */
import type Database from 'better-sqlite3';
import { stmt } from './statements.js';
import { ShoalError } from '../../errors.js';
import { formatCidr, formatIpv4 } from '../../network/cidr.js';
import type { Cidr } from '../../network/cidr.js';
import type { RangeLayout } from '../../network/paged-bitmap.js';
import type { ContainerFields, ContainerStateWord, OwnerKind } from './network-commands.js';

export interface NetworkRecord {
  readonly id: string;
  readonly name: string;
  readonly driver: 'overlay';
  readonly subnet: Cidr;
  readonly gateway: number;
  readonly ipRange: Cidr;
  readonly attachable: boolean;
  readonly vxlanId: number;
  /** Created --internal: no egress (schema 8). */
  readonly internal: boolean;
  /** The `mtu` option; 0 = the node's default. */
  readonly mtu: number;
  readonly labels: Readonly<Record<string, string>>;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly version: number;
  /** Allocator state: rotation cursor (offset in the ip-range), held and assignable counts. */
  readonly allocCursor: number;
  readonly allocHeld: number;
  readonly allocCapacity: number;
}

export interface NetworkRow {
  id: string;
  name: string;
  driver: 'overlay';
  subnet: string;
  subnet_base: number;
  subnet_prefix: number;
  gateway: number;
  range_base: number;
  range_prefix: number;
  attachable: number;
  vxlan_id: number;
  internal: number;
  mtu: number;
  labels: string;
  created_at: number;
  updated_at: number;
  version: number;
  alloc_cursor: number;
  alloc_held: number;
  alloc_capacity: number;
}

export const NETWORK_COLUMNS =
  'id, name, driver, subnet, subnet_base, subnet_prefix, gateway, range_base, range_prefix, attachable, vxlan_id, internal, mtu, labels, created_at, updated_at, version, alloc_cursor, alloc_held, alloc_capacity';

export function toNetwork(r: NetworkRow): NetworkRecord {
  return {
    id: r.id,
    name: r.name,
    driver: r.driver,
    subnet: { base: r.subnet_base, prefix: r.subnet_prefix },
    gateway: r.gateway,
    ipRange: { base: r.range_base, prefix: r.range_prefix },
    attachable: r.attachable === 1,
    vxlanId: r.vxlan_id,
    internal: r.internal === 1,
    mtu: r.mtu,
    labels: JSON.parse(r.labels) as Record<string, string>,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    version: r.version,
    allocCursor: r.alloc_cursor,
    allocHeld: r.alloc_held,
    allocCapacity: r.alloc_capacity,
  };
}

export function layoutOf(n: NetworkRecord): RangeLayout {
  return { subnet: n.subnet, gateway: n.gateway, range: n.ipRange };
}

export interface AttachmentRecord {
  readonly id: string;
  readonly networkId: string;
  readonly address: number;
  readonly ownerKind: OwnerKind;
  readonly ownerId: string;
  readonly nodeId: string;
  readonly createdAt: number;
  readonly version: number;
  /**
   * A reservation's deadline (the proposer's clock, ms): an address reserved for a container
   * that does not exist yet is freed by the leader after it (reservations.ts); 0 = held by an
   * existing owner, no deadline.
   */
  readonly expiresAt: number;
}

interface AttachmentRow {
  id: string;
  network_id: string;
  address: number;
  owner_kind: OwnerKind;
  owner_id: string;
  node_id: string;
  created_at: number;
  version: number;
  expires_at: number;
}

export const ATTACHMENT_COLUMNS = 'id, network_id, address, owner_kind, owner_id, node_id, created_at, version, expires_at';

export function toAttachment(r: AttachmentRow): AttachmentRecord {
  return {
    id: r.id,
    networkId: r.network_id,
    address: r.address,
    ownerKind: r.owner_kind,
    ownerId: r.owner_id,
    nodeId: r.node_id,
    createdAt: r.created_at,
    version: r.version,
    expiresAt: r.expires_at,
  };
}

/** An attachment as a task or container carries it: the address with its network's addressing. */
export interface Attachment {
  readonly id: string;
  readonly networkId: string;
  readonly networkName: string;
  /** The address as a number, and as "10.0.1.5/24". */
  readonly ip: number;
  readonly address: string;
  readonly gateway: string;
  readonly subnet: string;
  readonly vxlanId: number;
  readonly internal: boolean;
  /** 0 = the node's default. */
  readonly mtu: number;
  readonly ownerKind: OwnerKind;
  readonly ownerId: string;
  readonly nodeId: string;
}

export function describeAttachment(a: AttachmentRecord, n: NetworkRecord): Attachment {
  if (a.networkId !== n.id) throw new Error(`attachment ${a.id} is on network ${a.networkId}, not ${n.id}`);
  return {
    id: a.id,
    networkId: n.id,
    networkName: n.name,
    ip: a.address,
    address: `${formatIpv4(a.address)}/${n.subnet.prefix}`,
    gateway: formatIpv4(n.gateway),
    subnet: formatCidr(n.subnet),
    vxlanId: n.vxlanId,
    internal: n.internal,
    mtu: n.mtu,
    ownerKind: a.ownerKind,
    ownerId: a.ownerId,
    nodeId: a.nodeId,
  };
}

export interface ContainerRecord extends ContainerFields {
  readonly state: ContainerStateWord;
  readonly exitCode: number;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly version: number;
}

interface ContainerRow {
  id: string;
  name: string;
  node_id: string;
  command: string;
  args: string;
  env: string;
  labels: string;
  image: string;
  pull: string;
  state: ContainerStateWord;
  exit_code: number;
  created_at: number;
  updated_at: number;
  version: number;
}

const CONTAINER_COLUMNS = 'id, name, node_id, command, args, env, labels, image, pull, state, exit_code, created_at, updated_at, version';

function toContainer(r: ContainerRow): ContainerRecord {
  return {
    id: r.id,
    name: r.name,
    nodeId: r.node_id,
    command: r.command,
    args: JSON.parse(r.args) as string[],
    env: JSON.parse(r.env) as string[],
    labels: JSON.parse(r.labels) as Record<string, string>,
    image: r.image,
    pull: r.pull,
    state: r.state,
    exitCode: r.exit_code,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    version: r.version,
  };
}

type Stmts = ReturnType<typeof prepareAll>;
const cache = new WeakMap<Database.Database, Stmts>();

function prepareAll(db: Database.Database) {
  return {
    networkById: stmt(db, `SELECT ${NETWORK_COLUMNS} FROM networks WHERE id = ?`),
    networkByName: stmt(db, `SELECT ${NETWORK_COLUMNS} FROM networks WHERE name = ?`),
    networksByPrefix: stmt(db, `SELECT ${NETWORK_COLUMNS} FROM networks WHERE substr(id, 1, ?) = ? ORDER BY id LIMIT 11`),
    networks: stmt(db, `SELECT ${NETWORK_COLUMNS} FROM networks ORDER BY name`),
    containerById: stmt(db, `SELECT ${CONTAINER_COLUMNS} FROM containers WHERE id = ?`),
    containerByName: stmt(db, `SELECT ${CONTAINER_COLUMNS} FROM containers WHERE name = ?`),
    containersByPrefix: stmt(db, `SELECT ${CONTAINER_COLUMNS} FROM containers WHERE substr(id, 1, ?) = ? ORDER BY id LIMIT 11`),
    containers: stmt(db, `SELECT ${CONTAINER_COLUMNS} FROM containers ORDER BY name`),
    attachmentById: stmt(db, `SELECT ${ATTACHMENT_COLUMNS} FROM attachments WHERE id = ?`),
    attachmentAt: stmt(db, `SELECT ${ATTACHMENT_COLUMNS} FROM attachments WHERE network_id = ? AND address = ?`),
    attachmentsOfNetwork: stmt(db, `SELECT ${ATTACHMENT_COLUMNS} FROM attachments WHERE network_id = ? ORDER BY address`),
    attachmentsOfOwner: stmt(db, `SELECT ${ATTACHMENT_COLUMNS} FROM attachments WHERE owner_kind = ? AND owner_id = ? ORDER BY network_id`),
    attachmentsOfNode: stmt(db, `SELECT ${ATTACHMENT_COLUMNS} FROM attachments WHERE node_id = ? ORDER BY id`),
    // Writes of the allocation path (attachments.ts), prepared once: compiling SQL per call dominated its cost.
    loadPage: stmt(db, 'SELECT bits FROM network_bitmap_pages WHERE network_id = ? AND page = ?'),
    savePage: stmt(db, 'INSERT INTO network_bitmap_pages (network_id, page, bits) VALUES (?, ?, ?) ON CONFLICT (network_id, page) DO UPDATE SET bits = excluded.bits'),
    setAllocState: stmt(db, 'UPDATE networks SET alloc_cursor = ?, alloc_held = ? WHERE id = ?'),
    insertAttachment: stmt(db, 'INSERT INTO attachments (id, network_id, address, owner_kind, owner_id, node_id, created_at, version, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)'),
    deleteAttachment: stmt(db, 'DELETE FROM attachments WHERE id = ?'),
    nodeExists: stmt(db, 'SELECT 1 FROM nodes WHERE id = ?'),
  };
}

/** The cached prepared statements of `db`. */
export function stmts(db: Database.Database): Stmts {
  let s = cache.get(db);
  if (!s) {
    s = prepareAll(db);
    cache.set(db, s);
  }
  return s;
}

/** The networks on which node `nodeId` holds at least one endpoint, by name. */
export function networksOfNode(db: Database.Database, nodeId: string): NetworkRecord[] {
  const ids = stmt(db, 'SELECT DISTINCT network_id FROM attachments WHERE node_id = ?').all(nodeId) as { network_id: string }[];
  return ids
    .map((r) => networkById(db, r.network_id))
    .filter((n): n is NetworkRecord => n !== null)
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export function networkById(db: Database.Database, id: string): NetworkRecord | null {
  const r = stmts(db).networkById.get(id) as NetworkRow | undefined;
  return r ? toNetwork(r) : null;
}

export function listNetworks(db: Database.Database): NetworkRecord[] {
  return (stmts(db).networks.all() as NetworkRow[]).map(toNetwork);
}

export function containerById(db: Database.Database, id: string): ContainerRecord | null {
  const r = stmts(db).containerById.get(id) as ContainerRow | undefined;
  return r ? toContainer(r) : null;
}

export function listContainers(db: Database.Database): ContainerRecord[] {
  return (stmts(db).containers.all() as ContainerRow[]).map(toContainer);
}

export function attachmentById(db: Database.Database, id: string): AttachmentRecord | null {
  const r = stmts(db).attachmentById.get(id) as AttachmentRow | undefined;
  return r ? toAttachment(r) : null;
}

export function attachmentAt(db: Database.Database, networkId: string, address: number): AttachmentRecord | null {
  const r = stmts(db).attachmentAt.get(networkId, address) as AttachmentRow | undefined;
  return r ? toAttachment(r) : null;
}

export function attachmentsOfNetwork(db: Database.Database, networkId: string): AttachmentRecord[] {
  return (stmts(db).attachmentsOfNetwork.all(networkId) as AttachmentRow[]).map(toAttachment);
}

export function attachmentsOfOwner(db: Database.Database, kind: OwnerKind, ownerId: string): AttachmentRecord[] {
  return (stmts(db).attachmentsOfOwner.all(kind, ownerId) as AttachmentRow[]).map(toAttachment);
}

export function attachmentsOfNode(db: Database.Database, nodeId: string): AttachmentRecord[] {
  return (stmts(db).attachmentsOfNode.all(nodeId) as AttachmentRow[]).map(toAttachment);
}

/** Attachments of an owner with their networks' addressing, in network-ID order. */
export function describedAttachmentsOfOwner(db: Database.Database, kind: OwnerKind, ownerId: string): Attachment[] {
  return attachmentsOfOwner(db, kind, ownerId).map((a) => {
    const n = networkById(db, a.networkId);
    if (!n) throw new Error(`attachment ${a.id} refers to missing network ${a.networkId}`);
    return describeAttachment(a, n);
  });
}

/**
 * Finds an object by full ID, unique ID prefix, or name, in that order. An ambiguous prefix
 * is INVALID_ARGUMENT listing the candidates; `field` names the request field in errors.
 */
function resolveBy<R extends { id: string; name: string }>(
  kind: string,
  field: string,
  ref: string,
  byId: (id: string) => R | undefined,
  byName: (name: string) => R | undefined,
  byPrefix: (p: string) => R[],
): R {
  const wanted = ref.trim();
  if (wanted === '') throw new ShoalError('INVALID_ARGUMENT', `${field}: a ${kind} ID, ID prefix or name is required`);
  const exact = byId(wanted);
  if (exact) return exact;
  const named = byName(wanted);
  if (named) return named;
  const matches = byPrefix(wanted);
  if (matches.length === 1 && matches[0]) return matches[0];
  if (matches.length > 1) {
    const list = matches.slice(0, 10).map((r) => `${r.id} (${r.name})`).join(', ');
    throw new ShoalError('INVALID_ARGUMENT', `${field}: ${kind} ID prefix "${wanted}" is ambiguous; it matches: ${list}${matches.length > 10 ? ', …' : ''}`);
  }
  throw new ShoalError('NOT_FOUND', `${kind} "${wanted}" not found (no ${kind} has that ID, ID prefix or name)`);
}

export function resolveNetwork(db: Database.Database, ref: string, field = 'network'): NetworkRecord {
  const s = stmts(db);
  const one = (r: unknown): NetworkRecord | undefined => (r ? toNetwork(r as NetworkRow) : undefined);
  return resolveBy(
    'network',
    field,
    ref,
    (id) => one(s.networkById.get(id)),
    (name) => one(s.networkByName.get(name)),
    (p) => (s.networksByPrefix.all(p.length, p) as NetworkRow[]).map(toNetwork),
  );
}

export function resolveContainer(db: Database.Database, ref: string, field = 'ref'): ContainerRecord {
  const s = stmts(db);
  const one = (r: unknown): ContainerRecord | undefined => (r ? toContainer(r as ContainerRow) : undefined);
  return resolveBy(
    'container',
    field,
    ref,
    (id) => one(s.containerById.get(id)),
    (name) => one(s.containerByName.get(name)),
    (p) => (s.containersByPrefix.all(p.length, p) as ContainerRow[]).map(toContainer),
  );
}

/** Whether a table exists (tasks come from another module and may not be there). */
export function tableExists(db: Database.Database, name: string): boolean {
  return stmt(db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;
}

/** What `shoal network check` finds wrong with one network; empty `problems` = consistent. */
export interface NetworkCheck {
  readonly networkId: string;
  readonly name: string;
  readonly endpoints: number;
  /**
   * Container attachments whose container does not exist (yet): AttachNetwork comes before
   * CreateContainer, so these are normal while a container is being created; they are listed,
   * not counted as problems. Node removal frees those made for the removed node.
   */
  readonly unclaimed: readonly string[];
  readonly problems: readonly string[];
}

/**
 * How long after its deadline an unclaimed reservation may still exist before `network check`
 * calls it a problem: the leader's sweep runs every second, plus an election and a commit.
 */
export const reservationSweepGraceMs = 10_000;

/** At most this many problems are listed per network (the count is still exact). */
export const checkProblemsShownMax = 50;

/**
 * The IPAM consistency check: no address held twice, no address outside its network's
 * ip-range or on a reserved address, no endpoint whose owner (task or container) is gone,
 * and the allocator state (bitmap pages and held count) agreeing with the attachment rows.
 * `networkId` limits it to one network. Read-only.
 */
export function checkNetworks(db: Database.Database, networkId?: string, now?: number): NetworkCheck[] {
  const nets = networkId === undefined ? listNetworks(db) : [networkById(db, networkId)].filter((n): n is NetworkRecord => n !== null);
  const tasks = tableExists(db, 'tasks');
  return nets.map((n) => {
    const problems: string[] = [];
    const add = (p: string): void => {
      problems.push(p);
    };
    const rows = attachmentsOfNetwork(db, n.id);
    const seen = new Map<number, string>();
    const unclaimed: string[] = [];
    const pages = new Map<number, Uint8Array>();
    for (const r of stmt(db, 'SELECT page, bits FROM network_bitmap_pages WHERE network_id = ?').all(n.id) as { page: number; bits: Buffer }[]) {
      pages.set(r.page, new Uint8Array(r.bits));
    }
    let bitsSet = 0;
    for (const p of pages.values()) for (const b of p) bitsSet += popcount8(b);
    const broadcast = n.subnet.base + 2 ** (32 - n.subnet.prefix) - 1;
    const rangeEnd = n.ipRange.base + 2 ** (32 - n.ipRange.prefix) - 1;
    for (const a of rows) {
      const ipText = formatIpv4(a.address);
      const other = seen.get(a.address);
      if (other !== undefined) add(`address ${ipText} is held twice: by ${other} and by ${a.ownerKind} ${a.ownerId}`);
      seen.set(a.address, `${a.ownerKind} ${a.ownerId}`);
      if (a.address < n.ipRange.base || a.address > rangeEnd) add(`address ${ipText} of ${a.ownerKind} ${a.ownerId} is outside ${formatCidr(n.ipRange)}`);
      if (a.address === n.subnet.base || a.address === broadcast || a.address === n.gateway) add(`address ${ipText} of ${a.ownerKind} ${a.ownerId} is a reserved address`);
      if (a.ownerKind === 'container' && stmts(db).containerById.get(a.ownerId) === undefined) {
        const late = now === undefined || a.expiresAt === 0 ? 0 : now - a.expiresAt;
        if (a.expiresAt === 0 || late > reservationSweepGraceMs) {
          // Without a deadline nobody would ever free it; past its deadline (and the sweep's grace) the leader failed to.
          const why = a.expiresAt === 0 ? 'has no deadline' : `expired ${Math.round(late / 1000)} s ago and was not freed`;
          add(`address ${ipText} reserved for container ${a.ownerId} on node ${a.nodeId} was never claimed: the reservation ${why}`);
        } else if (unclaimed.length < checkProblemsShownMax) {
          const left = now === undefined ? '' : `, reserved for ${Math.max(0, Math.round((a.expiresAt - now) / 1000))} s more`;
          unclaimed.push(`${ipText} for container ${a.ownerId} on node ${a.nodeId}${left}`);
        }
      }
      if (a.ownerKind === 'task' && tasks && stmt(db, 'SELECT 1 FROM tasks WHERE id = ?').get(a.ownerId) === undefined) {
        add(`address ${ipText} is held by task ${a.ownerId}, which does not exist`);
      }
      if (a.ownerKind === 'vip' && tasks && stmt(db, 'SELECT 1 FROM services WHERE id = ?').get(a.ownerId) === undefined) {
        add(`VIP ${ipText} is held by service ${a.ownerId}, which does not exist`);
      }
      const off = a.address - n.ipRange.base;
      const page = pages.get(Math.floor(off / 2048));
      if (off >= 0 && off <= rangeEnd - n.ipRange.base && (!page || (page[(off % 2048) >>> 3]! & (1 << (off & 7))) === 0)) {
        add(`address ${ipText} is held by ${a.ownerKind} ${a.ownerId} but free in the allocator bitmap`);
      }
    }
    if (n.allocHeld !== rows.length) add(`the allocator counts ${n.allocHeld} held addresses but ${rows.length} endpoints exist`);
    if (bitsSet !== rows.length) add(`the allocator bitmap marks ${bitsSet} addresses but ${rows.length} endpoints exist`);
    const shown = problems.length > checkProblemsShownMax ? [...problems.slice(0, checkProblemsShownMax), `… and ${problems.length - checkProblemsShownMax} more`] : problems;
    return { networkId: n.id, name: n.name, endpoints: rows.length, unclaimed, problems: shown };
  });
}

function popcount8(b: number): number {
  let n = 0;
  for (let v = b; v !== 0; v &= v - 1) n++;
  return n;
}
