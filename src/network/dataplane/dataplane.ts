/**
 * A node's data plane at run time: holds the inputs (local endpoints from the
 * executor, peer tables from the dispatcher), and reconciles the namespaces,
 * links, entries and rules to them — after every change (coalesced: one
 * reconcile at a time, the next one covers every change made meanwhile),
 * after an error (retried), and periodically (a sandbox deleted by hand comes
 * back). Peer tables are saved to a file, so a restarted daemon reconciles
 * against the last tables it had instead of wiping entries before the
 * dispatcher's complete set arrives: running tasks stay reachable.
 */
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import type { Logger } from '../../node/logger.js';
import { readActual, listNamespaces } from './actual.js';
import { desiredState } from './desired.js';
import { planChanges } from './diff.js';
import { ip, run, runStep, type HostNs } from './exec.js';
import type { Firewall } from './firewall/firewall.js';
import { nftables } from './firewall/nftables.js';
import { BACKENDS } from './firewall/select.js';
import type { ActualState, DesiredState, EndpointInput, PeerInput, Step } from './model.js';
import { addressClash } from './address-gate.js';
import { EGRESS_IF_PREFIX, taskNs, VXLAN_TMP_PREFIX } from './names.js';

/** A full reconcile this often even without changes. */
export const RESYNC_MS = 5_000;
/** First retry after a failed reconcile; doubles up to RESYNC_MS. */
const RETRY_MIN_MS = 200;
/** How long an attach waits for the previous local holder of its address: a container's stop grace (10 s) and then some. */
export const HANDOVER_WAIT_MS = 30_000;
/** Bound on peers kept per node (all networks). */
const PEERS_MAX = 1_000_000;

export interface DataPlaneOptions {
  /** Namespace-name prefix of this node (names.ts nodeTag). */
  readonly tag: string;
  readonly port: number;
  readonly mtu: number;
  readonly localVtep: string;
  readonly hostNs?: HostNs;
  /** The firewall backend (firewall/select.ts picks it at start); default nftables. */
  readonly firewall?: Firewall;
  readonly log?: Logger;
  /** Where the peer tables are kept between runs; none = memory only. */
  readonly stateFile?: string;
  readonly resyncMs?: number;
  /** Log every reconcile that did work, with the time of its read, each step and the names (SHOAL_DATA_PLANE_TRACE=1). */
  readonly trace?: boolean;
  /** How long an attach waits for another local owner of its address to go (default HANDOVER_WAIT_MS). */
  readonly handOverWaitMs?: number;
}

/**
 * The node's service discovery (src/worker/node-names.ts), told about sandboxes and task
 * namespaces as reconciles create, adopt and remove them (docs/design/dns.md).
 */
export interface DataPlaneNames {
  attachSandbox(networkId: string, ns: string, gateway: string): Promise<void>;
  detachSandbox(networkId: string): Promise<void>;
  attachEndpoint(ns: string, networkIds: readonly string[], gateway: string): Promise<void>;
  detachEndpoint(ns: string): Promise<void>;
}

export interface ReconcileStats {
  readonly steps: number;
  readonly ms: number;
}

export class DataPlane {
  private readonly endpoints = new Map<string, readonly EndpointInput[]>();
  private readonly peers = new Map<string, PeerInput>();
  private readonly internal = new Set<string>();
  /** Attaches waiting for an address another owner still holds (woken by every detach). */
  private readonly released: (() => void)[] = [];
  private current: Promise<ReconcileStats> | null = null;
  private next: Promise<ReconcileStats> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private retryMs = RETRY_MIN_MS;
  private closed = false;
  /** Until start(), only awaited attaches reconcile: a restarted agent registers its surviving tasks first. */
  private started = false;
  private port: number;
  private names: DataPlaneNames | null = null;
  /** Sandboxes whose resolver listener is up: network ID -> sandbox namespace. */
  private readonly namedSandboxes = new Map<string, string>();
  /** Task namespaces prepared for names (resolv.conf, VIP rules). */
  private readonly namedEndpoints = new Set<string>();
  /** Sandboxes and task namespaces whose names are being prepared right now (not twice at once). */
  private readonly namingNow = new Set<string>();
  /** The last reconcile's outcome, for `shoal info`. */
  lastError = '';
  reconciles = 0;

  constructor(private readonly opts: DataPlaneOptions) {
    this.port = opts.port;
    this.load();
  }

  /** The cluster's VXLAN port (from the session); sandboxes on another port are rebuilt. */
  setPort(port: number): void {
    if (port === this.port || port <= 0) return;
    this.port = port;
    this.kick();
  }

  /** Service discovery to keep in step with the sandboxes and task namespaces (set before start()). */
  setNames(names: DataPlaneNames): void {
    this.names = names;
  }

  get hostNs(): HostNs {
    return this.opts.hostNs ?? null;
  }

  /** Starts the periodic reconcile (the first one at once). */
  start(): void {
    this.started = true;
    this.schedule(0);
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** The namespace a task runs in once `attach` resolved. */
  taskNamespace(ownerId: string): string {
    return taskNs(this.opts.tag, ownerId);
  }

  /**
   * Gives a task its namespace and interfaces; resolves when they exist. An address another
   * owner here still holds on the same network (a container whose address a task took over) is
   * waited for: its owner is stopped and detached first, and the reconcile that builds this
   * endpoint removes the old one before (removals come first), so the address is never live on
   * two interfaces. Rejects, building nothing, if the holder is still there after `handOverWaitMs`.
   */
  async attach(ownerId: string, endpoints: readonly EndpointInput[]): Promise<ReconcileStats> {
    const deadline = Date.now() + (this.opts.handOverWaitMs ?? HANDOVER_WAIT_MS);
    for (let clash = addressClash(this.endpoints, ownerId, endpoints); clash !== null; clash = addressClash(this.endpoints, ownerId, endpoints)) {
      const left = deadline - Date.now();
      if (left <= 0 || this.closed) {
        throw new Error(`address ${clash.ip} on network ${clash.networkId} is still held by ${clash.holder} on this node (waited ${Math.round((this.opts.handOverWaitMs ?? HANDOVER_WAIT_MS) / 1000)} s for it to stop)`);
      }
      this.opts.log?.info('dataplane-handover-wait', { owner: ownerId, holder: clash.holder, ip: clash.ip });
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, left);
        function done(): void {
          clearTimeout(timer);
          resolve();
        }
        this.released.push(done);
      });
    }
    this.endpoints.set(ownerId, endpoints);
    return this.sync();
  }

  /** Adopted after a restart: the task's namespace should exist already; reconcile checks it. */
  adopt(ownerId: string, endpoints: readonly EndpointInput[]): void {
    this.endpoints.set(ownerId, endpoints);
    this.kick();
  }

  /** The task ended: its namespace (and a sandbox it was the last user of) goes. */
  detach(ownerId: string): void {
    if (!this.endpoints.delete(ownerId)) return;
    // Attaches waiting for one of its addresses go first: their sync then covers this removal too.
    for (const wake of this.released.splice(0)) wake();
    this.kick();
  }

  hasTask(ownerId: string): boolean {
    return this.endpoints.has(ownerId);
  }

  /** A complete peer table (replaces every peer). */
  replacePeers(peers: ReadonlyMap<string, PeerInput>, internal: ReadonlySet<string>): void {
    this.peers.clear();
    for (const [id, p] of peers) this.peers.set(id, p);
    this.internal.clear();
    for (const n of internal) this.internal.add(n);
    this.save();
    this.kick();
  }

  /** Incremental changes to the peer table. */
  updatePeers(upserts: ReadonlyMap<string, PeerInput>, removals: readonly string[], internal?: { readonly add: readonly string[]; readonly remove: readonly string[] }): void {
    for (const id of removals) this.peers.delete(id);
    for (const [id, p] of upserts) if (this.peers.size < PEERS_MAX || this.peers.has(id)) this.peers.set(id, p);
    for (const n of internal?.add ?? []) this.internal.add(n);
    for (const n of internal?.remove ?? []) this.internal.delete(n);
    this.save();
    this.kick();
  }

  peerCount(): number {
    return this.peers.size;
  }

  /** Reconciles now (coalesced with one already running); rejects if it failed. */
  sync(): Promise<ReconcileStats> {
    if (this.next) return this.next;
    if (!this.current) {
      this.current = this.reconcile().finally(() => {
        this.current = null;
      });
      return this.current;
    }
    this.next = this.current
      .catch(() => undefined)
      .then(() => {
        this.next = null;
        return this.sync();
      });
    return this.next;
  }

  private kick(): void {
    if (!this.started || this.closed) return;
    this.sync().catch(() => undefined); // reconcile() logs and schedules the retry
  }

  private schedule(ms: number): void {
    if (this.closed) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.kick();
    }, ms);
  }

  private async reconcile(): Promise<ReconcileStats> {
    const started = Date.now();
    const hostNs = this.hostNs;
    // The endpoints this reconcile builds: an attach arriving meanwhile waits for the next one.
    const endpoints = new Map(this.endpoints);
    try {
      const desired = desiredState({
        tag: this.opts.tag,
        port: this.port,
        mtu: this.opts.mtu,
        localVtep: this.opts.localVtep,
        endpoints: [...endpoints.values()].flat(),
        peers: [...this.peers.values()],
        internal: this.internal,
      });
      const firewall = this.opts.firewall ?? nftables;
      const actual = await readActual(hostNs, this.opts.tag, firewall);
      const readAt = Date.now();
      const steps = planChanges(desired, actual, firewall);
      await this.namesBefore(desired, actual, steps);
      const timings: string[] = [];
      // Names of namespaces a step made ready are prepared while the next steps run (they cost a
      // process or two each); all of it is awaited before this reconcile, and so `attach`, resolves.
      const early: Promise<void>[] = [];
      try {
        for (const s of steps) {
          const t = Date.now();
          await runStep(hostNs, s);
          if (this.opts.trace) timings.push(`${s.tool}:${Date.now() - t}`);
          if (s.readies) early.push(this.namesAfter(desired, endpoints, new Set(s.readies)));
        }
      } finally {
        await Promise.all(early);
      }
      const namesAt = Date.now();
      await this.namesAfter(desired, endpoints);
      if (this.opts.trace && steps.length > 0) {
        this.opts.log?.info('dataplane-reconcile', { startedMs: started, readMs: readAt - started, steps: timings.join(','), namesMs: Date.now() - namesAt, totalMs: Date.now() - started });
      }
      this.reconciles++;
      this.lastError = '';
      this.retryMs = RETRY_MIN_MS;
      this.schedule(this.opts.resyncMs ?? RESYNC_MS);
      return { steps: steps.length, ms: Date.now() - started };
    } catch (e) {
      this.lastError = e instanceof Error ? e.message : String(e);
      this.opts.log?.warn('dataplane-reconcile-failed', { error: this.lastError, retryMs: this.retryMs });
      this.schedule(this.retryMs);
      this.retryMs = Math.min(this.opts.resyncMs ?? RESYNC_MS, this.retryMs * 2);
      throw e;
    }
  }

  /**
   * Resolver listeners leave a sandbox before it is removed or rebuilt (a socket would keep the
   * old namespace alive), and a sandbox deleted by hand (the listener is in the unnamed old one).
   */
  private async namesBefore(desired: DesiredState, actual: ActualState, steps: readonly Step[]): Promise<void> {
    if (!this.names) return;
    const deleted = new Set(steps.filter((s) => s.tool === 'netns').flatMap((s) => s.lines.filter((l) => l.startsWith('del ')).map((l) => l.slice(4))));
    for (const [networkId, ns] of [...this.namedSandboxes]) {
      if (desired.sandboxes.get(ns)?.networkId === networkId && actual.namespaces.has(ns) && !deleted.has(ns)) continue;
      this.namedSandboxes.delete(networkId);
      await this.names.detachSandbox(networkId);
    }
  }

  /**
   * After the namespaces exist: a listener in every sandbox (also adopted ones after a restart),
   * resolv.conf and VIP rules in every task namespace, before `attach` resolves and the task
   * starts; files of task namespaces that went are removed. A failure is logged and retried by
   * the next reconcile; the network itself works without names.
   */
  private async namesAfter(desired: DesiredState, endpoints: ReadonlyMap<string, readonly EndpointInput[]>, only?: ReadonlySet<string>): Promise<void> {
    const names = this.names;
    if (!names || this.closed) return;
    const work: Promise<void>[] = [];
    if (!only) {
      for (const ns of [...this.namedEndpoints]) {
        if (desired.taskNamespaces.has(ns)) continue;
        this.namedEndpoints.delete(ns);
        work.push(names.detachEndpoint(ns).catch((e: unknown) => this.namesFailed(`forgetting ${ns}`, e)));
      }
    }
    // Each sandbox and endpoint on its own (a resolver start is a process): side by side.
    for (const s of desired.sandboxes.values()) {
      if (this.namedSandboxes.has(s.networkId) || this.namingNow.has(s.ns) || (only && !only.has(s.ns))) continue;
      this.namingNow.add(s.ns);
      work.push(
        names
          .attachSandbox(s.networkId, s.ns, s.gatewayCidr.split('/')[0]!)
          .then(() => void this.namedSandboxes.set(s.networkId, s.ns))
          .catch((e: unknown) => this.namesFailed(`starting the resolver in ${s.ns}`, e))
          .finally(() => this.namingNow.delete(s.ns)),
      );
    }
    for (const [ownerId, eps] of endpoints) {
      const ns = taskNs(this.opts.tag, ownerId);
      if (this.namedEndpoints.has(ns) || this.namingNow.has(ns) || !desired.taskNamespaces.has(ns) || (only && !only.has(ns))) continue;
      const ordered = [...eps].sort((a, b) => a.index - b.index);
      this.namingNow.add(ns);
      work.push(
        names
          .attachEndpoint(ns, ordered.map((e) => e.networkId), ordered[0]!.gateway)
          .then(() => void this.namedEndpoints.add(ns))
          .catch((e: unknown) => this.namesFailed(`preparing names in ${ns}`, e))
          .finally(() => this.namingNow.delete(ns)),
      );
    }
    await Promise.all(work);
  }

  private namesFailed(what: string, e: unknown): void {
    this.opts.log?.warn('dataplane-names-failed', { what, error: e instanceof Error ? e.message : String(e) });
  }

  private save(): void {
    if (!this.opts.stateFile) return;
    const tmp = `${this.opts.stateFile}.tmp`;
    writeFileSync(tmp, JSON.stringify({ peers: [...this.peers], internal: [...this.internal] }));
    renameSync(tmp, this.opts.stateFile);
  }

  private load(): void {
    if (!this.opts.stateFile) return;
    try {
      const s = JSON.parse(readFileSync(this.opts.stateFile, 'utf8')) as { peers?: [string, PeerInput][]; internal?: string[] };
      for (const [id, p] of s.peers ?? []) this.peers.set(id, p);
      for (const n of s.internal ?? []) this.internal.add(n);
    } catch {
      // none saved yet (or unreadable: the dispatcher's complete set replaces it soon)
    }
  }
}

/**
 * Removes everything a node's data plane made (after `leave`): its namespaces
 * (vxlan0 first), host-side links, and the host rules if no other node's
 * namespaces remain on this host — of every firewall backend present, so rules
 * left by a start with the other backend go too.
 */
export async function removeDataPlane(hostNs: HostNs, tag: string): Promise<number> {
  const namespaces = await listNamespaces(hostNs, tag);
  for (const ns of namespaces) {
    if (ns.startsWith(`${tag}sb-`)) await ip(hostNs, ns, ['link', 'del', 'vxlan0']).catch(() => undefined);
    await ip(null, null, ['netns', 'del', ns]).catch(() => undefined);
    rmSync(`/etc/netns/${ns}`, { recursive: true, force: true }); // its resolv.conf (service discovery)
  }
  const links = JSON.parse(await ip(hostNs, null, ['-j', 'link', 'show'])) as { ifname: string }[];
  for (const l of links) {
    if (l.ifname.startsWith(EGRESS_IF_PREFIX) || l.ifname.startsWith(VXLAN_TMP_PREFIX)) await ip(hostNs, null, ['link', 'del', l.ifname]).catch(() => undefined);
  }
  const others = await listNamespaces(hostNs, 'shoal-');
  if (others.length === 0) {
    for (const fw of BACKENDS) {
      if (!(await run(fw.command, ['--version']).then(() => true, () => false))) continue;
      const have = await fw.readHost(hostNs).catch(() => []);
      for (const step of fw.planHost(false, have)) await runStep(hostNs, step).catch(() => undefined);
    }
  }
  return namespaces.length;
}
