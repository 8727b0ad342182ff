/**
 * Applies VIP balancing in an endpoint's namespace: the nftables table (ruleset.ts) in one
 * `nft -f` transaction, and the idle timeout of established flows. Runs `ip netns exec NS …`;
 * needs root.
 */
import { spawn } from 'node:child_process';
import { ShoalError } from '../../errors.js';
import { vipRuleset, type VipBackends } from './ruleset.js';
import { staleVipFlows, type StaleFlow } from './stale-flows.js';

/**
 * Established TCP flows through a VIP are kept this long while idle (seconds): the kernel's
 * default (5 days), written explicitly in each namespace so host tuning cannot silently shorten
 * it; IPVS's 900 s cut is the top VIP complaint against Docker (moby/moby#31208).
 */
export const ESTABLISHED_IDLE_S = 432_000;

/** Runs `argv` inside namespace `ns`; resolves with its stdout when it exits with one of `okCodes`. */
function run(ns: string, argv: readonly string[], stdin?: string, okCodes: readonly number[] = [0]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('ip', ['netns', 'exec', ns, ...argv], { stdio: [stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (e) => reject(new ShoalError('FAILED_PRECONDITION', `cannot run ip netns exec ${ns} ${argv[0] ?? ''}: ${e.message}`)));
    child.on('exit', (code) => {
      if (code !== null && okCodes.includes(code)) resolve(stdout);
      else if (code === 127) reject(new ShoalError('FAILED_PRECONDITION', `${argv[0] ?? ''} is not installed (needed in namespace ${ns}): ${stderr.trim()}`));
      else reject(new ShoalError('INTERNAL', `${argv.join(' ')} in namespace ${ns} failed (exit ${String(code)}): ${stderr.trim()}`));
    });
    if (stdin !== undefined && child.stdin) {
      // A command that fails early closes its input: its exit status says why, not the EPIPE.
      child.stdin.on('error', () => undefined);
      child.stdin.end(stdin);
    }
  });
}

/**
 * Replaces the namespace's VIP rules with `entries`, atomically, and (conntrack being loaded by
 * the nat table) sets the idle timeout of established flows. Then deletes the conntrack entries
 * of flows still translated to a backend that is no longer one (stale-flows.ts), so that their
 * next packet is not sent there: it is translated afresh, to a live backend, which answers a TCP
 * segment of an unknown connection with a reset (the client sees an error at once), and carries
 * on a UDP flow. Returns the stale flows deleted.
 *
 * Reading the table costs nothing extra (it shares the sysctl's process); `conntrack` runs only
 * when there is something to delete, and is then required (conntrack-tools).
 */
export async function applyVips(ns: string, entries: readonly VipBackends[]): Promise<StaleFlow[]> {
  await run(ns, ['nft', '-f', '-'], vipRuleset(entries));
  const table = await run(ns, [
    'sh',
    '-c',
    `echo ${ESTABLISHED_IDLE_S} > /proc/sys/net/netfilter/nf_conntrack_tcp_timeout_established && { cat /proc/net/nf_conntrack 2>/dev/null || conntrack -L 2>/dev/null || true; }`,
  ]);
  const stale = staleVipFlows(table, entries);
  for (const f of stale) {
    // Exit 1 is "0 flow entries have been deleted": the flow ended meanwhile.
    await run(ns, ['conntrack', '-D', '--orig-dst', f.vip, '--reply-src', f.backend], undefined, [0, 1]);
  }
  return stale;
}
