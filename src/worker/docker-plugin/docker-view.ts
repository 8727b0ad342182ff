/**
 * Docker's own view, read through the Engine API (src/worker/docker-api.ts): which container holds an endpoint,
 * and every container with its state and endpoint IDs (what reconciliation compares with).
 */
import type { EngineApi } from '../docker-api.js';
import type { DockerContainerInfo, DockerView } from './protocol.js';

export interface DockerContainerState {
  readonly dockerId: string;
  /** Docker's state word: created, running, paused, restarting, removing, exited, dead. */
  readonly state: string;
  readonly endpointIds: ReadonlySet<string>;
}

export class EngineView implements DockerView {
  constructor(private readonly docker: EngineApi) {}

  async endpointOwner(dockerNetworkId: string, endpointId: string): Promise<DockerContainerInfo | null> {
    const list = await this.docker.listContainers({ all: true, filters: { network: [dockerNetworkId] } });
    for (const c of list) {
      const nets = Object.values(c.NetworkSettings?.Networks ?? {});
      if (nets.some((n) => n.EndpointID === endpointId)) return { dockerId: c.Id, name: (c.Names[0] ?? c.Id.slice(0, 12)).replace(/^\//, ''), image: c.Image, labels: c.Labels ?? {} };
    }
    return null;
  }

  /**
   * The container's restart policy is set to "no" first, so neither Docker's policy nor a dockerd
   * restart brings it back onto an address that is a task's now; then `docker stop` with the
   * container's own stop grace (compose's stop_grace_period). Gone or stopped already is fine.
   */
  async stopForGood(dockerId: string): Promise<void> {
    const c = this.docker.getContainer(dockerId);
    const already = (e: unknown): boolean => {
      const code = (e as { statusCode?: number }).statusCode;
      return code === 404 || code === 304;
    };
    try {
      await c.update({ RestartPolicy: { Name: 'no', MaximumRetryCount: 0 } });
      await c.stop();
    } catch (e) {
      if (!already(e)) throw e;
    }
  }

  /** Every container (any state) with its endpoints. */
  async containers(): Promise<DockerContainerState[]> {
    const list = await this.docker.listContainers({ all: true });
    return list.map((c) => ({ dockerId: c.Id, state: c.State, endpointIds: new Set(Object.values(c.NetworkSettings?.Networks ?? {}).map((n) => n.EndpointID).filter((id) => id !== '')) }));
  }
}
