/**
 * The worker's side of the Names stream (dispatcher.proto): keeps the node's name records as
 * the dispatcher sends them and makes a fresh NameTable after each message, which the resolver
 * picks up atomically (DnsResolver takes a `table()` getter).
 *
 * COMPLETE replaces everything; INCREMENTAL replaces the networks it lists and drops
 * `removed_networks`. A malformed message throws and changes nothing: the agent then reopens
 * the stream and starts again from a complete set.
 */
import type { NamesMessage__Output } from '../generated/shoal/v1/NamesMessage.js';
import type { NetworkNames__Output } from '../generated/shoal/v1/NetworkNames.js';
import { ShoalError } from '../errors.js';
import { parseIpv4 } from '../network/cidr.js';
import { NameTable, type NetworkNames } from '../network/dns/name-table.js';

export class NamesReceiver {
  private networks = new Map<string, NetworkNames>();
  private current = NameTable.empty();
  private completeSeen = false;

  /** The table to answer from now. */
  table(): NameTable {
    return this.current;
  }

  /** Whether a complete set has arrived (until then the node answers no cluster name). */
  get ready(): boolean {
    return this.completeSeen;
  }

  apply(msg: NamesMessage__Output): void {
    const complete = msg.type === 'ASSIGNMENTS_TYPE_COMPLETE';
    if (!complete && msg.type !== 'ASSIGNMENTS_TYPE_INCREMENTAL') throw new ShoalError('INVALID_ARGUMENT', `names: unknown message type ${String(msg.type)}`);
    if (!complete && !this.completeSeen) throw new ShoalError('FAILED_PRECONDITION', 'names: an incremental message before the complete set');
    const parsed = msg.networks.map(networkNamesFromProto);
    const next = complete ? new Map<string, NetworkNames>() : new Map(this.networks);
    for (const id of msg.removedNetworks) next.delete(id);
    for (const n of parsed) next.set(n.networkId, n);
    this.networks = next;
    this.completeSeen = true;
    this.current = new NameTable({ networks: [...next.values()] });
  }

  /** Forgets everything (the session ended): no cluster name answers until the next complete set. */
  reset(): void {
    this.networks = new Map();
    this.completeSeen = false;
    this.current = NameTable.empty();
  }
}

function ip(field: string, text: string): number {
  const r = parseIpv4(text);
  if (!r.ok) throw new ShoalError('INVALID_ARGUMENT', `names: ${field}: ${r.error.message}`);
  return r.value;
}

export function networkNamesFromProto(n: NetworkNames__Output): NetworkNames {
  if (n.networkId === '') throw new ShoalError('INVALID_ARGUMENT', 'names: a network without an ID');
  return {
    networkId: n.networkId,
    networkName: n.networkName,
    services: n.services.map((s) => {
      const endpointMode = s.endpointMode === 'ENDPOINT_MODE_DNSRR' ? ('dnsrr' as const) : ('vip' as const);
      return { id: s.id, name: s.name, aliases: [...s.aliases], endpointMode, ...(s.vip !== '' ? { vip: ip(`service ${s.name} vip`, s.vip) } : {}) };
    }),
    endpoints: n.endpoints.map((e) => {
      const kind = e.kind === 'NAME_OWNER_KIND_TASK' ? ('task' as const) : ('container' as const);
      return { kind, name: e.name, ...(kind === 'task' ? { serviceId: e.serviceId } : {}), aliases: [...e.aliases], ip: ip(`endpoint ${e.name} address`, e.address) };
    }),
  };
}
