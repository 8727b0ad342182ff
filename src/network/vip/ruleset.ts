/**
 * VIP load balancing as an nftables ruleset (docs/design/dns.md, "VIP balancing").
 *
 * Pure: from a network's names (the same records the resolver answers from) to the script that
 * `nft -f` applies in that network's sandbox namespace, where the VIPs sit on the bridge as /32
 * addresses. One transaction replaces the whole table, so a backend leaves for all new
 * connections at once and a half-applied state never exists:
 * - prerouting DNAT: a new connection to a VIP goes to the next running task, round robin
 *   (`numgen inc`), chosen once per connection — conntrack keeps the rest of the flow on it;
 * - postrouting masquerade of DNATed flows, so the task replies through the sandbox, where the
 *   translation is undone (the client may be on the same bridge as the task).
 * A VIP with no running task gets no rule: the VIP is local to the sandbox, so the kernel itself
 * refuses the connection at once (TCP reset, ICMP port unreachable), instead of a hang.
 */
import { formatIpv4 } from '../cidr.js';
import type { NetworkNames } from '../dns/name-table.js';

/** The table Shoal owns in each sandbox; nothing else in the namespace is touched. */
export const LB_TABLE = 'shoal-lb';

export interface VipBackends {
  readonly vip: number;
  /** Running task addresses, in a stable order. */
  readonly backends: readonly number[];
}

/** The VIPs of a network with the addresses of their services' running tasks on it. */
export function vipBackends(n: NetworkNames): VipBackends[] {
  const tasksOf = new Map<string, number[]>();
  for (const e of n.endpoints) {
    if (e.kind !== 'task' || e.serviceId === undefined) continue;
    const list = tasksOf.get(e.serviceId);
    if (list) list.push(e.ip);
    else tasksOf.set(e.serviceId, [e.ip]);
  }
  const out: VipBackends[] = [];
  for (const s of n.services) {
    if (s.endpointMode !== 'vip' || s.vip === undefined) continue;
    out.push({ vip: s.vip, backends: [...new Set(tasksOf.get(s.id) ?? [])].sort((a, b) => a - b) });
  }
  return out.sort((a, b) => a.vip - b.vip);
}

/** The `nft -f` script that makes the table hold exactly these VIPs (an empty list removes every rule). */
export function vipRuleset(entries: readonly VipBackends[]): string {
  const lines = [
    // Creating first makes the delete valid on a namespace that has no table yet.
    `table ip ${LB_TABLE}`,
    `delete table ip ${LB_TABLE}`,
    `table ip ${LB_TABLE} {`,
    '  chain prerouting {',
    '    type nat hook prerouting priority dstnat; policy accept;',
  ];
  const balanced = entries.filter((e) => e.backends.length > 0);
  for (const e of balanced) {
    const map = e.backends.map((ip, i) => `${i} : ${formatIpv4(ip)}`).join(', ');
    lines.push(`    ip daddr ${formatIpv4(e.vip)} dnat to numgen inc mod ${e.backends.length} map { ${map} }`);
  }
  lines.push('  }', '  chain postrouting {', '    type nat hook postrouting priority srcnat; policy accept;');
  if (balanced.length > 0) lines.push(`    ct status dnat ct original ip daddr { ${balanced.map((e) => formatIpv4(e.vip)).join(', ')} } masquerade`);
  lines.push('  }', '}', '');
  return lines.join('\n');
}
