/**
 * Applies VIP balancing in a sandbox namespace: the nftables table (ruleset.ts) in one `nft -f`
 * transaction, and the namespace settings it relies on. Runs `ip netns exec NS …`; needs root.
 */
import { spawn } from 'node:child_process';
import { ShoalError } from '../../errors.js';
import { vipRuleset, type VipBackends } from './ruleset.js';

/**
 * Established TCP flows through a VIP are kept this long while idle (seconds): the kernel's
 * default (5 days), written explicitly so host tuning cannot silently shorten it; IPVS's 900 s
 * cut is the top VIP complaint against Docker (moby/moby#31208).
 */
export const ESTABLISHED_IDLE_S = 432_000;

function run(ns: string, argv: readonly string[], stdin?: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('ip', ['netns', 'exec', ns, ...argv], { stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (e) => reject(new ShoalError('FAILED_PRECONDITION', `cannot run ip netns exec ${ns} ${argv[0] ?? ''}: ${e.message}`)));
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new ShoalError('INTERNAL', `${argv.join(' ')} in namespace ${ns} failed (exit ${String(code)}): ${stderr.trim()}`))));
    child.stdin.end(stdin ?? '');
  });
}

/** Writes one /proc/sys setting inside the namespace. */
function sysctl(ns: string, key: string, value: string | number): Promise<void> {
  if (!/^[a-z0-9_./-]+$/.test(key)) return Promise.reject(new Error(`bad sysctl key ${key}`));
  return run(ns, ['sh', '-c', `echo ${String(value)} > /proc/sys/${key}`]);
}

/**
 * Routing and conntrack settings of a sandbox that balances VIPs: forwarding on (a DNATed packet
 * leaves by the bridge it came in on), no ICMP redirects (they would point clients past the
 * VIP), and the idle timeout of established flows. Call once per sandbox, after `applyVips` has
 * loaded conntrack in it; `bridge` is the sandbox's bridge holding the gateway and the VIPs.
 */
export async function prepareSandbox(ns: string, bridge: string): Promise<void> {
  if (!/^[A-Za-z0-9_.-]{1,15}$/.test(bridge)) throw new ShoalError('INVALID_ARGUMENT', `bridge name "${bridge}" is not an interface name`);
  await sysctl(ns, 'net/ipv4/ip_forward', 1);
  // The kernel sends redirects if "all" OR the interface says so: both off.
  await sysctl(ns, 'net/ipv4/conf/all/send_redirects', 0);
  await sysctl(ns, `net/ipv4/conf/${bridge}/send_redirects`, 0);
  await sysctl(ns, 'net/netfilter/nf_conntrack_tcp_timeout_established', ESTABLISHED_IDLE_S);
}

/** Replaces the sandbox's VIP rules with `entries`, atomically. */
export function applyVips(ns: string, entries: readonly VipBackends[]): Promise<void> {
  return run(ns, ['nft', '-f', '-'], vipRuleset(entries));
}
