/**
 * `shoal leave` and the Docker networks this node's plugin made (docker-networks.ts): each one no
 * container uses is removed through Docker's API; one that a container still uses is left in
 * place and named, with its containers, so the operator knows what stays behind.
 *
 * dockerd asks the network's driver (DeleteNetwork) and IPAM driver (ReleasePool) before it
 * removes a network, and by then the node daemon, which served the plugin, has stopped. So leave
 * serves the plugin itself for the duration, on the socket the daemon used, backed by a port that
 * refuses every cluster call (the node has left): the two calls a removal needs are answered from
 * the plugin's own state file, and nothing can be attached meanwhile. The daemon records where its
 * plugin and Docker were (`docker-plugin-host.json`) when it starts the plugin, because leave may
 * run with another environment than the daemon's.
 */
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Server } from 'node:http';
import { EngineClient, type EngineApi } from '../docker-api.js';
import { ShoalError } from '../../errors.js';
import { MADE_BY_LABEL } from './docker-networks.js';
import { EngineView } from './docker-view.js';
import { BareLinks } from './links.js';
import { DockerPlugin } from './protocol.js';
import { servePlugin, socketAnswers } from './server.js';
import type { ShoalPort } from './shoal-port.js';
import { PluginState } from './state.js';

const HOST_FILE = 'docker-plugin-host.json';
/** Each Docker call during leave; a dockerd that does not answer must not hang `leave`. */
const DOCKER_TIMEOUT_MS = 20_000;

/** Where the node daemon served its plugin and which dockerd it used. */
export interface PluginHost {
  readonly socketPath: string;
  /** The driver name Docker knows the plugin by. */
  readonly driver: string;
  readonly dockerSocket: string;
}

export function recordPluginHost(dataDir: string, host: PluginHost): void {
  const file = join(dataDir, HOST_FILE);
  writeFileSync(`${file}.tmp`, JSON.stringify(host));
  renameSync(`${file}.tmp`, file);
}

/** Null when this node never served the plugin. */
export function readPluginHost(dataDir: string): PluginHost | null {
  const file = join(dataDir, HOST_FILE);
  if (!existsSync(file)) return null;
  try {
    const h = JSON.parse(readFileSync(file, 'utf8')) as Partial<PluginHost>;
    if (typeof h.socketPath !== 'string' || typeof h.driver !== 'string' || typeof h.dockerSocket !== 'string') return null;
    return { socketPath: h.socketPath, driver: h.driver, dockerSocket: h.dockerSocket };
  } catch {
    return null;
  }
}

export interface KeptNetwork {
  readonly name: string;
  /** The containers that still use it (Docker's names), or why Docker refused. */
  readonly reason: string;
}

export interface NetworksLeft {
  readonly removed: string[];
  readonly kept: KeptNetwork[];
}

/** The cluster behind a node that has left: every call is refused, naming why. */
class LeftNodePort implements ShoalPort {
  constructor(readonly nodeId: string) {}
  private refuse(): Promise<never> {
    return Promise.reject(new ShoalError('FAILED_PRECONDITION', 'this node is leaving the cluster: its Shoal networks cannot be used from Docker any more'));
  }
  network(): Promise<never> {
    return this.refuse();
  }
  networks(): Promise<never> {
    return this.refuse();
  }
  reserve(): Promise<never> {
    return this.refuse();
  }
  release(): Promise<never> {
    return this.refuse();
  }
  record(): Promise<never> {
    return this.refuse();
  }
  markRunning(): Promise<never> {
    return this.refuse();
  }
  remove(): Promise<never> {
    return this.refuse();
  }
  records(): Promise<never> {
    return this.refuse();
  }
}

function withTimeout<T>(p: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p,
    new Promise<never>((_r, reject) => (timer = setTimeout(() => reject(new Error(`Docker did not answer ${what} within ${DOCKER_TIMEOUT_MS / 1000} s`)), DOCKER_TIMEOUT_MS))),
  ]).finally(() => clearTimeout(timer));
}

/**
 * Removes the Docker networks of `driver` that the plugin made (label shoal.network) and that no
 * container uses; names the others. Networks made by hand are never touched.
 */
export async function removeMadeNetworks(docker: EngineApi, driver: string): Promise<NetworksLeft> {
  const made = (await withTimeout(docker.listNetworks({ filters: { label: [MADE_BY_LABEL] } }), 'the network list')).filter((n) => n.Driver === driver);
  const removed: string[] = [];
  const kept: KeptNetwork[] = [];
  for (const n of made.sort((a, b) => a.Name.localeCompare(b.Name))) {
    const net = docker.getNetwork(n.Id);
    // The list's Containers field is empty by design; inspect names the containers attached now.
    const info = (await withTimeout(net.inspect(), `inspect of network ${n.Name}`)) as { Containers?: Record<string, { Name?: string }> };
    const users = Object.entries(info.Containers ?? {}).map(([id, c]) => c.Name || id.slice(0, 12)).sort();
    if (users.length > 0) {
      kept.push({ name: n.Name, reason: `used by ${users.join(', ')}` });
      continue;
    }
    try {
      await withTimeout(net.remove(), `removal of network ${n.Name}`);
      removed.push(n.Name);
    } catch (e) {
      // A container attached between the inspect and the removal, or dockerd refused: say so.
      kept.push({ name: n.Name, reason: e instanceof Error ? e.message.replace(/^\(HTTP code \d+\) [a-z ]+ - /, '').trim() : String(e) });
    }
  }
  return { removed, kept };
}

/**
 * Leave's step for Docker, run once the node daemon has stopped: null when the node never served
 * the plugin. Throws (naming dockerd's socket) when dockerd does not answer.
 */
export async function leaveDockerNetworks(dataDir: string, nodeId: string): Promise<NetworksLeft | null> {
  const host = readPluginHost(dataDir);
  if (!host) return null;
  const docker = new EngineClient(host.dockerSocket, DOCKER_TIMEOUT_MS);
  await docker.ping().catch((e: unknown) => {
    throw new ShoalError('UNAVAILABLE', `Docker does not answer on ${host.dockerSocket} (${e instanceof Error ? e.message : String(e)})`);
  });
  const served = await serveLeftNodePlugin(dataDir, nodeId, host, docker);
  try {
    return await removeMadeNetworks(docker, host.driver);
  } finally {
    await served.close();
  }
}

/**
 * The plugin of a node that has left, on the socket its daemon used, until close(): answers what
 * dockerd asks when it removes a network or a container's endpoint, from the plugin's own state
 * file, and refuses anything that needs the cluster. Nothing is served when another process
 * answers on the socket already (a daemon that did not stop answers dockerd just as well).
 */
export async function serveLeftNodePlugin(dataDir: string, nodeId: string, host: PluginHost, docker: EngineApi): Promise<{ close(): Promise<void> }> {
  if (await socketAnswers(host.socketPath)) return { close: () => Promise.resolve() };
  const plugin = new DockerPlugin({ shoal: new LeftNodePort(nodeId), docker: new EngineView(docker), links: new BareLinks(), state: new PluginState(join(dataDir, 'docker-plugin.json')) });
  const server: Server = await servePlugin(plugin, host.socketPath);
  return {
    async close() {
      await new Promise<void>((r) => server.close(() => r()));
      server.closeAllConnections();
      rmSync(host.socketPath, { force: true });
    },
  };
}
