import type { Argv } from 'yargs';
import { resolve } from 'node:path';
import { ShoalError } from '../../src/errors.js';
import { assertNoNode, readNodeConfig } from '../../src/node/node-config.js';
import { Api, targetFor, type GlobalArgs } from '../client.js';
import { daemonPid, startInBackground, stopDaemon } from '../daemon-control.js';
import { runDaemonPlan, type DaemonPlan } from '../daemon-plan.js';
import { waitUntilVoter } from '../join-wait.js';
import { parseDuration, toList } from '../parse.js';
import { STOP_GRACE_MS } from '../../src/worker/reconciler.js';
import { JOIN_TOKEN_ENV } from '../../src/security/node-renewal.js';
import { minCertExpiryMs } from '../../src/security/pki.js';
import { checkCertExpiry } from './ca.js';
import { dataPlaneArgs, dataPlaneOptions, printDataPlaneStatus, removeNodeDataPlane, saveDataPlaneSettings } from './data-plane-options.js';

interface NetArgs extends GlobalArgs {
  listenAddr: string;
  advertiseAddr?: string | undefined;
  hostname?: string | undefined;
  foreground: boolean;
  dataPlane: string;
  dataPathAddr?: string | undefined;
}

function netOptions<T>(y: Argv<T>): Argv<T & NetArgs> {
  return y
    .option('listen-addr', { type: 'string', default: '0.0.0.0:4242', describe: 'Listen address HOST:PORT for the gRPC API and Raft' })
    .option('advertise-addr', { type: 'string', describe: 'Address other nodes use to reach this one: HOST[:PORT] or an interface name (default: the listen address, or the host\'s one external IPv4 address)' })
    .option('hostname', { type: 'string', describe: "The node's name (default: this machine's hostname)" })
    .option('foreground', { type: 'boolean', default: false, describe: 'Stay attached and log to stderr' })
    .option(...dataPlaneOptions.mode)
    .option(...dataPlaneOptions.addr) as unknown as Argv<T & NetArgs>;
}

/**
 * Runs `plan` (bin/daemon-plan.ts): with --foreground in this process, which keeps running the node
 * daemon (logs to stderr); otherwise in a detached daemon, returning once the node answers.
 */
async function runDaemon(plan: DaemonPlan, foreground: boolean, whenReady?: Parameters<typeof startInBackground>[2]): Promise<void> {
  if (foreground) return runDaemonPlan(plan);
  return startInBackground(plan.dataDir, plan, whenReady);
}

/** After `init`, on the connection that saw the node ready (its answer names the node). */
async function printJoinHint(api: Api, info: { nodeId: string }): Promise<void> {
  const tokens = await api.joinTokens();
  const addr = tokens.managerAddrs[0] ?? '';
  process.stdout.write(
    `Cluster initialized: current node (${info.nodeId}) is now a manager.\n\n` +
      `To add a worker to this cluster, run the following command:\n\n    shoal join --token ${tokens.worker} ${addr}\n\n` +
      `To add a manager to this cluster, run 'shoal join-token manager' and follow the instructions.\n`,
  );
}

export function registerLifecycle(cli: Argv<GlobalArgs>): Argv<GlobalArgs> {
  return cli
    .command(
      'init',
      'Create a new cluster with this node as its only manager',
      (y) =>
        netOptions(y)
          .option('default-addr-pool', { type: 'string', default: ['10.0.0.0/8'], coerce: toList, describe: 'Address pool for overlay subnets, CIDR (repeatable)' })
          .option('default-addr-pool-mask-length', { type: 'number', default: 24, describe: 'Prefix length of the subnets cut from the pools' })
          .option('dispatcher-heartbeat', { type: 'string', default: '1s', describe: 'Worker heartbeat period (e.g. 1s, 500ms); a worker is marked down after 3 missed' })
          .option('dispatcher-session-grace', { type: 'string', default: '1s', describe: "How long a worker whose session broke (its process died) has to reconnect before it is marked down" })
          .option('cert-expiry', { type: 'string', default: '2160h', describe: 'Lifetime of node certificates (renewed at 50-80 % of it); at least 1h' })
          .option('force-new-cluster', { type: 'boolean', default: false, describe: 'Disaster recovery: make this manager the only manager of its cluster, keeping the state (see `--from-backup`)' })
          .option('from-backup', { type: 'string', describe: 'With --force-new-cluster, on a fresh data dir: start from this `shoal backup` file' })
          .option('force', { type: 'boolean', default: false, describe: 'With --force-new-cluster: go ahead even if a quorum of the old managers answers' })
          .option(...dataPlaneOptions.port)
          .example('$0 init --listen-addr 127.0.0.1:4242', 'Start a one-manager cluster on loopback')
          .example('$0 init --force-new-cluster', 'Recover a cluster that lost its quorum, on a surviving manager'),
      async (a) => {
        const dataDir = resolve(a.dataDir);
        if (a.forceNewCluster || a.fromBackup !== undefined) {
          if (!a.forceNewCluster) throw new ShoalError('INVALID_ARGUMENT', '--from-backup needs --force-new-cluster');
          // The daemon only starts the node: the recovery itself happens here, once. Loaded only here:
          // it brings the manager's store and Raft log (and SQLite) into the CLI.
          const { forceNewCluster, printRecoveryNextSteps } = await import('./recovery.js');
          const report = await forceNewCluster({ ...a, dataDir });
          await runDaemon({ kind: 'start', dataDir }, a.foreground);
          if (a.foreground) return;
          await printRecoveryNextSteps(a, report);
          return;
        }
        const mask = a.defaultAddrPoolMaskLength;
        if (!Number.isInteger(mask) || mask < 8 || mask > 30) {
          throw new ShoalError('INVALID_ARGUMENT', `--default-addr-pool-mask-length ${mask} is out of range: use 8 to 30`);
        }
        const heartbeatMs = parseDuration(a.dispatcherHeartbeat, '--dispatcher-heartbeat');
        const sessionLossGraceMs = parseDuration(a.dispatcherSessionGrace, '--dispatcher-session-grace');
        const certExpiryMs = checkCertExpiry(parseDuration(a.certExpiry, '--cert-expiry'), minCertExpiryMs());
        if (!a.foreground) assertNoNode(dataDir);
        const dataPlane = saveDataPlaneSettings(null, a);
        const plan: DaemonPlan = {
          kind: 'init',
          dataDir,
          init: {
            ...(dataPlane.port !== undefined ? { dataPathPort: dataPlane.port } : {}),
            listenAddr: a.listenAddr,
            ...(a.advertiseAddr ? { advertiseAddr: a.advertiseAddr } : {}),
            ...(a.hostname ? { hostname: a.hostname } : {}),
            defaultAddrPools: a.defaultAddrPool,
            defaultAddrPoolMaskLength: mask,
            dispatcherHeartbeatMs: heartbeatMs,
            sessionLossGraceMs,
            certExpiryMs,
          },
          dataPlane: dataPlaneArgs(a),
        };
        await runDaemon(plan, a.foreground, printJoinHint);
        if (a.foreground) return;
        await printDataPlaneStatus(dataDir);
      },
    )
    .command(
      'join <manager-addr>',
      'Join a cluster as a worker or manager (the token decides)',
      (y) =>
        netOptions(y)
          .positional('manager-addr', { type: 'string', demandOption: true, describe: 'Address HOST:PORT of any manager' })
          .option('token', { type: 'string', demandOption: true, describe: 'Join token from `shoal join-token`' })
          .option('detach', { alias: 'd', type: 'boolean', default: false, describe: 'As a manager, return once started instead of once it votes' })
          .example('$0 join --token SWMTKN-1-… --listen-addr 127.0.0.1:4243 127.0.0.1:4242', 'Join on loopback'),
      async (a) => {
        const dataDir = resolve(a.dataDir);
        saveDataPlaneSettings(null, a);
        if (!a.foreground) assertNoNode(dataDir);
        const plan: DaemonPlan = {
          kind: 'join',
          dataDir,
          join: {
            token: String(a.token),
            managerAddr: String(a.managerAddr),
            listenAddr: a.listenAddr,
            ...(a.advertiseAddr ? { advertiseAddr: a.advertiseAddr } : {}),
            ...(a.hostname ? { hostname: a.hostname } : {}),
          },
          dataPlane: dataPlaneArgs(a),
        };
        await runDaemon(plan, a.foreground);
        if (a.foreground) return;
        const c = readNodeConfig(dataDir);
        if (c?.role === 'manager' && !a.detach) await waitUntilVoter(dataDir, c.raftId);
        process.stdout.write(`This node joined a cluster as a ${c?.role ?? 'node'} (node ID ${c?.nodeId ?? '?'}).\n`);
        await printDataPlaneStatus(dataDir);
      },
    )
    .command(
      'start',
      'Start an existing node again from its data dir',
      (y) =>
        y
          .option('foreground', { type: 'boolean', default: false, describe: 'Stay attached and log to stderr' })
          .option('token', { type: 'string', describe: 'A current join token, to renew a certificate that expired while the node was off' }),
      async (a) => {
        const dataDir = resolve(a.dataDir);
        if (!readNodeConfig(dataDir)) throw new ShoalError('FAILED_PRECONDITION', `no node in ${dataDir}: run \`shoal init\` or \`shoal join\` first`);
        // The daemon reads it from its environment, so the token never shows in a process listing.
        if (a.token) process.env[JOIN_TOKEN_ENV] = a.token;
        if (!a.foreground) {
          const pid = daemonPid(dataDir);
          if (pid !== null) throw new ShoalError('FAILED_PRECONDITION', `the node in ${dataDir} is already running (pid ${pid})`);
        }
        await runDaemon({ kind: 'start', dataDir }, a.foreground);
        if (a.foreground) return;
        process.stdout.write('Node started.\n');
      },
    )
    .command('stop', 'Stop the local node daemon without leaving the cluster', (y) => y, async (a) => {
      const stopped = await stopDaemon(resolve(a.dataDir));
      if (!stopped) throw new ShoalError('FAILED_PRECONDITION', `no node daemon is running for ${resolve(a.dataDir)}`);
      process.stdout.write('Node stopped.\n');
    })
    .command(
      'leave',
      'Leave the cluster and stop the daemon',
      (y) => y.option('force', { alias: 'f', type: 'boolean', default: false, describe: 'Leave even if it costs quorum or is the last manager' }),
      async (a) => {
        const dataDir = resolve(a.dataDir);
        const config = readNodeConfig(dataDir);
        if (!config) throw new ShoalError('FAILED_PRECONDITION', `this node is not part of a cluster (no node in ${dataDir})`);
        const api = new Api(targetFor({ ...a, host: undefined }));
        try {
          await api.leave({ nodeId: config.nodeId, force: a.force });
        } catch (e) {
          if (!a.force) throw e;
          process.stderr.write(`Warning: the cluster could not be told (${e instanceof Error ? e.message : String(e)}); leaving locally.\n`);
        } finally {
          api.close();
        }
        await stopDaemon(dataDir);
        const { stopLocalTasks } = await import('../../src/worker/stop-local-tasks.js');
        const { wipeNodeState } = await import('../../src/manager/daemon.js');
        const stopped = await stopLocalTasks(dataDir, STOP_GRACE_MS);
        if (stopped > 0) process.stdout.write(`Stopped ${stopped} task(s) and container(s) of this node.\n`);
        await leaveDockerNetworks(dataDir, config.nodeId);
        await removeNodeDataPlane(dataDir, config.nodeId);
        wipeNodeState(dataDir);
        process.stdout.write('Node left the cluster.\n');
      },
    )
    .command(
      'join-token <role>',
      'Print the command (or with -q the token) to join as worker or manager',
      (y) =>
        y
          .positional('role', { choices: ['worker', 'manager'] as const, demandOption: true })
          .option('rotate', { type: 'boolean', default: false, describe: 'Replace the token; the old one stops working' }),
      async (a) => {
        const api = new Api(targetFor(a));
        try {
          let token: string;
          if (a.rotate) {
            const r = await api.rotateJoinToken({ role: a.role === 'manager' ? 'NODE_ROLE_MANAGER' : 'NODE_ROLE_WORKER' });
            token = r.token;
          }
          const t = await api.joinTokens();
          token = a.role === 'manager' ? t.manager : t.worker;
          if (a.quiet) {
            process.stdout.write(`${token}\n`);
            return;
          }
          if (a.rotate) process.stdout.write(`Successfully rotated ${a.role} join token.\n\n`);
          process.stdout.write(`To add a ${a.role} to this cluster, run the following command:\n\n    shoal join --token ${token} ${t.managerAddrs[0] ?? ''}\n`);
        } finally {
          api.close();
        }
      },
    );
}

/** After `leave`: the Docker networks this node's plugin made go, except those containers still use (named). */
async function leaveDockerNetworks(dataDir: string, nodeId: string): Promise<void> {
  const { leaveDockerNetworks: leave } = await import('../../src/worker/docker-plugin/leave.js');
  const left = await leave(dataDir, nodeId).catch((e: unknown) => {
    process.stderr.write(`Warning: the Docker networks Shoal made on this node were not removed: ${e instanceof Error ? e.message : String(e)}\n`);
    return null;
  });
  if (!left) return;
  if (left.removed.length > 0) process.stdout.write(`Removed Docker network(s) made by Shoal: ${left.removed.join(', ')}.\n`);
  for (const k of left.kept) process.stdout.write(`Left Docker network ${k.name} in place: ${k.reason}.\n`);
}
