/**
 * The node daemon: one process per node. It always runs the agent (managers
 * run tasks too, as in docker swarm) and, while the node's role is manager, a
 * manager beside it; while the role is worker it serves the local socket
 * itself. Shared plumbing (paths, pid file, logger, node config, transport
 * security) lives in src/node; the roles live in src/manager and src/worker.
 * How the daemon follows a role change is in role.ts.
 */
import type { Logger } from './logger.js';
import { readNodeConfig, type NodeConfig } from './node-config.js';
import { removePidFile, writePidFile } from './pid-file.js';
import { nodeSecurity } from './security.js';
import { ShoalError } from '../errors.js';
import type { Manager } from '../manager/manager.js';
import { runManager } from '../manager/daemon.js';
import type { MtlsSecurity } from '../security/mtls.js';
import { startWorkerRenewal, workerSecurity } from '../security/node-renewal.js';
import type { CertificateRenewer } from '../security/renewer.js';
import type { Agent } from '../worker/agent.js';
import { knownManagers, serveWorkerSocket, startNodeAgent, type WorkerSocket } from '../worker/daemon.js';

export interface NodeDaemon {
  readonly agent: Agent;
  /** The manager running beside the agent, or null while the node is a worker. */
  readonly manager: Manager | null;
  close(): Promise<void>;
}

/** Runs the node in its data dir, in the role its node.json records, until close(). */
export async function runNode(dataDir: string, log: Logger): Promise<NodeDaemon> {
  const config = readNodeConfig(dataDir);
  if (!config) throw new ShoalError('FAILED_PRECONDITION', `no node in ${dataDir}: run \`shoal init\` or \`shoal join\` first`);
  const node = new RunningNode(dataDir, config, log);
  await node.start();
  return node;
}

class RunningNode implements NodeDaemon {
  manager: Manager | null = null;
  private agentRef: Agent | null = null;
  private security: MtlsSecurity | null = null;
  private socket: WorkerSocket | null = null;
  private renewer: CertificateRenewer | null = null;

  constructor(
    private readonly dataDir: string,
    private config: NodeConfig,
    private readonly log: Logger,
  ) {}

  get agent(): Agent {
    if (!this.agentRef) throw new ShoalError('FAILED_PRECONDITION', 'the node has not started');
    return this.agentRef;
  }

  async start(): Promise<void> {
    const { dataDir, config, log } = this;
    if (config.role === 'manager') {
      this.security = nodeSecurity(dataDir, config.clusterId);
      this.manager = await runManager(dataDir, log, this.security);
    } else {
      const managers = knownManagers(dataDir);
      if (managers.length === 0) throw new ShoalError('FAILED_PRECONDITION', `the worker in ${dataDir} knows no manager (join-peers.json is missing); join again`);
      this.security = await workerSecurity(dataDir, config.nodeId, config.clusterId, managers, log);
      writePidFile(dataDir);
    }
    const managers = this.manager ? [config.advertiseAddr] : knownManagers(dataDir);
    this.agentRef = await startNodeAgent({ dataDir, config, managers, security: this.security, log });
    if (!this.manager) await this.serveAsWorker();
    log.info('node-started', { nodeId: config.nodeId, role: config.role });
  }

  /** The worker's share of the daemon: the local socket, and certificates renewed through a manager. */
  private async serveAsWorker(): Promise<void> {
    const security = this.security;
    if (!security) return;
    this.socket = await serveWorkerSocket(this.dataDir, this.config, this.agent, security);
    const fallback = knownManagers(this.dataDir)[0] ?? '';
    this.renewer = startWorkerRenewal(security, this.dataDir, () => this.agentRef?.connectedTo || fallback, this.log);
  }

  async close(): Promise<void> {
    this.renewer?.stop();
    await this.agentRef?.close();
    await this.manager?.close();
    this.socket?.close();
    removePidFile(this.dataDir);
    this.log.info('node-stopped', { nodeId: this.config.nodeId });
  }
}

/** Stops on SIGTERM/SIGINT: every write is already durable, tasks keep running for the next start to adopt. */
export function stopNodeOnSignals(d: NodeDaemon): void {
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
