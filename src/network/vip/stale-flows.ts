/**
 * Finding the conntrack entries of VIP flows whose backend is no longer one of the VIP's
 * backends (docs/design/dns.md, "Removed backends: conntrack flush").
 *
 * Pure: from the text of the endpoint namespace's conntrack table (`/proc/net/nf_conntrack`, or
 * `conntrack -L`, same fields) and the VIP entries just applied, to the (VIP, backend) pairs to
 * delete. The only address translation in a task's or container's namespace is Shoal's VIP DNAT
 * (egress masquerading happens in the sandbox and the host), and it keeps the port: so an entry
 * whose reply comes from another address than the original destination, on the same port, is a
 * VIP flow. It is stale unless its original destination is still a VIP with that backend. This
 * needs no memory of what was applied before, so it also cleans up after a daemon restart that
 * missed a removal (or a service removed altogether while the daemon was down).
 */
import { formatIpv4, parseIpv4 } from '../cidr.js';
import type { VipBackends } from './ruleset.js';

export interface StaleFlow {
  /** The VIP the client connected to (the entry's original destination). */
  readonly vip: string;
  /** The backend the flow was translated to (the entry's reply source). */
  readonly backend: string;
}

const FIELD = /\b(src|dst|sport|dport)=(\S+)/g;

/** The distinct stale (VIP, backend) pairs in `table`, in order of first appearance. */
export function staleVipFlows(table: string, entries: readonly VipBackends[]): StaleFlow[] {
  const live = new Set<string>();
  for (const e of entries) for (const b of e.backends) live.add(`${formatIpv4(e.vip)}>${formatIpv4(b)}`);
  const out = new Map<string, StaleFlow>();
  for (const line of table.split('\n')) {
    // Fields come twice: the original direction first, then the reply direction.
    const seen: Record<string, string[]> = { src: [], dst: [], sport: [], dport: [] };
    for (const m of line.matchAll(FIELD)) seen[m[1]!]!.push(m[2]!);
    const vip = seen['dst']![0];
    const backend = seen['src']![1];
    if (vip === undefined || backend === undefined || vip === backend) continue;
    if (!parseIpv4(vip).ok || !parseIpv4(backend).ok) continue;
    // Shoal's DNAT keeps the port; another translation in the namespace (Docker's 127.0.0.11
    // DNS rule in an image task) changes it, and is not ours to touch.
    if (seen['dport']![0] !== seen['sport']![1]) continue;
    const key = `${vip}>${backend}`;
    if (!live.has(key) && !out.has(key)) out.set(key, { vip, backend });
  }
  return [...out.values()];
}
