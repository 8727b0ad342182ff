/**
 * A manager process: the Raft node (core + SQLite log + state store + gRPC
 * transport, driven by the node shell), the gRPC server that serves the
 * public API and the manager-to-manager Raft service, and the leader-side
 * membership monitor. Composition only: each part lives in its own module.
 */
import * as grpc from '@grpc/grpc-js';
import { randomInt } from 'node:crypto';
import { chmodSync, existsSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { RawNode, createRandom } from '../raft/core/index.js';
import type { ConfChange, NodeId } from '../raft/core/types.js';
import { NodeShell, NotLeaderError } from '../raft/node-shell.js';
import { SqliteLogStorage } from '../raft/storage/sqlite-log.js';
import type { FaultHooks } from '../raft/storage/faults.js';
import { GrpcRaftTransport } from '../raft/transport/grpc-transport.js';
import type { TransportSecurity } from '../raft/transport/credentials.js';
import { raftServerOptions } from '../raft/transport/limits.js';
import { SHOAL_SERVICE_NAMES, loadProtos } from '../proto/load.js';
import { addHealthAndReflection } from '../proto/health.js';
import { ShoalError } from '../errors.js';
import type { Logger } from './logger.js';
import type { NodeConfig } from './node-config.js';
import { StateStore } from './store/state-store.js';
import { encodeCommand, type Command } from './store/commands.js';
import { listManagers, nodeByRaftId } from './store/queries.js';
import { controlHandlers } from './control-service.js';
import { raftServiceHandlers } from './raft-service.js';
import { MembershipMonitor } from './membership.js';
import { PeerClients } from './peer-clients.js';
import { addNetworkServices } from './network-control.js';
import { addServiceServices } from './service-control.js';
import { addDispatcherServices, startLeaderLoops } from './dispatcher.js';
import { addLogsService } from './log-broker.js';
import { addBackupService } from './recovery/backup-service.js';
import { RemovedMembers } from './recovery/removed-guard.js';
import { addCertificateAuthorityService } from './ca-service.js';
import { securePort, startManagerRenewal } from './security-hooks.js';
import { raftPeerAuthenticator } from './raft-identity.js';
import { MtlsSecurity } from '../security/mtls.js';
import { startReservationSweeper } from './reservation-sweeper.js';
import { leaderlessForMs, trackLeadership } from './leaderless.js';

export interface ManagerOptions {
  readonly dataDir: string;
  readonly config: NodeConfig;
  readonly security: TransportSecurity;
  readonly log: Logger;
  /** Peers known before the state store has them (a manager that just joined). */
  readonly initialPeers?: readonly { raftId: number; addr: string }[];
  /** Snapshot interval; default 10,000 applied entries. */
  readonly snapshotEveryEntries?: number;
  /** Log entries kept behind a snapshot for followers that lag a little; default 1,000. */
  readonly keepEntriesAfterSnapshot?: number;
  readonly requestTimeoutMs?: number;
  /** Hooks at named points of the Raft log's write paths (crash tests). */
  readonly logFaults?: FaultHooks;
}

import { SOCKET_FILE } from './paths.js';
export { SOCKET_FILE };

export class Manager {
  readonly peers: PeerClients;
  private readonly monitor: MembershipMonitor;
  private closed = false;
  private stopLeaderLoops: () => void = () => undefined;
  private stopRenewal: () => void = () => undefined;

  private constructor(
    readonly opts: ManagerOptions,
    readonly store: StateStore,
    readonly raftLog: SqliteLogStorage,
    readonly shell: NodeShell,
    readonly transport: GrpcRaftTransport,
    readonly server: grpc.Server,
  ) {
    this.peers = new PeerClients(opts.security);
    this.monitor = new MembershipMonitor(this);
  }

  static async start(opts: ManagerOptions): Promise<Manager> {
    const { dataDir, config, log } = opts;
    const store = StateStore.open(dataDir);
    const raftLog = SqliteLogStorage.open(dataDir, { confState: () => store.applied().conf, ...(opts.logFaults ? { faults: opts.logFaults } : {}) });
    // A crash between persisting a received snapshot and installing it leaves the store behind the log's start.
    const snap = raftLog.snapshot();
    if (snap.meta.index > store.applied().index) {
      log.info('snapshot-restore-on-start', { index: snap.meta.index, term: snap.meta.term });
      store.restore(snap);
    }
    // The commit index is persisted without an fsync (Ready.mustSync), so after a power loss it can
    // trail what state.db applied. Applied entries were committed and are in the (fsynced) log.
    const { hardState } = raftLog.initialState();
    if (store.applied().index > hardState.commit) {
      log.info('commit-index-restored', { from: hardState.commit, to: store.applied().index });
      raftLog.persist({ hardState: { ...hardState, commit: store.applied().index }, entries: [], snapshot: null });
    }
    const core = new RawNode({
      id: config.raftId,
      storage: raftLog,
      random: createRandom(randomInt(1, 2 ** 31)),
      electionTicks: config.electionTicks,
      heartbeatTicks: config.heartbeatTicks,
      applied: store.applied().index,
      logger: { info: (event, fields) => log.info(`raft-${event}`, fields) },
    });
    let shellRef: NodeShell | null = null;
    // Managers this cluster removed (e.g. by a forced new cluster) are refused at the transport.
    const removedMembers = new RemovedMembers(config.raftId, () => ({ db: store.db, conf: shellRef?.membership ?? store.applied().conf }));
    const transport = new GrpcRaftTransport({
      selfId: config.raftId,
      security: opts.security,
      admit: (from) => removedMembers.admit(from),
      // Over mutual TLS, each stream's certificate must be the member its messages claim to come from.
      ...(opts.security instanceof MtlsSecurity && opts.security.verifiesPeers ? { authenticate: raftPeerAuthenticator({ db: () => store.db, selfRaftId: config.raftId, clusterId: config.clusterId }) } : {}),
      onMessages: (batch) => shellRef?.receive(batch),
      onUnreachable: (peer) => shellRef?.reportUnreachable(peer),
      onPeerStreamBroken: (peer) => shellRef?.reportStreamBroken(peer),
    });
    const shell = new NodeShell(core, raftLog, store, transport, {
      tickMs: config.tickMs,
      snapshotEveryEntries: opts.snapshotEveryEntries ?? 10_000,
      keepEntriesAfterSnapshot: opts.keepEntriesAfterSnapshot ?? 1_000,
      requestTimeoutMs: opts.requestTimeoutMs ?? 10_000,
      peerActivityWindowMs: 2 * config.electionTicks * config.tickMs,
      // For A/B measurements of the same build only (docs/benchmarks.md); not a user setting.
      sendBeforePersist: process.env['SHOAL_BENCH_SEND_BEFORE_PERSIST'] === '1',
      log: (event, fields) => {
        if (event !== 'applied' && event !== 'leader-changed') log.info(event, fields);
      },
    });
    shellRef = shell;
    // No channelz: its per-call bookkeeping was ~4 % of the manager's CPU per API call, for a debug service never served.
    const server = new grpc.Server({ ...raftServerOptions(), 'grpc.enable_channelz': 0 });
    const manager = new Manager(opts, store, raftLog, shell, transport, server);
    for (const p of opts.initialPeers ?? []) if (p.raftId !== config.raftId) transport.setPeer(p.raftId, p.addr);
    manager.syncPeers();
    shell.onEvent((e) => {
      if (e.type === 'membership' || e.type === 'snapshot-installed') {
        manager.syncPeers();
        removedMembers.refresh();
      }
      if (e.type === 'applied') manager.monitor.onApplied();
    });
    await manager.serve();
    shell.start();
    manager.monitor.start();
    trackLeadership(manager);
    const stopDispatcherLoops = startLeaderLoops(manager);
    const stopSweeper = startReservationSweeper(manager);
    manager.stopRenewal = startManagerRenewal(manager);
    manager.stopLeaderLoops = () => {
      stopSweeper();
      stopDispatcherLoops();
    };
    // A lone voter need not wait out an election timeout.
    const conf = store.applied().conf;
    if (conf.voters.length === 1 && conf.voters[0] === config.raftId) shell.campaign();
    log.info('manager-started', { nodeId: config.nodeId, raftId: config.raftId, listen: config.listenAddr, applied: store.applied().index });
    return manager;
  }

  get config(): NodeConfig {
    return this.opts.config;
  }

  get log(): Logger {
    return this.opts.log;
  }

  get socketPath(): string {
    return join(this.opts.dataDir, SOCKET_FILE);
  }

  /** Runs `fn` on state that reflects every write committed before the call (ReadIndex). */
  async read<T>(fn: (db: StateStore['db']) => T): Promise<T> {
    await this.shell.linearizableBarrier();
    return fn(this.store.db);
  }

  /** Proposes a command and resolves with its apply result. Throws NotLeaderError on a follower. */
  write(cmd: Command): Promise<unknown> {
    return this.shell.propose(encodeCommand(cmd));
  }

  proposeConfChange(cc: ConfChange): Promise<unknown> {
    return this.shell.proposeConfChange(cc);
  }

  /** The leader's advertise address, or an UNAVAILABLE error when no leader is known. */
  leaderAddr(): string {
    const leader = this.shell.leaderId;
    if (leader === 0) throw noLeaderError(this);
    if (leader === this.config.raftId) return this.config.advertiseAddr;
    const node = nodeByRaftId(this.store.db, leader);
    const addr = node?.addr;
    if (!addr) throw new ShoalError('UNAVAILABLE', `the leader (raft node ${leader}) has no known address yet; retry shortly`);
    return addr;
  }

  /** Points the transport at every member's current address. */
  syncPeers(): void {
    const conf = this.store.applied().conf;
    const members = new Set<NodeId>([...conf.voters, ...conf.learners]);
    for (const n of listManagers(this.store.db)) {
      if (n.role === 'manager' && n.raftId !== this.config.raftId && members.has(n.raftId)) this.transport.setPeer(n.raftId, n.addr);
    }
  }

  isNotLeader(e: unknown): e is NotLeaderError {
    return e instanceof NotLeaderError;
  }

  private async serve(): Promise<void> {
    const protos = loadProtos().grpcObject.shoal.v1;
    // The Control handlers are assembled from three modules (nodes and cluster, networks, services).
    this.server.addService(protos.Control.service, controlHandlers(this) as grpc.UntypedServiceImplementation);
    this.server.addService(protos.Raft.service, raftServiceHandlers(this));
    addNetworkServices(this.server, this);
    addServiceServices(this.server, this);
    addDispatcherServices(this.server, this);
    addLogsService(this.server, this);
    addBackupService(this.server, this);
    addCertificateAuthorityService(this.server, this);
    addHealthAndReflection(this.server, SHOAL_SERVICE_NAMES);
    // TCP: mutual TLS, every call authorized by the caller's certificate (security-hooks.ts).
    await bind(this.server, this.config.listenAddr, securePort(this));
    // The local socket is for the CLI on this machine: owner-only, in the owner-only data dir.
    if (existsSync(this.socketPath)) unlinkSync(this.socketPath);
    await bind(this.server, `unix://${this.socketPath}`, grpc.ServerCredentials.createInsecure());
    chmodSync(this.socketPath, 0o600);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.monitor.stop();
    this.stopLeaderLoops();
    this.stopRenewal();
    this.shell.stop();
    await this.transport.close();
    this.peers.close();
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.server.forceShutdown();
        resolve();
      }, 2_000);
      this.server.tryShutdown(() => {
        clearTimeout(timer);
        resolve();
      });
    });
    this.raftLog.close();
    this.store.close();
    this.log.info('manager-stopped', { nodeId: this.config.nodeId });
  }
}

/**
 * No leader: after a few election timeouts without one, elections are failing — most likely
 * too few managers can reach each other — which is worth saying differently from a normal
 * election in progress. Either way the write was not applied.
 */
function noLeaderError(m: Manager): ShoalError {
  const electionMs = 2 * m.config.electionTicks * m.config.tickMs;
  const leaderless = leaderlessForMs(m);
  const voters = m.shell.membership.voters.length;
  if (leaderless > 3 * electionMs) {
    return new ShoalError(
      'UNAVAILABLE',
      `no leader can be elected: for ${(leaderless / 1000).toFixed(1)} s no election has succeeded, so fewer than a quorum (${Math.floor(voters / 2) + 1} of ${voters}) of the managers can reach each other; the write was not applied`,
    );
  }
  return new ShoalError('UNAVAILABLE', 'no leader yet: an election is in progress; the write was not applied');
}

function bind(server: grpc.Server, addr: string, creds: grpc.ServerCredentials): Promise<number> {
  return new Promise((resolve, reject) => {
    server.bindAsync(addr, creds, (err, port) => {
      if (err) reject(new ShoalError('FAILED_PRECONDITION', `cannot listen on ${addr}: ${err.message}`));
      else resolve(port);
    });
  });
}
