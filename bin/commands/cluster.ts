/**
 * `shoal cluster inspect|update`: the cluster-wide settings, in the spirit of
 * `docker swarm update` (here `--task-history-limit`, swarm's flag name).
 */
import type { Argv } from 'yargs';
import { ShoalError } from '../../src/errors.js';
import type { Cluster__Output } from '../../src/generated/shoal/v1/Cluster.js';
import { TASK_HISTORY_LIMIT_MAX } from '../../src/manager/store/cluster-settings.js';
import { withApi, type GlobalArgs } from '../client.js';
import { printJson } from '../output.js';

/** The `cluster inspect` record: settings by their CLI meaning. */
function clusterRecord(c: Cluster__Output): Record<string, unknown> {
  return {
    id: c.id,
    name: c.name,
    version: Number(c.version),
    createdAt: new Date(Number(c.createdUnixMs)).toISOString(),
    updatedAt: new Date(Number(c.updatedUnixMs)).toISOString(),
    taskHistoryLimit: Number(c.taskHistoryRetentionLimit),
    dispatcherHeartbeatMs: Number(c.dispatcherHeartbeatMs),
    defaultAddrPools: c.defaultAddrPools,
    defaultAddrPoolMaskLength: c.subnetSize,
  };
}

/** A whole number 0..TASK_HISTORY_LIMIT_MAX, checked here so the message names the flag. */
export function parseTaskHistoryLimit(text: string): number {
  const t = text.trim();
  const n = /^\d{1,7}$/.test(t) ? Number(t) : NaN;
  if (!Number.isInteger(n) || n > TASK_HISTORY_LIMIT_MAX) {
    throw new ShoalError(
      'INVALID_ARGUMENT',
      `--task-history-limit "${text}" is not a whole number from 0 to ${TASK_HISTORY_LIMIT_MAX} (ended tasks kept per slot; 0 keeps none)`,
    );
  }
  return n;
}

export function registerCluster(cli: Argv<GlobalArgs>): Argv<GlobalArgs> {
  return cli.command('cluster', 'Show or change cluster-wide settings', (y) =>
    y
      .command('inspect', 'Show the cluster and its settings (JSON)', (y2) => y2, (a) =>
        withApi(a, async (api) => {
          const info = await api.clusterInfo();
          // A worker answers GetClusterInfo from its identity only, without the cluster object.
          if (!info.cluster) throw new ShoalError('FAILED_PRECONDITION', 'this node holds no cluster state (it is a worker); point -H at a manager');
          printJson(clusterRecord(info.cluster));
        }),
      )
      .command(
        'update',
        'Change cluster-wide settings',
        (y2) =>
          y2
            .option('task-history-limit', {
              type: 'string',
              describe: `Ended tasks kept per slot as history, 0..${TASK_HISTORY_LIMIT_MAX} (default 5; 0 keeps none)`,
            })
            .example('$0 cluster update --task-history-limit 2', 'Keep two ended tasks per slot'),
        (a) =>
          withApi(a, async (api) => {
            if (a.taskHistoryLimit === undefined) {
              throw new ShoalError('INVALID_ARGUMENT', 'nothing to change: say what to update, e.g. --task-history-limit N');
            }
            const limit = parseTaskHistoryLimit(a.taskHistoryLimit);
            // Unconditional (version 0): the one setting given is all that changes.
            await api.updateCluster({ version: 0, setTaskHistoryRetentionLimit: true, taskHistoryRetentionLimit: limit });
            process.stdout.write('Cluster updated.\n');
          }),
      )
      .demandCommand(1, 'Say what to do with the cluster: inspect or update'),
  );
}
