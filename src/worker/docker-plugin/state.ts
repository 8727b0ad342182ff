/**
 * The plugin's own memory, kept in `<data-dir>/docker-plugin.json` (written whole, through a
 * temporary file and a rename, before a reply that depends on it). dockerd does not replay
 * CreateNetwork or CreateEndpoint after a restart, so what Docker network maps to which Shoal
 * network, and which endpoint holds which attachment, must outlive the node daemon.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';

/** An address handed to Docker by RequestAddress, not yet claimed by an endpoint. */
export interface PendingAddress {
  readonly networkId: string;
  /** Without prefix. */
  readonly ip: string;
  readonly attachmentId: string;
  /** The Shoal container ID the reservation was made for. */
  readonly ownerId: string;
  readonly at: number;
}

export interface EndpointState {
  readonly endpointId: string;
  readonly dockerNetworkId: string;
  readonly networkId: string;
  /** "10.0.1.5/24" */
  readonly address: string;
  /** Made again (same address) if the reservation lapsed before the record was made. */
  attachmentId: string;
  /** The Shoal container ID (the reservation's owner; the record gets it when made). */
  readonly ownerId: string;
  /** Set once the container record exists. */
  recorded: boolean;
  /** Set once Join made its link. */
  joined: boolean;
  /** How many times reconcile had to record it again (part of the request ID: a repeat of an old one would answer with the removed record). */
  rebinds?: number;
  /** The network's VXLAN ID and gateway, from Join (to re-adopt the link after a restart). */
  vni?: number;
  gateway?: string;
  /** When CreateEndpoint came (ms). */
  readonly createdAt?: number;
  /** The Docker container holding it, once bound. */
  dockerId?: string;
  /**
   * Set once a service task holds this endpoint's attachment (`stack deploy --adopt`, the store's
   * hand-over re-owned the row): the Docker container is stopped, and its address is the task's
   * now, so nothing is freed when Docker lets the endpoint go.
   */
  handedOver?: boolean;
}

export interface PluginStateData {
  /** Docker network ID -> Shoal network ID. */
  networks: Record<string, string>;
  pending: PendingAddress[];
  endpoints: Record<string, EndpointState>;
}

export class PluginState {
  readonly data: PluginStateData;

  constructor(private readonly file: string | null) {
    this.data = { networks: {}, pending: [], endpoints: {} };
    if (!file) return;
    try {
      const raw = JSON.parse(readFileSync(file, 'utf8')) as Partial<PluginStateData>;
      this.data.networks = raw.networks ?? {};
      this.data.pending = raw.pending ?? [];
      this.data.endpoints = raw.endpoints ?? {};
    } catch {
      // nothing saved yet
    }
  }

  save(): void {
    if (!this.file) return;
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.data));
    renameSync(tmp, this.file);
  }

  takePending(networkId: string, ip: string): PendingAddress | undefined {
    const i = this.data.pending.findIndex((p) => p.networkId === networkId && p.ip === ip);
    if (i < 0) return undefined;
    return this.data.pending.splice(i, 1)[0];
  }

  endpointAt(networkId: string, ip: string): EndpointState | undefined {
    return Object.values(this.data.endpoints).find((e) => e.networkId === networkId && e.address.split('/')[0] === ip);
  }
}
