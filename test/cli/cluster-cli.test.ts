import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isShoalError } from '../../src/errors.js';
import type { Api } from '../../bin/client.js';
import { startCluster, type TestCluster } from '../helpers/in-process-cluster.js';

const CLI = join(dirname(fileURLToPath(import.meta.url)), '../../bin/cli.js');

function shoal(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { timeout: 30_000, env: { ...process.env, SHOAL_HOST: '' } }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

async function rejectsWith(p: Promise<unknown>, code: string, message: RegExp): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(isShoalError(e), `not a ShoalError: ${String(e)}`);
    assert.equal(e.code, code);
    assert.match(e.message, message);
    return true;
  });
}

// UpdateCluster and `shoal cluster update|inspect` against two real managers in-process: the
// setting is written through a follower (forwarded to the leader) and read back from every manager.
describe('cluster settings: UpdateCluster API and `shoal cluster`', () => {
  let c: TestCluster;
  let follower: Api;
  before(async () => {
    c = await startCluster(2);
    const i = c.managers.indexOf(c.followers()[0]!);
    follower = c.apis[i]!;
  });
  after(async () => {
    await c.close();
  });

  // Proves the default shows in GetClusterInfo, an update sent to a follower is applied by the
  // leader and answered with the new cluster and version, and every manager then reads the value.
  test('UpdateCluster through a follower sets the limit; every manager reads it back', async () => {
    const info = await follower.clusterInfo();
    assert.equal(info.cluster?.taskHistoryRetentionLimit, 5);
    const version = Number(info.cluster?.version);
    assert.ok(version > 0);
    const res = await follower.updateCluster({ version, setTaskHistoryRetentionLimit: true, taskHistoryRetentionLimit: 2 });
    assert.equal(res.cluster?.taskHistoryRetentionLimit, 2);
    assert.ok(Number(res.cluster?.version) > version);
    for (const api of c.apis) assert.equal((await api.clusterInfo()).cluster?.taskHistoryRetentionLimit, 2);
    // The old version is stale now.
    await rejectsWith(follower.updateCluster({ version, setTaskHistoryRetentionLimit: true, taskHistoryRetentionLimit: 3 }), 'ABORTED', /the cluster changed since it was read/);
  });

  // Proves the API refuses out-of-range values and a request that sets nothing, naming the field.
  test('UpdateCluster refuses bad values and empty requests', async () => {
    await rejectsWith(follower.updateCluster({ setTaskHistoryRetentionLimit: true, taskHistoryRetentionLimit: 1001 }), 'INVALID_ARGUMENT', /^task_history_retention_limit: 1001 is not a whole number from 0 to 1000/);
    await rejectsWith(follower.updateCluster({ setTaskHistoryRetentionLimit: true, taskHistoryRetentionLimit: -1 }), 'INVALID_ARGUMENT', /^task_history_retention_limit: -1 /);
    await rejectsWith(follower.updateCluster({ taskHistoryRetentionLimit: 4 }), 'INVALID_ARGUMENT', /nothing to change/);
    assert.equal((await follower.clusterInfo()).cluster?.taskHistoryRetentionLimit, 2, 'unchanged');
  });

  // Proves the CLI: update prints a confirmation, inspect shows the value as JSON, and bad input
  // exits 1 with `Error: …` naming the flag on stderr.
  test('shoal cluster update --task-history-limit N; shoal cluster inspect', async () => {
    const host = follower.target;
    const up = await shoal('-H', host, 'cluster', 'update', '--task-history-limit', '0');
    assert.equal(up.code, 0, up.stderr);
    assert.equal(up.stdout, 'Cluster updated.\n');
    const inspect = await shoal('-H', host, 'cluster', 'inspect');
    assert.equal(inspect.code, 0, inspect.stderr);
    const record = JSON.parse(inspect.stdout) as Record<string, unknown>;
    assert.equal(record['taskHistoryLimit'], 0);
    assert.equal(record['id'], (await follower.clusterInfo()).clusterId);
    for (const bad of ['-1', '1001', '2.5', 'many']) {
      const r = await shoal('-H', host, 'cluster', 'update', `--task-history-limit=${bad}`);
      assert.equal(r.code, 1, `accepted ${bad}`);
      assert.match(r.stderr, new RegExp(`^Error: --task-history-limit "${bad.replace('.', '\\.')}" is not a whole number from 0 to 1000`));
    }
    const nothing = await shoal('-H', host, 'cluster', 'update');
    assert.equal(nothing.code, 1);
    assert.match(nothing.stderr, /^Error: nothing to change/);
    assert.equal((await follower.clusterInfo()).cluster?.taskHistoryRetentionLimit, 0, 'bad input changed nothing');
  });
});
