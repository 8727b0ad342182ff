/**
 * The worker side of a node daemon (src/node/daemon.ts runs it): the agent
 * every node runs, managers included, and the local socket while the node's
 * role is worker. Nothing here depends on the manager.
 */
import * as grpc from '@grpc/grpc-js';
import { chmodSync, existsSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GetClusterInfoResponse } from '../generated/shoal/v1/GetClusterInfoResponse.js';
import type { LeaveRequest__Output } from '../generated/shoal/v1/LeaveRequest.js';
import type { LeaveResponse } from '../generated/shoal/v1/LeaveResponse.js';
import { loadProtos } from '../proto/load.js';
import { ShoalError } from '../errors.js';
import { toServiceError } from '../node/grpc-util.js';
import type { Logger } from '../node/logger.js';
import { SOCKET_FILE } from '../node/paths.js';
import type { NodeConfig } from '../node/node-config.js';
import type { TransportSecurity } from '../raft/transport/credentials.js';
import { openNodeDataPlane, rememberPort, type NodeDataPlane } from '../network/dataplane/node-setup.js';
import { NodeNames, RESOLV_CONF_ENV } from './node-names.js';
import { Agent, type AgentOptions } from './agent.js';
import { knownManagers, MANAGERS_FILE } from './known-managers.js';
import { detectContainerEngine } from './docker-engine.js';
import type { RunningPlugin } from './docker-plugin/index.js';

const LEAVE_TIMEOUT_MS = 20_000;

export { knownManagers };

export interface NodeAgentOptions {
  readonly dataDir: string;
  readonly config: NodeConfig;
  /** Where the agent looks for a dispatcher first (a manager node: itself). */
  readonly managers: readonly string[];
  readonly security: TransportSecurity;
  readonly log: Logger;
  /** The role and Raft ID the replicated state holds for this node, from each heartbeat. */
  readonly onDesiredRole?: AgentOptions['onDesiredRole'];
  /** Mutual TLS: reports the certificate's root with each heartbeat and follows CA rotations. */
  readonly certificates?: AgentOptions['certificates'];
}

export interface NodeAgent {
  readonly agent: Agent;
  /** Docker's network and IPAM driver, on a node with a container engine (closed by the node daemon). */
  readonly dockerPlugin: RunningPlugin | null;
}

/** The node's agent (every node runs one, managers too): data plane, container engine, names, the Docker plugin, and the manager list kept on disk. */
export async function startNodeAgent(o: NodeAgentOptions): Promise<NodeAgent> {
  const { dataDir, config, log } = o;
  const onManagers = (addrs: readonly string[]): void => writeFileSync(join(dataDir, MANAGERS_FILE), JSON.stringify(addrs));
  const dataPlane = await openNodeDataPlane(dataDir, config.nodeId, config.advertiseAddr, log);
  const onDataPathPort = (port: number): void => rememberPort(dataDir, port);
  const containerEngine = await detectContainerEngine((message) => log.warn('container-engine-unavailable', { message }));
  const names = nodeNamesFor(dataPlane, log);
  let dockerPlugin: RunningPlugin | null = null;
  const agent = new Agent({
    onTaskAttachments: (ids) => dockerPlugin?.plugin.handOver(ids),
    dataDir, nodeId: config.nodeId, hostname: config.hostname, managers: o.managers, security: o.security, log, onManagers, dataPlane, onDataPathPort,
    ...(containerEngine ? { containerEngine } : {}), ...(names ? { names } : {}), ...(o.onDesiredRole ? { onDesiredRole: o.onDesiredRole } : {}),
    ...(o.certificates ? { certificates: o.certificates } : {}),
  });
  // Before the agent starts the data plane: the plugin re-adopts its endpoints' links first. It asks the
  // manager the agent holds its session with, with the node's current credentials (they change with the role).
  // The plugin's modules load only on a node with an engine (a dynamic import: ≈ 1 MB less on the others).
  if (containerEngine) {
    const [{ startDockerPlugin }, { GrpcShoalPort }] = await Promise.all([import('./docker-plugin/index.js'), import('./docker-plugin/shoal-port.js')]);
    dockerPlugin = await startDockerPlugin({ dataDir, docker: containerEngine.client, plane: dataPlane.plane, log, shoal: new GrpcShoalPort(config.nodeId, () => agent.connectedTo || o.managers[0] || '', () => o.security.channelCredentials()) });
  }
  await agent.start();
  return { agent, dockerPlugin };
}

export interface WorkerSocket {
  close(): void;
}

/**
 * The local socket while the node is a worker, so the CLI on this machine can see that the node runs
 * (`GetClusterInfo` answers from the node's identity) and can leave; every other call fails with
 * FAILED_PRECONDITION: cluster state lives on the managers. While the node is a manager, the
 * manager serves this socket instead.
 */
export async function serveWorkerSocket(dataDir: string, config: NodeConfig, agent: Agent, security: TransportSecurity): Promise<WorkerSocket> {
  const managers = (): string[] => knownManagers(dataDir);
  const server = new grpc.Server();
  const info = (): GetClusterInfoResponse => ({ clusterId: config.clusterId, nodeId: config.nodeId, role: 'NODE_ROLE_WORKER', managers: [] });
  const notManager = new ShoalError(
    'FAILED_PRECONDITION',
    `this node (${config.hostname}) is a worker, not a manager; run the command on a manager, or point -H at one (${managers()[0] ?? 'HOST:PORT'})`,
  );
  const control = loadProtos().grpcObject.shoal.v1.Control.service;
  const handlers: grpc.UntypedServiceImplementation = {};
  for (const name of Object.keys(control)) {
    handlers[name] = (_call: unknown, cb: grpc.sendUnaryData<unknown>) => cb(toServiceError(notManager));
  }
  handlers['GetClusterInfo'] = (_call: unknown, cb: grpc.sendUnaryData<GetClusterInfoResponse>) => cb(null, info());
  server.addService(control, handlers);
  server.addService(loadProtos().grpcObject.shoal.v1.Raft.service, raftHandlers(agent, managers(), security, notManager));
  const socket = join(dataDir, SOCKET_FILE);
  if (existsSync(socket)) unlinkSync(socket);
  await new Promise<void>((resolve, reject) =>
    server.bindAsync(`unix://${socket}`, grpc.ServerCredentials.createInsecure(), (err) => (err ? reject(new ShoalError('FAILED_PRECONDITION', `cannot listen on ${socket}: ${err.message}`)) : resolve())),
  );
  chmodSync(socket, 0o600);
  return {
    close() {
      server.forceShutdown();
      rmSync(socket, { force: true });
    },
  };
}

/**
 * `shoal leave` on a worker: the request goes to a manager (which removes the node), then
 * every task of this node is stopped before the answer, so the daemon can be stopped at once.
 */
function raftHandlers(agent: Agent, managers: readonly string[], security: TransportSecurity, notManager: ShoalError): grpc.UntypedServiceImplementation {
  const handlers: grpc.UntypedServiceImplementation = {};
  for (const name of Object.keys(loadProtos().grpcObject.shoal.v1.Raft.service)) {
    handlers[name] = (_call: unknown, cb: grpc.sendUnaryData<unknown>) => cb(toServiceError(notManager));
  }
  handlers['Leave'] = (call: grpc.ServerUnaryCall<LeaveRequest__Output, LeaveResponse>, cb: grpc.sendUnaryData<LeaveResponse>) => {
    const addr = agent.connectedTo || managers[0] || '';
    const client = new (loadProtos().grpcObject.shoal.v1.Raft)(addr, security.channelCredentials());
    client.Leave(call.request, { deadline: Date.now() + LEAVE_TIMEOUT_MS }, (err) => {
      client.close();
      if (err) return cb(err);
      agent.stopAllTasks().then(
        () => cb(null, {}),
        (e: unknown) => cb(toServiceError(e)),
      );
    });
  };
  return handlers;
}

/** One resolver per node, only when the data plane is on (tasks reach it inside their network's sandbox); the agent starts and closes it. */
function nodeNamesFor(dataPlane: NodeDataPlane, log: Logger): NodeNames | null {
  if (!dataPlane.plane) return null;
  const resolvConfPath = process.env[RESOLV_CONF_ENV];
  return new NodeNames({ ...(resolvConfPath ? { resolvConfPath } : {}), onError: (what, e) => log.warn('names-failed', { what, error: e instanceof Error ? e.message : String(e) }) });
}
