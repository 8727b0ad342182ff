/**
 * Docker networks for Shoal's attachable networks: on a node that serves the plugin, each
 * attachable Shoal network also exists as a Docker network of the same name (driver and IPAM =
 * this plugin), so `docker run --network NAME` and compose's `external: true` work without a
 * `docker network create` on every node. Made only where no Docker network of that name exists
 * (one made by hand is left alone); one this module made (label shoal.network) goes when its
 * Shoal network is removed and no container is attached. `SHOAL_DOCKER_NETWORKS=off` turns it off.
 */
import type { EngineApi } from '../docker-api.js';
import { NETWORK_OPTION } from './protocol.js';
import type { ShoalNetwork } from './shoal-port.js';

export const MADE_BY_LABEL = 'shoal.network';

export async function syncDockerNetworks(docker: EngineApi, driver: string, shoal: readonly ShoalNetwork[]): Promise<{ created: string[]; removed: string[] }> {
  const existing = await docker.listNetworks();
  const names = new Set(existing.map((n) => n.Name));
  const created: string[] = [];
  for (const n of shoal) {
    if (!n.attachable || names.has(n.name)) continue;
    await docker.createNetwork({
      Name: n.name,
      Driver: driver,
      CheckDuplicate: true,
      Options: { [NETWORK_OPTION]: n.id },
      Labels: { [MADE_BY_LABEL]: n.id },
      IPAM: { Driver: driver, Config: [{ Subnet: n.subnet, Gateway: n.gateway }], Options: { [NETWORK_OPTION]: n.id } },
    });
    created.push(n.name);
  }
  const live = new Set(shoal.map((n) => n.id));
  const removed: string[] = [];
  for (const d of existing) {
    const id = d.Labels?.[MADE_BY_LABEL];
    if (d.Driver !== driver || id === undefined || live.has(id)) continue;
    // Docker refuses while containers are attached: retried at the next round.
    if (await docker.getNetwork(d.Id).remove().then(() => true, () => false)) removed.push(d.Name);
  }
  return { created, removed };
}
