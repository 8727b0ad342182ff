/**
 * The worker node daemon: runs the agent from the node's data dir, and serves
 * the local socket so the CLI on this machine can see that the node runs
 * (`GetClusterInfo` answers from the node's identity: cluster, node, role
 * worker, the managers it knows). Every other Control call fails with
 * FAILED_PRECONDITION: cluster state lives on the managers.
 *
 * Also starts the agent a manager runs for itself (managers are workers too).
 */
import * as grpc from '@grpc/grpc-js';
import { chmodSync, existsSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GetClusterInfoResponse } from '../generated/shoal/v1/GetClusterInfoResponse.js';
import type { LeaveRequest__Output } from '../generated/shoal/v1/LeaveRequest.js';
import type { LeaveResponse } from '../generated/shoal/v1/LeaveResponse.js';
import { loadProtos } from '../proto/load.js';
import { ShoalError } from '../errors.js';
import { PID_FILE } from '../manager/daemon.js';
import { toServiceError } from '../manager/grpc-util.js';
import type { Logger } from '../manager/logger.js';
import type { Manager } from '../manager/manager.js';
import { SOCKET_FILE } from '../manager/manager.js';
import { readNodeConfig } from '../manager/node-config.js';
import type { TransportSecurity } from '../raft/transport/credentials.js';
import { startWorkerRenewal, workerSecurity } from '../security/node-renewal.js';
import { CaFollower } from '../security/ca-follower.js';
import { MtlsSecurity } from '../security/mtls.js';
import { openNodeDataPlane, rememberPort, type NodeDataPlane } from '../network/dataplane/node-setup.js';
import { NodeNames } from './node-names.js';
import { Agent } from './agent.js';
import { detectContainerEngine } from './docker-engine.js';

const LEAVE_TIMEOUT_MS = 20_000;

export interface WorkerDaemon {
  readonly agent: Agent;
  close(): Promise<void>;
}

/** Where a worker keeps the newest manager list its sessions reported. */
const MANAGERS_FILE = 'managers.json';

/** Manager addresses: the newest list a session reported, else those known when the node joined (join-peers.json). */
export function knownManagers(dataDir: string): string[] {
  try {
    const latest = JSON.parse(readFileSync(join(dataDir, MANAGERS_FILE), 'utf8')) as unknown;
    if (Array.isArray(latest) && latest.length > 0 && latest.every((a) => typeof a === 'string')) return latest;
  } catch {
    // none recorded yet
  }
  const file = join(dataDir, 'join-peers.json');
  if (!existsSync(file)) return [];
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as { addr: string }[]).map((p) => p.addr).filter((a) => a !== '');
  } catch {
    return [];
  }
}

/** Runs a worker node from its data dir until close(). */
export async function runWorker(dataDir: string, log: Logger, securityOverride?: TransportSecurity): Promise<WorkerDaemon> {
  const config = readNodeConfig(dataDir);
  if (!config) throw new ShoalError('FAILED_PRECONDITION', `no node in ${dataDir}: run \`shoal join\` first`);
  if (config.role !== 'worker') throw new ShoalError('FAILED_PRECONDITION', `the node in ${dataDir} is a manager; run it with runManager`);
  const managers = knownManagers(dataDir);
  if (managers.length === 0) throw new ShoalError('FAILED_PRECONDITION', `the worker in ${dataDir} knows no manager (join-peers.json is missing); join again`);
  const security = securityOverride ?? (await workerSecurity(dataDir, config.nodeId, config.clusterId, managers, log));
  writeFileSync(join(dataDir, PID_FILE), `${process.pid}\n`);
  const onManagers = (addrs: readonly string[]): void => writeFileSync(join(dataDir, MANAGERS_FILE), JSON.stringify(addrs));
  const dataPlane = await openNodeDataPlane(dataDir, config.nodeId, config.advertiseAddr, log);
  const onDataPathPort = (port: number): void => rememberPort(dataDir, port);
  const containerEngine = await detectContainerEngine((message) => log.warn('container-engine-unavailable', { message }));
  const names = nodeNamesFor(dataPlane, log);
  let renewer: ReturnType<typeof startWorkerRenewal> | null = null;
  // A CA rotation reaches the worker through its heartbeats: it renews from the new root.
  const certificates =
    security instanceof MtlsSecurity
      ? new CaFollower(() => security.material, () => renewer?.renewNow() ?? Promise.resolve(), (e) => log.warn('ca-rotation-renewal-failed', { error: e instanceof Error ? e.message : String(e) }))
      : null;
  const agent = new Agent({ dataDir, nodeId: config.nodeId, hostname: config.hostname, managers, security, log, onManagers, dataPlane, onDataPathPort, ...(containerEngine ? { containerEngine } : {}), ...(names ? { names } : {}), ...(certificates ? { certificates } : {}) });
  await agent.start();
  renewer = security instanceof MtlsSecurity ? startWorkerRenewal(security, dataDir, () => agent.connectedTo || managers[0] || '', log) : null;
  const server = new grpc.Server();
  const info = (): GetClusterInfoResponse => ({ clusterId: config.clusterId, nodeId: config.nodeId, role: 'NODE_ROLE_WORKER', managers: [] });
  const notManager = new ShoalError(
    'FAILED_PRECONDITION',
    `this node (${config.hostname}) is a worker, not a manager; run the command on a manager, or point -H at one (${managers[0] ?? 'HOST:PORT'})`,
  );
  const control = loadProtos().grpcObject.shoal.v1.Control.service;
  const handlers: grpc.UntypedServiceImplementation = {};
  for (const name of Object.keys(control)) {
    handlers[name] = (_call: unknown, cb: grpc.sendUnaryData<unknown>) => cb(toServiceError(notManager));
  }
  handlers['GetClusterInfo'] = (_call: unknown, cb: grpc.sendUnaryData<GetClusterInfoResponse>) => cb(null, info());
  server.addService(control, handlers);
  server.addService(loadProtos().grpcObject.shoal.v1.Raft.service, raftHandlers(agent, managers, security, notManager));
  const socket = join(dataDir, SOCKET_FILE);
  if (existsSync(socket)) unlinkSync(socket);
  await new Promise<void>((resolve, reject) =>
    server.bindAsync(`unix://${socket}`, grpc.ServerCredentials.createInsecure(), (err) => (err ? reject(new ShoalError('FAILED_PRECONDITION', `cannot listen on ${socket}: ${err.message}`)) : resolve())),
  );
  chmodSync(socket, 0o600);
  log.info('worker-started', { nodeId: config.nodeId, managers: managers.join(',') });
  return {
    agent,
    async close() {
      renewer?.stop();
      await agent.close();
      server.forceShutdown();
      rmSync(socket, { force: true });
      rmSync(join(dataDir, PID_FILE), { force: true });
      log.info('worker-stopped', { nodeId: config.nodeId });
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

/** The agent a manager runs for its own node (managers are workers too), talking to its own dispatcher first. */
export async function runManagerAgent(m: Manager, dataDir: string, log: Logger): Promise<Agent> {
  const dataPlane = await openNodeDataPlane(dataDir, m.config.nodeId, m.config.advertiseAddr, log);
  const onDataPathPort = (port: number): void => rememberPort(dataDir, port);
  const containerEngine = await detectContainerEngine((message) => log.warn('container-engine-unavailable', { message }));
  const names = nodeNamesFor(dataPlane, log);
  // The manager renews itself (ca-rotation-driver.ts); its agent only reports its certificate's root.
  const security = m.opts.security;
  const certificates = security instanceof MtlsSecurity ? new CaFollower(() => security.material) : null;
  const agent = new Agent({ dataDir, nodeId: m.config.nodeId, hostname: m.config.hostname, managers: [m.config.advertiseAddr], security, log, dataPlane, onDataPathPort, ...(containerEngine ? { containerEngine } : {}), ...(names ? { names } : {}), ...(certificates ? { certificates } : {}) });
  await agent.start();
  return agent;
}

/** One resolver per node, only when the data plane is on (tasks reach it inside their network's sandbox); the agent starts and closes it. */
function nodeNamesFor(dataPlane: NodeDataPlane, log: Logger): NodeNames | null {
  if (!dataPlane.plane) return null;
  return new NodeNames({ onError: (what, e) => log.warn('names-failed', { what, error: e instanceof Error ? e.message : String(e) }) });
}

/** Stops on SIGTERM/SIGINT. */
export function stopWorkerOnSignals(d: WorkerDaemon): void {
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    d.close()
      .catch(() => undefined)
      .finally(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
