/**
 * Service discovery on one node: the piece the worker agent and the data plane call.
 *
 * It owns the node's resolver and name table and, per network sandbox, the resolver's listener on
 * the network's gateway address and the VIP balancer (docs/design/dns.md):
 * - `apply(msg)`: a Names message from the dispatcher → new table; the balancers of the sandboxes
 *   whose network changed are reprogrammed (one nft transaction each, serialised per sandbox);
 * - `attachSandbox(...)` when the data plane creates a network's sandbox (or adopts one after a
 *   restart), `detachSandbox(...)` before it removes it;
 * - `writeTaskResolvConf(ns, …)` before a task starts in namespace `ns`, `removeTaskResolvConf`
 *   when its namespace goes.
 * Upstream resolvers are re-read from the node's resolv.conf every `upstreamReloadMs`.
 */
import { execFile } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { isIPv4 } from 'node:net';
import type { NamesMessage__Output } from '../generated/shoal/v1/NamesMessage.js';
import { ShoalError } from '../errors.js';
import { formatIpv4, parseIpv4 } from '../network/cidr.js';
import { bindInNamespace } from '../network/dns/netns-socket.js';
import { readNameservers, taskResolvConf, type Upstream } from '../network/dns/resolv-conf.js';
import { DnsResolver, type Listener } from '../network/dns/server.js';
import { applyVips, prepareSandbox } from '../network/vip/apply.js';
import { vipBackends } from '../network/vip/ruleset.js';
import { NamesReceiver } from './names-receiver.js';

export interface NodeNamesOptions {
  /** The node's own resolver configuration (default /etc/resolv.conf). */
  readonly resolvConfPath?: string;
  /** Where `ip netns exec` finds per-namespace files (default /etc/netns). */
  readonly netnsEtcDir?: string;
  readonly forwardTimeoutMs?: number;
  readonly upstreamReloadMs?: number;
  /** Reports failures of background work (balancer programming); the next change retries. */
  readonly onError?: (what: string, e: unknown) => void;
}

interface Sandbox {
  readonly networkId: string;
  readonly ns: string;
  readonly bridge: string;
  readonly listener: Listener;
  /** The JSON of the balancer entries last applied ('' = never). */
  applied: string;
  /** Balancer work for this sandbox runs one at a time, in order. */
  queue: Promise<void>;
}

export class NodeNames {
  readonly receiver = new NamesReceiver();
  readonly resolver: DnsResolver;
  private upstreams: readonly Upstream[] = [];
  private readonly sandboxes = new Map<string, Sandbox>();
  private reload: NodeJS.Timeout | null = null;

  constructor(private readonly opts: NodeNamesOptions = {}) {
    this.resolver = new DnsResolver({
      table: () => this.receiver.table(),
      upstreams: () => this.upstreams,
      ...(opts.forwardTimeoutMs !== undefined ? { forwardTimeoutMs: opts.forwardTimeoutMs } : {}),
    });
  }

  async start(): Promise<void> {
    await this.reloadUpstreams();
    this.reload = setInterval(() => void this.reloadUpstreams(), this.opts.upstreamReloadMs ?? 10_000);
    this.reload.unref();
  }

  private async reloadUpstreams(): Promise<void> {
    try {
      this.upstreams = await readNameservers(this.opts.resolvConfPath ?? '/etc/resolv.conf');
    } catch (e) {
      this.opts.onError?.('reading the upstream resolvers', e);
    }
  }

  /** A Names message from the dispatcher; throws (changing nothing) on a malformed one. */
  apply(msg: NamesMessage__Output): void {
    this.receiver.apply(msg);
    for (const sb of this.sandboxes.values()) this.program(sb);
  }

  /** The session ended: no cluster name answers until the next complete set (balancers keep their last state). */
  reset(): void {
    this.receiver.reset();
  }

  /**
   * Starts answering inside network `networkId`'s sandbox namespace `ns` on its gateway address
   * (held by `bridge`), and balancing its VIPs there. Idempotent per network.
   */
  async attachSandbox(networkId: string, ns: string, gateway: string, bridge: string): Promise<void> {
    if (this.sandboxes.has(networkId)) return;
    if (!isIPv4(gateway)) throw new ShoalError('INVALID_ARGUMENT', `gateway "${gateway}" is not an IPv4 address`);
    const { udp, tcp } = await bindInNamespace(ns, gateway, 53);
    const listener = this.resolver.adopt(udp, tcp, (source) => {
      const ip = parseIpv4(source.replace(/^::ffff:/, ''));
      return ip.ok ? this.receiver.table().endpointNetworks(networkId, ip.value) : [networkId];
    });
    const sb: Sandbox = { networkId, ns, bridge, listener, applied: '', queue: Promise.resolve() };
    this.sandboxes.set(networkId, sb);
    this.program(sb, true);
    await sb.queue;
  }

  /** Stops answering and balancing in the network's sandbox (before the data plane removes it). */
  async detachSandbox(networkId: string): Promise<void> {
    const sb = this.sandboxes.get(networkId);
    if (!sb) return;
    this.sandboxes.delete(networkId);
    await sb.queue;
    await sb.listener.close();
  }

  /** Writes the resolv.conf a task in namespace `ns` sees: our resolver at its first network's gateway. */
  async writeTaskResolvConf(ns: string, gateway: string): Promise<void> {
    const dir = this.nsDir(ns);
    await mkdir(dir, { recursive: true });
    await writeFile(`${dir}/resolv.conf`, taskResolvConf(gateway));
  }

  async removeTaskResolvConf(ns: string): Promise<void> {
    await rm(this.nsDir(ns), { recursive: true, force: true });
  }

  /** Waits for the balancer work queued so far (tests, shutdown). */
  async settled(): Promise<void> {
    await Promise.all([...this.sandboxes.values()].map((s) => s.queue));
  }

  async close(): Promise<void> {
    if (this.reload) clearInterval(this.reload);
    for (const id of [...this.sandboxes.keys()]) await this.detachSandbox(id);
    await this.resolver.close();
  }

  private nsDir(ns: string): string {
    if (!/^[A-Za-z0-9_.-]+$/.test(ns)) throw new ShoalError('INVALID_ARGUMENT', `namespace name "${ns}" is not valid`);
    return `${this.opts.netnsEtcDir ?? '/etc/netns'}/${ns}`;
  }

  /** Queues reprogramming the sandbox's VIPs (addresses on the bridge, then the nft table) if they changed. */
  private program(sb: Sandbox, first = false): void {
    sb.queue = sb.queue.then(async () => {
      const network = this.receiver.table().records(sb.networkId);
      const entries = network ? vipBackends(network) : [];
      const json = JSON.stringify(entries);
      if (json === sb.applied) return;
      try {
        await setVipAddresses(sb.ns, sb.bridge, entries.map((e) => e.vip));
        await applyVips(sb.ns, entries);
        if (first) await prepareSandbox(sb.ns, sb.bridge);
        sb.applied = json;
      } catch (e) {
        this.opts.onError?.(`programming the VIPs of network ${sb.networkId} in ${sb.ns}`, e);
      }
    });
  }
}

function ipIn(ns: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('ip', ['-n', ns, ...args], (err, stdout, stderr) => (err ? reject(new ShoalError('INTERNAL', `ip -n ${ns} ${args.join(' ')}: ${stderr.trim() || err.message}`)) : resolve(stdout)));
  });
}

/**
 * Makes the bridge hold exactly these VIPs as /32 addresses (so the sandbox answers ARP for them).
 * Other addresses (the gateway, with the subnet's prefix) are left alone.
 */
async function setVipAddresses(ns: string, bridge: string, vips: readonly number[]): Promise<void> {
  const shown = JSON.parse(await ipIn(ns, ['-j', 'addr', 'show', 'dev', bridge])) as { addr_info?: { family: string; local: string; prefixlen: number }[] }[];
  const held = new Set((shown[0]?.addr_info ?? []).filter((a) => a.family === 'inet' && a.prefixlen === 32).map((a) => a.local));
  const wanted = new Set(vips.map(formatIpv4));
  for (const a of held) if (!wanted.has(a)) await ipIn(ns, ['addr', 'del', `${a}/32`, 'dev', bridge]);
  for (const a of wanted) if (!held.has(a)) await ipIn(ns, ['addr', 'add', `${a}/32`, 'dev', bridge]);
}
