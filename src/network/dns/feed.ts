/**
 * The feed: from the control plane's records (as the store and the dispatcher see them) to the
 * names a node's resolver answers. Pure and deterministic (same records, same output, in a
 * stable order), so the dispatcher can compare what it computed with what it last sent.
 *
 * A node is told the names of exactly the networks it has an endpoint on (a task or container
 * address held for that node, whatever its state): the same "only where used" rule as the data
 * plane's peer table. On those networks it learns every service attached to them and every
 * endpoint that should answer, wherever it runs:
 * - a task answers while it is running AND wanted running on a node that is not down: a task
 *   told to stop leaves the answers (and the balancer) at once, before its process is gone;
 * - a standalone container answers while it is running on a node that is not down.
 */
import type { EndpointMode, EndpointNames, NameRecords, NetworkNames, ServiceNames } from './name-table.js';

export interface FeedNetwork {
  readonly id: string;
  readonly name: string;
}

export interface FeedService {
  readonly id: string;
  readonly name: string;
  /** Network IDs from its spec. */
  readonly networks: readonly string[];
  readonly endpointMode: EndpointMode;
  readonly aliases: readonly string[];
}

/** An address held on a network (IPv4 as a number). */
export interface FeedAddress {
  readonly networkId: string;
  readonly ip: number;
}

export interface FeedTask {
  readonly id: string;
  readonly serviceId: string;
  /** Replica slot; 0 for a global service's task. */
  readonly slot: number;
  /** '' until placed. */
  readonly nodeId: string;
  /** Observed state word ('running', 'shutdown'…). */
  readonly state: string;
  readonly desiredState: string;
  readonly addresses: readonly FeedAddress[];
}

export interface FeedContainer {
  readonly id: string;
  readonly name: string;
  readonly nodeId: string;
  /** 'created', 'running', 'exited' or 'dead'. */
  readonly state: string;
  readonly aliases: readonly string[];
  readonly addresses: readonly FeedAddress[];
}

export interface FeedInput {
  readonly networks: readonly FeedNetwork[];
  readonly services: readonly FeedService[];
  /** VIPs by service ID. */
  readonly vips: ReadonlyMap<string, readonly FeedAddress[]>;
  readonly tasks: readonly FeedTask[];
  readonly containers: readonly FeedContainer[];
  /** Nodes known to be down: their endpoints do not answer. */
  readonly downNodes: ReadonlySet<string>;
}

/** The networks on which `nodeId` holds an endpoint: the networks it must be told about. */
export function networksOfNode(input: FeedInput, nodeId: string): Set<string> {
  const out = new Set<string>();
  for (const t of input.tasks) if (t.nodeId === nodeId) for (const a of t.addresses) out.add(a.networkId);
  for (const c of input.containers) if (c.nodeId === nodeId) for (const a of c.addresses) out.add(a.networkId);
  return out;
}

/** For every node, the networks on which it holds an endpoint (one pass over all endpoints). */
export function networksByNode(input: FeedInput): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const add = (nodeId: string, networkId: string): void => {
    if (nodeId === '') return;
    let set = out.get(nodeId);
    if (!set) out.set(nodeId, (set = new Set()));
    set.add(networkId);
  };
  for (const t of input.tasks) for (const a of t.addresses) add(t.nodeId, a.networkId);
  for (const c of input.containers) for (const a of c.addresses) add(c.nodeId, a.networkId);
  return out;
}

/** The task's DNS name, as Docker forms it: `<service>.<slot>.<task-id>` (global: the node ID in place of the slot). */
export function taskName(serviceName: string, t: Pick<FeedTask, 'id' | 'slot' | 'nodeId'>): string {
  return `${serviceName}.${t.slot > 0 ? String(t.slot) : t.nodeId}.${t.id}`;
}

/** The names of `networkIds` (those that exist), each complete, in network-ID order. */
export function nameRecords(input: FeedInput, networkIds: ReadonlySet<string>): NameRecords {
  const byNetwork = new Map<string, { services: ServiceNames[]; endpoints: EndpointNames[] }>();
  const names = new Map(input.networks.map((n) => [n.id, n.name]));
  for (const id of [...networkIds].sort()) if (names.has(id)) byNetwork.set(id, { services: [], endpoints: [] });
  // Only the rows on the networks asked for are sorted and walked: the hub asks for the few a change touched.
  const onAsked = (addresses: readonly FeedAddress[]): boolean => addresses.some((a) => byNetwork.has(a.networkId));
  const serviceName = new Map(input.services.map((s) => [s.id, s.name]));
  for (const s of input.services.filter((x) => x.networks.some((n) => byNetwork.has(n))).sort(byId)) {
    const vips = input.vips.get(s.id) ?? [];
    for (const networkId of s.networks) {
      const slot = byNetwork.get(networkId);
      if (!slot) continue;
      const vip = s.endpointMode === 'vip' ? vips.find((v) => v.networkId === networkId)?.ip : undefined;
      slot.services.push({ id: s.id, name: s.name, aliases: [...s.aliases], endpointMode: s.endpointMode, ...(vip !== undefined ? { vip } : {}) });
    }
  }
  for (const t of input.tasks.filter((x) => onAsked(x.addresses)).sort(byId)) {
    const name = serviceName.get(t.serviceId);
    if (name === undefined || !answers(t.state === 'running' && t.desiredState === 'running', t.nodeId, input.downNodes)) continue;
    for (const a of t.addresses) {
      byNetwork.get(a.networkId)?.endpoints.push({ kind: 'task', name: taskName(name, t), serviceId: t.serviceId, aliases: [], ip: a.ip });
    }
  }
  for (const c of input.containers.filter((x) => onAsked(x.addresses)).sort(byId)) {
    if (!answers(c.state === 'running', c.nodeId, input.downNodes)) continue;
    for (const a of c.addresses) byNetwork.get(a.networkId)?.endpoints.push({ kind: 'container', name: c.name, aliases: [...c.aliases], ip: a.ip });
  }
  const networks: NetworkNames[] = [];
  for (const [networkId, { services, endpoints }] of byNetwork) {
    networks.push({ networkId, networkName: names.get(networkId) ?? '', services, endpoints });
  }
  return { networks };
}

/** What one node is told: the names of the networks it has an endpoint on. */
export function nameRecordsForNode(input: FeedInput, nodeId: string): NameRecords {
  return nameRecords(input, networksOfNode(input, nodeId));
}

function answers(running: boolean, nodeId: string, down: ReadonlySet<string>): boolean {
  return running && nodeId !== '' && !down.has(nodeId);
}

function byId(a: { readonly id: string }, b: { readonly id: string }): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
