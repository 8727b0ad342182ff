/**
 * The endpoint's interfaces. With the node's data plane on, the veth's sandbox end joins the
 * network's bridge in its Shoal sandbox (so the container reaches every endpoint of the network on
 * every node over VXLAN) and its other end waits in the host namespace for Docker to move it into
 * the container. With the data plane off the node has addresses only (as for tasks): a bare veth
 * pair gives Docker an interface to configure, connected to nothing.
 */
import { createHash } from 'node:crypto';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { DataPlane } from '../../network/dataplane/dataplane.js';
import type { EndpointInput } from '../../network/dataplane/model.js';
import { macOf } from '../../network/dataplane/names.js';
import type { EndpointLink, EndpointLinks } from './protocol.js';
import type { EndpointState } from './state.js';

const run = promisify(execFile);

/** "sd" + 10 hex digits of the owner: the end Docker moves into the container (15-byte limit). */
export function hostPeerName(ownerId: string): string {
  return `sd${createHash('sha1').update(ownerId).digest('hex').slice(0, 10)}`;
}

function endpointInput(ep: EndpointLink): EndpointInput {
  return { ownerId: ep.ownerId, networkId: ep.network.id, vni: ep.network.vxlanId, address: ep.address, gateway: ep.network.gateway, index: 0, hostPeer: hostPeerName(ep.ownerId) };
}

export class DataPlaneLinks implements EndpointLinks {
  constructor(private readonly plane: DataPlane) {}

  async join(ep: EndpointLink): Promise<string> {
    await this.plane.attach(ep.ownerId, [endpointInput(ep)]);
    return hostPeerName(ep.ownerId);
  }

  leave(ownerId: string): Promise<void> {
    this.plane.detach(ownerId);
    return Promise.resolve();
  }

  /** After a restart: endpoints Docker still has keep their sandbox ends (registered before the first reconcile). */
  adopt(eps: readonly EndpointState[]): void {
    for (const ep of eps) {
      if (!ep.joined || ep.vni === undefined || ep.gateway === undefined) continue;
      this.plane.adopt(ep.ownerId, [{ ownerId: ep.ownerId, networkId: ep.networkId, vni: ep.vni, address: ep.address, gateway: ep.gateway, index: 0, hostPeer: hostPeerName(ep.ownerId) }]);
    }
  }
}

export class BareLinks implements EndpointLinks {
  async join(ep: EndpointLink): Promise<string> {
    const name = hostPeerName(ep.ownerId);
    const peer = `sp${name.slice(2)}`;
    await run('ip', ['link', 'del', name]).catch(() => undefined); // a leftover of an earlier attempt
    await run('ip', ['link', 'add', name, 'address', macOf(ep.address.split('/')[0] ?? ''), 'type', 'veth', 'peer', 'name', peer]);
    return name;
  }

  async leave(ownerId: string): Promise<void> {
    const peer = `sp${hostPeerName(ownerId).slice(2)}`;
    await run('ip', ['link', 'del', peer]).catch(() => undefined); // gone with the container already
  }
}
