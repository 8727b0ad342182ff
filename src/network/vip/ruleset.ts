/**
 * VIP load balancing as an nftables ruleset (docs/design/dns.md, "VIP balancing").
 *
 * Pure: from the names of the networks an endpoint is on (the same records the resolver answers
 * from) to the script that `nft -f` applies in that endpoint's own namespace. The translation
 * happens where the connection starts, in the nat OUTPUT hook: a new connection to a VIP is sent
 * to the next running task, round robin (`numgen inc`), chosen once per connection — conntrack
 * in the same namespace keeps the rest of the flow on it and undoes the translation on replies.
 * Nothing is masqueraded (the task sees the client's real address), and nothing depends on
 * where the task runs: its address is reached like any peer, on this node or over VXLAN.
 *
 * A VIP with no running task is refused at once (TCP reset, ICMP port unreachable) rather than
 * left to time out. One transaction replaces the whole table, so a task that stops leaves every
 * new connection's choice at once, and a half-applied state never exists.
 */
import { formatIpv4 } from '../cidr.js';
import type { NetworkNames } from '../dns/name-table.js';

/** The table Shoal owns in each endpoint namespace; nothing else there is touched. */
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
    // Creating first makes the delete valid in a namespace that has no table yet.
    `table ip ${LB_TABLE}`,
    `delete table ip ${LB_TABLE}`,
    `table ip ${LB_TABLE} {`,
    '  chain output {',
    '    type nat hook output priority -100; policy accept;',
  ];
  for (const e of entries) {
    if (e.backends.length === 0) continue;
    const map = e.backends.map((ip, i) => `${i} : ${formatIpv4(ip)}`).join(', ');
    lines.push(`    ip daddr ${formatIpv4(e.vip)} dnat to numgen inc mod ${e.backends.length} map { ${map} }`);
  }
  lines.push('  }');
  const idle = entries.filter((e) => e.backends.length === 0).map((e) => formatIpv4(e.vip));
  if (idle.length > 0) {
    // After the nat hook (priority 0 > -100): only VIPs that were not translated get here.
    lines.push('  chain refuse {', '    type filter hook output priority 0; policy accept;');
    lines.push(`    ip daddr { ${idle.join(', ')} } meta l4proto tcp reject with tcp reset`, `    ip daddr { ${idle.join(', ')} } reject`, '  }');
  }
  lines.push('}', '');
  return lines.join('\n');
}
