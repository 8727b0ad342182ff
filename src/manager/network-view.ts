/**
 * Stored networks, containers and attachments as the API shows them (proto objects), and
 * request validation shared by the Control and ResourceAllocator handlers.
 */
import type { Container } from '../generated/shoal/v1/Container.js';
import type { ContainerState as ProtoContainerState } from '../generated/shoal/v1/ContainerState.js';
import type { Network } from '../generated/shoal/v1/Network.js';
import type { NetworkAttachment } from '../generated/shoal/v1/NetworkAttachment.js';
import type { ListFilter__Output } from '../generated/shoal/v1/ListFilter.js';
import { ShoalError } from '../errors.js';
import { formatCidr, formatIpv4 } from '../network/cidr.js';
import type { ContainerStateWord } from './store/network-commands.js';
import type { Attachment, ContainerRecord, NetworkRecord } from './store/network-queries.js';
import { networkOptionsToProto } from './network-options.js';

export function networkToProto(n: NetworkRecord): Network {
  return {
    id: n.id,
    name: n.name,
    labels: { ...n.labels },
    createdUnixMs: n.createdAt,
    updatedUnixMs: n.updatedAt,
    version: n.version,
    driver: n.driver,
    subnet: formatCidr(n.subnet),
    gateway: formatIpv4(n.gateway),
    ipRange: n.ipRange.prefix === n.subnet.prefix ? '' : formatCidr(n.ipRange),
    attachable: n.attachable,
    vxlanId: n.vxlanId,
    internal: n.internal,
    options: networkOptionsToProto(n),
  };
}

export function attachmentToProto(a: Attachment): NetworkAttachment {
  return { id: a.id, networkId: a.networkId, address: a.address, gateway: a.gateway, subnet: a.subnet, vxlanId: a.vxlanId, networkName: a.networkName, internal: a.internal, mtu: a.mtu };
}

const STATE_TO_PROTO: Readonly<Record<ContainerStateWord, ProtoContainerState>> = {
  created: 'CONTAINER_STATE_CREATED',
  running: 'CONTAINER_STATE_RUNNING',
  exited: 'CONTAINER_STATE_EXITED',
  dead: 'CONTAINER_STATE_DEAD',
};

export function containerToProto(c: ContainerRecord, attachments: readonly Attachment[]): Container {
  return {
    id: c.id,
    name: c.name,
    labels: { ...c.labels },
    createdUnixMs: c.createdAt,
    updatedUnixMs: c.updatedAt,
    version: c.version,
    nodeId: c.nodeId,
    command: c.command,
    args: [...c.args],
    env: [...c.env],
    state: STATE_TO_PROTO[c.state],
    exitCode: c.exitCode,
    attachments: attachments.map(attachmentToProto),
    image: c.image ?? '',
    pull: c.pull ?? '',
  };
}

export function containerStateFromProto(s: ProtoContainerState | undefined): ContainerStateWord | undefined {
  switch (s) {
    case undefined:
    case 'CONTAINER_STATE_UNSPECIFIED':
    case 0:
      return undefined;
    case 'CONTAINER_STATE_CREATED':
    case 1:
      return 'created';
    case 'CONTAINER_STATE_RUNNING':
    case 2:
      return 'running';
    case 'CONTAINER_STATE_EXITED':
    case 3:
      return 'exited';
    case 'CONTAINER_STATE_DEAD':
    case 4:
      return 'dead';
    default:
      throw new ShoalError('INVALID_ARGUMENT', `state: unknown value ${String(s)} (expected created, running, exited or dead)`);
  }
}

/** Names of networks and containers: docker's rule, bounded. */
const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;
export const labelsMax = 64;
export const labelTextMax = 256;
export const argsMax = 256;
export const argTextMax = 4096;

export function checkName(field: string, name: string): string {
  if (!NAME_RE.test(name)) {
    throw new ShoalError('INVALID_ARGUMENT', `${field}: "${name}" is not a valid name: use 1-63 letters, digits, '_', '.' or '-', starting with a letter or digit`);
  }
  return name;
}

export function checkLabels(field: string, labels: Readonly<Record<string, string>>): Record<string, string> {
  const entries = Object.entries(labels);
  if (entries.length > labelsMax) throw new ShoalError('INVALID_ARGUMENT', `${field}: at most ${labelsMax} labels, got ${entries.length}`);
  for (const [k, v] of entries) {
    if (k.trim() === '') throw new ShoalError('INVALID_ARGUMENT', `${field}: a label key must not be empty`);
    if (k.length > labelTextMax || v.length > labelTextMax) throw new ShoalError('INVALID_ARGUMENT', `${field}: label "${k.slice(0, 40)}" is longer than ${labelTextMax} characters`);
  }
  return { ...labels };
}

export function checkStrings(field: string, list: readonly string[], max = argsMax): string[] {
  if (list.length > max) throw new ShoalError('INVALID_ARGUMENT', `${field}: at most ${max} entries, got ${list.length}`);
  for (const s of list) if (s.length > argTextMax) throw new ShoalError('INVALID_ARGUMENT', `${field}: an entry is longer than ${argTextMax} characters`);
  return [...list];
}

/** ListFilter semantics of control.proto: each non-empty field keeps objects matching any of its values. */
export function matchesFilter(o: { id: string; name: string; labels: Readonly<Record<string, string>> }, f: ListFilter__Output | null | undefined): boolean {
  if (!f) return true;
  if (f.names.length > 0 && !f.names.includes(o.name)) return false;
  if (f.idPrefixes.length > 0 && !f.idPrefixes.some((p) => o.id.startsWith(p))) return false;
  return Object.entries(f.labels).every(([k, v]) => k in o.labels && (v === '' || o.labels[k] === v));
}
