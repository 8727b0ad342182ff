/**
 * Disaster recovery on the command line:
 * - `shoal backup --out FILE`: an online, consistent copy of the replicated state;
 * - `shoal init --force-new-cluster [--from-backup FILE] [--force]`: a one-manager
 *   cluster from a surviving manager's state, or from a backup (the init
 *   command in lifecycle.ts hands over to forceNewCluster()).
 */
import type { Argv } from 'yargs';
import { resolve } from 'node:path';
import { ShoalError } from '../../src/errors.js';
import type { BackupChunk__Output } from '../../src/generated/shoal/v1/BackupChunk.js';
import type { BackupMeta__Output } from '../../src/generated/shoal/v1/BackupMeta.js';
import { fromServiceError } from '../../src/manager/grpc-util.js';
import { readNodeConfig } from '../../src/manager/node-config.js';
import { readBackupFile, sha256Hex, writeBackupFile, type BackupHeader } from '../../src/manager/recovery/backup-file.js';
import { forceNewClusterInPlace, restoreFromBackup, type ForceReport } from '../../src/manager/recovery/force-new-cluster.js';
import { probeQuorum, readOldMembership } from '../../src/manager/recovery/quorum-probe.js';
import { loadProtos } from '../../src/proto/load.js';
import { CLIENT_CHANNEL_OPTIONS, clientCredentials } from '../tls.js';
import { Api, targetFor, type GlobalArgs } from '../client.js';
import { daemonPid, stopDaemon } from '../daemon-control.js';

/** How long each old member gets to answer the health probe. */
const PROBE_TIMEOUT_MS = 2_000;
const BACKUP_TIMEOUT_MS = 5 * 60_000;

export interface ForceArgs extends GlobalArgs {
  readonly fromBackup?: string | undefined;
  readonly force: boolean;
  readonly listenAddr: string;
  readonly advertiseAddr?: string | undefined;
  readonly hostname?: string | undefined;
}

/**
 * Does the offline part of `init --force-new-cluster` (the daemon is stopped
 * first if it runs) and prints what was done. The caller starts the daemon.
 */
export async function forceNewCluster(a: ForceArgs): Promise<ForceReport> {
  const dataDir = resolve(a.dataDir);
  if (a.fromBackup !== undefined) {
    const file = resolve(a.fromBackup);
    const backup = readBackupFile(file); // every check before anything is written
    const { report } = restoreFromBackup(
      { dataDir, listenAddr: a.listenAddr, ...(a.advertiseAddr ? { advertiseAddr: a.advertiseAddr } : {}), ...(a.hostname ? { hostname: a.hostname } : {}) },
      backup,
      Date.now(),
    );
    process.stdout.write(
      `Restored cluster ${report.clusterId} from ${file} (Raft index ${backup.header.index}, term ${backup.header.term}, taken on ${backup.header.hostname}).\n` +
        `This node (${report.nodeId}) is its only manager; the backup's ${report.removed.length} manager(s) were removed from the membership.\n`,
    );
    return report;
  }
  const config = readNodeConfig(dataDir);
  if (!config) {
    throw new ShoalError('FAILED_PRECONDITION', `no node in ${dataDir}: run \`shoal init --force-new-cluster\` on a surviving manager, or add \`--from-backup FILE\` to start from a backup`);
  }
  if (config.role !== 'manager') {
    throw new ShoalError('FAILED_PRECONDITION', `this node (${config.hostname}) is a worker: it was never a manager and holds no copy of the cluster state; run \`shoal init --force-new-cluster\` on a surviving manager`);
  }
  if (!a.force) {
    const old = readOldMembership(dataDir);
    // The old members answer only callers with a certificate of this cluster: this node's own.
    const { nodeSecurity } = await import('../../src/manager/daemon.js');
    const probe = await probeQuorum(config.raftId, old, nodeSecurity(dataDir, config.clusterId), PROBE_TIMEOUT_MS);
    if (probe.reachable.length >= probe.quorum) {
      const names = probe.reachable.map((m) => `${m.hostname} (${m.addr})`).join(', ');
      throw new ShoalError(
        'FAILED_PRECONDITION',
        `this manager still reaches ${probe.reachable.length} of ${probe.voters} managers (${names}), a quorum of ${probe.quorum}: there is nothing to recover. ` +
          'Use --force to make this node the only manager anyway (the others will be removed)',
      );
    }
  }
  if (daemonPid(dataDir) !== null) {
    process.stdout.write('Stopping the node daemon...\n');
    await stopDaemon(dataDir);
  }
  const report = forceNewClusterInPlace(dataDir, Date.now());
  const removed = report.removed.map((r) => `${r.hostname || `raft node ${r.raftId}`} (${r.nodeId || '?'}${r.addr ? `, ${r.addr}` : ''})`).join(', ');
  process.stdout.write(
    `Forced a new cluster: cluster ${report.clusterId} continues with this node (${report.nodeId}) as its only manager,\n` +
      `with the state it had applied (Raft index ${report.fromIndex}); it starts at index ${report.index}, term ${report.term}.\n` +
      `Removed from the managers: ${removed || 'none'}.\n`,
  );
  return report;
}

/** The hints printed once the recovered node runs. */
export async function printRecoveryNextSteps(a: GlobalArgs, report: ForceReport): Promise<void> {
  const api = new Api(targetFor({ ...a, host: undefined }));
  try {
    const tokens = await api.joinTokens();
    const addr = tokens.managerAddrs[0] ?? '';
    const lost = report.removed.map((r) => r.nodeId).filter((id) => id !== '');
    process.stdout.write(
      `\nWorkers reconnect to this manager by themselves. Next:\n` +
        `  - add managers (2 more restore a quorum that survives one failure): on each new machine run\n\n      shoal join --token ${tokens.manager} ${addr}\n\n` +
        (lost.length > 0 ? `  - drop the lost managers from the node list: shoal node rm --force ${lost.join(' ')}\n` : '') +
        `  - never start a lost manager again with its old data: run \`shoal leave --force\` on it first (this cluster refuses it).\n`,
    );
  } finally {
    api.close();
  }
}

export function registerRecovery(cli: Argv<GlobalArgs>): Argv<GlobalArgs> {
  return cli.command(
    'backup',
    'Write a consistent copy of the cluster state to a file (online, on any manager)',
    (y) =>
      y
        .option('out', { alias: 'o', type: 'string', demandOption: true, describe: 'The backup file to write' })
        .example('$0 backup --out /var/backups/shoal-$(date +%F).bak', 'Back up through the local manager'),
    async (a) => {
      const file = resolve(a.out);
      if (!a.host && readNodeConfig(resolve(a.dataDir))?.role === 'worker') {
        throw new ShoalError('FAILED_PRECONDITION', 'this node is a worker and holds no copy of the cluster state: run `shoal backup` on a manager, or point -H at one');
      }
      const { header, image } = await fetchBackup(targetFor(a));
      writeBackupFile(file, header, image);
      process.stdout.write(
        `Backup of cluster ${header.clusterId} written to ${file}: Raft index ${header.index}, term ${header.term}, ${header.bytes} bytes, sha256 ${header.sha256}.\n` +
          `Restore it on a fresh data dir with: shoal init --force-new-cluster --from-backup ${file}\n`,
      );
    },
  );
}

/** Streams a backup from the manager at `target` and checks its size and checksum against its meta. */
export function fetchBackup(target: string): Promise<{ header: BackupHeader; image: Buffer }> {
  const client = new (loadProtos().grpcObject.shoal.v1.Backup)(target, clientCredentials(target), CLIENT_CHANNEL_OPTIONS);
  return new Promise((resolvePromise, reject) => {
    let meta: BackupMeta__Output | null = null;
    const parts: Buffer[] = [];
    const stream = client.Save({}, { deadline: Date.now() + BACKUP_TIMEOUT_MS });
    stream.on('data', (chunk: BackupChunk__Output) => {
      if (chunk.meta) meta = chunk.meta;
      if (chunk.data.byteLength > 0) parts.push(chunk.data);
    });
    stream.on('error', (e: unknown) => {
      client.close();
      const err = fromServiceError(e);
      const unreachable = err.code === 'UNAVAILABLE' && /connect|No connection established|ENOENT|ECONNREFUSED/i.test(err.message);
      reject(unreachable ? new ShoalError('UNAVAILABLE', `cannot reach a Shoal manager at ${target}: is it running? (start it with \`shoal start\`, or point -H at a manager)`) : err);
    });
    stream.on('end', () => {
      client.close();
      const m: BackupMeta__Output | null = meta;
      if (m === null) return reject(new ShoalError('INTERNAL', 'the manager sent no backup meta'));
      const image = Buffer.concat(parts);
      if (image.byteLength !== Number(m.bytes) || sha256Hex(image) !== m.sha256) {
        return reject(new ShoalError('INTERNAL', `the backup arrived damaged (${image.byteLength} of ${Number(m.bytes)} bytes, or a checksum mismatch); nothing was written — retry`));
      }
      resolvePromise({
        header: {
          clusterId: m.clusterId,
          index: Number(m.index),
          term: Number(m.term),
          conf: { voters: m.voters.map(Number), learners: m.learners.map(Number) },
          schemaVersion: m.schemaVersion,
          bytes: Number(m.bytes),
          sha256: m.sha256,
          nodeId: m.nodeId,
          hostname: m.hostname,
          createdUnixMs: Date.now(),
        },
        image,
      });
    });
  });
}
