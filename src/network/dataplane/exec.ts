/**
 * Runs iproute2, nftables, iptables and sysctl: one process per batch (`ip -batch -`,
 * `bridge -batch -`, `nft -f -`, `iptables-restore`), in a named namespace when asked. A process
 * launch costs about 1.4 ms; a batch of a thousand entries about as much as ten.
 */
import { execFile } from 'node:child_process';
import type { Step } from './model.js';

/** Bound on one command's run time: a wedged `ip` must not wedge the agent. */
const COMMAND_TIMEOUT_MS = 20_000;
const OUTPUT_MAX_BYTES = 64 * 1024 * 1024;

export class CommandError extends Error {
  constructor(
    message: string,
    readonly stderr: string,
  ) {
    super(message);
  }
}

/**
 * The namespace the daemon calls "host". null = the one it runs in; a name = that namespace
 * (tests drive a data plane for a namespace without running inside it).
 */
export type HostNs = string | null;

export function run(file: string, args: readonly string[], input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(file, [...args], { timeout: COMMAND_TIMEOUT_MS, maxBuffer: OUTPUT_MAX_BYTES }, (err, stdout, stderr) => {
      if (err) reject(new CommandError(`${file} ${args.join(' ')}: ${String(stderr).trim() || err.message}`, String(stderr)));
      else resolve(String(stdout));
    });
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(input ?? '');
  });
}

/** `ip [-n NS] ARGS…`; with ns null, in the host namespace (hostNs). */
export function ip(hostNs: HostNs, ns: string | null, args: readonly string[], input?: string): Promise<string> {
  const where = ns ?? hostNs;
  return run('ip', [...(where ? ['-n', where] : []), ...args], input);
}

export function bridge(hostNs: HostNs, ns: string | null, args: readonly string[], input?: string): Promise<string> {
  const where = ns ?? hostNs;
  return run('bridge', [...(where ? ['-n', where] : []), ...args], input);
}

/** Whether `nsenter` (util-linux) is here; probed once. */
let nsenterPresent: Promise<boolean> | null = null;

/**
 * A command run inside a namespace (nft, iptables and sysctl have no -n of their own). Through
 * `nsenter --net`, which only joins the network namespace, where it is installed: `ip netns exec`
 * also unshares the mount namespace and remounts /sys, a cost these commands do not need (net
 * sysctls follow the caller's network namespace). Else `ip netns exec`.
 */
export async function inNs(hostNs: HostNs, ns: string | null, file: string, args: readonly string[], input?: string): Promise<string> {
  const where = ns ?? hostNs;
  if (!where) return run(file, args, input);
  nsenterPresent ??= run('nsenter', ['--version']).then(() => true, () => false);
  if (await nsenterPresent) return run('nsenter', [`--net=/run/netns/${where}`, file, ...args], input);
  return run('ip', ['netns', 'exec', where, file, ...args], input);
}

export async function runStep(hostNs: HostNs, step: Step): Promise<void> {
  const batch = step.lines.join('\n') + '\n';
  const force = step.force ? ['-force'] : [];
  try {
    switch (step.tool) {
      case 'ip':
        await ip(hostNs, step.ns, [...force, '-batch', '-'], batch);
        return;
      case 'netns':
        await run('ip', [...force, '-batch', '-'], step.lines.map((l) => `netns ${l}`).join('\n') + '\n');
        return;
      case 'bridge':
        await bridge(hostNs, step.ns, [...force, '-batch', '-'], batch);
        return;
      case 'nft':
        await inNs(hostNs, step.ns, 'nft', ['-f', '-'], batch);
        return;
      case 'iptables':
        // One transaction; --noflush leaves every rule that is not Shoal's alone.
        await inNs(hostNs, step.ns, 'iptables-restore', ['-w', '--noflush'], step.lines.join(''));
        return;
      case 'sysctl':
        await inNs(hostNs, step.ns, 'sysctl', ['-q', '-w', ...step.lines]);
        return;
    }
  } catch (e) {
    // -force keeps going past failing lines but still exits non-zero: that is expected for deletions.
    if (step.force) return;
    throw new CommandError(`${step.what}: ${e instanceof Error ? e.message : String(e)}`, e instanceof CommandError ? e.stderr : '');
  }
}
