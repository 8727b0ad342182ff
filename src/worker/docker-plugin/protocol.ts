/**
 * Docker's legacy network and IPAM plugin protocol (moby libnetwork `docs/remote.md` and
 * `docs/ipam.md`), answered from Shoal: each handler takes the decoded JSON body and returns the
 * reply body. Transport (HTTP over the unix socket) is in server.ts; the cluster behind the
 * `ShoalPort`, Docker's own view behind `DockerView`, the interfaces behind `EndpointLinks`.
 *
 * Mapping (see docs/design/docker-plugin.md):
 * - a Docker network of this driver is an existing attachable Shoal network: RequestPool picks it
 *   by `--ipam-opt shoal.network=NAME` or by `--subnet` (Docker does not tell an IPAM driver the
 *   network's name), and answers with Shoal's subnet and gateway; PoolID = "shoal/<network id>";
 * - RequestAddress (which carries no container identity) reserves a Shoal address for a fresh
 *   container ID; CreateEndpoint claims the reservation by address; after Join the container is
 *   looked up in Docker (its endpoint ID) and recorded as a standalone container holding the
 *   reservation; DeleteEndpoint removes the record (and frees the address); ReleaseAddress frees
 *   a reservation no endpoint claimed.
 *
 * IPAM replies carry errors under "Error", network driver replies under "Err" (Docker ignores
 * "Err" from an IPAM driver and says only "No address returned").
 */
import { ShoalError } from '../../errors.js';
import { newObjectId } from '../../node/ids.js';
import { macOf } from '../../network/dataplane/names.js';
import type { PluginState, EndpointState } from './state.js';
import { DOCKER_ENDPOINT_LABEL, DOCKER_ID_LABEL, DOCKER_NETWORK_LABEL, type ShoalNetwork, type ShoalPort } from './shoal-port.js';

/** The option (`--ipam-opt` for the IPAM driver, `-o` for the network driver) naming the Shoal network. */
export const NETWORK_OPTION = 'shoal.network';
const GATEWAY_REQUEST = 'com.docker.network.gateway';
const GENERIC_OPTIONS = 'com.docker.network.generic';
export const POOL_PREFIX = 'shoal/';
/** How long an address handed to Docker stays reserved before an endpoint claims it. */
export const RESERVATION_TTL_MS = 300_000;

export interface DockerContainerInfo {
  readonly dockerId: string;
  readonly name: string;
  readonly image: string;
  /** Docker's labels (compose's `com.docker.compose.*` among them). */
  readonly labels?: Readonly<Record<string, string>>;
}

export interface DockerView {
  /** The container holding endpoint `endpointId` of Docker network `dockerNetworkId`, once Docker shows it; null if none (yet). */
  endpointOwner(dockerNetworkId: string, endpointId: string): Promise<DockerContainerInfo | null>;
  /** Stops a container for good (no restart by its policy), with its own stop grace; gone already is fine. */
  stopForGood(dockerId: string): Promise<void>;
}

/** Compose's labels copied onto the record, so `stack deploy --adopt` finds a compose container by its service. */
export const COMPOSE_LABELS = ['com.docker.compose.project', 'com.docker.compose.service', 'com.docker.compose.container-number'] as const;

export interface EndpointLink {
  readonly ownerId: string;
  readonly network: ShoalNetwork;
  /** "10.0.1.5/24" */
  readonly address: string;
}

export interface EndpointLinks {
  /** Makes the endpoint's veth pair; resolves with the name of the end Docker moves into the container. */
  join(ep: EndpointLink): Promise<string>;
  /** The endpoint went (DeleteEndpoint): its link goes. */
  leave(ownerId: string): Promise<void>;
}

export interface PluginDeps {
  readonly shoal: ShoalPort;
  readonly docker: DockerView;
  readonly links: EndpointLinks;
  readonly state: PluginState;
  readonly log?: (event: string, fields: Record<string, string | number>) => void;
  /** How long bind waits for Docker to show the endpoint's container (ms). */
  readonly bindTimeoutMs?: number;
}

export type Reply = Record<string, unknown>;
type Body = Record<string, unknown>;

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const obj = (v: unknown): Body => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Body) : {});
const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export function prefixOf(cidr: string): string {
  return cidr.split('/')[1] ?? '32';
}

function networkIdOfPool(poolId: string): string {
  if (!poolId.startsWith(POOL_PREFIX)) throw new ShoalError('INVALID_ARGUMENT', `pool "${poolId}" is not a Shoal pool (expected ${POOL_PREFIX}<network id>)`);
  return poolId.slice(POOL_PREFIX.length);
}

/** Refuses a Shoal network Docker containers may not join, with the allocator's own words. */
function requireAttachable(n: ShoalNetwork): void {
  if (!n.attachable) throw new ShoalError('FAILED_PRECONDITION', `network "${n.name}" is not attachable; create it with --attachable`);
}

export class DockerPlugin {
  /** Endpoint binds in flight (endpoint ID -> promise), so tests and shutdown can wait for them. */
  readonly binding = new Map<string, Promise<void>>();
  /** Endpoints being deleted: their bind stops waiting for Docker. */
  private readonly cancelled = new Set<string>();
  /** Stops in flight of handed-over endpoints' containers (endpoint ID -> promise). */
  readonly stopping = new Map<string, Promise<void>>();

  constructor(private readonly deps: PluginDeps) {}

  /** Dispatches one plugin call; unknown methods are null (the server answers 404). */
  async handle(method: string, body: unknown): Promise<Reply | null> {
    const b = obj(body);
    switch (method) {
      case '/Plugin.Activate':
        return { Implements: ['NetworkDriver', 'IpamDriver'] };
      case '/NetworkDriver.GetCapabilities':
        return { Scope: 'local', ConnectivityScope: 'global' };
      case '/NetworkDriver.CreateNetwork':
        return this.driver(() => this.createNetwork(b));
      case '/NetworkDriver.DeleteNetwork':
        return this.driver(() => this.deleteNetwork(b));
      case '/NetworkDriver.CreateEndpoint':
        return this.driver(() => this.createEndpoint(b));
      case '/NetworkDriver.Join':
        return this.driver(() => this.join(b));
      case '/NetworkDriver.Leave':
        return {};
      case '/NetworkDriver.DeleteEndpoint':
        return this.driver(() => this.deleteEndpoint(b));
      case '/NetworkDriver.EndpointOperInfo':
        return { Value: {} };
      case '/NetworkDriver.DiscoverNew':
      case '/NetworkDriver.DiscoverDelete':
      case '/NetworkDriver.ProgramExternalConnectivity':
      case '/NetworkDriver.RevokeExternalConnectivity':
        return {};
      case '/IpamDriver.GetCapabilities':
        return { RequiresMACAddress: false, RequiresRequestReplay: false };
      case '/IpamDriver.GetDefaultAddressSpaces':
        return { LocalDefaultAddressSpace: 'shoal', GlobalDefaultAddressSpace: 'shoal' };
      case '/IpamDriver.RequestPool':
        return this.ipam(() => this.requestPool(b));
      case '/IpamDriver.ReleasePool':
        return {};
      case '/IpamDriver.RequestAddress':
        return this.ipam(() => this.requestAddress(b));
      case '/IpamDriver.ReleaseAddress':
        return this.ipam(() => this.releaseAddress(b));
      default:
        return null;
    }
  }

  private async driver(fn: () => Promise<Reply> | Reply): Promise<Reply> {
    try {
      return await fn();
    } catch (e) {
      return { Err: message(e) };
    }
  }

  private async ipam(fn: () => Promise<Reply>): Promise<Reply> {
    try {
      return await fn();
    } catch (e) {
      return { Error: message(e) };
    }
  }

  // --- IPAM ------------------------------------------------------------------------------------

  private async requestPool(b: Body): Promise<Reply> {
    if (b['V6'] === true) throw new ShoalError('INVALID_ARGUMENT', 'Shoal networks are IPv4 only: create the Docker network without --ipv6');
    const named = str(obj(b['Options'])[NETWORK_OPTION]).trim();
    const pool = str(b['Pool']).trim();
    const n = await this.pickNetwork(named, pool);
    const sub = str(b['SubPool']).trim();
    if (sub !== '' && sub !== n.subnet) throw new ShoalError('INVALID_ARGUMENT', `--ip-range ${sub} is not used: Shoal network "${n.name}" allocates from its own range; create the Docker network without --ip-range`);
    return { PoolID: `${POOL_PREFIX}${n.id}`, Pool: n.subnet, Data: { [GATEWAY_REQUEST]: `${n.gateway}/${prefixOf(n.subnet)}` } };
  }

  /** The Shoal network a Docker network maps to: named, or found by its subnet. */
  private async pickNetwork(named: string, pool: string): Promise<ShoalNetwork> {
    if (named !== '') {
      const n = await this.deps.shoal.network(named);
      if (pool !== '' && pool !== n.subnet) {
        throw new ShoalError('INVALID_ARGUMENT', `--subnet ${pool} disagrees with Shoal network "${n.name}", whose subnet is ${n.subnet}: leave --subnet out or give ${n.subnet}`);
      }
      requireAttachable(n);
      return n;
    }
    const all = await this.deps.shoal.networks();
    const listing = all.filter((n) => n.attachable).map((n) => `${n.name} ${n.subnet}`).join(', ') || 'none';
    if (pool === '') {
      throw new ShoalError(
        'INVALID_ARGUMENT',
        `name the Shoal network: --ipam-opt ${NETWORK_OPTION}=NAME or --subnet SUBNET (Docker does not tell an IPAM driver the network's name; attachable Shoal networks: ${listing})`,
      );
    }
    const n = all.find((x) => x.subnet === pool);
    if (!n) throw new ShoalError('NOT_FOUND', `no Shoal network has subnet ${pool} (attachable Shoal networks: ${listing})`);
    requireAttachable(n);
    return n;
  }

  private async requestAddress(b: Body): Promise<Reply> {
    const networkId = networkIdOfPool(str(b['PoolID']));
    const n = await this.deps.shoal.network(networkId);
    const wanted = str(b['Address']).trim();
    const prefix = prefixOf(n.subnet);
    if (str(obj(b['Options'])['RequestAddressType']) === GATEWAY_REQUEST) {
      if (wanted !== '' && wanted !== n.gateway) {
        throw new ShoalError('INVALID_ARGUMENT', `--gateway ${wanted} disagrees with Shoal network "${n.name}", whose gateway is ${n.gateway}`);
      }
      return { Address: `${n.gateway}/${prefix}`, Data: {} };
    }
    requireAttachable(n);
    const ownerId = newObjectId();
    const r = await this.deps.shoal.reserve(n.id, ownerId, wanted, RESERVATION_TTL_MS);
    const ip = r.address.split('/')[0] ?? '';
    this.deps.state.data.pending.push({ networkId: n.id, ip, attachmentId: r.attachmentId, ownerId, at: Date.now() });
    this.deps.state.save();
    return { Address: r.address, Data: {} };
  }

  private async releaseAddress(b: Body): Promise<Reply> {
    const networkId = networkIdOfPool(str(b['PoolID']));
    const ip = str(b['Address']).split('/')[0] ?? '';
    const pending = this.deps.state.takePending(networkId, ip);
    if (pending) {
      await this.deps.shoal.release(pending.attachmentId);
      this.deps.state.save();
      return {};
    }
    // An endpoint whose DeleteEndpoint never came (or failed): free it now.
    const ep = this.deps.state.endpointAt(networkId, ip);
    if (ep) await this.forget(ep);
    return {}; // the gateway, or an address already freed at DeleteEndpoint
  }

  // --- network driver ---------------------------------------------------------------------------

  private async createNetwork(b: Body): Promise<Reply> {
    const dockerNetworkId = str(b['NetworkID']);
    const v4 = Array.isArray(b['IPv4Data']) ? (b['IPv4Data'] as unknown[]).map(obj) : [];
    const pool = str(v4[0]?.['Pool']);
    const named = str(obj(obj(b['Options'])[GENERIC_OPTIONS])[NETWORK_OPTION]).trim();
    if (v4.length !== 1 || pool === '') throw new ShoalError('INVALID_ARGUMENT', 'a Shoal network has exactly one IPv4 subnet');
    let n: ShoalNetwork;
    if (named !== '') {
      n = await this.deps.shoal.network(named);
      if (pool !== n.subnet) {
        throw new ShoalError('INVALID_ARGUMENT', `subnet ${pool} disagrees with Shoal network "${n.name}", whose subnet is ${n.subnet}: use --ipam-driver with this driver and leave --subnet out`);
      }
    } else {
      const found = (await this.deps.shoal.networks()).find((x) => x.subnet === pool);
      if (!found) throw new ShoalError('NOT_FOUND', `no Shoal network has subnet ${pool}: create the Docker network with --ipam-driver set to this driver too`);
      n = found;
    }
    requireAttachable(n);
    const gw = str(v4[0]?.['Gateway']).split('/')[0];
    if (gw !== '' && gw !== n.gateway) throw new ShoalError('INVALID_ARGUMENT', `gateway ${gw} disagrees with Shoal network "${n.name}", whose gateway is ${n.gateway}`);
    this.deps.state.data.networks[dockerNetworkId] = n.id;
    this.deps.state.save();
    return {};
  }

  private deleteNetwork(b: Body): Reply {
    delete this.deps.state.data.networks[str(b['NetworkID'])];
    this.deps.state.save();
    return {};
  }

  /** The Shoal network of a Docker network (by its remembered mapping, else by a pending address on it). */
  private networkOf(dockerNetworkId: string): string {
    const id = this.deps.state.data.networks[dockerNetworkId];
    if (!id) throw new ShoalError('NOT_FOUND', `Docker network ${dockerNetworkId.slice(0, 12)} is not known to this node's Shoal plugin (was it created while the plugin's state was lost?): recreate it`);
    return id;
  }

  private createEndpoint(b: Body): Reply {
    const endpointId = str(b['EndpointID']);
    const dockerNetworkId = str(b['NetworkID']);
    const iface = obj(b['Interface']);
    const address = str(iface['Address']);
    const ip = address.split('/')[0] ?? '';
    if (ip === '') throw new ShoalError('INVALID_ARGUMENT', 'the endpoint has no IPv4 address: the Docker network must use this IPAM driver too (--ipam-driver)');
    const networkId = this.networkOf(dockerNetworkId);
    const existing = this.deps.state.data.endpoints[endpointId];
    if (!existing) {
      const pending = this.deps.state.takePending(networkId, ip);
      if (!pending) throw new ShoalError('FAILED_PRECONDITION', `address ${ip} was not handed out by this node's Shoal plugin (or its reservation lapsed): connect the container again`);
      this.deps.state.data.endpoints[endpointId] = { endpointId, dockerNetworkId, networkId, address, attachmentId: pending.attachmentId, ownerId: pending.ownerId, recorded: false, joined: false, createdAt: Date.now() };
      this.deps.state.save();
    }
    // The data plane's peers know this endpoint by Docker's MAC derivation from its address.
    return str(iface['MacAddress']) === '' ? { Interface: { MacAddress: macOf(ip) } } : { Interface: {} };
  }

  private async join(b: Body): Promise<Reply> {
    const endpointId = str(b['EndpointID']);
    const ep = this.deps.state.data.endpoints[endpointId];
    if (!ep) throw new ShoalError('NOT_FOUND', `endpoint ${endpointId.slice(0, 12)} is not known to this node's Shoal plugin`);
    const n = await this.deps.shoal.network(ep.networkId);
    const srcName = await this.deps.links.join({ ownerId: ep.ownerId, network: n, address: ep.address });
    ep.joined = true;
    ep.vni = n.vxlanId;
    ep.gateway = n.gateway;
    this.deps.state.save();
    this.startBind(ep);
    return { InterfaceName: { SrcName: srcName, DstPrefix: 'eth' }, Gateway: n.gateway };
  }

  private async deleteEndpoint(b: Body): Promise<Reply> {
    const ep = this.deps.state.data.endpoints[str(b['EndpointID'])];
    if (ep) await this.forget(ep);
    return {};
  }

  /**
   * The endpoint is gone from Docker: its record (or bare reservation) and its link go. A handed-over
   * endpoint's attachment is a task's now (same row, same ID): nothing is freed, only the link goes.
   */
  async forget(ep: EndpointState): Promise<void> {
    this.cancelled.add(ep.endpointId);
    try {
      await this.binding.get(ep.endpointId)?.catch(() => undefined);
    } finally {
      this.cancelled.delete(ep.endpointId);
    }
    if (ep.handedOver) {
      // the record went with the store's hand-over; releasing the attachment would free the task's address
    } else if (ep.recorded) await this.deps.shoal.remove(ep.ownerId);
    else await this.deps.shoal.release(ep.attachmentId);
    await this.deps.links.leave(ep.ownerId);
    delete this.deps.state.data.endpoints[ep.endpointId];
    this.deps.state.save();
  }

  // --- the move into a service (stack deploy --adopt) ---------------------------------------------

  /**
   * The attachments this node's service tasks hold (from the agent's assignments). An endpoint
   * whose attachment is among them was handed over by the store (`service.create` with
   * adopt_container re-owned the row): its Docker container is stopped, and the data plane's gate
   * holds the task's interface until Docker has let the endpoint go. Returns how many were found.
   */
  handOver(taskAttachmentIds: ReadonlySet<string>): number {
    let found = 0;
    for (const ep of Object.values(this.deps.state.data.endpoints)) {
      if (ep.handedOver || !taskAttachmentIds.has(ep.attachmentId)) continue;
      ep.handedOver = true;
      this.deps.state.save();
      this.startStop(ep);
      found++;
    }
    return found;
  }

  /** Stops a handed-over endpoint's container once (again, from the reconcile, if Docker refused). */
  startStop(ep: EndpointState): void {
    if (!ep.handedOver || this.stopping.has(ep.endpointId)) return;
    const p = (async () => {
      const dockerId = ep.dockerId ?? (await this.deps.docker.endpointOwner(ep.dockerNetworkId, ep.endpointId))?.dockerId;
      if (dockerId === undefined) return; // Docker shows no container for it: nothing left to stop
      await this.deps.docker.stopForGood(dockerId);
      this.deps.log?.('docker-plugin-handed-over', { endpoint: ep.endpointId.slice(0, 12), container: dockerId.slice(0, 12), address: ep.address });
    })()
      .catch((e: unknown) => this.deps.log?.('docker-plugin-handover-stop-failed', { endpoint: ep.endpointId.slice(0, 12), error: message(e) }))
      .finally(() => this.stopping.delete(ep.endpointId));
    this.stopping.set(ep.endpointId, p);
  }

  // --- records ----------------------------------------------------------------------------------

  /** Records the endpoint's container in the background (Docker shows it only once Join returned). */
  startBind(ep: EndpointState): void {
    if (ep.recorded || this.binding.has(ep.endpointId)) return;
    const p = this.bind(ep)
      .catch((e: unknown) => this.deps.log?.('docker-plugin-bind-failed', { endpoint: ep.endpointId.slice(0, 12), error: message(e) }))
      .finally(() => this.binding.delete(ep.endpointId));
    this.binding.set(ep.endpointId, p);
  }

  /**
   * Records the container with the endpoint's attachment. An attachment that is gone (its
   * reservation lapsed while the node daemon was down, or the record was removed by hand while
   * Docker kept the container) is made again for the same address the container already uses.
   */
  private async recordOnce(ep: EndpointState, name: string, image: string, labels: Record<string, string>, requestId: string): Promise<void> {
    try {
      await this.deps.shoal.record({ name, image, attachmentId: ep.attachmentId, labels, requestId });
    } catch (e) {
      if (!(e instanceof ShoalError && e.code === 'NOT_FOUND' && e.message.includes('attachment'))) throw e;
      const attempt = `${Date.now().toString(36)}`; // a new request: the first reservation's ID would answer with the lapsed one
      const again = await this.deps.shoal.reserve(ep.networkId, ep.ownerId, ep.address.split('/')[0] ?? '', RESERVATION_TTL_MS, `docker-reserve-${ep.ownerId}-${attempt}`);
      ep.attachmentId = again.attachmentId;
      this.deps.state.save();
      await this.deps.shoal.record({ name, image, attachmentId: ep.attachmentId, labels, requestId: `${requestId}-${attempt}` });
    }
  }

  private async bind(ep: EndpointState): Promise<void> {
    const deadline = Date.now() + (this.deps.bindTimeoutMs ?? 60_000);
    let owner: DockerContainerInfo | null = null;
    for (let wait = 50; ; wait = Math.min(1_000, wait * 2)) {
      if (this.cancelled.has(ep.endpointId) || this.deps.state.data.endpoints[ep.endpointId] !== ep) return; // being deleted
      owner = await this.deps.docker.endpointOwner(ep.dockerNetworkId, ep.endpointId).catch(() => null);
      if (owner) break;
      if (Date.now() > deadline) throw new ShoalError('DEADLINE_EXCEEDED', `Docker shows no container for endpoint ${ep.endpointId.slice(0, 12)}`);
      await sleep(wait);
    }
    const compose = Object.fromEntries(COMPOSE_LABELS.flatMap((k) => (owner.labels?.[k] !== undefined ? [[k, owner.labels[k]]] : [])));
    const labels = { ...compose, [DOCKER_ID_LABEL]: owner.dockerId, [DOCKER_ENDPOINT_LABEL]: ep.endpointId, [DOCKER_NETWORK_LABEL]: ep.dockerNetworkId };
    ep.dockerId = owner.dockerId;
    const requestId = `docker-${ep.endpointId.slice(0, 64)}${ep.rebinds ? `-${ep.rebinds}` : ''}`;
    const image = owner.image !== '' && !/\s/.test(owner.image) ? owner.image : 'docker';
    try {
      await this.recordOnce(ep, owner.name, image, labels, requestId);
    } catch (e) {
      // Docker names are unique per host, Shoal's per cluster: a name taken elsewhere gets the node's mark.
      if (!(e instanceof ShoalError && e.code === 'ALREADY_EXISTS' && /name/.test(e.message))) throw e;
      await this.recordOnce(ep, `${owner.name}.${this.deps.shoal.nodeId.slice(0, 8)}`, image, labels, `${requestId}-n`);
    }
    ep.recorded = true;
    this.deps.state.save();
    await this.deps.shoal.markRunning(ep.ownerId);
  }
}
