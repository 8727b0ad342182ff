/**
 * Service discovery on one node: the piece the worker agent and the data plane call.
 *
 * It owns the node's resolver and name table, the resolver's listener in each network sandbox
 * (on the network's gateway address), and the VIP balancer of each local endpoint namespace
 * (docs/design/dns.md):
 * - `apply(msg)`: a Names message from the dispatcher → new table; the balancers of the endpoints
 *   on a network that changed are reprogrammed (one nft transaction each, serialised per endpoint);
 * - `attachSandbox(...)` when the data plane creates a network's sandbox (or adopts one after a
 *   restart), `detachSandbox(...)` before it removes it;
 * - `attachEndpoint(ns, networks, gateway)` before a task or container starts in namespace `ns`
 *   (its resolv.conf and VIP rules), `detachEndpoint(ns)` when its namespace goes.
 * Upstream resolvers are re-read from the node's resolv.conf every `upstreamReloadMs`.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { isIPv4 } from 'node:net';
import type { NamesMessage__Output } from '../generated/shoal/v1/NamesMessage.js';
import { ShoalError } from '../errors.js';
import { parseIpv4 } from '../network/cidr.js';
import { bindInNamespace } from '../network/dns/netns-socket.js';
import { readNameservers, taskResolvConf, type Upstream } from '../network/dns/resolv-conf.js';
import type { DnsResolver, Listener } from '../network/dns/server.js';
import { applyVips } from '../network/vip/apply.js';
import { vipBackends } from '../network/vip/ruleset.js';
import { NamesReceiver } from './names-receiver.js';

/** Environment override of the node's own resolv.conf (the upstream resolvers); test harnesses give each host its own. */
export const RESOLV_CONF_ENV = 'SHOAL_RESOLV_CONF';

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
  readonly listener: Listener;
}

/** A task's or container's namespace on this node, and the VIP rules last applied in it. */
interface Endpoint {
  readonly ns: string;
  readonly networkIds: readonly string[];
  /** The JSON of the balancer entries last applied ('' = never). */
  applied: string;
  /** Balancer work for this namespace runs one at a time, in order. */
  queue: Promise<void>;
}

export class NodeNames {
  readonly receiver = new NamesReceiver();
  /**
   * Made at the first sandbox: until a network has a task on this node, nothing is answered, and
   * the resolver's module (with dns-packet, ≈ 2 MB resident) stays unloaded on an idle node.
   */
  private resolver: Promise<DnsResolver> | null = null;
  private upstreams: readonly Upstream[] = [];
  private readonly sandboxes = new Map<string, Sandbox>();
  private readonly endpoints = new Map<string, Endpoint>();
  private reload: NodeJS.Timeout | null = null;

  constructor(private readonly opts: NodeNamesOptions = {}) {}

  private dnsResolver(): Promise<DnsResolver> {
    this.resolver ??= import('../network/dns/server.js').then(
      ({ DnsResolver }) =>
        new DnsResolver({
          table: () => this.receiver.table(),
          upstreams: () => this.upstreams,
          ...(this.opts.forwardTimeoutMs !== undefined ? { forwardTimeoutMs: this.opts.forwardTimeoutMs } : {}),
        }),
    );
    return this.resolver;
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
    for (const ep of this.endpoints.values()) this.program(ep);
  }

  /** The session ended: no cluster name answers until the next complete set (VIP rules keep their last state). */
  reset(): void {
    this.receiver.reset();
  }

  /**
   * Starts answering inside network `networkId`'s sandbox namespace `ns`, on its gateway address
   * (which the sandbox's bridge holds). Queries are scoped by their source address. Idempotent.
   */
  async attachSandbox(networkId: string, ns: string, gateway: string): Promise<void> {
    if (this.sandboxes.has(networkId)) return;
    if (!isIPv4(gateway)) throw new ShoalError('INVALID_ARGUMENT', `gateway "${gateway}" is not an IPv4 address`);
    const resolver = await this.dnsResolver();
    const { udp, tcp } = await bindInNamespace(ns, gateway, 53);
    if (this.sandboxes.has(networkId)) {
      // Attached meanwhile by a concurrent call (the import above yields): keep that one.
      udp.close();
      tcp.close();
      return;
    }
    const listener = resolver.adopt(udp, tcp, (source) => {
      const ip = parseIpv4(source.replace(/^::ffff:/, ''));
      return ip.ok ? this.receiver.table().endpointNetworks(networkId, ip.value) : [networkId];
    });
    this.sandboxes.set(networkId, { networkId, ns, listener });
  }

  /** Stops answering in the network's sandbox (before the data plane removes it). */
  async detachSandbox(networkId: string): Promise<void> {
    const sb = this.sandboxes.get(networkId);
    if (!sb) return;
    this.sandboxes.delete(networkId);
    await sb.listener.close();
  }

  /**
   * Prepares a task's or container's namespace `ns` on networks `networkIds` (attachment order)
   * before its process starts: its resolv.conf points at the first network's `gateway`, and its
   * VIP rules are applied. Call again with the same namespace after a restart to adopt it.
   */
  async attachEndpoint(ns: string, networkIds: readonly string[], gateway: string): Promise<void> {
    if (!isIPv4(gateway)) throw new ShoalError('INVALID_ARGUMENT', `gateway "${gateway}" is not an IPv4 address`);
    const dir = this.nsDir(ns);
    await mkdir(dir, { recursive: true });
    await writeFile(`${dir}/resolv.conf`, taskResolvConf(gateway));
    const ep: Endpoint = this.endpoints.get(ns) ?? { ns, networkIds: [...networkIds], applied: '', queue: Promise.resolve() };
    this.endpoints.set(ns, ep);
    this.program(ep);
    await ep.queue;
  }

  /** Forgets an endpoint whose namespace is gone (its rules went with it) and removes its files. */
  async detachEndpoint(ns: string): Promise<void> {
    const ep = this.endpoints.get(ns);
    this.endpoints.delete(ns);
    await ep?.queue;
    await rm(this.nsDir(ns), { recursive: true, force: true });
  }

  /** Waits for the balancer work queued so far (tests, shutdown). */
  async settled(): Promise<void> {
    await Promise.all([...this.endpoints.values()].map((e) => e.queue));
  }

  async close(): Promise<void> {
    if (this.reload) clearInterval(this.reload);
    await this.settled();
    for (const id of [...this.sandboxes.keys()]) await this.detachSandbox(id);
    await (await this.resolver)?.close();
  }

  private nsDir(ns: string): string {
    if (!/^[A-Za-z0-9_.-]+$/.test(ns)) throw new ShoalError('INVALID_ARGUMENT', `namespace name "${ns}" is not valid`);
    return `${this.opts.netnsEtcDir ?? '/etc/netns'}/${ns}`;
  }

  /** Queues reprogramming the endpoint's VIP rules, if what its networks need changed. */
  private program(ep: Endpoint): void {
    ep.queue = ep.queue.then(async () => {
      if (this.endpoints.get(ep.ns) !== ep) return; // detached meanwhile
      // Before the session's complete set (a restarted daemon adopting its endpoints, or a session
      // that ended), the table is empty: applying it would cut every VIP flow. Keep the rules as
      // they are; the complete set's apply() reprograms every endpoint.
      if (!this.receiver.ready) return;
      const table = this.receiver.table();
      const entries = ep.networkIds.flatMap((id) => {
        const network = table.records(id);
        return network ? vipBackends(network) : [];
      });
      const json = JSON.stringify(entries);
      if (json === ep.applied) return;
      try {
        await applyVips(ep.ns, entries);
        ep.applied = json;
      } catch (e) {
        this.opts.onError?.(`programming the VIPs in ${ep.ns}`, e);
      }
    });
  }
}
