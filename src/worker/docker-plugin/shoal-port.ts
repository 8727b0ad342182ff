/**
 * What the Docker plugin needs from the cluster, as a small interface, and its implementation
 * over the public gRPC API (Control + ResourceAllocator) with the node's own credentials. The
 * plugin never writes the store itself: every address it hands Docker is a Shoal attachment made
 * by the leader, so the IPAM invariant (no address held twice) is the store's, as for `shoal run`.
 */
import * as grpc from '@grpc/grpc-js';
import { loadProtos } from '../../proto/load.js';
import { fromServiceError } from '../../node/grpc-util.js';
import { ShoalError } from '../../errors.js';
import type { ControlClient } from '../../generated/shoal/v1/Control.js';
import type { ResourceAllocatorClient } from '../../generated/shoal/v1/ResourceAllocator.js';
import type { Network__Output } from '../../generated/shoal/v1/Network.js';
import type { Container__Output } from '../../generated/shoal/v1/Container.js';
import type { GetNetworkResponse__Output } from '../../generated/shoal/v1/GetNetworkResponse.js';
import type { ListNetworksResponse__Output } from '../../generated/shoal/v1/ListNetworksResponse.js';
import type { AttachNetworkResponse__Output } from '../../generated/shoal/v1/AttachNetworkResponse.js';
import type { DetachNetworkResponse__Output } from '../../generated/shoal/v1/DetachNetworkResponse.js';
import type { CreateContainerResponse__Output } from '../../generated/shoal/v1/CreateContainerResponse.js';
import type { UpdateContainerResponse__Output } from '../../generated/shoal/v1/UpdateContainerResponse.js';
import type { RemoveContainerResponse__Output } from '../../generated/shoal/v1/RemoveContainerResponse.js';
import type { ListContainersResponse__Output } from '../../generated/shoal/v1/ListContainersResponse.js';

const CALL_TIMEOUT_MS = 15_000;

/** Labels that mark a standalone container record as a Docker container seen through the plugin. */
export const DOCKER_ID_LABEL = 'shoal.docker.container-id';
export const DOCKER_ENDPOINT_LABEL = 'shoal.docker.endpoint-id';
export const DOCKER_NETWORK_LABEL = 'shoal.docker.network-id';

export interface ShoalNetwork {
  readonly id: string;
  readonly name: string;
  /** "10.0.1.0/24" */
  readonly subnet: string;
  /** "10.0.1.1" */
  readonly gateway: string;
  readonly attachable: boolean;
  readonly vxlanId: number;
}

/** A container record made by the plugin (labels say which Docker container and endpoint). */
export interface DockerRecord {
  /** Shoal container ID. */
  readonly id: string;
  readonly name: string;
  readonly dockerId: string;
  readonly endpointId: string;
  /** "10.0.1.5/24" of each attachment (one per record: one record per Docker endpoint). */
  readonly addresses: readonly string[];
}

export interface RecordRequest {
  readonly name: string;
  readonly image: string;
  readonly attachmentId: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly requestId: string;
}

export interface ShoalPort {
  readonly nodeId: string;
  /** By ID, ID prefix or name; NOT_FOUND names it. */
  network(ref: string): Promise<ShoalNetwork>;
  networks(): Promise<ShoalNetwork[]>;
  /** Reserves an address for owner `ownerId` (no container yet); a taken one is ALREADY_EXISTS naming its holder. */
  reserve(networkId: string, ownerId: string, address: string, ttlMs: number, requestId?: string): Promise<{ attachmentId: string; address: string }>;
  /** Frees an attachment (reservation or not); already gone is fine. */
  release(attachmentId: string): Promise<void>;
  /** Records the container that claims `attachmentId`; resolves with its Shoal ID. */
  record(req: RecordRequest): Promise<string>;
  markRunning(containerId: string): Promise<void>;
  /** Removes a container record and frees its addresses; already gone is fine. */
  remove(containerId: string): Promise<void>;
  /** This node's records made by the plugin. */
  records(): Promise<DockerRecord[]>;
}

function toNetwork(n: Network__Output): ShoalNetwork {
  return { id: n.id, name: n.name, subnet: n.subnet, gateway: n.gateway, attachable: n.attachable, vxlanId: n.vxlanId };
}

export function recordOf(c: Container__Output): DockerRecord | null {
  const dockerId = c.labels[DOCKER_ID_LABEL];
  if (dockerId === undefined) return null;
  return { id: c.id, name: c.name, dockerId, endpointId: c.labels[DOCKER_ENDPOINT_LABEL] ?? '', addresses: c.attachments.map((a) => a.address) };
}

/** One unary call with a deadline; errors become ShoalErrors with the server's message. */
function rpc<Res>(invoke: (md: grpc.Metadata, o: grpc.CallOptions, cb: grpc.requestCallback<Res>) => unknown): Promise<Res> {
  return new Promise<Res>((resolve, reject) => {
    invoke(new grpc.Metadata(), { deadline: Date.now() + CALL_TIMEOUT_MS }, (err, res) => {
      if (err) reject(fromServiceError(err));
      else if (res === undefined) reject(new ShoalError('INTERNAL', 'empty response'));
      else resolve(res);
    });
  });
}

const gone = (e: unknown): boolean => e instanceof ShoalError && e.code === 'NOT_FOUND';

/** The port over gRPC: `target` is a manager ("HOST:PORT" with the node's mTLS credentials, or a local unix socket). */
export class GrpcShoalPort implements ShoalPort {
  private control: ControlClient | null = null;
  private allocator: ResourceAllocatorClient | null = null;
  private at = '';

  constructor(
    readonly nodeId: string,
    /** The manager to ask now (the agent's current session, or the local socket). */
    private readonly target: () => string,
    /** The node's credentials now: a promotion or demotion renews the certificate, and clients are made anew. */
    private readonly credentials: () => grpc.ChannelCredentials,
  ) {}

  private madeWith: grpc.ChannelCredentials | null = null;

  private clients(): { control: ControlClient; allocator: ResourceAllocatorClient } {
    const target = this.target();
    if (target === '') throw new ShoalError('UNAVAILABLE', 'this node knows no manager to ask yet');
    const credentials = this.credentials();
    if (!this.control || !this.allocator || target !== this.at || credentials !== this.madeWith) {
      this.close();
      const v1 = loadProtos().grpcObject.shoal.v1;
      this.control = new v1.Control(target, credentials);
      this.allocator = new v1.ResourceAllocator(target, credentials);
      this.at = target;
      this.madeWith = credentials;
    }
    return { control: this.control, allocator: this.allocator };
  }

  close(): void {
    this.control?.close();
    this.allocator?.close();
    this.control = null;
    this.allocator = null;
  }

  async network(ref: string): Promise<ShoalNetwork> {
    const { control } = this.clients();
    const r = await rpc<GetNetworkResponse__Output>((md, o, cb) => control.GetNetwork({ ref }, md, o, cb));
    if (!r.network) throw new ShoalError('NOT_FOUND', `network "${ref}" not found`);
    return toNetwork(r.network);
  }

  async networks(): Promise<ShoalNetwork[]> {
    const { control } = this.clients();
    return (await rpc<ListNetworksResponse__Output>((md, o, cb) => control.ListNetworks({}, md, o, cb))).networks.map(toNetwork);
  }

  async reserve(networkId: string, ownerId: string, address: string, ttlMs: number, requestId = `docker-reserve-${ownerId}`): Promise<{ attachmentId: string; address: string }> {
    const { allocator } = this.clients();
    const req = { network: networkId, containerId: ownerId, nodeId: this.nodeId, requestedAddress: address, reservationTtlMs: ttlMs, requestId };
    const r = await rpc<AttachNetworkResponse__Output>((md, o, cb) => allocator.AttachNetwork(req, md, o, cb));
    if (!r.attachment) throw new ShoalError('INTERNAL', 'AttachNetwork returned no attachment');
    return { attachmentId: r.attachment.id, address: r.attachment.address };
  }

  async release(attachmentId: string): Promise<void> {
    const { allocator } = this.clients();
    await rpc<DetachNetworkResponse__Output>((md, o, cb) => allocator.DetachNetwork({ attachmentId }, md, o, cb)).catch((e: unknown) => {
      if (!gone(e)) throw e;
    });
  }

  async record(req: RecordRequest): Promise<string> {
    const { control } = this.clients();
    const create = { name: req.name, nodeId: this.nodeId, image: req.image, labels: { ...req.labels }, attachmentIds: [req.attachmentId], requestId: req.requestId };
    const r = await rpc<CreateContainerResponse__Output>((md, o, cb) => control.CreateContainer(create, md, o, cb));
    if (!r.container) throw new ShoalError('INTERNAL', 'CreateContainer returned no container');
    return r.container.id;
  }

  async markRunning(containerId: string): Promise<void> {
    const { control } = this.clients();
    await rpc<UpdateContainerResponse__Output>((md, o, cb) => control.UpdateContainer({ ref: containerId, version: 0, state: 'CONTAINER_STATE_RUNNING' }, md, o, cb));
  }

  async remove(containerId: string): Promise<void> {
    const { control } = this.clients();
    await rpc<RemoveContainerResponse__Output>((md, o, cb) => control.RemoveContainer({ ref: containerId }, md, o, cb)).catch((e: unknown) => {
      if (!gone(e)) throw e;
    });
  }

  async records(): Promise<DockerRecord[]> {
    const { control } = this.clients();
    const r = await rpc<ListContainersResponse__Output>((md, o, cb) => control.ListContainers({ nodeIds: [this.nodeId] }, md, o, cb));
    return r.containers.map(recordOf).filter((x): x is DockerRecord => x !== null);
  }
}
