import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { freePort, waitFor } from '../helpers/in-process-cluster.js';
import { isAlive } from '../../src/process-info.js';
import { certificateInfo } from '../../src/security/pki.js';
import { readNodeMaterial } from '../../src/security/node-material.js';
import { rolesCluster, waitForAsync } from './roles-harness.js';

/** Bound on every convergence this test waits for (a role change, an election, tasks running). */
const CONVERGE_TIMEOUT_MS = 20_000;
const RPC_TIMEOUT_MS = 2_000;

// Real daemons started by the CLI on loopback: m1 (init) and two workers, w1 and w2; a 500 ms heartbeat
// (the daemons learn their role from each heartbeat). Every change goes through the CLI; the test polls
// the daemons' local sockets.
describe('node promote and demote (real processes)', () => {
  const nodes = ['m1', 'w1', 'w2'];
  const { dir, shoal, refusal, pidOf, configOf, withNode, rolesVia, roleOnSocket, pidsOf, votersMatch, cleanup } = rolesCluster('shoal-roles-');

  after(() => cleanup(nodes));

  // Proves the whole role cycle on real daemons: the last manager cannot be demoted; a promotion whose node is
  // killed with SIGKILL in the middle ends, after `shoal start`, with the node a voter under the Raft ID the store
  // gave it (no duplicate or lost member); two promoted workers make three voters without restarting a task; the
  // cluster keeps writing after kill -9 of the original manager; a demotion that would cost the quorum is refused
  // with the numbers; a demoted manager goes back to being a worker whose tasks keep their processes; and a
  // demotion whose node is killed with SIGKILL right after it was recorded still ends with the node a worker.
  test('promote, kill -9 mid-promotion, failover, refused and accepted demotion', async (t) => {
    const t0 = Date.now();
    const mark = (what: string): void => t.diagnostic(`${what} at ${Date.now() - t0} ms`);
    const port = await freePort();
    await shoal('m1', 'init', '--listen-addr', `127.0.0.1:${port}`, '--hostname', 'm1', '--dispatcher-heartbeat', '500ms');
    const tokens = await withNode('m1', (api) => api.joinTokens());
    const joinAs = async (node: string): Promise<string> =>
      shoal(node, 'join', '--token', tokens.worker, '--listen-addr', `127.0.0.1:${await freePort()}`, '--hostname', node, `127.0.0.1:${port}`);
    await Promise.all([joinAs('w1'), joinAs('w2')]);
    await shoal('m1', 'node', 'update', '--availability', 'drain', 'm1');
    await shoal('m1', 'service', 'create', '--detach', '--name', 'web', '--replicas', '4', '--', '/bin/sh', '-c', 'exec sleep 300');
    await waitFor(() => pidsOf('w1').size === 2 && pidsOf('w2').size === 2, CONVERGE_TIMEOUT_MS, 'two tasks of web on each worker');
    mark('cluster up, 2 tasks on each worker');

    assert.match(await refusal('m1', 'node', 'demote', 'm1'), /m1 is the last manager of the cluster \(1 of 1\)/);

    // Promote w1 and kill its daemon as soon as it has started to become a manager (node.json says so).
    const workerRaftId = configOf('w1').raftId;
    assert.match(await shoal('m1', 'node', 'promote', 'w1'), /Node w1 promoted to a manager/);
    const w1Pid = pidOf('w1');
    await waitFor(() => configOf('w1').role === 'manager', CONVERGE_TIMEOUT_MS, 'w1 to start becoming a manager');
    process.kill(w1Pid, 'SIGKILL');
    await waitFor(() => !isAlive(w1Pid), 5_000, 'the w1 daemon to die');
    mark('w1 killed mid-promotion');
    await shoal('w1', 'start');
    await waitForAsync(async () => (await votersMatch('m1', ['m1', 'w1'])) && (await rolesVia('m1')).get('w1') === 'manager/REACHABILITY_REACHABLE', CONVERGE_TIMEOUT_MS, 'w1 to be a reachable voter');
    assert.notEqual(configOf('w1').raftId, workerRaftId, 'the promotion gave w1 a fresh Raft ID');
    assert.equal(await roleOnSocket('w1'), 'NODE_ROLE_MANAGER');
    // w1 was down longer than 3 heartbeats, so its tasks may have moved to w2 meanwhile (as for any node down).
    await waitFor(() => pidsOf('w1').size + pidsOf('w2').size === 4, CONVERGE_TIMEOUT_MS, 'web to run 4 tasks again');
    mark('w1 promoted after the kill');
    const pids1 = pidsOf('w1');
    const pids2 = pidsOf('w2');

    assert.match(await shoal('m1', 'node', 'promote', 'w1', 'w2'), /Node w1 is already a manager\.\nNode w2 promoted to a manager/);
    await waitForAsync(async () => {
      const roles = await rolesVia('m1');
      return (await votersMatch('m1', ['m1', 'w1', 'w2'])) && ['m1', 'w1', 'w2'].every((n) => roles.get(n) === 'manager/REACHABILITY_REACHABLE');
    }, CONVERGE_TIMEOUT_MS, 'three reachable voters');
    assert.deepEqual(pidsOf('w2'), pids2, 'promotion restarted no task of w2');
    assert.deepEqual(pidsOf('w1'), pids1);
    mark('3 voters');

    // kill -9 of the original manager: the two promoted ones elect a leader and take writes.
    const m1Pid = pidOf('m1');
    process.kill(m1Pid, 'SIGKILL');
    await waitFor(() => !isAlive(m1Pid), 5_000, 'the m1 daemon to die');
    await waitForAsync(async () => {
      const leader = await withNode('w1', async (api) => (await api.clusterInfo(RPC_TIMEOUT_MS)).leaderNodeId).catch(() => '');
      return leader !== '' && leader !== configOf('m1').nodeId;
    }, CONVERGE_TIMEOUT_MS, 'a new leader among w1 and w2');
    await shoal('w1', 'service', 'scale', 'web=5');
    await waitFor(() => pidsOf('w1').size + pidsOf('w2').size === 5, CONVERGE_TIMEOUT_MS, 'web to run 5 tasks');
    mark('wrote through the new leader');

    // With m1 down, demoting either survivor would leave 2 voters of which 1 is reachable: refused.
    await waitForAsync(async () => (await rolesVia('w1')).get('m1') === 'manager/REACHABILITY_UNREACHABLE', CONVERGE_TIMEOUT_MS, 'm1 seen unreachable');
    const refused = await refusal('w1', 'node', 'demote', 'w2');
    assert.match(refused, /demoting manager w2 would leave 2 of the 3 managers, of which 1 is reachable: fewer than the 2 a quorum of 2 needs/);
    mark('quorum-breaking demotion refused');

    // m1 back; then w2 demoted: it leaves Raft, stops its manager, and keeps its tasks.
    await shoal('m1', 'start');
    await waitForAsync(async () => [...(await rolesVia('w1')).entries()].filter(([, r]) => r === 'manager/REACHABILITY_REACHABLE').length >= 2, CONVERGE_TIMEOUT_MS, 'm1 reachable again');
    const w2Tasks = pidsOf('w2');
    assert.match(await shoal('w1', 'node', 'demote', 'w2'), /Manager w2 demoted/);
    await waitForAsync(async () => (await votersMatch('w1', ['m1', 'w1'])) && (await roleOnSocket('w2').catch(() => '')) === 'NODE_ROLE_WORKER', CONVERGE_TIMEOUT_MS, 'w2 out of Raft and serving as a worker');
    assert.equal(configOf('w2').role, 'worker');
    assert.equal((await rolesVia('w1')).get('w2'), 'worker/');
    assert.deepEqual(pidsOf('w2'), w2Tasks, 'demotion restarted no task of w2');
    for (const pid of w2Tasks.values()) assert.ok(isAlive(pid));
    assert.match(await shoal('w1', 'node', 'demote', 'w2'), /Node w2 is already a worker/);
    // The demoted node keeps no manager certificate.
    await waitFor(() => certificateInfo(readNodeMaterial(join(dir, 'w2')).certPem).role === 'worker', CONVERGE_TIMEOUT_MS, 'w2 to hold a worker certificate');
    mark('w2 demoted');

    // Demote w1 and kill its daemon at once: with two voters the removal needs w1's vote, so it completes
    // only after `shoal start`; the node then ends as a worker and m1 as the only voter, and writes work.
    const w1Again = pidOf('w1');
    assert.match(await shoal('m1', 'node', 'demote', 'w1'), /Manager w1 demoted/);
    process.kill(w1Again, 'SIGKILL');
    await waitFor(() => !isAlive(w1Again), 5_000, 'the w1 daemon to die');
    await shoal('w1', 'start');
    await waitForAsync(async () => (await votersMatch('m1', ['m1'])) && (await roleOnSocket('w1').catch(() => '')) === 'NODE_ROLE_WORKER', CONVERGE_TIMEOUT_MS, 'w1 out of Raft and serving as a worker');
    assert.equal(configOf('w1').role, 'worker');
    await shoal('m1', 'service', 'scale', 'web=3');
    await waitFor(() => pidsOf('w1').size + pidsOf('w2').size === 3, CONVERGE_TIMEOUT_MS, 'web scaled to 3 by m1 alone');
    mark('w1 demoted across a kill -9');
  });
});

