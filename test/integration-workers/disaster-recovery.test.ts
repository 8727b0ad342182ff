import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../helpers/in-process-cluster.js';
import { killStoredTasks } from '../helpers/task-cleanup.js';
import { runCli, type CliResult } from '../integration/harness.js';
import { runningTaskPids } from '../helpers/agent-pids.js';
import { isAlive } from '../../src/process-info.js';
import { SOCKET_FILE } from '../../src/manager/manager.js';
import { Api } from '../../bin/client.js';
import { waitForAsync } from '../helpers/wait-async.js';

/** Bound on any convergence this test waits for (sessions, voters, writes after a kill). */
const CONVERGE_TIMEOUT_MS = 20_000;
/** How long the recovered cluster is watched for replaced tasks: many 500 ms heartbeats, past the down bound. */
const WATCH_AFTER_RECOVERY_MS = 3_000;
/** How long the write refused during the outage is retried before the CLI gives up (its default is 30 s). */
const REFUSED_WRITE_DEADLINE_MS = 3_000;

interface Endpoint {
  kind: string;
  ownerName: string;
  address: string;
}

// Real daemons started by the CLI: three managers (drained) and two workers, a service and two standalone
// containers on an attachable network. Two managers are killed with SIGKILL for good; the third recovers
// the cluster with `init --force-new-cluster`.
describe('force a new cluster from the last of three managers (real processes)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'shoal-dr-'));
  const nodes = ['m1', 'm2', 'm3', 'm4', 'm5', 'w1', 'w2'];
  const shoal = (node: string, ...args: string[]): Promise<CliResult> => runCli(['--data-dir', join(dir, node), ...args]);
  const ok = async (node: string, ...args: string[]): Promise<string> => {
    const r = await shoal(node, ...args);
    assert.equal(r.code, 0, `shoal ${args.join(' ')} on ${node}: ${r.stderr}`);
    return r.stdout;
  };
  const json = async <T>(node: string, ...args: string[]): Promise<T> => JSON.parse(await ok(node, ...args, '--format', 'json')) as T;
  const pidOf = (node: string): number => Number(readFileSync(join(dir, node, 'shoal.pid'), 'utf8').split('\n')[0]);
  async function withNode<T>(node: string, fn: (api: Api) => Promise<T>): Promise<T> {
    const api = new Api(`unix://${join(dir, node, SOCKET_FILE)}`);
    try {
      return await fn(api);
    } finally {
      api.close();
    }
  }
  /** task or container ID → pid, as the agents of w1 and w2 recorded them. */
  const workerPids = (): Map<string, number> => {
    const out = new Map<string, number>();
    for (const w of ['w1', 'w2']) for (const [id, pid] of runningTaskPids(join(dir, w))) out.set(id, pid);
    return out;
  };
  // The service's VIP is an endpoint of the network too (compared like the others, counted apart).
  const notVip = (e: string): boolean => !/^vip /i.test(e);
  const endpoints = async (): Promise<string[]> =>
    (await json<{ endpoints: Endpoint[] }[]>('m1', 'network', 'inspect', 'appnet'))[0]!.endpoints.map((e) => `${e.kind} ${e.ownerName} ${e.address}`).sort();

  after(async () => {
    await Promise.all(nodes.map((n) => shoal(n, 'stop').catch(() => undefined)));
    for (const n of nodes) {
      killStoredTasks(join(dir, n));
      try {
        const pid = pidOf(n);
        if (pid > 0 && isAlive(pid)) process.kill(pid, 'SIGKILL');
      } catch {
        // no pid file, or already gone
      }
    }
    if (process.env['SHOAL_KEEP_TEST_DIR']) console.log(`kept ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  });

  // Proves: refusals (on a worker; on a manager that reaches a quorum); after kill -9 of two managers,
  // `init --force-new-cluster` on the third makes writes succeed again with every task, container and
  // address as before, the workers' processes untouched (same pids, nothing replaced), the lost managers
  // shown as removed, `network check` clean; a lost manager restarted with its old state is refused; two
  // new managers join with the usual token and the cluster survives kill -9 of one of them.
  test('kill -9 of two managers, force-new-cluster on the third, two new managers, kill -9 of one', async (t) => {
    const t0 = Date.now();
    const mark = (what: string): void => t.diagnostic(`${what} at ${Date.now() - t0} ms`);
    const port = await freePort();
    const addr1 = `127.0.0.1:${port}`;
    await ok('m1', 'init', '--listen-addr', addr1, '--hostname', 'm1', '--dispatcher-heartbeat', '500ms');
    const tokens = await withNode('m1', (api) => api.joinTokens());
    const joinAs = async (node: string, token: string): Promise<string> =>
      ok(node, 'join', '--token', token, '--listen-addr', `127.0.0.1:${await freePort()}`, '--hostname', node, addr1);
    await joinAs('m2', tokens.manager);
    await Promise.all([joinAs('m3', tokens.manager), joinAs('w1', tokens.worker), joinAs('w2', tokens.worker)]);
    await Promise.all([...['m1', 'm2', 'm3'].map((m) => ok('m1', 'node', 'update', '--availability', 'drain', m)), ok('m1', 'network', 'create', '--attachable', 'appnet')]);
    await ok('m1', 'service', 'create', '--detach', '--name', 'web', '--replicas', '4', '--network', 'appnet', '--', '/bin/sh', '-c', 'exec sleep 300');
    await Promise.all(['w1', 'w2'].map((w) => ok(w, '-H', addr1, 'container', 'run', '-d', '--name', `c-${w}`, '--network', 'appnet', '--', '/bin/sh', '-c', 'exec sleep 300')));
    await waitForAsync(async () => workerPids().size === 6 && (await endpoints()).filter(notVip).length === 6, CONVERGE_TIMEOUT_MS, '4 tasks and 2 containers running on the workers');
    const pidsBefore = workerPids();
    const endpointsBefore = await endpoints();
    const tasksBefore = (await json<{ id: string; node: string; state: string }[]>('m1', 'service', 'ps', 'web')).map((x) => `${x.id} ${x.node} ${x.state}`).sort();
    assert.equal(new Set(endpointsBefore.filter(notVip).map((e) => e.split(' ')[2])).size, 6, 'six distinct addresses');
    mark('cluster up with tasks and containers');

    // Refusals: a worker never was a manager; m1 still reaches a quorum.
    const onWorker = await shoal('w1', 'init', '--force-new-cluster');
    assert.equal(onWorker.code, 1);
    assert.match(onWorker.stderr, /is a worker: it was never a manager/);
    const withQuorum = await shoal('m1', 'init', '--force-new-cluster');
    assert.equal(withQuorum.code, 1);
    assert.match(withQuorum.stderr, /still reaches 3 of 3 managers .*there is nothing to recover/);

    // Two managers lost for good.
    for (const m of ['m2', 'm3']) process.kill(pidOf(m), 'SIGKILL');
    await waitForAsync(async () => Promise.resolve(!isAlive(pidOf('m2')) && !isAlive(pidOf('m3'))), 5_000, 'm2 and m3 to die');
    // A short write deadline: the recovery follows the quorum loss within seconds, as an operator's would.
    const refused = await runCli(['--data-dir', join(dir, 'm1'), 'network', 'create', 'during-outage'], { SHOAL_WRITE_DEADLINE_MS: String(REFUSED_WRITE_DEADLINE_MS) });
    assert.equal(refused.code, 1, 'no quorum: writes are refused');
    mark('two managers killed');

    const forced = await ok('m1', 'init', '--force-new-cluster');
    assert.match(forced, /Forced a new cluster: cluster \S+ continues with this node/);
    assert.match(forced, /Removed from the managers: m2 .*m3 /);
    assert.match(forced, /shoal join --token SWMTKN-1-\S+ 127\.0\.0\.1:\d+/);
    mark('forced');
    await ok('m1', 'network', 'create', 'after-recovery');

    // Workers reconnect; nothing is replaced or restarted.
    await waitForAsync(async () => {
      const ls = await json<{ hostname: string; status: string }[]>('m1', 'node', 'ls');
      return ls.filter((n) => n.hostname.startsWith('w') && n.status === 'ready').length === 2;
    }, CONVERGE_TIMEOUT_MS, 'both workers ready on the recovered cluster');
    await new Promise((r) => setTimeout(r, WATCH_AFTER_RECOVERY_MS));
    assert.deepEqual(await endpoints(), endpointsBefore, 'every task and container keeps its address');
    const tasksAfter = (await json<{ id: string; node: string; state: string }[]>('m1', 'service', 'ps', 'web')).map((x) => `${x.id} ${x.node} ${x.state}`).sort();
    assert.deepEqual(tasksAfter, tasksBefore, 'the same tasks, on the same nodes, running');
    assert.deepEqual(workerPids(), pidsBefore, 'the same processes');
    for (const pid of pidsBefore.values()) assert.ok(isAlive(pid));
    const ls = await json<{ hostname: string; reachability?: string; leader: boolean }[]>('m1', 'node', 'ls');
    assert.deepEqual(ls.filter((n) => n.reachability === 'removed').map((n) => n.hostname).sort(), ['m2', 'm3']);
    await ok('m1', 'network', 'check');
    mark('state checked');

    // A lost manager that comes back with its old state is refused: it must not elect a leader of its own.
    const back = await shoal('m2', 'start');
    assert.equal(back.code, 1, 'm2 must not start');
    assert.match(back.stderr, /was removed from cluster \S+: manager m1 at 127\.0\.0\.1:\d+ lists 1 manager\(s\) without it/);

    // Two new managers with the usual token; then one of them is killed and writes still succeed.
    const managerToken = (await ok('m1', 'join-token', 'manager', '-q')).trim();
    assert.equal(managerToken, tokens.manager, 'the join tokens are kept');
    await joinAs('m4', managerToken);
    await joinAs('m5', managerToken);
    await waitForAsync(async () => (await withNode('m1', (api) => api.clusterInfo())).managers.length === 3, CONVERGE_TIMEOUT_MS, 'three managers');
    await waitForAsync(async () => (await withNode('m1', listVoters)) === 3, CONVERGE_TIMEOUT_MS, 'three voters');
    mark('two managers joined');
    process.kill(pidOf('m4'), 'SIGKILL');
    await waitForAsync(async () => (await shoal('m1', 'network', 'create', 'after-kill')).code === 0, CONVERGE_TIMEOUT_MS, 'a write after kill -9 of m4');
    await ok('m5', 'network', 'inspect', 'after-kill');
    mark('survived kill -9 of a new manager');
  });
});

/** Voters in the Raft membership, as the manager reports them. */
function listVoters(api: Api): Promise<number> {
  return new Promise((resolve, reject) => {
    api.raft.ListMembers({}, (err, res) => (err ? reject(err) : resolve((res?.members ?? []).filter((m) => m.voter).length)));
  });
}

