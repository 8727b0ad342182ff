/**
 * Starts the node's Docker network + IPAM plugin (see protocol.ts and
 * docs/design/docker-plugin.md): the socket (default /run/docker/plugins/shoal.sock, or
 * SHOAL_DOCKER_PLUGIN_SOCKET; "none" = off), the state file, re-adoption of endpoint links before
 * the data plane's first reconcile, and the reconcile loop against Docker's own container list
 * (at start, then every SHOAL_DOCKER_PLUGIN_RECONCILE_MS, default 30 s).
 */
import type { Server } from 'node:http';
import { rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { EngineApi } from '../docker-api.js';
import type { DataPlane } from '../../network/dataplane/dataplane.js';
import type { Logger } from '../../node/logger.js';
import { DockerPlugin } from './protocol.js';
import { PluginState } from './state.js';
import { BareLinks, DataPlaneLinks } from './links.js';
import { EngineView } from './docker-view.js';
import { reconcileOnce } from './reconcile.js';
import { servePlugin } from './server.js';
import { syncDockerNetworks } from './docker-networks.js';
import type { ShoalPort } from './shoal-port.js';
import { recordPluginHost } from './leave.js';
import { dockerSocketPath } from '../docker-engine.js';

export const DEFAULT_PLUGIN_SOCKET = '/run/docker/plugins/shoal.sock';
const RECONCILE_MS = 30_000;

export function pluginSocketPath(env: NodeJS.ProcessEnv = process.env): string | null {
  const raw = (env['SHOAL_DOCKER_PLUGIN_SOCKET'] ?? '').trim();
  if (raw === 'none') return null;
  return raw === '' ? DEFAULT_PLUGIN_SOCKET : raw;
}

export interface RunningPlugin {
  readonly plugin: DockerPlugin;
  readonly socketPath: string;
  /** The driver name Docker knows it by (the socket's name). */
  readonly driver: string;
  /** One reconcile round now (also what the loop runs). */
  reconcile(): Promise<void>;
  close(): Promise<void>;
}

export interface PluginOptions {
  readonly dataDir: string;
  readonly shoal: ShoalPort & { close?(): void };
  readonly docker: EngineApi;
  readonly plane: DataPlane | null;
  readonly log: Logger;
  readonly env?: NodeJS.ProcessEnv;
}

/** Null when turned off or when another process already serves the socket (said in the log). */
export async function startDockerPlugin(o: PluginOptions): Promise<RunningPlugin | null> {
  const env = o.env ?? process.env;
  const socketPath = pluginSocketPath(env);
  if (socketPath === null) return null;
  const driver = basename(socketPath).replace(/\.sock$/, '');
  const state = new PluginState(join(o.dataDir, 'docker-plugin.json'));
  const planeLinks = o.plane ? new DataPlaneLinks(o.plane) : null;
  planeLinks?.adopt(Object.values(state.data.endpoints)); // before the data plane's first reconcile
  const view = new EngineView(o.docker);
  const plugin = new DockerPlugin({
    shoal: o.shoal,
    docker: view,
    links: planeLinks ?? new BareLinks(),
    state,
    log: (event, fields) => o.log.warn(event, fields),
  });
  let server: Server;
  try {
    server = await servePlugin(plugin, socketPath);
  } catch (e) {
    o.log.warn('docker-plugin-unavailable', { socket: socketPath, error: e instanceof Error ? e.message : String(e) });
    return null;
  }
  // For `shoal leave`, which removes the Docker networks made here with this same plugin and dockerd.
  const dockerSocket = dockerSocketPath(env);
  if (dockerSocket !== null) recordPluginHost(o.dataDir, { socketPath, driver, dockerSocket });
  o.log.info('docker-plugin-started', { socket: socketPath, driver, dataPlane: o.plane ? 'on' : 'off' });
  const networksOn = (env['SHOAL_DOCKER_NETWORKS'] ?? '').trim() !== 'off';
  let round: Promise<void> | null = null;
  const reconcile = (): Promise<void> => {
    round ??= (async () => {
      try {
        const r = await reconcileOnce(plugin, state, o.shoal, () => view.containers());
        if (r.freed + r.bound > 0) o.log.info('docker-plugin-reconciled', { freed: r.freed, bound: r.bound });
        if (networksOn) {
          const n = await syncDockerNetworks(o.docker, driver, await o.shoal.networks());
          if (n.created.length + n.removed.length > 0) o.log.info('docker-networks-synced', { created: n.created.join(','), removed: n.removed.join(',') });
        }
      } catch (e) {
        o.log.warn('docker-plugin-reconcile-failed', { error: e instanceof Error ? e.message : String(e) });
      } finally {
        round = null;
      }
    })();
    return round;
  };
  const periodMs = Number(env['SHOAL_DOCKER_PLUGIN_RECONCILE_MS'] ?? '') || RECONCILE_MS;
  // A daemon that exits without close() (a manager on SIGTERM) leaves no socket for dockerd to dial.
  const unlinkOnExit = (): void => rmSync(socketPath, { force: true });
  process.once('exit', unlinkOnExit);
  const timer = setInterval(() => void reconcile(), periodMs);
  timer.unref();
  void reconcile();
  return {
    plugin,
    socketPath,
    driver,
    reconcile,
    async close() {
      clearInterval(timer);
      process.off('exit', unlinkOnExit);
      await new Promise<void>((r) => server.close(() => r()));
      server.closeAllConnections();
      rmSync(socketPath, { force: true });
      await round?.catch(() => undefined);
      await Promise.all([...plugin.binding.values(), ...plugin.stopping.values()]);
      o.shoal.close?.();
    },
  };
}
