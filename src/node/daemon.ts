/**
 * The node daemon: one process per node. It always runs the agent (managers
 * run tasks too, as in docker swarm) and, while the node's role is manager, a
 * manager beside it; while the role is worker it serves the local socket
 * itself. Shared plumbing (paths, pid file, logger, node config, transport
 * security) lives in src/node; the roles live in src/manager and src/worker.
 * The daemon follows the role the replicated state holds for the node (each
 * heartbeat says it): it starts a manager when promoted, stops it when demoted,
 * and never touches the agent's tasks; role.ts has the steps' pieces.
 */
import type { Logger } from './logger.js';
import { readNodeConfig, writeNodeConfig, type NodeConfig, type NodeRole } from './node-config.js';
import { removePidFile, writePidFile } from './pid-file.js';
import { membersAt, rememberMembers, renewCertificateThrough, roleRecordedBy, wipeManagerState } from './role.js';
import { nodeSecurity } from './security.js';
import { ShoalError } from '../errors.js';
import type { Manager } from '../manager/manager.js';
import { runManager } from '../manager/daemon.js';
import type { MtlsSecurity } from '../security/mtls.js';
import { startWorkerRenewal, workerSecurity } from '../security/node-renewal.js';
import { CaFollower } from '../security/ca-follower.js';
import type { CertificateRenewer } from '../security/renewer.js';
import type { Agent } from '../worker/agent.js';
import { knownManagers, serveWorkerSocket, startNodeAgent, type WorkerSocket } from '../worker/daemon.js';
import type { RunningPlugin } from '../worker/docker-plugin/index.js';

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

/** How often the daemon re-checks its role besides each heartbeat (a failed step is retried then). */
const CONVERGE_EVERY_MS = 1_000;

class RunningNode implements NodeDaemon {
  manager: Manager | null = null;
  private agentRef: Agent | null = null;
  private security: MtlsSecurity | null = null;
  private socket: WorkerSocket | null = null;
  private renewer: CertificateRenewer | null = null;
  /** The role the replicated state holds for this node, from the latest heartbeat. */
  private desired: { role: NodeRole; raftId: number } | null = null;
  private converging = false;
  private closed = false;
  private dockerPlugin: RunningPlugin | null = null;
  private timer: NodeJS.Timeout | null = null;
  private lastFailure = '';

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
    const { dataDir, log } = this;
    const config = this.config;
    let security: MtlsSecurity;
    if (config.role === 'manager') {
      security = nodeSecurity(dataDir, config.clusterId);
      this.manager = await this.startManagerUnlessDemoted(security);
      if (!this.manager) writePidFile(dataDir);
    } else {
      const managers = knownManagers(dataDir);
      if (managers.length === 0) throw new ShoalError('FAILED_PRECONDITION', `the worker in ${dataDir} knows no manager (join-peers.json is missing); join again`);
      security = await workerSecurity(dataDir, config.nodeId, config.clusterId, managers, log);
      writePidFile(dataDir);
    }
    this.security = security;
    const managers = this.manager ? [config.advertiseAddr] : knownManagers(dataDir);
    const onDesiredRole = (role: NodeRole, raftId: number): void => {
      this.desired = { role, raftId };
      this.converge();
    };
    // A CA rotation reaches the node through its heartbeats. As a worker it renews from the new root
    // through the renewer; as a manager it only reports (the manager's rotation driver renews it).
    const certificates = new CaFollower(
      () => security.material,
      () => this.renewer?.renewNow() ?? Promise.resolve(),
      (e) => log.warn('ca-rotation-renewal-failed', { error: e instanceof Error ? e.message : String(e) }),
    );
    const started = await startNodeAgent({ dataDir, config, managers, security, log, onDesiredRole, certificates });
    this.agentRef = started.agent;
    this.dockerPlugin = started.dockerPlugin;
    if (!this.manager) await this.serveAsWorker();
    this.timer = setInterval(() => this.converge(), CONVERGE_EVERY_MS);
    log.info('node-started', { nodeId: config.nodeId, role: this.config.role, raftId: config.raftId });
  }

  /**
   * A start as manager refused because the cluster's managers leave this node out: if the cluster
   * records it as a worker (demoted while its daemon was down, its own copy of the state not yet
   * told), it starts as a worker. Otherwise (removed by a forced new cluster) the refusal stands.
   */
  private async startManagerUnlessDemoted(security: MtlsSecurity): Promise<Manager | null> {
    try {
      return await runManager(this.dataDir, this.log, security);
    } catch (e) {
      if (!(e instanceof ShoalError) || e.code !== 'FAILED_PRECONDITION' || !/was removed from cluster/.test(e.message)) throw e;
      const peers = knownManagers(this.dataDir).filter((a) => a !== this.config.advertiseAddr);
      const recorded = await roleRecordedBy(peers, this.config.nodeId, security);
      if (recorded?.role !== 'worker') throw e;
      this.log.info('node-demoted-while-down', { raftId: this.config.raftId, recordedBy: 'cluster' });
      this.config = { ...this.config, role: 'worker' };
      writeNodeConfig(this.dataDir, this.config);
      wipeManagerState(this.dataDir);
      return null;
    }
  }

  /** Runs one convergence step unless one is running; failures are logged (once per message) and retried. */
  private converge(): void {
    if (this.converging || this.closed) return;
    this.converging = true;
    this.step()
      .then(() => {
        this.lastFailure = '';
      })
      .catch((e: unknown) => {
        const message = e instanceof Error ? e.message : String(e);
        if (message !== this.lastFailure) this.log.warn('role-change-failed', { error: message, desired: this.desired?.role ?? '' });
        this.lastFailure = message;
      })
      .finally(() => {
        this.converging = false;
      });
  }

  private async step(): Promise<void> {
    const d = this.desired;
    const security = this.security;
    if (!d || !security || this.closed) return;
    if (d.role === 'manager') {
      if (this.manager && this.manager.config.raftId === d.raftId) return;
      await this.becomeManager(d.raftId, security);
      return;
    }
    if (this.manager) {
      // The manager stays a working voter until the leader has removed it: with two voters, the removal
      // needs this one's vote. A demoted leader first hands leadership over (the membership monitor).
      if (this.manager.shell.isLeader) return;
      const members = await membersAt(this.viaManager(), security);
      if (members.some((p) => p.raftId === this.manager?.config.raftId)) return;
      await this.becomeWorker();
    }
    // A demoted node keeps no manager certificate (it would still open the managers' Raft and Control services).
    if (security.identity.role === 'manager') await renewCertificateThrough(security, this.dataDir, this.viaManager());
  }

  /** A manager of the cluster to ask: the one the agent holds its session with. */
  private viaManager(): string {
    const addr = this.agent.connectedTo;
    if (!addr) throw new ShoalError('UNAVAILABLE', 'the agent holds no session with a manager yet');
    return addr;
  }

  /**
   * Promotion, on the node: a manager certificate, the current members, node.json, then the manager
   * (a Raft learner under its new ID until the leader makes it a voter). The agent and its tasks go on.
   */
  private async becomeManager(raftId: number, security: MtlsSecurity): Promise<void> {
    const via = this.viaManager();
    if (this.manager) await this.becomeWorker(); // promoted again under a fresh ID: the old incarnation goes first
    if (security.identity.role !== 'manager') {
      const role = await renewCertificateThrough(security, this.dataDir, via);
      if (role !== 'manager') throw new ShoalError('UNAVAILABLE', `the certificate issued by ${via} is still for a ${role}; retrying`);
    }
    await rememberMembers(this.dataDir, via, security);
    if (this.config.role !== 'manager' || this.config.raftId !== raftId) wipeManagerState(this.dataDir);
    this.config = { ...this.config, role: 'manager', raftId };
    writeNodeConfig(this.dataDir, this.config); // before the manager writes Raft state under this ID
    this.stopWorkerSide();
    try {
      this.manager = await runManager(this.dataDir, this.log, security);
    } catch (e) {
      await this.serveAsWorker();
      throw e;
    }
    this.log.info('node-promoted', { nodeId: this.config.nodeId, raftId });
  }

  /** Demotion, on the node: node.json first (a crash from here on restarts as a worker), then the manager stops. */
  private async becomeWorker(): Promise<void> {
    const m = this.manager;
    this.config = { ...this.config, role: 'worker' };
    writeNodeConfig(this.dataDir, this.config);
    this.manager = null;
    await m?.close();
    wipeManagerState(this.dataDir);
    writePidFile(this.dataDir);
    await this.serveAsWorker();
    this.log.info('node-demoted', { nodeId: this.config.nodeId });
  }

  /** The worker's share of the daemon: the local socket, and certificates renewed through a manager. */
  private async serveAsWorker(): Promise<void> {
    const security = this.security;
    if (!security) return;
    this.socket = await serveWorkerSocket(this.dataDir, this.config, this.agent, security);
    const fallback = knownManagers(this.dataDir)[0] ?? '';
    this.renewer = startWorkerRenewal(security, this.dataDir, () => this.agentRef?.connectedTo || fallback, this.log);
  }

  private stopWorkerSide(): void {
    this.renewer?.stop();
    this.renewer = null;
    this.socket?.close();
    this.socket = null;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.stopWorkerSide();
    await this.dockerPlugin?.close();
    await this.agentRef?.close();
    await this.manager?.close();
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
