/**
 * The feed's input read from the state database, and the feed's output as proto messages.
 * Read-only; one pass over the rows the feed needs (lean columns, no task specs or histories).
 */
import type Database from 'better-sqlite3';
import type { NetworkNames as ProtoNetworkNames } from '../generated/shoal/v1/NetworkNames.js';
import { formatIpv4 } from '../network/cidr.js';
import type { FeedAddress, FeedContainer, FeedInput, FeedTask } from '../network/dns/feed.js';
import type { NetworkNames } from '../network/dns/name-table.js';
import { stmt } from './store/statements.js';
import { allContainerAliases } from './store/alias-queries.js';
import { listServices } from './store/service-queries.js';

interface AddressRow {
  owner_kind: 'task' | 'container' | 'vip';
  owner_id: string;
  network_id: string;
  address: number;
}

export function feedInputFromStore(db: Database.Database): FeedInput {
  const addresses = new Map<string, FeedAddress[]>(); // `${kind}/${owner}` -> addresses
  for (const r of stmt(db, 'SELECT owner_kind, owner_id, network_id, address FROM attachments ORDER BY network_id').all() as AddressRow[]) {
    const key = `${r.owner_kind}/${r.owner_id}`;
    const list = addresses.get(key) ?? [];
    list.push({ networkId: r.network_id, ip: r.address });
    addresses.set(key, list);
  }
  const of = (kind: string, id: string): readonly FeedAddress[] => addresses.get(`${kind}/${id}`) ?? [];
  const services = listServices(db).map((s) => ({ id: s.id, name: s.name, networks: s.spec.networks, endpointMode: s.spec.endpointMode ?? 'vip', aliases: s.spec.aliases ?? [] }));
  const tasks: FeedTask[] = (
    stmt(db, 'SELECT id, service_id, slot, node_id, state, desired_state FROM tasks').all() as { id: string; service_id: string; slot: number; node_id: string; state: string; desired_state: string }[]
  ).map((t) => ({ id: t.id, serviceId: t.service_id, slot: t.slot, nodeId: t.node_id, state: t.state, desiredState: t.desired_state, addresses: of('task', t.id) }));
  const aliases = allContainerAliases(db);
  const containers: FeedContainer[] = (stmt(db, 'SELECT id, name, node_id, state FROM containers').all() as { id: string; name: string; node_id: string; state: string }[]).map((c) => ({
    id: c.id,
    name: c.name,
    nodeId: c.node_id,
    state: c.state,
    aliases: aliases.get(c.id) ?? [],
    addresses: of('container', c.id),
  }));
  const networks = stmt(db, 'SELECT id, name FROM networks').all() as { id: string; name: string }[];
  const downNodes = new Set((stmt(db, "SELECT id FROM nodes WHERE status = 'down'").all() as { id: string }[]).map((r) => r.id));
  return { networks, services, vips: new Map(services.map((s) => [s.id, of('vip', s.id)])), tasks, containers, downNodes };
}

export function networkNamesToProto(n: NetworkNames): ProtoNetworkNames {
  return {
    networkId: n.networkId,
    networkName: n.networkName,
    services: n.services.map((s) => ({
      id: s.id,
      name: s.name,
      aliases: [...s.aliases],
      endpointMode: s.endpointMode === 'dnsrr' ? 'ENDPOINT_MODE_DNSRR' : 'ENDPOINT_MODE_VIP',
      vip: s.vip === undefined ? '' : formatIpv4(s.vip),
    })),
    endpoints: n.endpoints.map((e) => ({
      kind: e.kind === 'task' ? 'NAME_OWNER_KIND_TASK' : 'NAME_OWNER_KIND_CONTAINER',
      name: e.name,
      serviceId: e.serviceId ?? '',
      aliases: [...e.aliases],
      address: formatIpv4(e.ip),
    })),
  };
}
