/**
 * The node daemon's lifecycle: create a cluster (init), join one, or start an
 * existing node from its data dir, and run until SIGTERM/SIGINT.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname as osHostname, networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { SqliteLogStorage } from '../raft/storage/sqlite-log.js';
import type { TransportSecurity } from '../raft/transport/credentials.js';
import { secureDataDir, writeNodeMaterial } from '../security/node-material.js';
import { nodeSecurity } from '../node/security.js';
import { DEFAULT_CERT_EXPIRY_MS, certificateDigest, createKeyAndCsr, joinPem, splitPem, verifiedBy } from '../security/pki.js';
import { startFirstPki, type FirstPkiJob } from './first-pki.js';
import { anonymousCredentials, pinnedRoot } from '../security/join-client.js';
import type { Entry } from '../raft/core/types.js';
import { encodeConfChange } from '../raft/core/index.js';
import { loadProtos } from '../proto/load.js';
import { ShoalError } from '../errors.js';
import { fromServiceError } from './grpc-util.js';
import type { Logger } from './logger.js';
import type { FaultHooks, FaultPoint } from '../raft/storage/faults.js';
import { Manager } from './manager.js';
import { assertNoNode, readNodeConfig, writeNodeConfig, type NodeConfig } from './node-config.js';
import { encodeCommand, type ClusterSettings } from './store/commands.js';
import { StateStore } from './store/state-store.js';
import { newObjectId, newTokenKey, tokenCaDigest, validateTokenSyntax } from './tokens.js';
import { writePidFile } from '../node/pid-file.js';
import type { JoinResponse__Output } from '../generated/shoal/v1/JoinResponse.js';
import { refuseIfRemoved } from './recovery/startup-check.js';

import { PID_FILE, LOG_FILE_NAME } from './paths.js';
export { PID_FILE, LOG_FILE_NAME };

/** Raft timing defaults: 50 ms ticks, elections after 0.5–1 s of silence, heartbeats every 100 ms. */
export const DEFAULT_TIMING = { tickMs: 50, electionTicks: 10, heartbeatTicks: 2 } as const;

export interface NetworkOptions {
  readonly listenAddr: string;
  readonly advertiseAddr?: string;
  readonly hostname?: string;
}

export interface InitOptions extends NetworkOptions {
  readonly dataDir: string;
  readonly defaultAddrPools: readonly string[];
  readonly defaultAddrPoolMaskLength: number;
  readonly dispatcherHeartbeatMs: number;
  readonly snapshotEveryEntries?: number;
  /** Lifetime of node certificates; default 90 days. */
  readonly certExpiryMs?: number;
  /** UDP port of the VXLAN data path, cluster-wide; default 4789. */
  readonly dataPathPort?: number;
  /** How long a worker whose session stream broke may take to reconnect before it is marked down; default 1 s. */
  readonly sessionLossGraceMs?: number;
}

export { assertNoNode }; // lives in node-config.ts, so the CLI can check without loading the daemon

/** What advertiseFor needs to know of the host's interfaces (os.networkInterfaces()). */
export type InterfaceList = NodeJS.Dict<readonly { readonly address: string; readonly family: string | number; readonly internal: boolean }[]>;

/**
 * Resolves the address peers use, as `docker swarm init` does: --advertise-addr
 * (an address, or an interface name whose IPv4 address is taken), else the
 * listen address; when that is a wildcard, the host's one external IPv4
 * address. Several candidates, or none, is an error naming them.
 */
export function advertiseFor(net: NetworkOptions, interfaces: InterfaceList = networkInterfaces()): string {
  const listen = net.listenAddr;
  const port = listen.slice(listen.lastIndexOf(':') + 1);
  const ipv4Of = (name: string): string[] =>
    (interfaces[name] ?? []).filter((a) => (a.family === 'IPv4' || a.family === 4) && !a.address.startsWith('169.254.')).map((a) => a.address);
  if (net.advertiseAddr) {
    const given = net.advertiseAddr;
    const named = interfaces[given] !== undefined ? ipv4Of(given) : null;
    if (named !== null) {
      const [first] = named;
      if (first === undefined) throw new ShoalError('INVALID_ARGUMENT', `--advertise-addr ${given}: interface ${given} has no IPv4 address`);
      return `${first}:${port}`;
    }
    return given.includes(':') ? given : `${given}:${port}`;
  }
  const host = listen.slice(0, listen.lastIndexOf(':'));
  if (host !== '0.0.0.0' && host !== '::' && host !== '[::]' && host !== '') return listen;
  const candidates = Object.entries(interfaces).flatMap(([name, addrs]) =>
    (addrs ?? []).filter((a) => !a.internal && (a.family === 'IPv4' || a.family === 4) && !a.address.startsWith('169.254.')).map((a) => ({ name, address: a.address })),
  );
  const [only] = candidates;
  if (candidates.length === 1 && only) return `${only.address}:${port}`;
  if (candidates.length === 0) {
    throw new ShoalError('INVALID_ARGUMENT', `--advertise-addr is required: listening on all interfaces (${listen}) and this host has no external IPv4 address for other nodes to reach it`);
  }
  const list = candidates.map((c) => `${c.address} on ${c.name}`).join(', ');
  throw new ShoalError('INVALID_ARGUMENT', `--advertise-addr is required: listening on all interfaces (${listen}) and this host has several addresses (${list}); choose one, or an interface name`);
}

/**
 * Writes the first state of a new cluster: a state database holding the
 * cluster and this node (applied at index 1, term 1, with this node as the
 * only voter) and a Raft log that starts with a snapshot of it.
 */
export async function bootstrapCluster(opts: InitOptions, pki?: FirstPkiJob): Promise<NodeConfig> {
  const job = pki ?? startFirstPki();
  try {
    return await bootstrapWith(opts, job);
  } catch (e) {
    job.cancel();
    throw e;
  }
}

/** bootstrapCluster with its certificates being made by `pki` (begun before the daemon loaded its modules: first-pki.ts). */
async function bootstrapWith(opts: InitOptions, pki: FirstPkiJob): Promise<NodeConfig> {
  assertNoNode(opts.dataDir);
  secureDataDir(opts.dataDir);
  const advertiseAddr = advertiseFor(opts);
  const config: NodeConfig = {
    formatVersion: 1,
    nodeId: newObjectId(),
    raftId: 1,
    clusterId: newObjectId(),
    role: 'manager',
    hostname: opts.hostname ?? osHostname(),
    listenAddr: opts.listenAddr,
    advertiseAddr,
    ...DEFAULT_TIMING,
  };
  const settings: ClusterSettings = {
    defaultAddrPools: [...opts.defaultAddrPools],
    defaultAddrPoolMaskLength: opts.defaultAddrPoolMaskLength,
    dispatcherHeartbeatMs: opts.dispatcherHeartbeatMs,
    snapshotEveryEntries: opts.snapshotEveryEntries ?? 10_000,
    certExpiryMs: opts.certExpiryMs ?? DEFAULT_CERT_EXPIRY_MS,
    ...(opts.dataPathPort !== undefined ? { dataPathPort: opts.dataPathPort } : {}),
    ...(opts.sessionLossGraceMs !== undefined ? { sessionLossGraceMs: opts.sessionLossGraceMs } : {}),
  };
  // The cluster's root CA: its key goes into the replicated state (every manager can sign), never into a file of its own.
  // In a worker thread, so the X.509 library does not stay loaded in the daemon (first-pki.ts).
  const { ca, keyPem: ownKeyPem, certPem } = await pki.finish({ nodeId: config.nodeId, clusterId: config.clusterId, validityMs: settings.certExpiryMs ?? DEFAULT_CERT_EXPIRY_MS });
  // The conf-change entry makes this node the only voter; the next one creates the cluster.
  const entries: Entry[] = [
    { term: 1, index: 1, kind: 'conf-change', data: encodeConfChange({ type: 'add-voter', nodeId: config.raftId, context: new TextEncoder().encode(advertiseAddr) }) },
    {
      term: 1,
      index: 2,
      kind: 'normal',
      data: encodeCommand({
        op: 'cluster.init',
        at: Date.now(),
        clusterId: config.clusterId,
        tokenKey: newTokenKey(),
        ca,
        settings,
        node: { id: config.nodeId, raftId: config.raftId, hostname: config.hostname, addr: advertiseAddr },
      }),
    },
  ];
  const store = StateStore.open(opts.dataDir);
  try {
    for (const outcome of store.applyEntries(entries, { voters: [config.raftId], learners: [] })) {
      if (!outcome.ok) throw outcome.error;
    }
    const snapshot = store.snapshot();
    const log = SqliteLogStorage.open(opts.dataDir, { confState: () => store.applied().conf });
    try {
      log.persist({ hardState: { term: 1, vote: 0, commit: 2 }, entries: [], snapshot });
    } finally {
      log.close();
    }
  } finally {
    store.close();
  }
  writeNodeMaterial(opts.dataDir, { caPem: ca.certPem, certPem, keyPem: ownKeyPem });
  writeNodeConfig(opts.dataDir, config);
  return config;
}

export interface JoinOptions extends NetworkOptions {
  readonly dataDir: string;
  readonly token: string;
  readonly managerAddr: string;
}

/**
 * Asks a manager to admit this node; on success writes the node's identity and
 * certificate. The manager's CA is checked against the token's digest before
 * the token or anything else is sent.
 */
export async function joinCluster(opts: JoinOptions): Promise<{ config: NodeConfig; response: JoinResponse__Output }> {
  assertNoNode(opts.dataDir);
  const advertiseAddr = advertiseFor(opts);
  const hostname = opts.hostname ?? osHostname();
  const syntax = validateTokenSyntax(opts.token);
  if (syntax) throw new ShoalError('INVALID_ARGUMENT', syntax);
  const caPem = await pinnedRoot(opts.managerAddr, tokenCaDigest(opts.token));
  const { keyPem, csrPem } = await createKeyAndCsr();
  const client = new (loadProtos().grpcObject.shoal.v1.Raft)(opts.managerAddr, anonymousCredentials(caPem));
  let response: JoinResponse__Output;
  try {
    response = await new Promise<JoinResponse__Output>((resolve, reject) => {
      client.Join(
        { token: opts.token.trim(), advertiseAddr, hostname, platform: { os: process.platform, arch: process.arch }, csr: csrPem },
        { deadline: Date.now() + 20_000 },
        (err, res) => (err ? reject(fromServiceError(err)) : res ? resolve(res) : reject(new ShoalError('INTERNAL', 'empty join response'))),
      );
    });
  } catch (e) {
    const err = fromServiceError(e);
    if (err.code === 'UNAVAILABLE' && /connect|No connection|ECONNREFUSED/i.test(err.message)) {
      throw new ShoalError('UNAVAILABLE', `cannot reach a manager at ${opts.managerAddr}: ${err.message}`);
    }
    throw err;
  } finally {
    client.close();
  }
  if (!verifiedBy(response.certificate, caPem)) {
    throw new ShoalError('INTERNAL', 'the manager answered the join with a certificate not signed by the root the token names; the node was admitted but cannot be trusted: remove it (`shoal node rm`) and join again');
  }
  secureDataDir(opts.dataDir);
  // During a CA rotation the answer's bundle is the pinned root plus the new one: trust both (the
  // bundle came over TLS pinned to the token's root). Otherwise the pinned root alone.
  const bundle = splitPem(response.caCertificate);
  const trust = bundle.some((c) => certificateDigest(c) === certificateDigest(caPem)) ? joinPem(...bundle) : caPem;
  writeNodeMaterial(opts.dataDir, { caPem: trust, certPem: response.certificate, keyPem });
  const config: NodeConfig = {
    formatVersion: 1,
    nodeId: response.nodeId,
    raftId: Number(response.raftId),
    clusterId: response.clusterId,
    role: response.role === 'NODE_ROLE_MANAGER' ? 'manager' : 'worker',
    hostname,
    listenAddr: opts.listenAddr,
    advertiseAddr,
    ...DEFAULT_TIMING,
  };
  writeNodeConfig(opts.dataDir, config);
  // Remember the members so a restart before the first snapshot still finds them.
  writeFileSync(join(opts.dataDir, 'join-peers.json'), JSON.stringify(response.members.map((p) => ({ raftId: Number(p.raftId), addr: p.addr }))));
  return { config, response };
}

function initialPeers(dataDir: string): { raftId: number; addr: string }[] {
  const file = join(dataDir, 'join-peers.json');
  if (!existsSync(file)) return [];
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as { raftId: number; addr: string }[];
  } catch {
    return [];
  }
}


/** Runs a manager from its data dir until a signal stops it. */
export async function runManager(dataDir: string, log: Logger, securityOverride?: TransportSecurity): Promise<Manager> {
  const config = readNodeConfig(dataDir);
  if (!config) throw new ShoalError('FAILED_PRECONDITION', `no node in ${dataDir}: run \`shoal init\` or \`shoal join\` first`);
  const security = securityOverride ?? nodeSecurity(dataDir, config.clusterId);
  if (config.role !== 'manager') {
    throw new ShoalError('FAILED_PRECONDITION', `the node in ${dataDir} is a worker; run it with runNode (src/node/daemon.ts)`);
  }
  // A manager removed while it was away (e.g. by a forced new cluster) must not come back with its old state.
  await refuseIfRemoved(dataDir, config, security);
  // The start time next to the pid tells a stale pid file (pid reused by another process) from a live daemon.
  writePidFile(dataDir);
  // Test and tuning knobs: snapshot often and keep few entries behind it, so lagging followers catch up by snapshot.
  const envSnapshot = Number(process.env['SHOAL_SNAPSHOT_EVERY'] ?? '');
  const envKeep = Number(process.env['SHOAL_SNAPSHOT_KEEP_ENTRIES'] ?? '');
  const manager = await Manager.start({
    dataDir,
    config,
    security,
    log,
    initialPeers: initialPeers(dataDir),
    ...(envSnapshot > 0 ? { snapshotEveryEntries: envSnapshot } : {}),
    ...(envKeep >= 0 && process.env['SHOAL_SNAPSHOT_KEEP_ENTRIES'] ? { keepEntriesAfterSnapshot: envKeep } : {}),
    ...crashHookFromEnv(log),
  });
  return manager;
}

/**
 * Crash tests: SHOAL_CRASH_AT=<fault point> (see raft/storage/faults.ts) makes
 * the daemon kill itself with SIGKILL, as `kill -9` would, when its Raft log
 * reaches that point. `persist:after-snapshot-file` and `persist:after-commit`
 * fire only for a persist that carries a snapshot from the leader: the crash
 * falls in the middle of installing it.
 */
function crashHookFromEnv(log: Logger): { logFaults?: FaultHooks } {
  const at = process.env['SHOAL_CRASH_AT'];
  if (!at) return {};
  return {
    logFaults: {
      before(point: FaultPoint): void {
        if (point !== at) return;
        log.warn('crash-at-fault-point', { point });
        process.kill(process.pid, 'SIGKILL');
      },
    },
  };
}

/** After leaving: the node's cluster state is removed so it cannot come back by accident. */
export function wipeNodeState(dataDir: string): void {
  const files = ['certificates', 'node.json', 'join-peers.json', 'managers.json', 'raft.db', 'raft.db-wal', 'raft.db-shm', 'state.db', 'state.db-wal', 'state.db-shm'];
  const agentFiles = ['agent.db', 'agent.db-wal', 'agent.db-shm', 'tasks'];
  for (const f of [...files, ...agentFiles, 'snapshots', 'shoal.sock', PID_FILE]) {
    rmSync(join(dataDir, f), { recursive: true, force: true });
  }
}

export { nodeSecurity }; // lives in src/node/security.ts; re-exported for older imports
