import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { freePort, waitFor } from '../helpers/in-process-cluster.js';
import { isAlive } from '../../src/process-info.js';
import { RPC_TIMEOUT_MS, rolesCluster, waitForAsync } from './roles-harness.js';

/** Bound on every convergence this test waits for (a role change, an election, a restart, tasks running). */
const CONVERGE_TIMEOUT_MS = 30_000;
/** Bound on a SIGKILLed daemon disappearing. */
const DEATH_TIMEOUT_MS = 5_000;

const MANAGERS = ['m1', 'm2', 'm3'];
const REACHABLE = 'manager/REACHABILITY_REACHABLE';

// Real daemons started by the CLI on loopback: three managers (m1 init, m2 and m3 joined with the manager
// token, all drained so they run no task) and one worker w1 running the tasks of `web`; a 500 ms heartbeat.
// Every change goes through the CLI; the test polls the daemons' local sockets and files.
describe('node promote and demote across kill -9 of the leader; join and leave across roles (real processes)', () => {
  const nodes = [...MANAGERS, 'w1'];
  const { shoal, pidOf, configOf, withNode, membersVia, rolesVia, roleOnSocket, pidsOf, votersMatch, cleanup } = rolesCluster('shoal-roles-lk-');
  let managerAddr = '';
  let tokens = { worker: '', manager: '' };
  /** The second test starts from where the first one ends (w1 a demoted worker). */
  let firstPassed = false;

  after(() => cleanup(nodes));

  /** The node (of `nodes`) that leads, as the manager on `via` knows it; '' while there is none. */
  const leaderVia = async (via: string): Promise<string> => {
    const id = await withNode(via, async (api) => (await api.clusterInfo(RPC_TIMEOUT_MS)).leaderNodeId);
    return nodes.find((n) => id !== '' && configOf(n).nodeId === id) ?? '';
  };
  /** kill -9 of `node`'s daemon, then `shoal start` on it. */
  const killAndRestart = async (node: string): Promise<void> => {
    const pid = pidOf(node);
    process.kill(pid, 'SIGKILL');
    await waitFor(() => !isAlive(pid), DEATH_TIMEOUT_MS, `the ${node} daemon to die`);
    await shoal(node, 'start');
  };
  /** The Raft members hold every node of `managers` once, by node ID, and nothing else. */
  const memberNodeIdsVia = async (via: string): Promise<string[]> => (await membersVia(via)).map((m) => m.nodeId).sort();
  const nodeIdsOf = (names: string[]): string[] => names.map((n) => configOf(n).nodeId).sort();
  const joinAs = async (node: string, token: string): Promise<string> =>
    shoal(node, 'join', '--token', token, '--listen-addr', `127.0.0.1:${await freePort()}`, '--hostname', node, managerAddr);

  // Proves that a promotion and a demotion recorded just before kill -9 of the leader are carried out by the
  // next leader: after the killed manager restarts, the promoted node is a voter exactly once (four voters,
  // every node ID once, none twice), a reachable manager in `node ls`, serving the manager API, and the
  // cluster takes writes; demoted again across a second leader kill, it ends a worker whose task kept its
  // process, with the three managers as the only members.
  test('promote and demote interrupted by kill -9 of the leader', async (t) => {
    const t0 = Date.now();
    const mark = (what: string): void => t.diagnostic(`${what} at ${Date.now() - t0} ms`);
    const port = await freePort();
    managerAddr = `127.0.0.1:${port}`;
    await shoal('m1', 'init', '--listen-addr', managerAddr, '--hostname', 'm1', '--dispatcher-heartbeat', '500ms');
    tokens = await withNode('m1', (api) => api.joinTokens());
    await joinAs('m2', tokens.manager); // returns once m2 votes
    await joinAs('m3', tokens.manager);
    await joinAs('w1', tokens.worker);
    for (const m of MANAGERS) await shoal('m1', 'node', 'update', '--availability', 'drain', m);
    await shoal('m1', 'service', 'create', '--detach', '--name', 'web', '--replicas', '1', '--', '/bin/sh', '-c', 'exec sleep 300');
    await waitFor(() => pidsOf('w1').size === 1, CONVERGE_TIMEOUT_MS, 'the task of web on w1');
    assert.ok(await votersMatch('m1', MANAGERS), 'three voters before the promotion');
    mark('cluster up');

    // Promote through the leader and kill it as soon as the command returns: the role is recorded, the rest
    // (learner, catch-up, voter) is the next leader's to finish.
    const leader1 = await leaderVia('m1');
    assert.ok(MANAGERS.includes(leader1), `a manager leads (got '${leader1}')`);
    assert.match(await shoal(leader1, 'node', 'promote', 'w1'), /Node w1 promoted to a manager/);
    const w1VotedAlready = (await membersVia(leader1).catch(() => [])).some((m) => m.nodeId === configOf('w1').nodeId && m.voter);
    await killAndRestart(leader1);
    mark(`leader ${leader1} killed mid-promotion (w1 a voter already: ${w1VotedAlready}) and restarted`);
    const all = [...MANAGERS, 'w1'];
    await waitForAsync(async () => {
      const roles = await rolesVia('m1');
      return (await votersMatch('m1', all)) && all.every((n) => roles.get(n) === REACHABLE);
    }, CONVERGE_TIMEOUT_MS, 'four reachable voters, w1 among them');
    for (const via of all) assert.deepEqual(await memberNodeIdsVia(via), nodeIdsOf(all), `the members as ${via} knows them: every node once`);
    assert.equal(configOf('w1').role, 'manager');
    assert.equal(await roleOnSocket('w1'), 'NODE_ROLE_MANAGER');
    // Writes through the promoted node (it forwards to the leader, or leads).
    await shoal('w1', 'service', 'scale', 'web=2');
    await waitFor(() => pidsOf('w1').size === 2, CONVERGE_TIMEOUT_MS, 'web to run 2 tasks on w1');
    mark('w1 a reachable voter, writes accepted');

    // Demote w1 and kill the leader as soon as the command returns. If w1 itself leads, the demotion first
    // hands leadership over: the leader killed is then the one it handed over to.
    const tasks = pidsOf('w1');
    const via = MANAGERS.find((n) => n !== leader1) ?? 'm1';
    let leader2 = await leaderVia(via);
    assert.match(await shoal(leader2 === 'w1' ? via : leader2, 'node', 'demote', 'w1'), /Manager w1 demoted/);
    if (leader2 === 'w1') {
      await waitForAsync(async () => {
        leader2 = await leaderVia(via);
        return leader2 !== '' && leader2 !== 'w1';
      }, CONVERGE_TIMEOUT_MS, 'w1 to hand leadership over');
    }
    await killAndRestart(leader2);
    mark(`leader ${leader2} killed mid-demotion and restarted`);
    await waitForAsync(
      async () => (await votersMatch('m1', MANAGERS)) && (await roleOnSocket('w1').catch(() => '')) === 'NODE_ROLE_WORKER',
      CONVERGE_TIMEOUT_MS,
      'w1 out of Raft and serving as a worker',
    );
    for (const n of MANAGERS) assert.deepEqual(await memberNodeIdsVia(n), nodeIdsOf(MANAGERS), `the members as ${n} knows them`);
    assert.equal(configOf('w1').role, 'worker');
    await waitForAsync(async () => (await rolesVia('m1')).get('w1') === 'worker/', CONVERGE_TIMEOUT_MS, '`node ls` to show w1 a worker');
    assert.deepEqual(pidsOf('w1'), tasks, 'the demotion restarted no task of w1');
    for (const pid of tasks.values()) assert.ok(isAlive(pid), `task process ${pid} alive`);
    mark('w1 demoted');
    firstPassed = true;
  });

  // Proves that `leave` works from a promoted node (it leaves Raft and `node ls`, the three managers stay the
  // members), and that a node that left as a worker can join again with the manager token and become a
  // reachable voter.
  test('leave from a promoted node; join with the manager token after leaving as a worker', async (t) => {
    const t0 = Date.now();
    const mark = (what: string): void => t.diagnostic(`${what} at ${Date.now() - t0} ms`);
    assert.ok(firstPassed, 'this test continues from the first one, which failed');
    assert.equal(configOf('w1').role, 'worker', 'the first test left w1 a worker');
    const all = [...MANAGERS, 'w1'];

    await shoal('m1', 'node', 'promote', 'w1');
    await waitForAsync(async () => (await votersMatch('m1', all)) && (await rolesVia('m1')).get('w1') === REACHABLE, CONVERGE_TIMEOUT_MS, 'w1 promoted again');
    mark('w1 promoted');
    assert.match(await shoal('w1', 'leave'), /Node left the cluster/);
    await waitForAsync(async () => (await votersMatch('m1', MANAGERS)) && !(await rolesVia('m1')).has('w1'), CONVERGE_TIMEOUT_MS, 'w1 gone from Raft and `node ls`');
    assert.deepEqual(await memberNodeIdsVia('m2'), nodeIdsOf(MANAGERS));
    mark('promoted w1 left');

    assert.match(await joinAs('w1', tokens.worker), /joined a cluster as a worker/);
    await waitForAsync(async () => (await rolesVia('m1')).get('w1') === 'worker/', CONVERGE_TIMEOUT_MS, 'w1 back as a worker');
    assert.match(await shoal('w1', 'leave'), /Node left the cluster/);
    await waitForAsync(async () => !(await rolesVia('m1')).has('w1'), CONVERGE_TIMEOUT_MS, 'w1 gone from `node ls` again');
    mark('w1 joined and left as a worker');

    assert.match(await joinAs('w1', tokens.manager), /joined a cluster as a manager/); // returns once w1 votes
    await waitForAsync(async () => (await votersMatch('m1', all)) && (await rolesVia('m1')).get('w1') === REACHABLE, CONVERGE_TIMEOUT_MS, 'w1 a reachable voter');
    assert.deepEqual(await memberNodeIdsVia('w1'), nodeIdsOf(all));
    assert.equal(await roleOnSocket('w1'), 'NODE_ROLE_MANAGER');
    await shoal('w1', 'service', 'scale', 'web=1');
    mark('w1 joined with the manager token');
  });
});
