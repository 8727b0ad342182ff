/**
 * Applies VIP balancing in an endpoint's namespace: the nftables table (ruleset.ts) in one
 * `nft -f` transaction, and the idle timeout of established flows. Runs `ip netns exec NS …`;
 * needs root.
 */
import { spawn } from 'node:child_process';
import { ShoalError } from '../../errors.js';
import { vipRuleset, type VipBackends } from './ruleset.js';

/**
 * Established TCP flows through a VIP are kept this long while idle (seconds): the kernel's
 * default (5 days), written explicitly in each namespace so host tuning cannot silently shorten
 * it; IPVS's 900 s cut is the top VIP complaint against Docker (moby/moby#31208).
 */
export const ESTABLISHED_IDLE_S = 432_000;

function run(ns: string, argv: readonly string[], stdin?: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('ip', ['netns', 'exec', ns, ...argv], { stdio: [stdin === undefined ? 'ignore' : 'pipe', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (e) => reject(new ShoalError('FAILED_PRECONDITION', `cannot run ip netns exec ${ns} ${argv[0] ?? ''}: ${e.message}`)));
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new ShoalError('INTERNAL', `${argv.join(' ')} in namespace ${ns} failed (exit ${String(code)}): ${stderr.trim()}`))));
    if (stdin !== undefined && child.stdin) {
      // A command that fails early closes its input: its exit status says why, not the EPIPE.
      child.stdin.on('error', () => undefined);
      child.stdin.end(stdin);
    }
  });
}

/**
 * Replaces the namespace's VIP rules with `entries`, atomically, and (conntrack being loaded by
 * the nat table) sets the idle timeout of established flows.
 */
export async function applyVips(ns: string, entries: readonly VipBackends[]): Promise<void> {
  await run(ns, ['nft', '-f', '-'], vipRuleset(entries));
  await run(ns, ['sh', '-c', `echo ${ESTABLISHED_IDLE_S} > /proc/sys/net/netfilter/nf_conntrack_tcp_timeout_established`]);
}
