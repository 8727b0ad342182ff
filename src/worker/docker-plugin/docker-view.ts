/**
 * Docker's own view, read through the Engine API (dockerode): which container holds an endpoint,
 * and every container with its state and endpoint IDs (what reconciliation compares with).
 */
import type Docker from 'dockerode';
import type { DockerContainerInfo, DockerView } from './protocol.js';

export interface DockerContainerState {
  readonly dockerId: string;
  /** Docker's state word: created, running, paused, restarting, removing, exited, dead. */
  readonly state: string;
  readonly endpointIds: ReadonlySet<string>;
}

export class EngineView implements DockerView {
  constructor(private readonly docker: Docker) {}

  async endpointOwner(dockerNetworkId: string, endpointId: string): Promise<DockerContainerInfo | null> {
    const list = await this.docker.listContainers({ all: true, filters: { network: [dockerNetworkId] } });
    for (const c of list) {
      const nets = Object.values(c.NetworkSettings?.Networks ?? {});
      if (nets.some((n) => n.EndpointID === endpointId)) return { dockerId: c.Id, name: (c.Names[0] ?? c.Id.slice(0, 12)).replace(/^\//, ''), image: c.Image };
    }
    return null;
  }

  /** Every container (any state) with its endpoints. */
  async containers(): Promise<DockerContainerState[]> {
    const list = await this.docker.listContainers({ all: true });
    return list.map((c) => ({ dockerId: c.Id, state: c.State, endpointIds: new Set(Object.values(c.NetworkSettings?.Networks ?? {}).map((n) => n.EndpointID).filter((id) => id !== '')) }));
  }
}
