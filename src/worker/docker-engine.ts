/**
 * Where the node's container engine is and whether it answers. The Docker Engine API is reached
 * over its unix socket (docker-api.ts; never the docker CLI). `SHOAL_DOCKER_HOST` names the
 * socket ("unix:///var/run/docker.sock" or a plain path); "none" turns the engine off for this
 * node, so it runs process tasks only and the scheduler places no image task on it.
 */
import { EngineClient, type EngineApi } from './docker-api.js';

export const DEFAULT_DOCKER_SOCKET = '/var/run/docker.sock';
/** How long the start-up probe waits for the engine before the node reports that it has none. */
const PROBE_TIMEOUT_MS = 3_000;

/** The socket path to use, or null when the operator turned the engine off. */
export function dockerSocketPath(env: NodeJS.ProcessEnv = process.env): string | null {
  const raw = (env['SHOAL_DOCKER_HOST'] ?? '').trim();
  if (raw === '') return DEFAULT_DOCKER_SOCKET;
  if (raw === 'none') return null;
  if (raw.startsWith('unix://')) return raw.slice('unix://'.length);
  if (raw.startsWith('/')) return raw;
  throw new Error(`SHOAL_DOCKER_HOST="${raw}" is not a unix socket (expected unix:///PATH, /PATH or none)`);
}

export function dockerClient(socketPath: string): EngineClient {
  return new EngineClient(socketPath);
}

/**
 * "docker 20.10.24" when the engine answers within the probe timeout, '' otherwise: the node then
 * reports no engine. Checked at each agent start (a node that gains Docker reports it on restart).
 */
export async function probeEngine(docker: Pick<EngineApi, 'version'>): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const version = await Promise.race([
      docker.version(),
      new Promise<never>((_r, reject) => (timer = setTimeout(() => reject(new Error('timeout')), PROBE_TIMEOUT_MS))),
    ]);
    return `docker ${version.Version}`;
  } catch {
    return '';
  } finally {
    clearTimeout(timer);
  }
}

export interface ContainerEngine {
  readonly client: EngineApi;
  /** As reported to the managers, e.g. "docker 20.10.24". */
  readonly version: string;
}

/**
 * The node's engine per SHOAL_DOCKER_HOST, if it answers now; undefined otherwise (the node runs
 * process tasks only). A bad SHOAL_DOCKER_HOST is reported and treated as no engine.
 */
export async function detectContainerEngine(onProblem: (message: string) => void, env: NodeJS.ProcessEnv = process.env): Promise<ContainerEngine | undefined> {
  let socket: string | null;
  try {
    socket = dockerSocketPath(env);
  } catch (e) {
    onProblem((e as Error).message);
    return undefined;
  }
  if (socket === null) return undefined;
  const client = dockerClient(socket);
  const version = await probeEngine(client);
  if (version === '') {
    onProblem(`no Docker Engine answers on ${socket}; image tasks will not be placed on this node`);
    return undefined;
  }
  return { client, version };
}
