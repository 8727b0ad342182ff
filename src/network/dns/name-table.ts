/**
 * The node's name table: which names resolve to which addresses, network by network.
 *
 * Pure: built from `NameRecords` (what the dispatcher tells the node about the networks it has
 * endpoints on, see feed.ts) and queried by the resolver (server.ts). Answers are always scoped
 * to the asker's networks: a name registered only on a network the asker is not on does not
 * exist for it, exactly as with Docker's embedded DNS.
 *
 * What resolves, per network (names are case-insensitive):
 * - `<service>` and each service alias: the service's VIP on that network (vip mode), or the
 *   addresses of its running tasks, shuffled (dnsrr mode, and a vip-mode service that has no
 *   VIP on that network yet, e.g. created before VIPs existed);
 * - `tasks.<service>` and `tasks.<alias>`: its running tasks' addresses, shuffled; the name
 *   exists (NODATA, not NXDOMAIN) while the service has no running task;
 * - each running task's own name `<service>.<slot>.<task-id>` (global: `<service>.<node-id>.<task-id>`);
 * - each running standalone container's name and aliases;
 * - reverse (PTR) names for all those addresses and the VIPs.
 * A name the table does not know is not answered here: the resolver forwards it.
 */
import { formatIpv4 } from '../cidr.js';

export type EndpointMode = 'vip' | 'dnsrr';

/** A service as the name table needs it, on one network. */
export interface ServiceNames {
  readonly id: string;
  readonly name: string;
  readonly aliases: readonly string[];
  readonly endpointMode: EndpointMode;
  /** The service's VIP on this network (IPv4 as a number); absent in dnsrr mode. */
  readonly vip?: number;
}

/** A running task or standalone container on one network. */
export interface EndpointNames {
  readonly kind: 'task' | 'container';
  /** Task: `<service>.<slot>.<task-id>`; container: its name. */
  readonly name: string;
  /** Tasks only: the ID of their service (listed in the same network's `services`). */
  readonly serviceId?: string;
  /** Containers only (task aliases are their service's). */
  readonly aliases: readonly string[];
  readonly ip: number;
}

/** Everything a node needs to answer for one network. */
export interface NetworkNames {
  readonly networkId: string;
  readonly networkName: string;
  readonly services: readonly ServiceNames[];
  /** Only endpoints that are running: a stopped task must not be answered. */
  readonly endpoints: readonly EndpointNames[];
}

export interface NameRecords {
  readonly networks: readonly NetworkNames[];
}

/** The outcome of a query against the table. */
export type Lookup =
  /** A records (IPv4 addresses as numbers); `shuffle` when their order should vary per answer. */
  | { readonly kind: 'addresses'; readonly addresses: readonly number[]; readonly shuffle: boolean }
  /** A PTR answer. */
  | { readonly kind: 'pointer'; readonly names: readonly string[] }
  /** The name exists on the asker's networks but has no record of the asked type (NOERROR, empty). */
  | { readonly kind: 'nodata' }
  /** Not a cluster name for this asker: forward it. */
  | { readonly kind: 'unknown' };

interface Entry {
  readonly addresses: number[];
  /** The same addresses, for O(1) de-duplication while building (a big service has thousands). */
  readonly seen: Set<number>;
  shuffle: boolean;
}

interface NetworkIndex {
  readonly names: Map<string, Entry>;
  readonly pointers: Map<number, string[]>;
  /** Endpoint address → its identity (kind and name), for scoping a query by its source. */
  readonly endpoints: Map<number, string>;
}

/** `tasks.` prefix of the names that list a service's running tasks. */
export const TASKS_PREFIX = 'tasks.';

/** Lower-cases a DNS name and drops a trailing root dot; DNS names compare case-insensitively. */
export function canonicalName(name: string): string {
  const lower = name.toLowerCase();
  return lower.endsWith('.') ? lower.slice(0, -1) : lower;
}

export class NameTable {
  private readonly byNetwork = new Map<string, NetworkIndex>();
  /** The records each network was built from (the VIP balancer programs from them). */
  private readonly recordsOf = new Map<string, NetworkNames>();

  /** Endpoint identity → the networks it has an address on (for endpointNetworks). */
  private readonly networksOfEndpoint = new Map<string, string[]>();

  constructor(records: NameRecords) {
    for (const n of records.networks) {
      this.recordsOf.set(n.networkId, n);
      const index = indexNetwork(n);
      this.byNetwork.set(n.networkId, index);
      for (const identity of new Set(index.endpoints.values())) {
        const list = this.networksOfEndpoint.get(identity);
        if (list) list.push(n.networkId);
        else this.networksOfEndpoint.set(identity, [n.networkId]);
      }
    }
  }

  /** An empty table: every query is forwarded. */
  static empty(): NameTable {
    return new NameTable({ networks: [] });
  }

  /** The records of one network, as given; undefined when the table has none for it. */
  records(networkId: string): NetworkNames | undefined {
    return this.recordsOf.get(networkId);
  }

  /** The networks the table holds names for. */
  networkIds(): string[] {
    return [...this.byNetwork.keys()];
  }

  /**
   * The networks of the endpoint that holds `ip` on `networkId` — every network where the same
   * task or container has an address: the scope of a query that arrived from `ip` on a listener
   * serving `networkId` (a resolver listening in a network's sandbox sees the asker's address
   * on that network only). An address the table does not know is scoped to `networkId` alone.
   */
  endpointNetworks(networkId: string, ip: number): string[] {
    const identity = this.byNetwork.get(networkId)?.endpoints.get(ip);
    const all = identity === undefined ? undefined : this.networksOfEndpoint.get(identity);
    return [networkId, ...(all ?? []).filter((id) => id !== networkId)];
  }

  /**
   * Answers `type` for `name` as seen from an endpoint on `scope` (network IDs). Addresses
   * found on several of those networks are merged without duplicates, in scope order.
   */
  lookup(name: string, type: string, scope: readonly string[]): Lookup {
    const wanted = canonicalName(name);
    if (type === 'PTR') return this.lookupPointer(wanted, scope);
    let found = false;
    let shuffle = false;
    const addresses: number[] = [];
    const seen = new Set<number>();
    for (const networkId of new Set(scope)) {
      const entry = this.byNetwork.get(networkId)?.names.get(wanted);
      if (!entry) continue;
      found = true;
      shuffle ||= entry.shuffle;
      for (const ip of entry.addresses) {
        if (!seen.has(ip)) {
          seen.add(ip);
          addresses.push(ip);
        }
      }
    }
    if (!found) return { kind: 'unknown' };
    // Cluster names are IPv4 only: AAAA (and any other type) is an empty answer, not an error,
    // so resolvers that ask A and AAAA together still use the A answer.
    if (type !== 'A' && type !== 'ANY') return { kind: 'nodata' };
    return addresses.length === 0 ? { kind: 'nodata' } : { kind: 'addresses', addresses, shuffle };
  }

  private lookupPointer(name: string, scope: readonly string[]): Lookup {
    const ip = reverseNameToIp(name);
    if (ip === null) return { kind: 'unknown' };
    const names: string[] = [];
    for (const networkId of new Set(scope)) {
      for (const n of this.byNetwork.get(networkId)?.pointers.get(ip) ?? []) if (!names.includes(n)) names.push(n);
    }
    return names.length === 0 ? { kind: 'unknown' } : { kind: 'pointer', names };
  }
}

function indexNetwork(n: NetworkNames): NetworkIndex {
  const names = new Map<string, Entry>();
  const pointers = new Map<number, string[]>();
  const add = (name: string, ips: readonly number[], shuffle: boolean): void => {
    const key = canonicalName(name);
    if (key === '') return;
    let entry = names.get(key);
    if (!entry) names.set(key, (entry = { addresses: [], seen: new Set(), shuffle: false }));
    for (const ip of ips) {
      if (entry.seen.has(ip)) continue;
      entry.seen.add(ip);
      entry.addresses.push(ip);
    }
    entry.shuffle ||= shuffle;
  };
  const point = (ip: number, name: string): void => {
    const list = pointers.get(ip) ?? [];
    if (!list.includes(name)) list.push(name);
    pointers.set(ip, list);
  };
  const tasksOf = new Map<string, number[]>();
  const endpoints = new Map<number, string>();
  for (const e of n.endpoints) {
    endpoints.set(e.ip, `${e.kind}/${canonicalName(e.name)}`);
    add(e.name, [e.ip], false);
    point(e.ip, canonicalName(e.name));
    for (const alias of e.aliases) add(alias, [e.ip], false);
    if (e.kind === 'task' && e.serviceId !== undefined) {
      const list = tasksOf.get(e.serviceId);
      if (list) list.push(e.ip);
      else tasksOf.set(e.serviceId, [e.ip]);
    }
  }
  for (const s of n.services) {
    const tasks = tasksOf.get(s.id) ?? [];
    for (const name of [s.name, ...s.aliases]) {
      // The tasks.* name exists even with no running task: NODATA, so clients do not cache a NXDOMAIN.
      add(TASKS_PREFIX + name, tasks, true);
      if (s.endpointMode === 'vip' && s.vip !== undefined) add(name, [s.vip], false);
      else add(name, tasks, true);
    }
    if (s.endpointMode === 'vip' && s.vip !== undefined) point(s.vip, canonicalName(s.name));
  }
  return { names, pointers, endpoints };
}

/** "4.3.2.1.in-addr.arpa" → 1.2.3.4 as a number; null for anything else. */
export function reverseNameToIp(name: string): number | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.in-addr\.arpa$/.exec(canonicalName(name));
  if (!m) return null;
  const octets = [m[4], m[3], m[2], m[1]].map(Number);
  if (octets.some((o) => o > 255)) return null;
  return octets.reduce((acc, o) => acc * 256 + o, 0);
}

/** 1.2.3.4 → "4.3.2.1.in-addr.arpa". */
export function ipToReverseName(ip: number): string {
  return formatIpv4(ip).split('.').reverse().join('.') + '.in-addr.arpa';
}
